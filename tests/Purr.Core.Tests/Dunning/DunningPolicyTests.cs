using Purr.Core.Dunning;
using Purr.Core.Rules;
using Purr.Core.Rules.Norway;
using Purr.Core.Tests.Rules;
using static Purr.Core.Tests.Dunning.Timeline;

namespace Purr.Core.Tests.Dunning;

public class DunningPolicyTests
{
    private static readonly RuleSet Rules = RuleSet.Norway(TestBankingCalendar.Instance);
    private static readonly DunningPlan Two = DefaultPlans.TwoReminders;

    private static DunningDecision Decide(ClaimState s, string today, DunningPlan? plan = null, RuleSet? rules = null) =>
        DunningPolicy.Decide(s, plan ?? Two, rules ?? Rules, D(today));

    [Fact]
    public void Fee_transition_2020_10_01_goes_by_send_date_not_due_date()
    {
        // Due 2020-09-01: reminder sent 2020-09-15 (old 1/10 rule: 70.00), second sent 2020-09-30 (70.00);
        // a claim due 2020-09-16 gets its first reminder on 2020-09-30 (70.00) and its second on 2020-10-15 (35.00).
        var (_, log) = Run(Claim("2020-09-16"), Two, Rules, [D("2020-09-30"), D("2020-10-15")]);
        Assert.Equal(["70.00", "35.00"], log.Steps().Select(s => s.Fee.ToDecimalString()));
        Assert.All(log.Steps(), s => Assert.Equal(Certainty.Law, s.FeeCertainty));
    }

    [Fact]
    public void A_2026_fee_is_37_50_derived_and_noted_unverified()
    {
        var take = Assert.IsType<DunningDecision.TakeStep>(Decide(Claim("2026-01-05"), "2026-01-19"));
        Assert.Equal("37.50", take.Fee.ToDecimalString());
        Assert.Equal(Certainty.Derived, take.FeeCertainty);
        Assert.Contains(StepNotes.FeeUnverified, take.Notes);
    }

    [Fact]
    public void Disputed_claim_gets_nothing_and_resumes_with_normal_fees_after_resolution()
    {
        var claim = Claim("2025-02-03");
        var disputed = claim with { Holds = [new Hold(HoldKind.Dispute, D("2025-02-12"), null)] };
        var no = Assert.IsType<DunningDecision.NoAction>(Decide(disputed, "2025-02-17"));
        Assert.Equal(DecisionReasons.Disputed, no.Reason);
        Assert.Null(no.NextReviewOn);

        // Resolved on 2025-03-01: open until 2025-02-28 inclusive; the first reminder goes out on the next run.
        var resolved = claim with { Holds = [new Hold(HoldKind.Dispute, D("2025-02-12"), D("2025-02-28"))] };
        Assert.Equal(DecisionReasons.Disputed, Decide(resolved, "2025-02-28").Reason());
        var take = Assert.IsType<DunningDecision.TakeStep>(Decide(resolved, "2025-03-01"));
        Assert.Equal(("35.00", (string?)null), (take.Fee.ToDecimalString(), take.FeeReason));
    }

    [Theory]
    [InlineData("2025-02-09", "take_step")]
    [InlineData("2025-02-10", DecisionReasons.Stopped)] // from is inclusive
    [InlineData("2025-02-28", DecisionReasons.Stopped)] // until is inclusive (C8)
    [InlineData("2025-03-01", "take_step")]
    public void Stop_dates_are_inclusive(string today, string expected)
    {
        var claim = Claim("2025-01-20") with { Holds = [new Hold(HoldKind.Stop, D("2025-02-10"), D("2025-02-28"), "called")] };
        Assert.Equal(expected, Decide(claim, today).Reason());
    }

    [Fact]
    public void Open_ended_stop_holds_forever_and_review_date_is_unknown()
    {
        var claim = Claim("2025-01-20") with { Holds = [new Hold(HoldKind.Stop, D("2025-02-01"), null)] };
        var no = Assert.IsType<DunningDecision.NoAction>(Decide(claim, "2026-06-01"));
        Assert.Equal((DecisionReasons.Stopped, (DateOnly?)null), (no.Reason, no.NextReviewOn));
    }

