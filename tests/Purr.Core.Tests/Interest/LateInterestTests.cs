using System.Globalization;
using Purr.Core.Interest;

namespace Purr.Core.Tests.Interest;

public class LateInterestTests
{
    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static readonly InterestRateTable Table = InterestRateTable.Default;

    private static LateInterestResult Calc(decimal principal, string due, string asOf, CustomerKind debtor = CustomerKind.Private,
        IEnumerable<InterestPayment>? payments = null, LateInterestOptions? options = null) =>
        LateInterest.Calculate(Money.Nok(principal), D(due), D(asOf), debtor, Table, payments, options);

    [Fact]
    public void Worked_example_across_the_2025_mid_year_rate_change()
    {
        // NORWAY-RULES §2: 10 days at 12.50 + 10 days at 12.25 = 67.81.
        var r = Calc(10_000m, "2025-06-20", "2025-07-10");
        Assert.Equal(Money.Nok(67.81m), r.Total);
        Assert.True(r.IsComplete);
        Assert.Equal(
            [(D("2025-06-21"), D("2025-06-30"), 10, 12.50m), (D("2025-07-01"), D("2025-07-10"), 10, 12.25m)],
            r.Lines.Select(l => (l.From, l.To, l.Days, l.RatePercent)));
        Assert.All(r.Lines, l => Assert.Equal(Money.Nok(10_000m), l.Principal));
        Assert.Equal("34.25", r.Lines[0].Amount.ToDecimalString());
        Assert.Equal("33.56", r.Lines[1].Amount.ToDecimalString());
    }

    [Fact]
    public void Worked_example_across_new_year_2026()
    {
        // 16 days at 12.25 (2025) + 14 days at 12.00 (2026) = 99.73.
        var r = Calc(10_000m, "2025-12-15", "2026-01-14");
        Assert.Equal(Money.Nok(99.73m), r.Total);
        Assert.Equal(
            [(D("2025-12-16"), D("2025-12-31"), 16, 12.25m, 365), (D("2026-01-01"), D("2026-01-14"), 14, 12.00m, 365)],
            r.Lines.Select(l => (l.From, l.To, l.Days, l.RatePercent, l.DaysInYear)));
        Assert.Equal(RateCertainty.Unverified, r.Lines[0].RateRow!.Certainty); // 2025 H2 is UNVERIFIED in the table
    }

    [Fact]
    public void Leap_day_counts_and_divides_by_366()
    {
        // 2024-02-28 .. 2024-03-02 = 4 days including 29 February: 10 000 × 12.50 % × 4 / 366 = 13.6612 → 13.66.
        var r = Calc(10_000m, "2024-02-27", "2024-03-02");
        Assert.Equal(Money.Nok(13.66m), r.Total);
        var line = Assert.Single(r.Lines);
        Assert.Equal((4, 366), (line.Days, line.DaysInYear));
    }

    [Fact]
    public void A_period_over_new_year_into_a_leap_year_is_split_by_year_length()
    {
        // 11 days at 11.75/365 (2023) + 10 days at 12.50/366 (2024) = 69.5640 → 69.56.
        var r = Calc(10_000m, "2023-12-20", "2024-01-10");
        Assert.Equal(Money.Nok(69.56m), r.Total);
        Assert.Equal([(11, 365, 11.75m), (10, 366, 12.50m)], r.Lines.Select(l => (l.Days, l.DaysInYear, l.RatePercent)));
        // 2024-12-31 → 2025-01-02 splits at the year end even though the rate (12.50) does not change.
        var n = Calc(100_000m, "2024-12-30", "2025-01-02");
        Assert.Equal([(1, 366), (2, 365)], n.Lines.Select(l => (l.Days, l.DaysInYear)));
        Assert.Equal(Money.Nok(102.65m), n.Total); // 34.153 + 68.493 = 102.646
    }

    [Fact]
    public void Rate_change_inside_a_leap_year_at_1_july_2024()
    {
        // 2024-06-29..2024-07-03: the 2024-07-01 row (12.50, unverified) follows 2024-01-01 (12.50): split, same rate.
        var r = Calc(2_500m, "2024-06-28", "2024-07-03");
        Assert.Equal([(D("2024-06-29"), 2), (D("2024-07-01"), 3)], r.Lines.Select(l => (l.From, l.Days)));
        Assert.Equal(Money.Nok(4.27m), r.Total); // 2 500 × 12.50 % × 5 / 366 = 4.2691
    }

