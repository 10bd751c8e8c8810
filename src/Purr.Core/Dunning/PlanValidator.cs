using System.Text.RegularExpressions;
using Purr.Core.Rules;
using Purr.Core.Rules.Norway;

namespace Purr.Core.Dunning;

/// <summary>One problem in a plan, located by its JSON path (e.g. "steps[2].deadline_days").</summary>
/// <param name="Path">JSON path of the offending value in the snake_case plan format; "" for the document itself.</param>
/// <param name="Message">What is wrong and what is expected.</param>
public sealed record PlanIssue(string Path, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}

/// <summary>The outcome of validating a plan: every error and warning at once.</summary>
/// <param name="Errors">Problems that make the plan unacceptable.</param>
/// <param name="Warnings">Accepted, but the law will change what is sent (e.g. a deadline raised to 14 days).</param>
public sealed record PlanValidation(IReadOnlyList<PlanIssue> Errors, IReadOnlyList<PlanIssue> Warnings)
{
    /// <summary>True when there are no errors.</summary>
    public bool IsValid => Errors.Count == 0;
}

/// <summary>Validates dunning plans and plan catalogs as data, collecting every error with its JSON path.</summary>
public static partial class PlanValidator
{
    /// <summary>Longest deadline, postal delay or step distance accepted, in days (a sanity bound, not a legal rule).</summary>
    public const int MaxDays = 365;

    [GeneratedRegex("^[a-z0-9][a-z0-9_.-]{0,63}$")]
    private static partial Regex KeyPattern();

    /// <summary>Validates one plan. Pass <paramref name="creditor"/> to also check it against the creditor's switches.</summary>
    /// <remarks>
    /// Errors: no steps; a handover that is not last (or carries a deadline, fee, template, channel or interest);
    /// the first step without <c>days_after_due</c> (≥ 1: a claim is overdue only after its due date) or with
    /// <c>days_after_previous_deadline</c>; a later step the other way round; negative days; a letter step without
    /// <c>deadline_days</c>; a fixed fee that is not positive whole øre; any fee in a plan that is not in NOK; an unknown kind, channel or grouping; a <c>payment_demand</c> before any
    /// <c>collection_notice</c> (inkassoloven § 10 needs a lapsed § 9 notice); a <c>payment_demand</c> or handover
    /// 0 days after an inkassovarsel or betalingsoppfordring deadline (§ 9: the deadline must have run out); an
    /// inkassovarsel when <see cref="CreditorSwitches.OwnCollectionNoticeAllowed"/> is off.
    /// Warnings: inkassovarsel/betalingsoppfordring deadlines under 14 days (raised when sent, C5); a fee-bearing
    /// reminder with a deadline under 14 days (blocks the second fee, inkassoforskriften § 1-3; C6).
    /// </remarks>
    public static PlanValidation Validate(DunningPlan plan, CreditorSwitches? creditor = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var errors = new List<PlanIssue>();
        var warnings = new List<PlanIssue>();
        ValidateInto(plan, "", creditor, errors, warnings);
        return new PlanValidation(errors, warnings);
    }

