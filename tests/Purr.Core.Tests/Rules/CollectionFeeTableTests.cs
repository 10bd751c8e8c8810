using Purr.Core.Dunning;
using Purr.Core.Rules;
using Purr.Core.Rules.Norway;
using static Purr.Core.Tests.Dunning.Timeline;

namespace Purr.Core.Tests.Rules;

public class CollectionFeeTableTests
{
    [Theory]
    [InlineData("2017-01-01", "Reminder", "70.00", "law")]
    [InlineData("2020-09-30", "Reminder", "70.00", "law")]
    [InlineData("2020-09-30", "CollectionNotice", "70.00", "law")]
    [InlineData("2020-09-30", "PaymentDemand", "210.00", "law")]
    [InlineData("2020-10-01", "Reminder", "35.00", "law")]
    [InlineData("2020-10-01", "CollectionNotice", "35.00", "law")]
    [InlineData("2020-10-01", "PaymentDemand", "105.00", "law")]
    [InlineData("2025-12-31", "Reminder", "35.00", "law")]
    [InlineData("2025-12-31", "PaymentDemand", "105.00", "law")]
    [InlineData("2026-01-01", "Reminder", "37.50", "derived")]
    [InlineData("2026-01-01", "CollectionNotice", "37.50", "derived")]
    [InlineData("2026-06-30", "PaymentDemand", "112.50", "derived")]
    public void Legal_maximum_is_fraction_times_inkassosats_at_the_send_date(string sendDate, string kind, string expected, string certainty)
    {
        var fee = CollectionFeeTable.Norway.LegalMaximum(Enum.Parse<StepKind>(kind), D(sendDate));
        Assert.NotNull(fee);
        Assert.Equal(expected, fee.Amount.ToDecimalString());
        Assert.Equal(certainty, fee.Certainty.ToCode());
        Assert.False(string.IsNullOrWhiteSpace(fee.Source));
    }

    [Fact]
    public void No_value_before_the_table_starts_and_none_for_a_handover()
    {
        Assert.Null(CollectionFeeTable.Norway.LegalMaximum(StepKind.Reminder, D("2016-12-31")));
        Assert.Null(CollectionFeeTable.Norway.LegalMaximum(StepKind.Handover, D("2025-01-01")));
    }

    [Fact]
    public void The_2026_inkassosats_is_flagged_derived_and_the_2017_one_law()
    {
        var rates = CollectionFeeTable.Norway.Inkassosats;
        Assert.Equal([Certainty.Law, Certainty.Derived], rates.Select(r => r.Certainty));
        Assert.Equal(["700.00", "750.00"], rates.Select(r => r.Amount.ToDecimalString()));
    }

    [Fact]
    public void A_fraction_never_rounds_above_the_exact_value()
    {
        Assert.Equal("35.62", new FeeFraction(1, 20).Of(Money.Nok(712.5m)).ToDecimalString()); // exact 35.625
        Assert.Equal("112.50", new FeeFraction(3, 20).Of(Money.Nok(750m)).ToDecimalString());
    }

    [Fact]
    public void A_table_refuses_two_periods_starting_the_same_day()
    {
        var rate = new InkassosatsPeriod(D("2020-01-01"), Money.Nok(700m), Certainty.Law, "x");
        var fractions = new FeeFractionPeriod(D("2020-01-01"), new(1, 20), new(1, 20), new(3, 20), Certainty.Law, "x");
        Assert.Throws<ArgumentException>(() => new CollectionFeeTable([rate, rate], [fractions]));
    }
}
