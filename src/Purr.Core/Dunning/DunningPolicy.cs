using System.Runtime.CompilerServices;
using Purr.Core.Rules;
using Purr.Core.Rules.Norway;

namespace Purr.Core.Dunning;

/// <summary>The dunning decision: a pure function of a claim snapshot, a plan, the rules and "today".</summary>
/// <remarks>
/// No clock, no I/O, no exceptions for business outcomes: on hold, below minimum, not yet due are results with a reason.
/// Exceptions mean misuse (null arguments, an invalid plan). Conventions of the legal scenarios apply:
/// <list type="bullet">
/// <item>C1: a due date on a non-banking day counts as the next banking day for everything counted from it (step
/// timing, the 14-day fee rule, the Overdue list).</item>
/// <item>C2: deadline = send date + deadline days in calendar days, unless the step asks to extend it to a banking day.</item>
/// <item>C3: at most one step per claim per day; after a gap the overdue step goes out at the first run and its
/// deadline counts from that actual send date, so the next step falls due only after it. A repeated run the same day
/// returns <see cref="DecisionReasons.StepTakenToday"/>.</item>
/// <item>C4: postal days delay when each step becomes due, not deadlines or fee rules.</item>
/// <item>C5: inkassovarsel and betalingsoppfordring deadlines are raised to 14 days; fees are cut to the legal maximum.</item>
/// <item>C7/C8: disputes, stops and deferrals (end dates inclusive) hold the plan, which resumes where it stopped.</item>
/// </list>
/// Legal timing guards on top of the plan: nothing before the day after the due date; a betalingsoppfordring needs an
/// earlier inkassovarsel (inkassoloven § 10), and neither it nor a handover goes out before every earlier inkassovarsel
/// or betalingsoppfordring deadline has run out (§ 9).
/// </remarks>
public static class DunningPolicy
{
    private static readonly ConditionalWeakTable<DunningPlan, PlanValidation> Validated = new();

    /// <summary>Decides what the automatic run does with one claim on <paramref name="today"/>.</summary>
    /// <exception cref="ArgumentException">The plan is invalid (see <see cref="PlanValidator"/>).</exception>
    public static DunningDecision Decide(ClaimState state, DunningPlan plan, RuleSet rules, DateOnly today) =>
        Evaluate(state, plan, rules, today, manual: false);

    /// <summary>Throws <see cref="ArgumentException"/> listing every error when <paramref name="plan"/> is invalid.</summary>
    /// <remarks>Validation results are cached per plan instance (plans are immutable).</remarks>
    public static void EnsureValid(DunningPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var validation = Validated.GetValue(plan, p => PlanValidator.Validate(p));
        if (!validation.IsValid)
            throw new ArgumentException($"Plan '{plan.Code}' is invalid: " + string.Join("; ", validation.Errors), nameof(plan));
    }