    [Fact]
    public void Stop_review_date_is_the_later_of_the_day_after_the_stop_and_the_step_due_date()
    {
        var claim = Claim("2025-01-20") with { Holds = [new Hold(HoldKind.Stop, D("2025-01-21"), D("2025-01-25"))] };
        Assert.Equal(D("2025-02-03"), Decide(claim, "2025-01-22").NextReviewOn); // reminder due 2025-02-03
        var longer = claim with { Holds = [new Hold(HoldKind.Stop, D("2025-01-21"), D("2025-02-20"))] };
        Assert.Equal(D("2025-02-21"), Decide(longer, "2025-02-05").NextReviewOn);
    }

    [Fact]
    public void Deferral_holds_like_a_stop_and_does_not_move_the_due_date()
    {
        var claim = Claim("2025-01-20") with { Holds = [new Hold(HoldKind.Deferral, D("2025-01-25"), D("2025-02-15"))] };
        var no = Assert.IsType<DunningDecision.NoAction>(Decide(claim, "2025-02-10"));
        Assert.Equal((DecisionReasons.Deferred, (DateOnly?)D("2025-02-16")), (no.Reason, no.NextReviewOn));
        var take = Assert.IsType<DunningDecision.TakeStep>(Decide(claim, "2025-02-16"));
        Assert.Equal(("35.00", D("2025-03-02")), (take.Fee.ToDecimalString(), take.Deadline!.Value)); // fee rule still from the original due date
    }

    [Fact]
    public void Holds_are_checked_in_scenario_order()
    {
        var claim = Claim("2025-01-20") with
        {
            Holds = [new Hold(HoldKind.Deferral, D("2025-02-01"), null), new Hold(HoldKind.Stop, D("2025-02-01"), null), new Hold(HoldKind.Dispute, D("2025-02-01"), null)],
        };
        Assert.Equal(DecisionReasons.Disputed, Decide(claim, "2025-02-10").Reason());
        Assert.Equal(DecisionReasons.Paid, Decide(claim with { Settlement = Settlement.Paid }, "2025-02-10").Reason());
    }

    [Fact]
    public void Catch_up_after_a_long_gap_sends_one_step_per_run_with_deadlines_from_the_actual_send_date()
    {
        // No runs for four months after the first reminder: each later run sends exactly one step.
        var (_, log) = Run(Claim("2025-01-06"), Two, Rules, [D("2025-01-20"), D("2025-06-02"), D("2025-06-03"), D("2025-06-17"), D("2025-07-02"), D("2025-09-01"), D("2025-09-02")]);
        Assert.Equal(
            ["take_step", "take_step", DecisionReasons.WaitingForDeadline, "take_step", "take_step", DecisionReasons.PlanComplete, DecisionReasons.PlanComplete],
            log.Select(l => l.Decision.Reason()));
        var steps = log.Steps();
        Assert.Equal([D("2025-02-03"), D("2025-06-16"), D("2025-07-01"), null], steps.Select(s => s.Deadline));
        Assert.Equal(["35.00", "35.00", "0.00", "0.00"], steps.Select(s => s.Fee.ToDecimalString()));
    }

    [Fact]
    public void Never_two_steps_on_the_same_day_even_with_zero_day_deadlines()
    {
        var plan = new DunningPlan
        {
            Code = "zero", Name = "zero",
            Steps =
            [
                new DunningStep { Kind = StepKind.Reminder, DaysAfterDue = 14, DeadlineDays = 0, Fee = FeeSpec.Legal },
                new DunningStep { Kind = StepKind.Reminder, DaysAfterPreviousDeadline = 0, DeadlineDays = 0, Fee = FeeSpec.Legal },
            ],
        };
        var claim = Claim("2025-01-06");
        var first = Decide(claim, "2025-01-20", plan);
        var after = claim.Apply(first);
        var again = Assert.IsType<DunningDecision.NoAction>(Decide(after, "2025-01-20", plan));
        Assert.Equal((DecisionReasons.StepTakenToday, (DateOnly?)D("2025-01-21")), (again.Reason, again.NextReviewOn));
        var second = Assert.IsType<DunningDecision.TakeStep>(Decide(after, "2025-01-21", plan));
        Assert.Equal(FeeReasons.FirstDeadlineUnder14Days, second.FeeReason); // a 0-day first deadline blocks the second fee
    }

