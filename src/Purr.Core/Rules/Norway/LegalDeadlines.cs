using Purr.Core.Dunning;

namespace Purr.Core.Rules.Norway;

/// <summary>Statutory deadlines for the creditor's own notices.</summary>
public static class LegalDeadlines
{
    /// <summary>Minimum deadline in days from the send date for an inkassovarsel and a betalingsoppfordring.</summary>
    /// <remarks>Inkassoloven § 9 (2): "minst 14 dager regnet fra det tidspunkt da varslet ble sendt"; § 10 refers to § 9 (2).
    /// The same 14 days appear in inkassoforskriften §§ 1-2 and 1-3 (fees).</remarks>
    public const int MinimumDays = 14;

    /// <summary>The deadline days actually used: raised to <see cref="MinimumDays"/> for an inkassovarsel or betalingsoppfordring (C5); a reminder keeps the plan's value (C6).</summary>
    public static int Effective(StepKind kind, int planned) =>
        kind is StepKind.CollectionNotice or StepKind.PaymentDemand ? Math.Max(planned, MinimumDays) : planned;
}
