using Purr.Core.Dunning;

namespace Purr.Core.Rules.Norway;

/// <summary>Stable codes saying why a fee is zero or lower than the plan asked (scenario format <c>fee_reason</c>).</summary>
public static class FeeReasons
{
    /// <summary>The plan asks for no fee.</summary>
    public const string PlanNone = "plan_none";

    /// <summary>Reminder or inkassovarsel sent less than 14 days after the (C1) due date: inkassoforskriften § 1-2 (1), (2).</summary>
    public const string Under14DaysAfterDue = "under_14_days_after_due";

    /// <summary>Two reminder/inkassovarsel fees already charged on this claim: § 1-3.</summary>
    public const string MaxTwoFees = "max_two_fees";

    /// <summary>Second fee, but the first fee-bearing notice gave less than 14 days: § 1-3.</summary>
    public const string FirstDeadlineUnder14Days = "first_deadline_under_14_days";

    /// <summary>Second fee, but the send date is not after the first fee-bearing notice's deadline: § 1-3.</summary>
    public const string PreviousDeadlineNotLapsed = "previous_deadline_not_lapsed";

    /// <summary>Second fee, but the first fee-bearing notice was not a reminder: § 1-3 allows two purringer, or a purring and a later inkassovarsel.</summary>
    public const string FeeOrderNotAllowed = "fee_order_not_allowed";

    /// <summary>Betalingsoppfordring without an earlier lapsed ≥14-day reminder/inkassovarsel deadline: § 1-2 (3).</summary>
    public const string NoLapsed14DayDeadline = "no_lapsed_14_day_deadline";

    /// <summary>A betalingsoppfordring fee was already charged on this claim: § 1-3.</summary>
    public const string PaymentDemandFeeAlready = "payment_demand_fee_already";

    /// <summary>The plan asked for more than the law allows; the legal maximum is charged.</summary>
    public const string CappedAtLegalMax = "capped_at_legal_max";

    /// <summary>The claim is disputed: inkassoloven § 17 (2).</summary>
    public const string Disputed = "disputed";

    /// <summary>The fee table has no inkassosats for the send date.</summary>
    public const string RateUnknown = "rate_unknown";
}

/// <summary>What the legal guard is asked: may this notice carry a fee, and how much?</summary>
/// <param name="Kind">The notice kind.</param>
/// <param name="Requested">What the plan asks.</param>
/// <param name="Currency">The plan currency (zero fees are in it).</param>
/// <param name="SendDate">The actual send date: the fee table and every time rule use it.</param>
/// <param name="DueDate">The due date, already moved to a banking day (C1).</param>
/// <param name="Previous">Notices already taken on the same claim.</param>
/// <param name="Disputed">The claim is disputed.</param>
public sealed record FeeRequest(
    StepKind Kind, FeeSpec Requested, Currency Currency, DateOnly SendDate, DateOnly DueDate, IReadOnlyList<TakenStep> Previous, bool Disputed);

/// <summary>The fee the law allows for one notice.</summary>
/// <param name="Amount">The fee to charge (no VAT: purregebyr is outside VAT, Altinn).</param>
/// <param name="Reason">A <see cref="FeeReasons"/> code when the fee is zero or lower than asked; null otherwise.</param>
/// <param name="Certainty">How sure the amount is: the legal maximum's certainty for a fee above zero (e.g. derived in 2026), else law.</param>
/// <param name="LegalMaximum">The legal maximum looked up for the send date, when one was needed.</param>
public sealed record FeeResult(Money Amount, string? Reason, Certainty Certainty, LegalFee? LegalMaximum);