    [Theory]
    [InlineData(0, "2025-01-20", "take_step")]
    [InlineData(3, "2025-01-22", DecisionReasons.TooEarly)]
    [InlineData(3, "2025-01-23", "take_step")]
    public void Postal_days_delay_when_a_step_becomes_due(int postalDays, string today, string expected)
    {
        var plan = Two with { PostalDays = postalDays };
        Assert.Equal(expected, Decide(Claim("2025-01-06"), today, plan).Reason());
    }

    [Fact]
    public void Postal_days_change_neither_deadlines_nor_the_14_day_fee_rule()
    {
        var plan = new DunningPlan
        {
            Code = "p", Name = "p", PostalDays = 3,
            Steps = [new DunningStep { Kind = StepKind.Reminder, DaysAfterDue = 10, DeadlineDays = 14, Fee = FeeSpec.Legal }],
        };
        var take = Assert.IsType<DunningDecision.TakeStep>(Decide(Claim("2025-01-06"), "2025-01-19", plan)); // due + 10 + 3 = day 13
        Assert.Equal((D("2025-02-02"), FeeReasons.Under14DaysAfterDue), (take.Deadline!.Value, take.FeeReason));
        var later = Assert.IsType<DunningDecision.TakeStep>(Decide(Claim("2025-01-06"), "2025-01-20", plan));
        Assert.Equal("35.00", later.Fee.ToDecimalString());
    }

    [Fact]
    public void Minimum_amount_holds_small_claims()
    {
        var plan = Two with { MinimumAmount = Money.Nok(100m) };
        Assert.Equal(DecisionReasons.BelowMinimum, Decide(Claim("2025-01-06", 99.99m), "2025-01-20", plan).Reason());
        Assert.Equal("take_step", Decide(Claim("2025-01-06", 100m), "2025-01-20", plan).Reason());
        var partlyPaid = Claim("2025-01-06", 1000m) with { OpenPrincipal = Money.Nok(50m) };
        Assert.Equal(DecisionReasons.BelowMinimum, Decide(partlyPaid, "2025-01-20", plan).Reason());
    }

    [Fact]
    public void Handover_comes_after_the_last_step_and_then_the_plan_is_complete()
    {
        var (final, log) = Run(Claim("2025-01-06"), DefaultPlans.Norwegian, Rules, Daily("2025-01-01", "2025-04-30"));
        var steps = log.Steps();
        Assert.Equal([StepKind.Reminder, StepKind.CollectionNotice, StepKind.Handover], steps.Select(s => s.Kind));
        Assert.Equal([D("2025-01-20"), D("2025-02-04"), D("2025-02-19")], steps.Select(s => s.SentOn));
        Assert.Equal([DunningList.Reminder1, DunningList.CollectionNotice, DunningList.ReadyForHandover], steps.Select(s => s.MovesTo));
        var handover = steps[^1];
        Assert.Equal((null, "0.00", (string?)null, ""), (handover.Deadline, handover.Fee.ToDecimalString(), handover.FeeReason, handover.Template));
        Assert.Equal(DecisionReasons.PlanComplete, DunningPolicy.Decide(final, DefaultPlans.Norwegian, Rules, D("2025-05-01")).Reason());
        Assert.Equal(DunningList.ReadyForHandover, DunningLists.Compute(final, DefaultPlans.Norwegian, Rules, D("2025-05-01")));
        Assert.Equal(DunningList.WithAgency, DunningLists.Compute(final with { HandedOverOn = D("2025-02-20") }, DefaultPlans.Norwegian, Rules, D("2025-05-01")));
    }

