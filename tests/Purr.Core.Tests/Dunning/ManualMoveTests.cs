using Purr.Core.Dunning;
using Purr.Core.Rules;
using Purr.Core.Rules.Norway;
using Purr.Core.Tests.Rules;
using static Purr.Core.Tests.Dunning.Timeline;

namespace Purr.Core.Tests.Dunning;

public class ManualMoveTests
{
    private static readonly RuleSet Rules = RuleSet.Norway(TestBankingCalendar.Instance);

    private static DunningDecision Check(ClaimState s, string today, DunningPlan? plan = null, RuleSet? rules = null) =>
        ManualMove.Check(s, plan ?? DefaultPlans.ScenarioStandard, rules ?? Rules, D(today));

    [Fact]
    public void A_manual_reminder_ignores_plan_timing_but_not_the_fee_rules()
    {
        var take = Assert.IsType<DunningDecision.TakeStep>(Check(Claim("2025-01-06"), "2025-01-10"));
        Assert.True(take.Manual);
        Assert.Equal((StepKind.Reminder, "0.00", FeeReasons.Under14DaysAfterDue), (take.Kind, take.Fee.ToDecimalString(), take.FeeReason));
        Assert.Equal(D("2025-01-24"), take.Deadline);
    }

    [Fact]
    public void Nothing_may_be_sent_on_or_before_the_due_date()
    {
        var no = Assert.IsType<DunningDecision.NoAction>(Check(Claim("2025-01-06"), "2025-01-06"));
        Assert.Equal((DecisionReasons.NotAllowed, NotAllowedDetails.NotOverdue, (DateOnly?)D("2025-01-07")), (no.Reason, no.Detail, no.NextReviewOn));
    }

    [Fact]
    public void Refused_when_the_claim_has_not_stayed_the_minimum_days_in_its_list()
    {
        var plan = DefaultPlans.TwoReminders with { Steps = [DefaultPlans.TwoReminders.Steps[0], DefaultPlans.TwoReminders.Steps[1] with { MinDaysInPreviousList = 10 }, .. DefaultPlans.TwoReminders.Steps.Skip(2)] };
        var claim = Claim("2025-01-06").Apply(DunningPolicy.Decide(Claim("2025-01-06"), plan, Rules, D("2025-01-20")));
        var no = Assert.IsType<DunningDecision.NoAction>(Check(claim, "2025-01-25", plan));
        Assert.Equal((DecisionReasons.MinDaysInList, (DateOnly?)D("2025-01-30")), (no.Reason, no.NextReviewOn));
        var take = Assert.IsType<DunningDecision.TakeStep>(Check(claim, "2025-01-30", plan));
        Assert.Equal(FeeReasons.PreviousDeadlineNotLapsed, take.FeeReason); // the first reminder's deadline (2025-02-03) has not run out
    }

    [Fact]
    public void The_recorded_list_entry_date_is_used_when_the_shell_has_one()
    {
        var plan = DefaultPlans.TwoReminders with { Steps = [DefaultPlans.TwoReminders.Steps[0] with { MinDaysInPreviousList = 10 }, .. DefaultPlans.TwoReminders.Steps.Skip(1)] };
        var claim = Claim("2025-01-06") with { CurrentList = DunningList.Overdue, ListEnteredOn = D("2025-01-15") };
        Assert.Equal(DecisionReasons.MinDaysInList, Check(claim, "2025-01-24", plan).Reason());
        Assert.Equal("take_step", Check(claim, "2025-01-25", plan).Reason());
    }

    [Fact]
    public void A_payment_demand_needs_a_lapsed_inkassovarsel()
    {
        var claim = Claim("2025-01-06") with
        {
            StepsTaken = [new TakenStep(0, StepKind.Reminder, D("2025-01-20"), D("2025-02-03"), Money.Nok(35)), new TakenStep(1, StepKind.CollectionNotice, D("2025-02-06"), D("2025-02-20"), Money.Nok(35))],
        };
        var no = Assert.IsType<DunningDecision.NoAction>(Check(claim, "2025-02-20"));
        Assert.Equal((DecisionReasons.NotAllowed, NotAllowedDetails.CollectionDeadlineNotLapsed, (DateOnly?)D("2025-02-21")), (no.Reason, no.Detail, no.NextReviewOn));
        var take = Assert.IsType<DunningDecision.TakeStep>(Check(claim, "2025-02-21"));
        Assert.Equal((StepKind.PaymentDemand, "105.00"), (take.Kind, take.Fee.ToDecimalString()));
    }

    [Fact]
    public void A_disabled_own_inkassovarsel_is_refused()
    {
        var rules = RuleSet.Norway(TestBankingCalendar.Instance, new CreditorSwitches { OwnCollectionNoticeAllowed = false });
        var claim = Claim("2025-01-06") with { StepsTaken = [new TakenStep(0, StepKind.Reminder, D("2025-01-20"), D("2025-02-03"), Money.Nok(35))] };
        var no = Assert.IsType<DunningDecision.NoAction>(Check(claim, "2025-02-10", rules: rules));
        Assert.Equal(NotAllowedDetails.OwnCollectionNoticeDisabled, no.Detail);
    }

    [Theory]
    [InlineData(HoldKind.Dispute, DecisionReasons.Disputed)]
    [InlineData(HoldKind.Stop, DecisionReasons.Stopped)]
    [InlineData(HoldKind.Deferral, DecisionReasons.Deferred)]
    public void Holds_refuse_manual_moves_too(HoldKind kind, string reason) =>
        Assert.Equal(reason, Check(Claim("2025-01-06") with { Holds = [new Hold(kind, D("2025-01-10"), null)] }, "2025-01-20").Reason());

    [Fact]
    public void Below_minimum_does_not_block_a_manual_move_but_a_step_today_does()
    {
        var plan = DefaultPlans.ScenarioStandard with { MinimumAmount = Money.Nok(5000) };
        var claim = Claim("2025-01-06", 100m);
        var take = Check(claim, "2025-01-20", plan);
        Assert.IsType<DunningDecision.TakeStep>(take);
        Assert.Equal(DecisionReasons.StepTakenToday, Check(claim.Apply(take), "2025-01-20", plan).Reason());
    }
}
