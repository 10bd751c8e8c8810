using Purr.Core.Dunning;
using Purr.Core.Rules;
using Purr.Core.Tests.Rules;
using static Purr.Core.Tests.Dunning.Timeline;

namespace Purr.Core.Tests.Dunning;

public class DunningListTests
{
    private static readonly RuleSet Rules = RuleSet.Norway(TestBankingCalendar.Instance);

    private static DunningList ListOf(ClaimState s, string today, DunningPlan? plan = null) =>
        DunningLists.Compute(s, plan ?? DefaultPlans.TwoReminders, Rules, D(today));

    [Fact]
    public void A_claim_walks_the_lists_of_its_plan()
    {
        var plan = DefaultPlans.TwoReminders;
        var claim = Claim("2025-01-06");
        Assert.Equal(DunningList.NotDue, ListOf(claim, "2025-01-06"));
        Assert.Equal(DunningList.Overdue, ListOf(claim, "2025-01-07"));
        var (final, log) = Run(claim, plan, Rules, Daily("2025-01-07", "2025-04-01"));
        Assert.Equal([DunningList.Reminder1, DunningList.Reminder2, DunningList.CollectionNotice, DunningList.ReadyForHandover], log.Steps().Select(s => s.MovesTo));
        Assert.Equal(DunningList.ReadyForHandover, ListOf(final, "2025-04-01"));
        Assert.Equal(DunningList.WithAgency, ListOf(final with { HandedOverOn = D("2025-03-10") }, "2025-04-01"));
    }

    [Fact]
    public void Postal_days_delay_the_overdue_list()
    {
        var plan = DefaultPlans.TwoReminders with { PostalDays = 3 };
        Assert.Equal(DunningList.NotDue, ListOf(Claim("2025-01-06"), "2025-01-09", plan));
        Assert.Equal(DunningList.Overdue, ListOf(Claim("2025-01-06"), "2025-01-10", plan));
    }

    [Fact]
    public void Holds_and_settlement_put_a_claim_in_their_own_lists()
    {
        var claim = Claim("2025-01-06");
        Assert.Equal(DunningList.Disputed, ListOf(claim with { Holds = [new Hold(HoldKind.Dispute, D("2025-01-10"), null)] }, "2025-01-20"));
        Assert.Equal(DunningList.Stopped, ListOf(claim with { Holds = [new Hold(HoldKind.Stop, D("2025-01-10"), D("2025-01-20"))] }, "2025-01-20"));
        Assert.Equal(DunningList.Overdue, ListOf(claim with { Holds = [new Hold(HoldKind.Stop, D("2025-01-10"), D("2025-01-20"))] }, "2025-01-21"));
        Assert.Equal(DunningList.Deferred, ListOf(claim with { Holds = [new Hold(HoldKind.Deferral, D("2025-01-10"), D("2025-01-31"))] }, "2025-01-20"));
        Assert.Equal(DunningList.Closed, ListOf(claim with { Settlement = Settlement.Paid, OpenPrincipal = Money.Nok(0) }, "2025-01-20"));
        Assert.Equal(DunningList.InterestNote, ListOf(claim with { OpenPrincipal = Money.Nok(0), InterestNotePending = true }, "2025-01-20"));
    }

    [Fact]
    public void A_reminder_after_a_reminder_is_Purring2_and_every_list_has_a_Norwegian_name()
    {
        Assert.Equal(DunningList.Reminder1, DunningLists.After(StepKind.Reminder, 0));
        Assert.Equal(DunningList.Reminder2, DunningLists.After(StepKind.Reminder, 1));
        Assert.Equal(DunningList.Reminder2, DunningLists.After(StepKind.Reminder, 2));
        Assert.Equal(
            ["Ikke forfalt", "Liste", "Purring1", "Purring2", "Inkassovarsel", "Betalingsoppfordring", "TilOverforing", "HosInkasso", "Purrestopp", "Tvist", "Utsatt", "Rentenota", "Lukket"],
            Enum.GetValues<DunningList>().Select(l => l.NorwegianName()));
    }
}