    [Theory]
    [InlineData("2025-02-08", "2025-02-10")] // Saturday → Monday
    [InlineData("2025-04-17", "2025-04-22")] // skjærtorsdag → Tuesday after 2. påskedag
    [InlineData("2025-05-17", "2025-05-19")] // 17 May (a Saturday) → Monday
    [InlineData("2025-12-24", "2025-12-29")] // 24 Dec, 25–26 holidays, 27–28 weekend
    [InlineData("2025-02-10", "2025-02-10")] // a banking day stays
    public void Due_date_on_a_non_banking_day_counts_as_the_next_banking_day(string due, string moved)
    {
        Assert.Equal(D(moved), TestBankingCalendar.Instance.NextBankingDayOnOrAfter(D(due)));
        var firstDay = D(moved).AddDays(14); // the plan's days_after_due counts from the moved date (C1)
        var early = Assert.IsType<DunningDecision.NoAction>(Decide(Claim(due), firstDay.AddDays(-1).ToString("yyyy-MM-dd")));
        Assert.Equal((DecisionReasons.TooEarly, (DateOnly?)firstDay), (early.Reason, early.NextReviewOn));
        var take = Assert.IsType<DunningDecision.TakeStep>(Decide(Claim(due), firstDay.ToString("yyyy-MM-dd")));
        Assert.Equal((true, (string?)null), (take.Fee.IsPositive, take.FeeReason)); // 35.00, or 37.50 when sent in 2026
        Assert.Equal(DunningList.Overdue, DunningLists.Compute(Claim(due), Two, Rules, D(moved).AddDays(1)));
        Assert.Equal(DunningList.NotDue, DunningLists.Compute(Claim(due), Two, Rules, D(moved)));
    }

    [Fact]
    public void Fee_rule_counts_from_the_moved_due_date()
    {
        // Due Saturday 2025-02-08 → 2025-02-10. A reminder on 2025-02-23 is 15 days after the written due date
        // but only 13 after the moved one: no fee (C1 applies to the 14-day fee rule).
        var plan = Two with { Steps = [Two.Steps[0] with { DaysAfterDue = 13 }, .. Two.Steps.Skip(1)] };
        var take = Assert.IsType<DunningDecision.TakeStep>(Decide(Claim("2025-02-08"), "2025-02-23", plan)); // 15 days after written, 13 after moved
        Assert.Equal(FeeReasons.Under14DaysAfterDue, take.FeeReason);
    }

    [Fact]
    public void Deadlines_are_not_moved_by_default_but_may_be_extended_to_a_banking_day()
    {
        // Sent Thursday 2025-04-03 + 14 = 2025-04-17 (skjærtorsdag).
        var claim = Claim("2025-03-20");
        var plain = Assert.IsType<DunningDecision.TakeStep>(Decide(claim, "2025-04-03"));
        Assert.Equal(D("2025-04-17"), plain.Deadline);
        Assert.Empty(plain.Notes);

        var extending = Two with { Steps = [Two.Steps[0] with { ExtendDeadlineToBankingDay = true }, .. Two.Steps.Skip(1)] };
        var moved = Assert.IsType<DunningDecision.TakeStep>(Decide(claim, "2025-04-03", extending));
        Assert.Equal(D("2025-04-22"), moved.Deadline);
        Assert.Equal([StepNotes.DeadlineMovedToBankingDay], moved.Notes);
    }

    [Fact]
    public void Collection_notice_and_payment_demand_deadlines_are_raised_to_14_days()
    {
        var (_, log) = Run(Claim("2025-02-17"), DefaultPlans.FixedFees, Rules, Daily("2025-02-17", "2025-05-01"));
        var steps = log.Steps();
        Assert.Equal([14, 14, 14], steps.Take(3).Select(s => s.Deadline!.Value.DayNumber - s.SentOn.DayNumber));
        Assert.Equal([[], [StepNotes.DeadlineRaisedTo14Days], [StepNotes.DeadlineRaisedTo14Days], []], steps.Select(s => s.Notes.ToArray()));
        Assert.Equal(["25.00", "35.00", "105.00", "0.00"], steps.Select(s => s.Fee.ToDecimalString()));
    }

