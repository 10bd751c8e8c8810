namespace Purr.Core.Dunning;

/// <summary>What a dunning step does.</summary>
public enum StepKind
{
    /// <summary>Purring: a written reminder (inkassoforskriften § 1-2 (1)).</summary>
    Reminder,

    /// <summary>Inkassovarsel: notice that collection will start (inkassoloven § 9; fee § 1-2 (2)).</summary>
    CollectionNotice,

    /// <summary>Betalingsoppfordring sent by the creditor (inkassoloven § 10; fee § 1-2 (3)).</summary>
    PaymentDemand,

    /// <summary>Til overføring: hand the claim over to a collection agency. No letter, no deadline, no fee; always last.</summary>
    Handover,
}

/// <summary>How a step's fee is chosen.</summary>
public enum FeeKind
{
    /// <summary>No fee.</summary>
    None,

    /// <summary>The legal maximum at the send date.</summary>
    Legal,

    /// <summary>A fixed amount, cut to the legal maximum when it is higher.</summary>
    Fixed,
}

/// <summary>The fee a step asks for. What is actually charged is decided by the legal guard at the send date.</summary>
public sealed record FeeSpec
{
    private FeeSpec(FeeKind kind, Money? amount)
    {
        Kind = kind;
        Amount = amount;
    }

    /// <summary>Asks for no fee.</summary>
    public static FeeSpec None { get; } = new(FeeKind.None, null);

    /// <summary>Asks for the legal maximum.</summary>
    public static FeeSpec Legal { get; } = new(FeeKind.Legal, null);

    /// <summary>Asks for a fixed amount (validated by <see cref="PlanValidator"/>: positive, whole øre, plan currency).</summary>
    public static FeeSpec Fixed(Money amount) => new(FeeKind.Fixed, amount);

    /// <summary>The kind.</summary>
    public FeeKind Kind { get; }

    /// <summary>The amount for <see cref="FeeKind.Fixed"/>; null otherwise.</summary>
    public Money? Amount { get; }

    /// <summary>"none", "legal" or the fixed amount as a decimal string ("25.00"): the plan JSON form.</summary>
    public override string ToString() => Kind switch
    {
        FeeKind.None => "none",
        FeeKind.Legal => "legal",
        _ => Amount?.ToDecimalString() ?? "?",
    };
}

/// <summary>How a letter is delivered.</summary>
public enum DeliveryChannel
{
    /// <summary>The customer's preferred channel.</summary>
    Default,

    /// <summary>E-mail (PDF attached).</summary>
    Email,

    /// <summary>Printed letter.</summary>
    Letter,

    /// <summary>EHF (EHF Reminder 3.0 for reminders).</summary>
    Ehf,
}

/// <summary>One step of a dunning plan: data, interpreted by <see cref="DunningPolicy"/>.</summary>
/// <remarks>
/// Timing: the first step becomes due on the (C1-moved) due date + <see cref="DaysAfterDue"/> + the plan's postal
/// days; every later step on the previous notice's actual deadline + <see cref="DaysAfterPreviousDeadline"/> + postal
/// days (0 = on the deadline day, 1 = the day after). A step goes out at the first run on or after that day (C3).
/// </remarks>
public sealed record DunningStep
{
    /// <summary>What the step does.</summary>
    public required StepKind Kind { get; init; }

    /// <summary>First step only: days after the due date. Must be null on later steps.</summary>
    public int? DaysAfterDue { get; init; }

    /// <summary>Later steps only: days after the previous notice's deadline. Must be null on the first step.</summary>
    public int? DaysAfterPreviousDeadline { get; init; }

    /// <summary>Payment deadline in calendar days from the actual send date; null for a handover.</summary>
    /// <remarks>For an inkassovarsel or betalingsoppfordring a value below 14 is raised to 14 (inkassoloven § 9 (2), § 10; C5).</remarks>
    public int? DeadlineDays { get; init; }

    /// <summary>Move a deadline that falls on a non-banking day to the next banking day. Off by default (C2).</summary>
    /// <remarks>Ot.prp. nr. 2 (1997–98) s. 114: the inkassovarsel deadline is not moved "selv om dette f eks er en helligdag".</remarks>
    public bool ExtendDeadlineToBankingDay { get; init; }

    /// <summary>The fee asked for.</summary>
    public FeeSpec Fee { get; init; } = FeeSpec.None;

    /// <summary>Show accrued late interest on the letter and claim it.</summary>
    public bool IncludeInterest { get; init; }

    /// <summary>Delivery channel.</summary>
    public DeliveryChannel Channel { get; init; }

    /// <summary>Letter template key; null means the default template for the kind (e.g. "reminder").</summary>
    public string? Template { get; init; }

    /// <summary>Minimum days the claim must have stayed in its current list before this step may move it on.</summary>
    public int MinDaysInPreviousList { get; init; }

    /// <summary>The template key used: <see cref="Template"/> or the kind's default.</summary>
    public string TemplateOrDefault => Template ?? DefaultTemplate(Kind);

    /// <summary>The default template key of a kind: "reminder", "collection_notice", "payment_demand"; "" for a handover.</summary>
    public static string DefaultTemplate(StepKind kind) => kind switch
    {
        StepKind.Reminder => "reminder",
        StepKind.CollectionNotice => "collection_notice",
        StepKind.PaymentDemand => "payment_demand",
        _ => "",
    };
}