/// <summary>The legal guard for the creditor's own notice fees (inkassoforskriften §§ 1-2, 1-3).</summary>
/// <remarks>
/// Fees are evaluated per claim at the actual send date (legal-scenarios README, "Fee rules as encoded"):
/// <list type="number">
/// <item>Reminder and inkassovarsel: only when sent ≥ 14 days after the due date. At most two such fees per claim:
/// two reminders, or a reminder and a later inkassovarsel. The second needs the first fee-bearing notice ("den første
/// purringen", read as the first fee-bearing one) to have given ≥ 14 days, and that deadline to have passed.</item>
/// <item>Betalingsoppfordring: only after an earlier reminder or inkassovarsel deadline of ≥ 14 days has lapsed, once
/// per claim; it does not count towards the two fees.</item>
/// <item>The maximum is fraction × inkassosats at the send date (§ 1-2 (4)). A lower fixed fee is kept; a higher one is
/// cut (never an illegal fee).</item>
/// <item>Never on a disputed claim (inkassoloven § 17 (2)); never VAT.</item>
/// </list>
/// </remarks>
public static class FeeGuard
{
    /// <summary>The fee for <paramref name="request"/> under <paramref name="table"/>.</summary>
    public static FeeResult Evaluate(FeeRequest request, CollectionFeeTable table)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(table);
        var zero = Money.Zero(request.Currency);
        // A handover is not a notice: no fee and no fee reason (scenario format: "never on a handover").
        if (request.Kind == StepKind.Handover) return new FeeResult(zero, null, Certainty.Law, null);
        if (request.Requested.Kind == FeeKind.None) return new FeeResult(zero, FeeReasons.PlanNone, Certainty.Law, null);
        if (request.Disputed) return new FeeResult(zero, FeeReasons.Disputed, Certainty.Law, null);

        var max = table.LegalMaximum(request.Kind, request.SendDate);
        if (max is null) return new FeeResult(zero, FeeReasons.RateUnknown, Certainty.Law, null);

        var refusal = request.Kind == StepKind.PaymentDemand ? PaymentDemandRefusal(request) : ReminderRefusal(request);
        if (refusal is not null) return new FeeResult(zero, refusal, Certainty.Law, max);

        if (request.Requested.Kind == FeeKind.Fixed && request.Requested.Amount is { } fixedFee)
        {
            if (fixedFee.Currency != max.Amount.Currency)
                throw new ArgumentException($"A fixed fee in {fixedFee.Currency.Code} cannot be compared with the legal maximum in {max.Amount.Currency.Code}", nameof(request));
            if (fixedFee <= max.Amount) return new FeeResult(fixedFee, null, max.Certainty, max);
            return new FeeResult(max.Amount, FeeReasons.CappedAtLegalMax, max.Certainty, max);
        }
        return new FeeResult(max.Amount, null, max.Certainty, max);
    }

    private static string? ReminderRefusal(FeeRequest r)
    {
        if (r.SendDate < r.DueDate.AddDays(LegalDeadlines.MinimumDays)) return FeeReasons.Under14DaysAfterDue;
        var feeBearing = r.Previous
            .Where(p => p.Kind is StepKind.Reminder or StepKind.CollectionNotice && p.Fee.IsPositive)
            .OrderBy(p => p.SentOn).ThenBy(p => p.StepIndex)
            .ToList();
        if (feeBearing.Count >= 2) return FeeReasons.MaxTwoFees;
        if (feeBearing.Count == 0) return null;
        var first = feeBearing[0];
        if (first.Kind != StepKind.Reminder) return FeeReasons.FeeOrderNotAllowed;
        if (first.Deadline is not { } deadline || deadline.DayNumber - first.SentOn.DayNumber < LegalDeadlines.MinimumDays)
            return FeeReasons.FirstDeadlineUnder14Days;
        if (r.SendDate <= deadline) return FeeReasons.PreviousDeadlineNotLapsed;
        return null;
    }

    private static string? PaymentDemandRefusal(FeeRequest r)
    {
        if (r.Previous.Any(p => p.Kind == StepKind.PaymentDemand && p.Fee.IsPositive)) return FeeReasons.PaymentDemandFeeAlready;
        var lapsed = r.Previous.Any(p =>
            p.Kind is StepKind.Reminder or StepKind.CollectionNotice &&
            p.Deadline is { } d && d.DayNumber - p.SentOn.DayNumber >= LegalDeadlines.MinimumDays && r.SendDate > d);
        return lapsed ? null : FeeReasons.NoLapsed14DayDeadline;
    }
}
