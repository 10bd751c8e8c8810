using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Purr.Core.Dunning;

/// <summary>The result of reading a plan or catalog: the value only when there are no errors.</summary>
/// <typeparam name="T">A <see cref="DunningPlan"/> or a <see cref="PlanCatalog"/>.</typeparam>
/// <param name="Value">The valid value; null whenever <paramref name="Errors"/> is not empty.</param>
/// <param name="Errors">Every error, each with its JSON path.</param>
/// <param name="Warnings">Accepted but noteworthy (see <see cref="PlanValidator"/>).</param>
public sealed record PlanReadResult<T>(T? Value, IReadOnlyList<PlanIssue> Errors, IReadOnlyList<PlanIssue> Warnings) where T : class
{
    /// <summary>True when a valid value was read.</summary>
    public bool Success => Value is not null && Errors.Count == 0;
}

/// <summary>JSON import and export of plans and plan catalogs (snake_case names and enum values, System.Text.Json).</summary>
/// <remarks>
/// Format (the plan part matches the <c>plans</c> of the legal-scenarios file, plus code and name):
/// <code>
/// {"code": "standard", "name": "Standard", "currency": "NOK", "postal_days": 0, "minimum_amount": "0.00",
///  "grouping": "per_invoice",
///  "steps": [{"kind": "reminder", "days_after_due": 14, "deadline_days": 14, "fee": "legal"},
///            {"kind": "collection_notice", "days_after_previous_deadline": 1, "deadline_days": 14, "fee": "35.00"},
///            {"kind": "handover", "days_after_previous_deadline": 1, "fee": "none"}]}
/// </code>
/// <c>fee</c> is "none", "legal" or a decimal amount (string or number). Amounts are decimal strings in the plan
/// currency. Unknown properties are errors (a typo must not silently drop a setting). Reading never throws on bad input:
/// every problem is listed with its path, and an invalid plan is never returned.
/// </remarks>
public static class PlanJson
{
    /// <summary>The serializer options used for export: snake_case names, snake_case enum strings, nulls omitted, indented.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var o = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        };
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        o.MakeReadOnly();
        return o;
    }

    /// <summary>The plan as JSON.</summary>
    public static string Write(DunningPlan plan) => JsonSerializer.Serialize(ToDocument(plan), Options);

    /// <summary>The catalog as JSON.</summary>
    public static string Write(PlanCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var doc = new CatalogDocument(catalog.DefaultPlanCode,
            [.. catalog.Rules.Select(r => new RuleDocument(r.PlanCode, r.CustomerKind, r.Category, r.MinPriority, r.MaxPriority,
                r.MinAmount?.ToDecimalString(), r.MaxAmount?.ToDecimalString(), r.MinPaymentTermsDays, r.MaxPaymentTermsDays))],
            [.. catalog.Plans.Select(ToDocument)]);
        return JsonSerializer.Serialize(doc, Options);
    }

    /// <summary>Reads and validates a plan.</summary>
    public static PlanReadResult<DunningPlan> Read(string json) => ReadWith(json, (r, e) => r.Plan(e, ""), p => PlanValidator.Validate(p));

    /// <summary>Reads and validates a plan from a stream (UTF-8).</summary>
    public static PlanReadResult<DunningPlan> Read(Stream utf8Json) => Read(ReadAll(utf8Json));

    /// <summary>Reads and validates a catalog.</summary>
    public static PlanReadResult<PlanCatalog> ReadCatalog(string json) => ReadWith(json, (r, e) => r.Catalog(e), c => PlanValidator.Validate(c));

    /// <summary>Reads and validates a catalog from a stream (UTF-8).</summary>
    public static PlanReadResult<PlanCatalog> ReadCatalog(Stream utf8Json) => ReadCatalog(ReadAll(utf8Json));

    private static string ReadAll(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        return reader.ReadToEnd();
    }

    private static PlanReadResult<T> ReadWith<T>(string json, Func<Reader, JsonElement, T?> read, Func<T, PlanValidation> validate) where T : class
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1}" : "";
            return new(null, [new PlanIssue(ex.Path is { Length: > 1 } p ? p.TrimStart('$', '.') : "", $"is not valid JSON{where}")], []);
        }
        using (document)
        {
            var reader = new Reader();
            var value = read(reader, document.RootElement);
            var errors = reader.Errors;
            var warnings = new List<PlanIssue>();
            if (value is not null)
            {
                var validation = validate(value);
                // A value that could not be read is reported once: drop what the validator says about it or inside it.
                var reported = errors.Select(e => e.Path).ToList();
                bool Covered(string path) => reported.Any(r => path == r || path.StartsWith(r + ".", StringComparison.Ordinal) || path.StartsWith(r + "[", StringComparison.Ordinal));
                errors.AddRange(validation.Errors.Where(e => !Covered(e.Path)));
                warnings.AddRange(validation.Warnings);
            }
            return errors.Count == 0 ? new(value, errors, warnings) : new(null, errors, warnings);
        }
    }

    private static PlanDocument ToDocument(DunningPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new PlanDocument(plan.Code, plan.Name, plan.Description, plan.Currency.Code, plan.PostalDays,
            plan.MinimumAmount.ToDecimalString(), plan.Grouping,
            [.. plan.Steps.Select(s => new StepDocument(s.Kind, s.DaysAfterDue, s.DaysAfterPreviousDeadline, s.DeadlineDays,
                s.ExtendDeadlineToBankingDay ? true : null, s.Fee.ToString(), s.IncludeInterest ? true : null,
                s.Channel == DeliveryChannel.Default ? null : s.Channel, s.Template,
                s.MinDaysInPreviousList == 0 ? null : s.MinDaysInPreviousList))]);
    }

    // Export shapes: the property names become snake_case through the naming policy.
    private sealed record PlanDocument(string Code, string Name, string? Description, string Currency, int PostalDays,
        string MinimumAmount, LetterGrouping Grouping, StepDocument[] Steps);

    private sealed record StepDocument(StepKind Kind, int? DaysAfterDue, int? DaysAfterPreviousDeadline, int? DeadlineDays,
        bool? ExtendDeadlineToBankingDay, string Fee, bool? IncludeInterest, DeliveryChannel? Channel, string? Template,
        int? MinDaysInPreviousList);

    private sealed record CatalogDocument(string DefaultPlanCode, RuleDocument[] Rules, PlanDocument[] Plans);

    private sealed record RuleDocument(string PlanCode, CustomerKind? CustomerKind, string? Category, int? MinPriority, int? MaxPriority,
        string? MinAmount, string? MaxAmount, int? MinPaymentTermsDays, int? MaxPaymentTermsDays);

    /// <summary>Walks a JSON document, building the model and collecting every structural error with its path.</summary>
    private sealed class Reader
    {
        private static readonly string[] PlanProperties =
            ["code", "name", "description", "currency", "postal_days", "minimum_amount", "grouping", "steps"];
        private static readonly string[] StepProperties =
            ["kind", "days_after_due", "days_after_previous_deadline", "deadline_days", "extend_deadline_to_banking_day",
             "fee", "include_interest", "channel", "template", "min_days_in_previous_list"];
        private static readonly string[] CatalogProperties = ["default_plan_code", "rules", "plans"];
        private static readonly string[] RuleProperties =
            ["plan_code", "customer_kind", "category", "min_priority", "max_priority", "min_amount", "max_amount",
             "min_payment_terms_days", "max_payment_terms_days"];

        public List<PlanIssue> Errors { get; } = [];

        private void Error(string path, string message) => Errors.Add(new PlanIssue(path, message));

        private static string Join(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

        public PlanCatalog? Catalog(JsonElement e)
        {
            if (!IsObject(e, "", CatalogProperties)) return null;
            var defaultCode = String(e, "", "default_plan_code", required: true) ?? "";
            var plans = new List<DunningPlan>();
            if (!e.TryGetProperty("plans", out var plansElement)) Error("plans", "is required");
            else if (plansElement.ValueKind != JsonValueKind.Array) Error("plans", "must be an array of plans");
            else
            {
                var i = 0;
                foreach (var p in plansElement.EnumerateArray())
                {
                    if (Plan(p, $"plans[{i}]") is { } plan) plans.Add(plan);
                    i++;
                }
            }
            var rules = new List<PlanRule>();
            if (e.TryGetProperty("rules", out var rulesElement))
            {
                if (rulesElement.ValueKind != JsonValueKind.Array) Error("rules", "must be an array of rules");
                else
                {
                    var i = 0;
                    foreach (var r in rulesElement.EnumerateArray())
                    {
                        if (Rule(r, $"rules[{i}]") is { } rule) rules.Add(rule);
                        i++;
                    }
                }
            }
            return new PlanCatalog { DefaultPlanCode = defaultCode, Plans = plans, Rules = rules };
        }

        private PlanRule? Rule(JsonElement e, string path)
        {
            if (!IsObject(e, path, RuleProperties)) return null;
            return new PlanRule
            {
                PlanCode = String(e, path, "plan_code", required: true) ?? "",
                CustomerKind = Enum<CustomerKind>(e, path, "customer_kind"),
                Category = String(e, path, "category", required: false),
                MinPriority = Int(e, path, "min_priority"),
                MaxPriority = Int(e, path, "max_priority"),
                MinAmount = Amount(e, path, "min_amount", Currency.Nok),
                MaxAmount = Amount(e, path, "max_amount", Currency.Nok),
                MinPaymentTermsDays = Int(e, path, "min_payment_terms_days"),
                MaxPaymentTermsDays = Int(e, path, "max_payment_terms_days"),
            };
        }

        public DunningPlan? Plan(JsonElement e, string path)
        {
            if (!IsObject(e, path, PlanProperties)) return null;
            var currency = Currency.Nok;
            if (String(e, path, "currency", required: false) is { } code)
            {
                if (Currency.TryParse(code, out var c) && c.Code == code) currency = c;
                else Error(Join(path, "currency"), $"'{code}' is not a three-letter upper-case currency code");
            }
            var steps = new List<DunningStep>();
            if (!e.TryGetProperty("steps", out var stepsElement)) Error(Join(path, "steps"), "is required");
            else if (stepsElement.ValueKind != JsonValueKind.Array) Error(Join(path, "steps"), "must be an array of steps");
            else
            {
                var i = 0;
                foreach (var s in stepsElement.EnumerateArray())
                {
                    steps.Add(Step(s, $"{Join(path, "steps")}[{i}]", currency));
                    i++;
                }
            }
            return new DunningPlan
            {
                Code = String(e, path, "code", required: true) ?? "",
                Name = String(e, path, "name", required: true) ?? "",
                Description = String(e, path, "description", required: false),
                Currency = currency,
                PostalDays = Int(e, path, "postal_days") ?? 0,
                MinimumAmount = Amount(e, path, "minimum_amount", currency) ?? Money.Zero(currency),
                Grouping = Enum<LetterGrouping>(e, path, "grouping") ?? LetterGrouping.PerInvoice,
                Steps = steps,
            };
        }

        private DunningStep Step(JsonElement e, string path, Currency currency)
        {
            if (!IsObject(e, path, StepProperties)) return new DunningStep { Kind = (StepKind)(-1) };
            var kindPath = Join(path, "kind");
            StepKind kind;
            if (!e.TryGetProperty("kind", out _)) { Error(kindPath, "is required"); kind = (StepKind)(-1); }
            else kind = Enum<StepKind>(e, path, "kind") ?? (StepKind)(-1);
            return new DunningStep
            {
                Kind = kind,
                DaysAfterDue = Int(e, path, "days_after_due"),
                DaysAfterPreviousDeadline = Int(e, path, "days_after_previous_deadline"),
                DeadlineDays = Int(e, path, "deadline_days"),
                ExtendDeadlineToBankingDay = Bool(e, path, "extend_deadline_to_banking_day") ?? false,
                Fee = Fee(e, path, currency),
                IncludeInterest = Bool(e, path, "include_interest") ?? false,
                Channel = Enum<DeliveryChannel>(e, path, "channel") ?? DeliveryChannel.Default,
                Template = String(e, path, "template", required: false),
                MinDaysInPreviousList = Int(e, path, "min_days_in_previous_list") ?? 0,
            };
        }

        private FeeSpec Fee(JsonElement e, string path, Currency currency)
        {
            if (!e.TryGetProperty("fee", out var v) || v.ValueKind == JsonValueKind.Null) return FeeSpec.None;
            if (v.ValueKind == JsonValueKind.String)
            {
                var text = v.GetString()!;
                if (text == "none") return FeeSpec.None;
                if (text == "legal") return FeeSpec.Legal;
                if (TryParseAmount(text, out var amount)) return FeeSpec.Fixed(new Money(amount, currency));
            }
            else if (v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var number))
                return FeeSpec.Fixed(new Money(number, currency));
            Error(Join(path, "fee"), $"{Raw(v)} must be \"none\", \"legal\" or a decimal amount such as \"25.00\"");
            return FeeSpec.None;
        }

        private bool IsObject(JsonElement e, string path, string[] allowed)
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                Error(path, $"must be an object, not {Describe(e.ValueKind)}");
                return false;
            }
            foreach (var p in e.EnumerateObject())
                if (!allowed.Contains(p.Name, StringComparer.Ordinal))
                    Error(Join(path, p.Name), "unknown property; expected one of " + string.Join(", ", allowed));
            return true;
        }

        private string? String(JsonElement e, string path, string name, bool required)
        {
            if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            {
                if (required) Error(Join(path, name), "is required");
                return null;
            }
            if (v.ValueKind == JsonValueKind.String) return v.GetString();
            Error(Join(path, name), $"must be a string, not {Describe(v.ValueKind)}");
            return null;
        }

        private int? Int(JsonElement e, string path, string name)
        {
            if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i)) return i;
            Error(Join(path, name), $"{Raw(v)} must be a whole number");
            return null;
        }

        private bool? Bool(JsonElement e, string path, string name)
        {
            if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind is JsonValueKind.True or JsonValueKind.False) return v.GetBoolean();
            Error(Join(path, name), $"{Raw(v)} must be true or false");
            return null;
        }

        private Money? Amount(JsonElement e, string path, string name, Currency currency)
        {
            if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind == JsonValueKind.String && TryParseAmount(v.GetString()!, out var a)) return new Money(a, currency);
            if (v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var n)) return new Money(n, currency);
            Error(Join(path, name), $"{Raw(v)} must be a decimal amount such as \"100.00\"");
            return null;
        }

        private T? Enum<T>(JsonElement e, string path, string name) where T : struct, Enum
        {
            if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            var names = System.Enum.GetValues<T>().ToDictionary(x => JsonNamingPolicy.SnakeCaseLower.ConvertName(x.ToString()), StringComparer.Ordinal);
            if (v.ValueKind == JsonValueKind.String && names.TryGetValue(v.GetString()!, out var value)) return value;
            Error(Join(path, name), $"unknown {name.Replace('_', ' ')} {Raw(v)}; expected one of {string.Join(", ", names.Keys)}");
            return null;
        }

        private static bool TryParseAmount(string text, out decimal amount) =>
            decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount);

        private static string Raw(JsonElement v)
        {
            var raw = v.GetRawText();
            return raw.Length > 40 ? raw[..40] + "…" : raw;
        }

        private static string Describe(JsonValueKind kind) => kind switch
        {
            JsonValueKind.Array => "an array",
            JsonValueKind.Object => "an object",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "null",
        };
    }
}