    [Fact]
    public void Own_collection_notice_switched_off_refuses_the_step_with_a_reason()
    {
        var rules = RuleSet.Norway(TestBankingCalendar.Instance, new CreditorSwitches { OwnCollectionNoticeAllowed = false });
        var (_, log) = Run(Claim("2025-01-06"), DefaultPlans.Norwegian, rules, Daily("2025-01-01", "2025-03-31"));
        Assert.Equal([StepKind.Reminder], log.Steps().Select(s => s.Kind));
        var last = Assert.IsType<DunningDecision.NoAction>(log[^1].Decision);
        Assert.Equal((DecisionReasons.NotAllowed, NotAllowedDetails.OwnCollectionNoticeDisabled), (last.Reason, last.Detail));
    }

    [Fact]
    public void Held_by_creditor_stops_the_automatic_run_only()
    {
        var claim = Claim("2025-01-06") with { HeldByCreditor = true };
        Assert.Equal(DecisionReasons.HeldByCreditor, Decide(claim, "2025-01-20").Reason());
        Assert.IsType<DunningDecision.TakeStep>(ManualMove.Check(claim, Two, Rules, D("2025-01-20")));
    }

    [Theory]
    [InlineData(Settlement.Paid, DecisionReasons.Paid)]
    [InlineData(Settlement.Credited, DecisionReasons.Credited)]
    [InlineData(Settlement.WrittenOff, DecisionReasons.WrittenOff)]
    public void Settled_claims_are_never_dunned(Settlement settlement, string reason)
    {
        Assert.Equal(reason, Decide(Claim("2025-01-06") with { Settlement = settlement, OpenPrincipal = Money.Nok(0) }, "2025-02-20").Reason());
        Assert.Equal(DecisionReasons.Paid, Decide(Claim("2025-01-06") with { OpenPrincipal = Money.Nok(-5) }, "2025-02-20").Reason());
    }

    [Fact]
    public void Outstanding_is_the_open_principal_and_the_claim_currency_must_match_the_plan()
    {
        var take = Assert.IsType<DunningDecision.TakeStep>(Decide(Claim("2025-01-06") with { OpenPrincipal = Money.Nok(600m) }, "2025-01-20"));
        Assert.Equal("600.00", take.Outstanding.ToDecimalString());
        var eur = Claim("2025-01-06") with { OpenPrincipal = new Money(10m, Currency.Parse("EUR")) };
        Assert.Equal(DecisionReasons.CurrencyMismatch, Decide(eur, "2025-01-20").Reason());
    }

    [Fact]
    public void Too_early_before_and_on_the_due_date_with_the_review_date_set()
    {
        var no = Assert.IsType<DunningDecision.NoAction>(Decide(Claim("2025-01-06"), "2025-01-06"));
        Assert.Equal((DecisionReasons.TooEarly, (DateOnly?)D("2025-01-20")), (no.Reason, no.NextReviewOn));
        var take = Assert.IsType<DunningDecision.TakeStep>(Decide(Claim("2025-01-06"), "2025-01-20"));
        Assert.Equal(D("2025-02-04"), take.NextReviewOn); // deadline 2025-02-03 + 1
    }

    [Fact]
    public void Waiting_for_deadline_is_reported_until_the_previous_deadline_lapses()
    {
        var plan = Two with { Steps = [Two.Steps[0], Two.Steps[1] with { DaysAfterPreviousDeadline = 5 }, .. Two.Steps.Skip(2)] };
        var claim = Claim("2025-01-06").Apply(Decide(Claim("2025-01-06"), "2025-01-20", plan));
        Assert.Equal(DecisionReasons.WaitingForDeadline, Decide(claim, "2025-02-03", plan).Reason());
        Assert.Equal(DecisionReasons.TooEarly, Decide(claim, "2025-02-04", plan).Reason());
        Assert.Equal("take_step", Decide(claim, "2025-02-08", plan).Reason());
    }