    internal static DunningDecision Evaluate(ClaimState state, DunningPlan plan, RuleSet rules, DateOnly today, bool manual)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rules);
        EnsureValid(plan);
        var id = state.ClaimId;
        DunningDecision.NoAction No(string reason, DateOnly? review = null, string? detail = null) => new(id, reason, review, detail);

        if (state.OpenPrincipal.Currency != plan.Currency) return No(DecisionReasons.CurrencyMismatch);
        switch (state.Settlement)
        {
            case Settlement.Paid: return No(DecisionReasons.Paid);
            case Settlement.Credited: return No(DecisionReasons.Credited);
            case Settlement.WrittenOff: return No(DecisionReasons.WrittenOff);
        }
        if (!state.OpenPrincipal.IsPositive) return No(DecisionReasons.Paid);

        var due = rules.Calendar.NextBankingDayOnOrAfter(state.DueDate);
        var next = NextStep(state, plan, due);

        foreach (var (kind, reason) in HoldReasons)
        {
            if (state.ActiveHold(kind, today) is not { } hold) continue;
            DateOnly? review = hold.Until is { } until ? Later(until.AddDays(1), next?.DueOn) : null;
            return No(reason, review);
        }
        if (!manual && state.HeldByCreditor) return No(DecisionReasons.HeldByCreditor);
        if (next is not { } n) return No(DecisionReasons.PlanComplete);
        if (!manual && state.OpenPrincipal < plan.MinimumAmount) return No(DecisionReasons.BelowMinimum);
        if (state.StepsTaken.Any(s => s.SentOn == today)) return No(DecisionReasons.StepTakenToday, today.AddDays(1));

        var step = n.Step;
        if (step.Kind == StepKind.CollectionNotice && !rules.Creditor.OwnCollectionNoticeAllowed)
            return No(DecisionReasons.NotAllowed, null, NotAllowedDetails.OwnCollectionNoticeDisabled);
        if (step.Kind == StepKind.PaymentDemand && !state.StepsTaken.Any(s => s.Kind == StepKind.CollectionNotice))
            return No(DecisionReasons.NotAllowed, null, NotAllowedDetails.NoLapsedCollectionNotice);

        if (manual)
        {
            if (today <= due) return No(DecisionReasons.NotAllowed, due.AddDays(1), NotAllowedDetails.NotOverdue);
            if (today < n.LegalEarliest) return No(DecisionReasons.NotAllowed, n.LegalEarliest, NotAllowedDetails.CollectionDeadlineNotLapsed);
        }
        else if (today < n.DueOn)
        {
            var waiting = state.LastStep is { Deadline: { } d } && today <= d;
            return No(waiting ? DecisionReasons.WaitingForDeadline : DecisionReasons.TooEarly, n.DueOn);
        }

        var entered = StageEnteredOn(state, plan, rules);
        if (today.DayNumber - entered.DayNumber < step.MinDaysInPreviousList)
            return No(DecisionReasons.MinDaysInList, Later(entered.AddDays(step.MinDaysInPreviousList), manual ? null : n.DueOn));

        return Take(state, plan, rules, today, due, n, manual);
    }

    private static readonly (HoldKind Kind, string Reason)[] HoldReasons =
    [
        (HoldKind.Dispute, DecisionReasons.Disputed),
        (HoldKind.Stop, DecisionReasons.Stopped),
        (HoldKind.Deferral, DecisionReasons.Deferred),
    ];

    private readonly record struct Next(int Index, DunningStep Step, DateOnly DueOn, DateOnly LegalEarliest);

    /// <summary>The next step of the plan and the day it becomes due; null when the plan is complete.</summary>
    private static Next? NextStep(ClaimState state, DunningPlan plan, DateOnly due)
    {
        var last = state.LastStep;
        if (last is { Kind: StepKind.Handover }) return null;
        var index = last is null ? 0 : last.StepIndex + 1;
        if (index >= plan.Steps.Count) return null;
        var step = plan.Steps[index];

        var planned = last is null
            ? due.AddDays(step.DaysAfterDue ?? 0)
            : (last.Deadline ?? last.SentOn).AddDays(step.DaysAfterPreviousDeadline ?? 0);
        planned = planned.AddDays(plan.PostalDays);

        // Nothing before the claim is overdue; no further collection step before an inkassovarsel or
        // betalingsoppfordring deadline has run out (inkassoloven § 9 (1) b, § 10).
        var earliest = due.AddDays(1);
        if (step.Kind is StepKind.PaymentDemand or StepKind.Handover)
            foreach (var s in state.StepsTaken)
                if (s.Kind is StepKind.CollectionNotice or StepKind.PaymentDemand && s.Deadline is { } d)
                    earliest = Later(earliest, d.AddDays(1));
        return new Next(index, step, Later(planned, earliest), earliest);
    }

    /// <summary>The day the claim entered its current dunning stage, for the minimum-days-in-list rule.</summary>
    /// <remarks>The shell's recorded list entry when it is a stage list; otherwise the last step's send date, or the first Overdue day.</remarks>
    private static DateOnly StageEnteredOn(ClaimState state, DunningPlan plan, RuleSet rules)
    {
        if (state.CurrentList is { } list && list.IsStage() && state.ListEnteredOn is { } entered) return entered;
        return state.LastStep?.SentOn ?? DunningLists.OverdueFrom(state, plan, rules);
    }

    private static DunningDecision.TakeStep Take(ClaimState state, DunningPlan plan, RuleSet rules, DateOnly today, DateOnly due, Next n, bool manual)
    {
        var step = n.Step;
        var notes = new List<string>();

        DateOnly? deadline = null;
        if (step.Kind != StepKind.Handover)
        {
            var planned = step.DeadlineDays ?? 0;
            var days = LegalDeadlines.Effective(step.Kind, planned);
            if (days != planned) notes.Add(StepNotes.DeadlineRaisedTo14Days);
            var d = today.AddDays(days);
            if (step.ExtendDeadlineToBankingDay)
            {
                var moved = rules.Calendar.NextBankingDayOnOrAfter(d);
                if (moved != d) notes.Add(StepNotes.DeadlineMovedToBankingDay);
                d = moved;
            }
            deadline = d;
        }

        var fee = FeeGuard.Evaluate(
            new FeeRequest(step.Kind, step.Fee, plan.Currency, today, due, state.StepsTaken, Disputed: false), rules.Fees);
        if (fee.Amount.IsPositive && fee.Certainty != Certainty.Law) notes.Add(StepNotes.FeeUnverified);

        var template = step.Kind == StepKind.Handover ? "" : step.TemplateOrDefault;
        var remindersBefore = state.StepsTaken.Count(s => s.Kind == StepKind.Reminder);

        DateOnly? review = null;
        if (deadline is { } dl && n.Index + 1 < plan.Steps.Count)
        {
            var following = plan.Steps[n.Index + 1];
            review = dl.AddDays((following.DaysAfterPreviousDeadline ?? 0) + plan.PostalDays);
            if (step.Kind is StepKind.CollectionNotice or StepKind.PaymentDemand &&
                following.Kind is StepKind.PaymentDemand or StepKind.Handover)
                review = Later(review.Value, dl.AddDays(1));
        }

        return new DunningDecision.TakeStep(state.ClaimId, review)
        {
            CustomerId = state.CustomerId,
            StepIndex = n.Index,
            Kind = step.Kind,
            SentOn = today,
            Deadline = deadline,
            Fee = fee.Amount,
            FeeReason = fee.Reason,
            FeeCertainty = fee.Certainty,
            LegalMaximumFee = fee.LegalMaximum?.Amount,
            Outstanding = state.OpenPrincipal,
            IncludeInterest = step.IncludeInterest,
            Channel = step.Channel,
            Template = template,
            GroupKey = new LetterGroupKey(state.CustomerId, plan.Grouping == LetterGrouping.PerCustomer ? null : state.ClaimId, step.Kind, template),
            MovesTo = DunningLists.After(step.Kind, remindersBefore),
            Manual = manual,
            Notes = notes,
        };
    }

    private static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;

    private static DateOnly Later(DateOnly a, DateOnly? b) => b is { } x && x > a ? x : a;
}

