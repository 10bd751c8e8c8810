using Purr.Core.Rules;

namespace Purr.Core.Dunning;

/// <summary>The work list a claim is in. The Norwegian names the credit controllers use are given per member.</summary>
/// <remarks>
/// The dunning path is Overdue (Liste) → Reminder1 (Purring1) → Reminder2 (Purring2) → CollectionNotice (Inkassovarsel)
/// → PaymentDemand (Betalingsoppfordring) → ReadyForHandover (TilOverforing) → WithAgency (HosInkasso); holds put a
/// claim in Stopped (Purrestopp), Disputed (Tvist) or Deferred (Utsatt); a settled claim is Closed (Lukket) or, while late
/// interest is still to be billed, InterestNote (Rentenota).
/// </remarks>
public enum DunningList
{
    /// <summary>Ikke forfalt: not yet overdue (or still within the postal days).</summary>
    NotDue,

    /// <summary>Liste: overdue after the postal days, no step taken yet.</summary>
    Overdue,

    /// <summary>Purring1: the first reminder was sent.</summary>
    Reminder1,

    /// <summary>Purring2: a second (or later) reminder was sent.</summary>
    Reminder2,

    /// <summary>Inkassovarsel: a collection notice was sent.</summary>
    CollectionNotice,

    /// <summary>Betalingsoppfordring: a payment demand was sent.</summary>
    PaymentDemand,

    /// <summary>TilOverforing: handed over, waiting to be transferred to the collection agency.</summary>
    ReadyForHandover,

    /// <summary>HosInkasso: with the collection agency.</summary>
    WithAgency,

    /// <summary>Purrestopp: a dunning stop is in effect.</summary>
    Stopped,

    /// <summary>Tvist: the debtor disputes the claim.</summary>
    Disputed,

    /// <summary>Utsatt: a deferral is in effect.</summary>
    Deferred,

    /// <summary>Rentenota: the principal is settled, late interest remains to be billed.</summary>
    InterestNote,

    /// <summary>Lukket: settled, nothing left to do.</summary>
    Closed,
}

/// <summary>Pure functions over <see cref="DunningList"/>.</summary>
public static class DunningLists
{
    /// <summary>The list a claim is in on <paramref name="today"/>, computed from its state alone.</summary>
    /// <remarks>
    /// Order: settled (InterestNote or Closed) → with agency → active dispute, stop, deferral → the list of the last step
    /// taken → Overdue once today is after the (C1-moved) due date + the plan's postal days → NotDue.
    /// </remarks>
    public static DunningList Compute(ClaimState state, DunningPlan plan, RuleSet rules, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(rules);
        if (state.Settlement != Settlement.Open || !state.OpenPrincipal.IsPositive)
            return state.InterestNotePending ? DunningList.InterestNote : DunningList.Closed;
        if (state.HandedOverOn is not null) return DunningList.WithAgency;
        if (state.ActiveHold(HoldKind.Dispute, today) is not null) return DunningList.Disputed;
        if (state.ActiveHold(HoldKind.Stop, today) is not null) return DunningList.Stopped;
        if (state.ActiveHold(HoldKind.Deferral, today) is not null) return DunningList.Deferred;
        if (state.LastStep is { } last)
            return After(last.Kind, state.StepsTaken.Count(s => s.Kind == StepKind.Reminder && s.StepIndex < last.StepIndex));
        return today > OverdueFrom(state, plan, rules).AddDays(-1) ? DunningList.Overdue : DunningList.NotDue;
    }

    /// <summary>The list a step of <paramref name="kind"/> moves a claim to, given how many reminders were sent before it.</summary>
    public static DunningList After(StepKind kind, int remindersBefore) => kind switch
    {
        StepKind.Reminder => remindersBefore == 0 ? DunningList.Reminder1 : DunningList.Reminder2,
        StepKind.CollectionNotice => DunningList.CollectionNotice,
        StepKind.PaymentDemand => DunningList.PaymentDemand,
        StepKind.Handover => DunningList.ReadyForHandover,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The first day a claim is in the Overdue list: the day after the (C1-moved) due date + postal days.</summary>
    public static DateOnly OverdueFrom(ClaimState state, DunningPlan plan, RuleSet rules) =>
        rules.Calendar.NextBankingDayOnOrAfter(state.DueDate).AddDays(plan.PostalDays + 1);

    /// <summary>The Norwegian list name shown to credit controllers, e.g. "Purring1".</summary>
    public static string NorwegianName(this DunningList list) => list switch
    {
        DunningList.NotDue => "Ikke forfalt",
        DunningList.Overdue => "Liste",
        DunningList.Reminder1 => "Purring1",
        DunningList.Reminder2 => "Purring2",
        DunningList.CollectionNotice => "Inkassovarsel",
        DunningList.PaymentDemand => "Betalingsoppfordring",
        DunningList.ReadyForHandover => "TilOverforing",
        DunningList.WithAgency => "HosInkasso",
        DunningList.Stopped => "Purrestopp",
        DunningList.Disputed => "Tvist",
        DunningList.Deferred => "Utsatt",
        DunningList.InterestNote => "Rentenota",
        DunningList.Closed => "Lukket",
        _ => throw new ArgumentOutOfRangeException(nameof(list), list, null),
    };

    /// <summary>True for the lists on the dunning path (Overdue to PaymentDemand), where a claim waits for its next step.</summary>
    public static bool IsStage(this DunningList list) =>
        list is DunningList.Overdue or DunningList.Reminder1 or DunningList.Reminder2 or DunningList.CollectionNotice or DunningList.PaymentDemand;
}