    [Fact]
    public void Minimum_days_in_list_hold_the_next_step()
    {
        var plan = Two with { Steps = [Two.Steps[0], Two.Steps[1] with { MinDaysInPreviousList = 20 }, .. Two.Steps.Skip(2)] };
        var claim = Claim("2025-01-06").Apply(Decide(Claim("2025-01-06"), "2025-01-20", plan));
        var no = Assert.IsType<DunningDecision.NoAction>(Decide(claim, "2025-02-04", plan));
        Assert.Equal((DecisionReasons.MinDaysInList, (DateOnly?)D("2025-02-09")), (no.Reason, no.NextReviewOn));
        Assert.Equal("take_step", Decide(claim, "2025-02-09", plan).Reason());
    }

    [Fact]
    public void Letter_grouping_key_is_per_customer_or_per_claim()
    {
        var perInvoice = Assert.IsType<DunningDecision.TakeStep>(Decide(Claim("2025-01-06", id: 17, customer: 42), "2025-01-20"));
        Assert.Equal("customer:42/claim:17/reminder/reminder", perInvoice.GroupKey.ToString());
        var grouped = Two with { Grouping = LetterGrouping.PerCustomer };
        var a = Assert.IsType<DunningDecision.TakeStep>(Decide(Claim("2025-01-06", id: 17, customer: 42), "2025-01-20", grouped));
        var b = Assert.IsType<DunningDecision.TakeStep>(Decide(Claim("2025-01-03", id: 18, customer: 42), "2025-01-20", grouped));
        Assert.Equal(a.GroupKey, b.GroupKey);
        Assert.Equal("customer:42/reminder/reminder", a.GroupKey.ToString());
    }

    [Fact]
    public void Step_settings_flow_into_the_decision()
    {
        var plan = Two with { Steps = [Two.Steps[0] with { IncludeInterest = true, Channel = DeliveryChannel.Ehf, Template = "purring_b2b" }, .. Two.Steps.Skip(1)] };
        var take = Assert.IsType<DunningDecision.TakeStep>(Decide(Claim("2025-01-06"), "2025-01-20", plan));
        Assert.Equal((true, DeliveryChannel.Ehf, "purring_b2b", 0, 1), (take.IncludeInterest, take.Channel, take.Template, take.StepIndex, take.StepNumber));
        Assert.Equal(new TakenStep(0, StepKind.Reminder, D("2025-01-20"), D("2025-02-03"), Money.Nok(35m)), take.ToTakenStep());
    }

    [Fact]
    public void Payment_demand_and_handover_wait_for_the_collection_notice_deadline_even_if_a_state_says_otherwise()
    {
        // A claim whose inkassovarsel was sent manually late: the plan's 3-days-after timing would fall before its deadline.
        var claim = Claim("2025-01-06") with
        {
            StepsTaken =
            [
                new TakenStep(0, StepKind.Reminder, D("2025-01-20"), D("2025-02-03"), Money.Nok(35)),
                new TakenStep(1, StepKind.CollectionNotice, D("2025-02-06"), D("2025-02-20"), Money.Nok(35)),
                new TakenStep(2, StepKind.PaymentDemand, D("2025-02-24"), D("2025-03-10"), Money.Nok(105)),
            ],
        };
        Assert.Equal(DecisionReasons.WaitingForDeadline, Decide(claim, "2025-03-10", DefaultPlans.ScenarioStandard).Reason());
        Assert.Equal(StepKind.Handover, Assert.IsType<DunningDecision.TakeStep>(Decide(claim, "2025-03-13", DefaultPlans.ScenarioStandard)).Kind);
    }

    [Fact]
    public void An_invalid_plan_is_refused_with_every_error()
    {
        var bad = new DunningPlan { Code = "", Name = "x", Steps = [] };
        var ex = Assert.Throws<ArgumentException>(() => DunningPolicy.Decide(Claim("2025-01-06"), bad, Rules, D("2025-02-01")));
        Assert.Contains("code: must not be empty", ex.Message);
        Assert.Contains("steps: must contain at least one step", ex.Message);
    }

    [Fact]
    public void Decide_is_deterministic()
    {
        var claim = Claim("2025-01-06");
        Assert.Equal(Decide(claim, "2025-01-20"), Decide(claim, "2025-01-20"));
    }
}
