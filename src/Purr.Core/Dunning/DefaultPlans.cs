namespace Purr.Core.Dunning;

/// <summary>Plans shipped with the product.</summary>
public static class DefaultPlans
{
    /// <summary>
    /// The Norwegian default: a purring with the legal fee 14 days after the due date (14-day deadline), an inkassovarsel
    /// with the legal fee the day after that deadline (14-day deadline), then handover the day after its deadline.
    /// </summary>
    /// <remarks>
    /// Inkassoforskriften § 1-2 (1), (2): a fee only when sent ≥ 14 days after the due date; § 1-3 (b): purring + later
    /// inkassovarsel, the second fee after a missed ≥ 14-day deadline (here both are 14 days and the next step waits
    /// until the day after); inkassoloven § 9: the inkassovarsel gives ≥ 14 days and the claim is handed over only after
    /// that deadline. Letters show accrued late interest. One letter per invoice, so every letter concerns one claim and
    /// its fee is unambiguous (whether a grouped letter may carry one fee per claim is not settled; scenario C13).
    /// </remarks>
    public static DunningPlan Norwegian { get; } = new()
    {
        Code = "standard_no",
        Name = "Standard (purring, inkassovarsel, overføring)",
        Description = "Purring 14 dager etter forfall, inkassovarsel dagen etter fristen, deretter overføring til inkasso. Lovlige gebyrer, 14 dagers frister.",
        Steps =
        [
            new DunningStep { Kind = StepKind.Reminder, DaysAfterDue = 14, DeadlineDays = 14, Fee = FeeSpec.Legal, IncludeInterest = true },
            new DunningStep { Kind = StepKind.CollectionNotice, DaysAfterPreviousDeadline = 1, DeadlineDays = 14, Fee = FeeSpec.Legal, IncludeInterest = true },
            new DunningStep { Kind = StepKind.Handover, DaysAfterPreviousDeadline = 1 },
        ],
    };

    /// <summary>The legal-scenarios plan <c>standard</c>: reminder, inkassovarsel, betalingsoppfordring, handover, each 3 days after the previous deadline.</summary>
    public static DunningPlan ScenarioStandard { get; } = new()
    {
        Code = "standard",
        Name = "Reminder, inkassovarsel, betalingsoppfordring, handover",
        Steps =
        [
            new DunningStep { Kind = StepKind.Reminder, DaysAfterDue = 14, DeadlineDays = 14, Fee = FeeSpec.Legal },
            new DunningStep { Kind = StepKind.CollectionNotice, DaysAfterPreviousDeadline = 3, DeadlineDays = 14, Fee = FeeSpec.Legal },
            new DunningStep { Kind = StepKind.PaymentDemand, DaysAfterPreviousDeadline = 3, DeadlineDays = 14, Fee = FeeSpec.Legal },
            new DunningStep { Kind = StepKind.Handover, DaysAfterPreviousDeadline = 3 },
        ],
    };

    /// <summary>The legal-scenarios plan <c>two_reminders</c>: two reminders, inkassovarsel, handover, each the day after the previous deadline.</summary>
    public static DunningPlan TwoReminders { get; } = new()
    {
        Code = "two_reminders",
        Name = "Two reminders, inkassovarsel, handover",
        Steps =
        [
            new DunningStep { Kind = StepKind.Reminder, DaysAfterDue = 14, DeadlineDays = 14, Fee = FeeSpec.Legal },
            new DunningStep { Kind = StepKind.Reminder, DaysAfterPreviousDeadline = 1, DeadlineDays = 14, Fee = FeeSpec.Legal },
            new DunningStep { Kind = StepKind.CollectionNotice, DaysAfterPreviousDeadline = 1, DeadlineDays = 14, Fee = FeeSpec.Legal },
            new DunningStep { Kind = StepKind.Handover, DaysAfterPreviousDeadline = 1 },
        ],
    };

    /// <summary>The legal-scenarios plan <c>fixed_fees</c>: fixed fees 25 / 100 / 500 and 10- and 7-day deadlines (the law cuts and raises them).</summary>
    public static DunningPlan FixedFees { get; } = new()
    {
        Code = "fixed_fees",
        Name = "Fixed fees and short deadlines",
        Steps =
        [
            new DunningStep { Kind = StepKind.Reminder, DaysAfterDue = 14, DeadlineDays = 14, Fee = FeeSpec.Fixed(Money.Nok(25m)) },
            new DunningStep { Kind = StepKind.CollectionNotice, DaysAfterPreviousDeadline = 1, DeadlineDays = 10, Fee = FeeSpec.Fixed(Money.Nok(100m)) },
            new DunningStep { Kind = StepKind.PaymentDemand, DaysAfterPreviousDeadline = 1, DeadlineDays = 7, Fee = FeeSpec.Fixed(Money.Nok(500m)) },
            new DunningStep { Kind = StepKind.Handover, DaysAfterPreviousDeadline = 1 },
        ],
    };

    /// <summary>A catalog with every shipped plan and <see cref="Norwegian"/> as the default, without rules.</summary>
    public static PlanCatalog Catalog { get; } = new()
    {
        DefaultPlanCode = Norwegian.Code,
        Plans = [Norwegian, ScenarioStandard, TwoReminders, FixedFees],
    };
}
