using System.Globalization;
using Purr.Core.Interest;

namespace Purr.Core.Tests.Interest;

public class StandardCompensationTests
{
    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static StandardCompensationResult Calc(CustomerKind kind, string firstDay, decimal fees) =>
        StandardCompensation.Calculate(kind, D(firstDay), Money.Nok(fees), InterestRateTable.Default);

    [Fact]
    public void A_consumer_gets_nothing()
    {
        var r = Calc(CustomerKind.Private, "2025-03-04", 0m);
        Assert.Equal(StandardCompensationStatus.Consumer, r.Status);
        Assert.Equal(Money.Nok(0m), r.Amount);
        Assert.Equal("consumer", r.ReasonCode);
    }

    [Theory]
    [InlineData(CustomerKind.Business, "2025-03-04", 0, "470.00")]
    [InlineData(CustomerKind.Business, "2025-03-04", 35, "435.00")]
    [InlineData(CustomerKind.Public, "2025-06-30", 70, "400.00")]
    [InlineData(CustomerKind.Business, "2026-01-01", 37.50, "422.50")]
    public void The_half_years_amount_less_reminder_fees(CustomerKind kind, string firstDay, decimal fees, string expected)
    {
        var r = Calc(kind, firstDay, fees);
        Assert.Equal(StandardCompensationStatus.Claimable, r.Status);
        Assert.Equal(expected, r.Amount!.Value.ToDecimalString());
        Assert.Null(r.ReasonCode);
        Assert.Equal(InterestRateTable.HalfYearStart(D(firstDay)), r.HalfYearStart);
    }

    [Fact]
    public void Never_below_zero()
    {
        var r = Calc(CustomerKind.Business, "2025-03-04", 500m);
        Assert.Equal(StandardCompensationStatus.Claimable, r.Status);
        Assert.Equal(Money.Nok(0m), r.Amount);
        Assert.Equal(Money.Nok(470m), r.HalfYearAmount);
        Assert.Equal("covered_by_reminder_fees", r.ReasonCode);
    }

    [Theory]
    [InlineData("2025-07-01")] // 2025 H2: amount not known
    [InlineData("2023-12-31")] // 2023 H2: amount not known
    [InlineData("2024-12-31")] // 2024 H2: not known, and never carried over from 2024 H1 (470)
    [InlineData("2026-07-01")] // after the table
    public void An_unknown_half_year_amount_is_missing_never_guessed(string firstDay)
    {
        var r = Calc(CustomerKind.Business, firstDay, 0m);
        Assert.Equal(StandardCompensationStatus.Missing, r.Status);
        Assert.Null(r.Amount);
        Assert.Null(r.HalfYearAmount);
        Assert.Equal("missing", r.ReasonCode);
    }

    [Fact]
    public void Before_section_3a_came_into_force_there_is_none()
    {
        var r = Calc(CustomerKind.Business, "2013-03-15", 0m);
        Assert.Equal(StandardCompensationStatus.NotInForce, r.Status);
        Assert.Equal(Money.Nok(0m), r.Amount);
        Assert.Equal(StandardCompensationStatus.Missing, Calc(CustomerKind.Business, "2013-03-16", 0m).Status); // no 2013 H1 amount known
        Assert.Equal("320.00", Calc(CustomerKind.Business, "2014-02-01", 0m).Amount!.Value.ToDecimalString());
    }

    [Fact]
    public void Misuse_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Calc(CustomerKind.Business, "2025-03-04", -1m));
        Assert.Throws<CurrencyMismatchException>(() =>
            StandardCompensation.Calculate(CustomerKind.Business, D("2025-03-04"), new Money(1m, Currency.Parse("EUR")), InterestRateTable.Default));
    }
}
