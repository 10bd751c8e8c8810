using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Purr.Core.Dunning;
using Purr.Core.Rules;
using Purr.Core.Tests.Rules;

namespace Purr.Core.Tests.Dunning;

/// <summary>
/// A pure timeline harness for tests/data/legal-scenarios/scenarios.json: builds each invoice's ClaimState as of every
/// run date from the scenario's invoice and events plus the steps taken on earlier runs, calls DunningPolicy.Decide
/// and records what happened. No clock, no database.
/// </summary>
internal static class LegalScenarioHarness
{
    public static readonly string FilePath = Path.Combine(AppContext.BaseDirectory, "data", "legal-scenarios", "scenarios.json");

    private static readonly Lazy<JsonDocument> Document = new(() => JsonDocument.Parse(File.ReadAllText(FilePath)));

    public static JsonElement Root => Document.Value.RootElement;

    public static IEnumerable<string> ScenarioIds => Root.GetProperty("scenarios").EnumerateArray().Select(s => s.GetProperty("id").GetString()!);

    public static JsonElement Scenario(string id) =>
        Root.GetProperty("scenarios").EnumerateArray().Single(s => s.GetProperty("id").GetString() == id);

    /// <summary>Maps a scenario plan onto the product model through the product's own JSON reader (code and name added).</summary>
    public static PlanReadResult<DunningPlan> ReadPlan(string name)
    {
        var node = JsonNode.Parse(Root.GetProperty("plans").GetProperty(name).GetRawText())!.AsObject();
        node["code"] = name;
        node["name"] = name;
        return PlanJson.Read(node.ToJsonString());
    }

    public static DateOnly Date(JsonElement e) => DateOnly.ParseExact(e.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static Money Nok(JsonElement e) => Money.Nok(decimal.Parse(e.GetString()!, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture));

    public sealed record Invoice(string Number, InvoiceId Id, Money Amount, DateOnly IssueDate, DateOnly DueDate);

    public sealed record RunResult(DateOnly Date, IReadOnlyList<(Invoice Invoice, DunningDecision Decision)> Decisions, IReadOnlyList<(Invoice Invoice, DunningDecision Decision)> Reruns);

    public static IReadOnlyList<RunResult> Run(JsonElement scenario, DunningPlan plan, RuleSet rules)
    {
        var kind = scenario.GetProperty("debtor").GetProperty("kind").GetString() switch
        {
            "private" => CustomerKind.Private,
            "business" => CustomerKind.Business,
            var k => throw new InvalidOperationException($"unknown debtor kind {k}"),
        };
        var invoices = scenario.GetProperty("invoices").EnumerateArray()
            .Select((e, i) => new Invoice(e.GetProperty("number").GetString()!, new InvoiceId(i + 1), Nok(e.GetProperty("amount")),
                Date(e.GetProperty("issue_date")), Date(e.GetProperty("due_date"))))
            .ToList();
        var events = scenario.GetProperty("events").EnumerateArray().ToList();
        var taken = invoices.ToDictionary(i => i.Number, _ => new List<TakenStep>());
        var lists = new Dictionary<string, (DunningList List, DateOnly Since)>();
        var results = new List<RunResult>();

        foreach (var runElement in scenario.GetProperty("runs").EnumerateArray())
        {
            var today = Date(runElement);
            var decisions = new List<(Invoice, DunningDecision)>();
            var reruns = new List<(Invoice, DunningDecision)>();
            foreach (var invoice in invoices)
            {
                var state = StateOf(invoice, kind, events, taken[invoice.Number], lists.GetValueOrDefault(invoice.Number), today);
                var decision = DunningPolicy.Decide(state, plan, rules, today);
                decisions.Add((invoice, decision));
                if (decision is DunningDecision.TakeStep step)
                {
                    taken[invoice.Number].Add(step.ToTakenStep());
                    lists[invoice.Number] = (step.MovesTo, step.SentOn);
                    // C3 "a repeated run sends nothing twice": the same run again, after applying, must do nothing.
                    var again = StateOf(invoice, kind, events, taken[invoice.Number], lists[invoice.Number], today);
                    reruns.Add((invoice, DunningPolicy.Decide(again, plan, rules, today)));
                }
            }
            results.Add(new RunResult(today, decisions, reruns));
        }
        return results;
    }

    /// <summary>The claim as of <paramref name="today"/>: only events dated on or before it are known (C10).</summary>
    private static ClaimState StateOf(Invoice invoice, CustomerKind kind, List<JsonElement> events, List<TakenStep> taken,
        (DunningList List, DateOnly Since) list, DateOnly today)
    {
        bool Mine(JsonElement e) =>
            !e.TryGetProperty("invoice", out var inv) || inv.ValueKind == JsonValueKind.Null || inv.GetString() == invoice.Number;

        var open = invoice.Amount;
        var settlement = Settlement.Open;
        var holds = new List<Hold>();
        foreach (var e in events.Where(Mine).OrderBy(e => Date(e.GetProperty(e.TryGetProperty("date", out _) ? "date" : "from"))))
        {
            var type = e.GetProperty("type").GetString();
            switch (type)
            {
                case "payment" or "credit_note":
                    if (Date(e.GetProperty("date")) > today) break;
                    var wasOpen = open.IsPositive;
                    open -= Nok(e.GetProperty("amount"));
                    if (wasOpen && !open.IsPositive) settlement = type == "payment" ? Settlement.Paid : Settlement.Credited; // C9
                    break;
                case "dispute":
                    var from = Date(e.GetProperty("date"));
                    if (from > today) break;
                    DateOnly? until = e.GetProperty("resolved") is { ValueKind: JsonValueKind.String } r && Date(r) <= today
                        ? Date(r).AddDays(-1) : null;
                    holds.Add(new Hold(HoldKind.Dispute, from, until));
                    break;
                case "stop" or "deferral":
                    var start = Date(e.GetProperty("from"));
                    if (start > today) break;
                    DateOnly? end = e.GetProperty("until") is { ValueKind: JsonValueKind.String } u ? Date(u) : null;
                    holds.Add(new Hold(type == "stop" ? HoldKind.Stop : HoldKind.Deferral, start, end,
                        e.TryGetProperty("reason", out var why) ? why.GetString() : null));
                    break;
                default:
                    throw new InvalidOperationException($"unknown event type {type}");
            }
        }
        return new ClaimState
        {
            ClaimId = invoice.Id,
            CustomerId = new CustomerId(1),
            CustomerKind = kind,
            IssueDate = invoice.IssueDate,
            DueDate = invoice.DueDate,
            OriginalAmount = invoice.Amount,
            OpenPrincipal = open,
            Settlement = settlement,
            StepsTaken = taken,
            Holds = holds,
            CurrentList = list == default ? null : list.List,
            ListEnteredOn = list == default ? null : list.Since,
        };
    }
}