    [Fact]
    public void A_partial_payment_bears_interest_on_its_own_day_and_reduces_the_principal_from_the_next()
    {
        // 1 000 due 2025-01-14; 400 paid 2025-01-24: 10 days on 1 000 (15th..24th), then 33 days on 600 = 10.21.
        var r = Calc(1_000m, "2025-01-14", "2025-02-26", payments: [new(D("2025-01-24"), Money.Nok(400m))]);
        Assert.Equal(Money.Nok(10.21m), r.Total);
        Assert.Equal(
            [(D("2025-01-15"), D("2025-01-24"), 1_000m), (D("2025-01-25"), D("2025-02-26"), 600m)],
            r.Lines.Select(l => (l.From, l.To, l.Principal.Amount)));
    }

    [Fact]
    public void Full_payment_ends_interest_after_its_date()
    {
        var paid = Calc(10_000m, "2025-06-20", "2025-12-31", payments: [new(D("2025-07-10"), Money.Nok(10_000m))]);
        Assert.Equal(Money.Nok(67.81m), paid.Total); // as if computed to the payment date
        Assert.Equal(D("2025-07-10"), paid.Lines[^1].To);
        // Overpaid: principal never goes negative, so no negative interest.
        var over = Calc(10_000m, "2025-06-20", "2025-12-31", payments: [new(D("2025-07-10"), Money.Nok(12_000m))]);
        Assert.Equal(paid.Total, over.Total);
    }

    [Fact]
    public void Payments_before_or_on_the_due_date_reduce_the_principal_for_every_interest_day()
    {
        var early = Calc(10_000m, "2025-06-20", "2025-07-10", payments: [new(D("2025-06-01"), Money.Nok(5_000m))]);
        var onDue = Calc(10_000m, "2025-06-20", "2025-07-10", payments: [new(D("2025-06-20"), Money.Nok(5_000m))]);
        Assert.Equal(Money.Nok(33.90m), early.Total); // half of 67.808 = 33.904
        Assert.Equal(early.Total, onDue.Total);
        Assert.All(onDue.Lines, l => Assert.Equal(5_000m, l.Principal.Amount));
    }

    [Fact]
    public void A_payment_on_the_first_interest_day_or_on_a_rate_change_day_still_bears_interest_that_day()
    {
        var first = Calc(10_000m, "2025-06-20", "2025-06-23", payments: [new(D("2025-06-21"), Money.Nok(10_000m))]);
        Assert.Equal((D("2025-06-21"), D("2025-06-21"), 10_000m), first.Lines.Select(l => (l.From, l.To, l.Principal.Amount)).Single());
        var july = Calc(10_000m, "2025-06-20", "2025-07-10",
            payments: [new(D("2025-07-01"), Money.Nok(4_000m)), new(D("2025-07-02"), Money.Nok(1_000m))]);
        Assert.Equal(
            [(D("2025-06-21"), D("2025-06-30"), 10_000m), (D("2025-07-01"), D("2025-07-01"), 10_000m),
             (D("2025-07-02"), D("2025-07-02"), 6_000m), (D("2025-07-03"), D("2025-07-10"), 5_000m)],
            july.Lines.Select(l => (l.From, l.To, l.Principal.Amount)));
    }

    [Fact]
    public void Payments_in_any_order_and_a_reversal()
    {
        var payments = new InterestPayment[]
        {
            new(D("2025-08-01"), Money.Nok(2_000m)),
            new(D("2025-07-01"), Money.Nok(3_000m)),
            new(D("2025-07-15"), Money.Nok(-1_000m)), // a returned payment raises the principal again
        };
        var r = Calc(10_000m, "2025-06-20", "2025-08-10", payments: payments);
        Assert.Equal([10_000m, 10_000m, 7_000m, 8_000m, 6_000m], r.Lines.Select(l => l.Principal.Amount));
        Assert.Equal([D("2025-06-21"), D("2025-07-01"), D("2025-07-02"), D("2025-07-16"), D("2025-08-02")], r.Lines.Select(l => l.From));
    }

    [Fact]
    public void A_missing_half_year_is_reported_and_never_invented()
    {
        var r = Calc(10_000m, "2026-06-20", "2026-07-10");
        Assert.False(r.IsComplete);
        Assert.Null(r.Total);
        Assert.Equal(Money.Nok(32.88m), r.KnownDaysTotal); // 10 days at 12.00 only
        Assert.Equal([new MissingRatePeriod(D("2026-07-01"), D("2026-07-10"))], r.MissingRates);
        Assert.Equal(D("2026-06-30"), r.Lines[^1].To);
        // Over the next new year the missing days stay one merged period.
        var longer = Calc(10_000m, "2026-06-20", "2027-02-01");
        Assert.Equal([new MissingRatePeriod(D("2026-07-01"), D("2027-02-01"))], longer.MissingRates);
        // Paid in full before the gap: nothing is missing.
        var paid = Calc(10_000m, "2026-06-20", "2026-09-01", payments: [new(D("2026-06-30"), Money.Nok(10_000m))]);
        Assert.True(paid.IsComplete);
        Assert.Equal(Money.Nok(32.88m), paid.Total);
    }

