using Purr.Core;

namespace Purr.Core.Tests;

public class MoneyTests
{
    [Theory]
    [InlineData("0.005", "0.01")]
    [InlineData("-0.005", "-0.01")]
    [InlineData("2.675", "2.68")]
    [InlineData("2.665", "2.67")] // half away from zero, not banker's rounding (which gives 2.66)
    [InlineData("37.499", "37.50")]
    public void RoundToMinorUnit_rounds_half_away_from_zero(string raw, string expected)
    {
        var m = Money.Nok(decimal.Parse(raw, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected, m.RoundToMinorUnit().ToDecimalString());
    }

    [Fact]
    public void Mixing_currencies_is_refused()
    {
        var nok = Money.Nok(10m);
        var eur = new Money(10m, Currency.Parse("EUR"));
        Assert.Throws<CurrencyMismatchException>(() => nok + eur);
        Assert.Throws<CurrencyMismatchException>(() => nok < eur);
    }

    [Fact]
    public void Minor_units_round_trip_and_refuse_unrounded_amounts()
    {
        Assert.Equal(123456L, Money.Nok(1234.56m).ToMinorUnits());
        Assert.Equal(Money.Nok(-0.01m), Money.FromMinorUnits(-1, Currency.Nok));
        Assert.Throws<InvalidOperationException>(() => Money.Nok(1.005m).ToMinorUnits());
    }

    [Fact]
    public void Negative_amounts_are_allowed_for_credit_notes_and_overpayments()
    {
        var balance = Money.Nok(100m) - Money.Nok(250m);
        Assert.True(balance.IsNegative);
        Assert.Equal("-150.00", balance.ToDecimalString());
    }

    [Fact]
    public void Ordering_and_equality_follow_the_amount()
    {
        Assert.True(Money.Nok(1m) < Money.Nok(2m));
        Assert.Equal(Money.Nok(2m), Money.Max(Money.Nok(1m), Money.Nok(2m)));
        Assert.Equal(Money.Nok(1.50m), Money.Nok(1.5m)); // decimal equality ignores trailing zeros
    }
}