/// <summary>Manual moves: a credit controller creates (or previews) the next notice for one claim now.</summary>
public static class ManualMove
{
    /// <summary>
    /// The step a manual move would take today, or why it is refused. Applying a returned
    /// <see cref="DunningDecision.TakeStep"/> is the same as applying an automatic one.
    /// </summary>
    /// <remarks>
    /// Ignores the plan's timing, the minimum amount and <see cref="ClaimState.HeldByCreditor"/> (that is what manual
    /// dunning is for). Still refuses: a settled claim, an active dispute, stop or deferral, a complete plan, a second
    /// step the same day, a claim that has not stayed the step's minimum days in its list
    /// (<see cref="DecisionReasons.MinDaysInList"/>), and whatever the law forbids (<see cref="DecisionReasons.NotAllowed"/>
    /// with a <see cref="NotAllowedDetails"/> code): nothing on or before the due date, an inkassovarsel the creditor may
    /// not send, a betalingsoppfordring without an earlier inkassovarsel, or a betalingsoppfordring or handover before an
    /// inkassovarsel deadline has run out. Fees follow the same legal guard as the automatic run.
    /// </remarks>
    public static DunningDecision Check(ClaimState state, DunningPlan plan, RuleSet rules, DateOnly today) =>
        DunningPolicy.Evaluate(state, plan, rules, today, manual: true);
}