    [Fact]
    public void Days_before_the_first_row_are_missing_too()
    {
        var r = Calc(1_000m, "1993-12-20", "1994-01-10");
        Assert.Equal([new MissingRatePeriod(D("1993-12-21"), D("1993-12-31"))], r.MissingRates);
        Assert.Equal(D("1994-01-01"), Assert.Single(r.Lines).From);
    }

    [Fact]
    public void Nothing_is_owed_until_the_day_after_the_due_date()
    {
        foreach (var asOf in new[] { "2025-06-19", "2025-06-20" })
        {
            var r = Calc(10_000m, "2025-06-20", asOf);
            Assert.Equal(Money.Nok(0m), r.Total);
            Assert.Empty(r.Lines);
        }
        Assert.Equal(1, Assert.Single(Calc(10_000m, "2025-06-20", "2025-06-21").Lines).Days);
    }

    [Fact]
    public void Interest_may_start_on_the_due_date_itself()
    {
        var r = Calc(10_000m, "2025-06-20", "2025-07-10", options: new() { Start = InterestStart.DueDate });
        Assert.Equal(21, r.Lines.Sum(l => l.Days));
        Assert.Equal(Money.Nok(71.23m), r.Total); // one more day at 12.50: 67.808 + 3.425
    }

    [Fact]
    public void A_business_may_have_an_agreed_rate_that_replaces_the_statutory_one()
    {
        var r = Calc(10_000m, "2026-06-20", "2026-07-10", CustomerKind.Business, options: new() { AgreedRatePercent = 18m });
        Assert.True(r.IsComplete); // the agreed rate is known on every day, also after the table ends
        Assert.All(r.Lines, l => Assert.Equal(18m, l.RatePercent));
        Assert.All(r.Lines, l => Assert.Null(l.RateRow));
        Assert.Equal(Money.Nok(98.63m), r.Total); // 10 000 × 18 % × 20 / 365 = 98.630
        Assert.Equal(r.Total, Calc(10_000m, "2026-06-20", "2026-07-10", CustomerKind.Public, options: new() { AgreedRatePercent = 18m }).Total);
    }

    [Fact]
    public void A_consumer_never_pays_above_the_statutory_rate()
    {
        var statutory = Calc(10_000m, "2025-06-20", "2025-07-10");
        var agreedHigher = Calc(10_000m, "2025-06-20", "2025-07-10", options: new() { AgreedRatePercent = 18m });
        Assert.Equal(statutory.Total, agreedHigher.Total);
        Assert.Equal([12.50m, 12.25m], agreedHigher.Lines.Select(l => l.RatePercent));
        // A lower agreed rate is kept for a consumer; 12.40 is below 12.50 but above 12.25.
        var agreedBetween = Calc(10_000m, "2025-06-20", "2025-07-10", options: new() { AgreedRatePercent = 12.40m });
        Assert.Equal([12.40m, 12.25m], agreedBetween.Lines.Select(l => l.RatePercent));
        // With no statutory rate known, a consumer's cap cannot be checked: missing.
        Assert.False(Calc(10_000m, "2026-06-20", "2026-07-10", options: new() { AgreedRatePercent = 5m }).IsComplete);
    }

    [Fact]
    public void The_total_is_rounded_once_not_per_line()
    {
        // 10.00 for one day at 12.50 and one at 12.25: 0.003425 + 0.003356 = 0.00678 → 0.01, though each line rounds to 0.00.
        var r = Calc(10m, "2025-06-29", "2025-07-01");
        Assert.Equal(2, r.Lines.Count);
        Assert.All(r.Lines, l => Assert.Equal("0.00", l.Amount.ToDecimalString()));
        Assert.Equal(Money.Nok(0.01m), r.Total);
        // An exact half øre rounds away from zero: 14.60 × 12.50 % / 365 = 0.005 exactly.
        Assert.Equal(Money.Nok(0.01m), Calc(14.60m, "2025-01-01", "2025-01-02").Total);
    }

    [Fact]
    public void Misuse_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Calc(1_000m, "2025-01-01", "2025-02-01", options: new() { AgreedRatePercent = -1m }));
        var eur = new Money(10m, Currency.Parse("EUR"));
        Assert.Throws<CurrencyMismatchException>(() => Calc(1_000m, "2025-01-01", "2025-02-01", payments: [new(D("2025-01-10"), eur)]));
    }

    [Fact]
    public void A_claim_in_another_currency_is_rounded_to_its_minor_unit()
    {
        var r = LateInterest.Calculate(new Money(10_000m, Currency.Parse("EUR")), D("2025-06-20"), D("2025-07-10"), CustomerKind.Business, Table);
        Assert.Equal(new Money(67.81m, Currency.Parse("EUR")), r.Total);
    }
}