    /// <summary>Validates a catalog: every plan, unique codes, the default plan and every rule's plan exist, ranges are ordered.</summary>
    public static PlanValidation Validate(PlanCatalog catalog, CreditorSwitches? creditor = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var errors = new List<PlanIssue>();
        var warnings = new List<PlanIssue>();
        if (catalog.Plans.Count == 0) errors.Add(new("plans", "must contain at least one plan"));
        var codes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < catalog.Plans.Count; i++)
        {
            var plan = catalog.Plans[i];
            if (plan is null) { errors.Add(new($"plans[{i}]", "must not be null")); continue; }
            ValidateInto(plan, $"plans[{i}].", creditor, errors, warnings);
            if (!string.IsNullOrEmpty(plan.Code) && !codes.Add(plan.Code))
                errors.Add(new($"plans[{i}].code", $"duplicate plan code '{plan.Code}'"));
        }
        if (string.IsNullOrWhiteSpace(catalog.DefaultPlanCode))
            errors.Add(new("default_plan_code", "must name the default plan"));
        else if (!codes.Contains(catalog.DefaultPlanCode))
            errors.Add(new("default_plan_code", $"no plan has code '{catalog.DefaultPlanCode}'"));
        for (var i = 0; i < catalog.Rules.Count; i++)
        {
            var rule = catalog.Rules[i];
            var p = $"rules[{i}]";
            if (rule is null) { errors.Add(new(p, "must not be null")); continue; }
            if (string.IsNullOrWhiteSpace(rule.PlanCode)) errors.Add(new($"{p}.plan_code", "must name a plan"));
            else if (!codes.Contains(rule.PlanCode)) errors.Add(new($"{p}.plan_code", $"no plan has code '{rule.PlanCode}'"));
            if (rule.CustomerKind is { } k && !Enum.IsDefined(k)) errors.Add(new($"{p}.customer_kind", $"unknown customer kind '{(int)k}'"));
            if (rule.MinPriority > rule.MaxPriority) errors.Add(new($"{p}.max_priority", "must be ≥ min_priority"));
            if (rule.MinPaymentTermsDays < 0) errors.Add(new($"{p}.min_payment_terms_days", "must be ≥ 0"));
            if (rule.MinPaymentTermsDays > rule.MaxPaymentTermsDays) errors.Add(new($"{p}.max_payment_terms_days", "must be ≥ min_payment_terms_days"));
            if (rule.MinAmount is { } min && rule.MaxAmount is { } max)
            {
                if (min.Currency != max.Currency) errors.Add(new($"{p}.max_amount", "must be in the same currency as min_amount"));
                else if (min > max) errors.Add(new($"{p}.max_amount", "must be ≥ min_amount"));
            }
            if (rule.MinAmount is { IsNegative: true }) errors.Add(new($"{p}.min_amount", "must be ≥ 0"));
        }
        return new PlanValidation(errors, warnings);
    }

    private static void ValidateInto(DunningPlan plan, string prefix, CreditorSwitches? creditor, List<PlanIssue> errors, List<PlanIssue> warnings)
    {
        void Error(string path, string message) => errors.Add(new(prefix + path, message));
        void Warn(string path, string message) => warnings.Add(new(prefix + path, message));

        if (string.IsNullOrWhiteSpace(plan.Code)) Error("code", "must not be empty");
        else if (!KeyPattern().IsMatch(plan.Code)) Error("code", $"'{plan.Code}' must be 1–64 characters: lower-case letters, digits, '_', '-' or '.'");
        if (string.IsNullOrWhiteSpace(plan.Name)) Error("name", "must not be empty");
        if (plan.Currency.Code is null) Error("currency", "is required");
        if (plan.PostalDays is < 0 or > MaxDays) Error("postal_days", $"must be between 0 and {MaxDays}");
        if (!Enum.IsDefined(plan.Grouping)) Error("grouping", $"unknown grouping '{(int)plan.Grouping}'");
        if (plan.MinimumAmount.Currency != plan.Currency) Error("minimum_amount", $"must be in the plan currency {plan.Currency.Code}");
        else if (plan.MinimumAmount.IsNegative) Error("minimum_amount", "must be ≥ 0");
        else if (!IsWholeMinorUnits(plan.MinimumAmount)) Error("minimum_amount", $"must be whole {plan.Currency.Code} minor units");

        if (plan.Steps.Count == 0) { Error("steps", "must contain at least one step"); return; }

        var seenCollectionNotice = false;
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            var s = plan.Steps[i];
            var p = $"steps[{i}]";
            if (s is null) { Error(p, "must not be null"); continue; }
            var known = Enum.IsDefined(s.Kind);
            if (!known) Error($"{p}.kind", $"unknown kind '{(int)s.Kind}'");
            var handover = s.Kind == StepKind.Handover;

            // Timing.
            if (i == 0)
            {
                if (s.DaysAfterDue is null) Error($"{p}.days_after_due", "is required on the first step");
                else if (s.DaysAfterDue is < 1 or > MaxDays) Error($"{p}.days_after_due", $"must be between 1 and {MaxDays}: a claim is overdue only after its due date");
                if (s.DaysAfterPreviousDeadline is not null) Error($"{p}.days_after_previous_deadline", "is not allowed on the first step (use days_after_due)");
            }
            else
            {
                if (s.DaysAfterDue is not null) Error($"{p}.days_after_due", "is only allowed on the first step (use days_after_previous_deadline)");
                if (s.DaysAfterPreviousDeadline is null) Error($"{p}.days_after_previous_deadline", "is required on every step after the first");
                else if (s.DaysAfterPreviousDeadline is < 0 or > MaxDays) Error($"{p}.days_after_previous_deadline", $"must be between 0 and {MaxDays}");
                else if (s.DaysAfterPreviousDeadline == 0 && s.Kind is StepKind.PaymentDemand or StepKind.Handover &&
                         plan.Steps[i - 1]?.Kind is StepKind.CollectionNotice or StepKind.PaymentDemand)
                    Error($"{p}.days_after_previous_deadline",
                        "must be ≥ 1: the previous inkassovarsel/betalingsoppfordring deadline must have run out first (inkassoloven § 9, § 10)");
            }
            if (s.MinDaysInPreviousList is < 0 or > MaxDays) Error($"{p}.min_days_in_previous_list", $"must be between 0 and {MaxDays}");

            if (handover)
            {
                if (i != plan.Steps.Count - 1) Error($"{p}.kind", "handover must be the last step");
                if (s.DeadlineDays is not null) Error($"{p}.deadline_days", "a handover has no deadline");
                if (s.ExtendDeadlineToBankingDay) Error($"{p}.extend_deadline_to_banking_day", "a handover has no deadline");
                if (s.Fee is null || s.Fee.Kind != FeeKind.None) Error($"{p}.fee", "a handover carries no fee (use \"none\")");
                if (s.Template is not null) Error($"{p}.template", "a handover sends no letter");
                if (s.Channel != DeliveryChannel.Default) Error($"{p}.channel", "a handover sends no letter");
                if (s.IncludeInterest) Error($"{p}.include_interest", "a handover sends no letter");
                continue;
            }

            if (s.DeadlineDays is null) Error($"{p}.deadline_days", "is required on a letter step");
            else if (s.DeadlineDays is < 0 or > MaxDays) Error($"{p}.deadline_days", $"must be between 0 and {MaxDays}");
            else if (s.Kind is StepKind.CollectionNotice or StepKind.PaymentDemand && s.DeadlineDays < LegalDeadlines.MinimumDays)
                Warn($"{p}.deadline_days", $"{s.DeadlineDays} is below the statutory {LegalDeadlines.MinimumDays} days and will be raised to {LegalDeadlines.MinimumDays} when sent (inkassoloven § 9 (2), § 10)");
            else if (s.Kind == StepKind.Reminder && s.Fee is { Kind: not FeeKind.None } && s.DeadlineDays < LegalDeadlines.MinimumDays)
                Warn($"{p}.deadline_days", $"a fee-bearing reminder with a deadline under {LegalDeadlines.MinimumDays} days blocks a second fee (inkassoforskriften § 1-3)");

            if (!Enum.IsDefined(s.Channel)) Error($"{p}.channel", $"unknown channel '{(int)s.Channel}'");
            if (s.Template is not null && !KeyPattern().IsMatch(s.Template))
                Error($"{p}.template", $"'{s.Template}' must be 1–64 characters: lower-case letters, digits, '_', '-' or '.'");

            if (s.Fee is null) Error($"{p}.fee", "is required (\"none\", \"legal\" or an amount)");
            else if (!Enum.IsDefined(s.Fee.Kind)) Error($"{p}.fee", $"unknown fee kind '{(int)s.Fee.Kind}'");
            else if (s.Fee.Kind != FeeKind.None && plan.Currency != Currency.Nok)
                Error($"{p}.fee", $"fees are capped in NOK (inkassoforskriften § 1-2); a plan in {plan.Currency.Code} can only use \"none\"");
            else if (s.Fee.Kind == FeeKind.Fixed)
            {
                var amount = s.Fee.Amount;
                if (amount is not { } a) Error($"{p}.fee", "a fixed fee needs an amount");
                else if (a.Currency != plan.Currency) Error($"{p}.fee", $"must be in the plan currency {plan.Currency.Code}");
                else if (a.IsNegative) Error($"{p}.fee", "must be ≥ 0");
                else if (a.IsZero) Error($"{p}.fee", "must be > 0 (use \"none\" for no fee)");
                else if (!IsWholeMinorUnits(a)) Error($"{p}.fee", $"must be whole {plan.Currency.Code} minor units");
            }

            if (s.Kind == StepKind.PaymentDemand && !seenCollectionNotice)
                Error($"{p}.kind", "payment_demand must come after a collection_notice (inkassoloven § 10 needs a lapsed § 9 inkassovarsel)");
            if (s.Kind == StepKind.CollectionNotice)
            {
                seenCollectionNotice = true;
                if (creditor is { OwnCollectionNoticeAllowed: false })
                    Error($"{p}.kind", "this creditor may not send its own collection_notice (own inkassovarsel is switched off)");
            }
        }
    }

    private static bool IsWholeMinorUnits(Money m) => m.RoundToMinorUnit() == m;
}
