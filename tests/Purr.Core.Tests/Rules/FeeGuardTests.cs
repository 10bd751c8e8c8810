using Purr.Core.Dunning;
using Purr.Core.Rules;
using Purr.Core.Rules.Norway;
using static Purr.Core.Tests.Dunning.Timeline;

namespace Purr.Core.Tests.Rules;

public class FeeGuardTests
{
    private static readonly DateOnly Due = D("2025-03-03");

    private static TakenStep R(int index, string sent, int deadlineDays, decimal fee) =>
        new(index, StepKind.Reminder, D(sent), D(sent).AddDays(deadlineDays), Money.Nok(fee));

    private static TakenStep C(int index, string sent, int deadlineDays, decimal fee) =>
        new(index, StepKind.CollectionNotice, D(sent), D(sent).AddDays(deadlineDays), Money.Nok(fee));

    private static FeeResult Fee(StepKind kind, string send, FeeSpec? spec = null, bool disputed = false, params TakenStep[] previous) =>
        FeeGuard.Evaluate(new FeeRequest(kind, spec ?? FeeSpec.Legal, Currency.Nok, D(send), Due, previous, disputed), CollectionFeeTable.Norway);

    public static TheoryData<string, FeeResult, string, string?> Cases => new()
    {
        // name, result, expected fee, expected reason
        { "day 13 after due", Fee(StepKind.Reminder, "2025-03-16"), "0.00", FeeReasons.Under14DaysAfterDue },
        { "day 14 after due", Fee(StepKind.Reminder, "2025-03-17"), "35.00", null },
        { "inkassovarsel day 13", Fee(StepKind.CollectionNotice, "2025-03-16"), "0.00", FeeReasons.Under14DaysAfterDue },
        { "plan asks none", Fee(StepKind.Reminder, "2025-04-01", FeeSpec.None), "0.00", FeeReasons.PlanNone },
        { "disputed", Fee(StepKind.Reminder, "2025-04-01", disputed: true), "0.00", FeeReasons.Disputed },
        { "second fee after lapsed 14-day deadline", Fee(StepKind.Reminder, "2025-04-01", null, false, R(0, "2025-03-17", 14, 35)), "35.00", null },
        { "second fee on the deadline day", Fee(StepKind.Reminder, "2025-03-31", null, false, R(0, "2025-03-17", 14, 35)), "0.00", FeeReasons.PreviousDeadlineNotLapsed },
        { "second fee after a 10-day first deadline", Fee(StepKind.CollectionNotice, "2025-04-01", null, false, R(0, "2025-03-17", 10, 35)), "0.00", FeeReasons.FirstDeadlineUnder14Days },
        { "third fee", Fee(StepKind.CollectionNotice, "2025-05-01", null, false, R(0, "2025-03-17", 14, 35), R(1, "2025-04-01", 14, 35)), "0.00", FeeReasons.MaxTwoFees },
        { "reminder after a fee-bearing inkassovarsel", Fee(StepKind.Reminder, "2025-05-01", null, false, C(0, "2025-03-17", 14, 35)), "0.00", FeeReasons.FeeOrderNotAllowed },
        { "first fee-bearing is the second notice", Fee(StepKind.CollectionNotice, "2025-04-01", null, false, R(0, "2025-03-10", 7, 0)), "35.00", null },
        { "payment demand after lapsed 14-day notice", Fee(StepKind.PaymentDemand, "2025-04-01", null, false, C(0, "2025-03-17", 14, 35)), "105.00", null },
        { "payment demand on the notice deadline", Fee(StepKind.PaymentDemand, "2025-03-31", null, false, C(0, "2025-03-17", 14, 35)), "0.00", FeeReasons.NoLapsed14DayDeadline },
        { "payment demand after a 10-day notice only", Fee(StepKind.PaymentDemand, "2025-04-01", null, false, R(0, "2025-03-17", 10, 35)), "0.00", FeeReasons.NoLapsed14DayDeadline },
        { "payment demand after two fees still allowed", Fee(StepKind.PaymentDemand, "2025-05-01", null, false, R(0, "2025-03-17", 14, 35), C(1, "2025-04-01", 14, 35)), "105.00", null },
        { "second payment demand fee", Fee(StepKind.PaymentDemand, "2025-06-01", null, false, C(0, "2025-03-17", 14, 35),
            new TakenStep(1, StepKind.PaymentDemand, D("2025-04-01"), D("2025-04-15"), Money.Nok(105))), "0.00", FeeReasons.PaymentDemandFeeAlready },
        { "fixed fee below the maximum is kept", Fee(StepKind.Reminder, "2025-04-01", FeeSpec.Fixed(Money.Nok(25))), "25.00", null },
        { "fixed fee equal to the maximum", Fee(StepKind.Reminder, "2025-04-01", FeeSpec.Fixed(Money.Nok(35))), "35.00", null },
        { "fixed fee above the maximum is cut", Fee(StepKind.Reminder, "2025-04-01", FeeSpec.Fixed(Money.Nok(100))), "35.00", FeeReasons.CappedAtLegalMax },
        { "fixed payment demand fee cut", Fee(StepKind.PaymentDemand, "2025-04-01", FeeSpec.Fixed(Money.Nok(500)), false, C(0, "2025-03-17", 14, 35)), "105.00", FeeReasons.CappedAtLegalMax },
        { "handover never has a fee or reason", Fee(StepKind.Handover, "2025-05-01", FeeSpec.None), "0.00", null },
        { "before the table", FeeGuard.Evaluate(new FeeRequest(StepKind.Reminder, FeeSpec.Legal, Currency.Nok, D("2016-06-01"), D("2016-05-01"), [], false), CollectionFeeTable.Norway), "0.00", FeeReasons.RateUnknown },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fee_follows_inkassoforskriften(string name, FeeResult result, string fee, string? reason)
    {
        Assert.False(string.IsNullOrEmpty(name));
        Assert.Equal(fee, result.Amount.ToDecimalString());
        Assert.Equal(reason, result.Reason);
    }

    [Fact]
    public void A_2026_fee_is_37_50_and_flagged_derived()
    {
        var r = FeeGuard.Evaluate(new FeeRequest(StepKind.Reminder, FeeSpec.Legal, Currency.Nok, D("2026-02-01"), D("2026-01-05"), [], false), CollectionFeeTable.Norway);
        Assert.Equal("37.50", r.Amount.ToDecimalString());
        Assert.Equal(Certainty.Derived, r.Certainty);
        Assert.Equal("750.00", r.LegalMaximum!.Inkassosats.ToDecimalString());
    }

    [Fact]
    public void A_zero_fee_is_certain_even_in_2026()
    {
        var r = FeeGuard.Evaluate(new FeeRequest(StepKind.Reminder, FeeSpec.Legal, Currency.Nok, D("2026-01-10"), D("2026-01-05"), [], false), CollectionFeeTable.Norway);
        Assert.Equal(FeeReasons.Under14DaysAfterDue, r.Reason);
        Assert.Equal(Certainty.Law, r.Certainty);
    }
}
