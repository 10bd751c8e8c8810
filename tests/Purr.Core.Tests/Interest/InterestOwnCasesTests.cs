using System.Globalization;
using Purr.Core.Interest;

namespace Purr.Core.Tests.Interest;

/// <summary>Cases worked out by hand (arithmetic in the comments), the on-time payment rule, and table overlays.</summary>
public class InterestOwnCasesTests
{
    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static readonly InterestRateTable Table = InterestRateTable.Default;

    [Theory]
    // 2 days in leap 2020 (29 Feb, 1 Mar) at 9.50: 1000 × 0.095 × 2 / 366 = 0.5191 → 0.52
    [InlineData("1000", "2020-02-28", "2020-03-01", "", "0.52")]
    // 5 days at 9.50 (26–30 June) + 5 at 8.00 (1–5 July), all /366: 50 000 × 0.875 / 366 = 119.5355 → 119.54
    [InlineData("50000", "2020-06-25", "2020-07-05", "", "119.54")]
    // the whole of 2021 at 8.00 / 365: exactly 8 000.00
    [InlineData("100000", "2020-12-31", "2021-12-31", "", "8000.00")]
    // the whole of leap 2024 at 12.50 / 366 (the 2024 H2 row is 12.50 too): exactly 12 500.00
    [InlineData("100000", "2023-12-31", "2024-12-31", "", "12500.00")]
    // 30 days on 20 000 (11 Mar – 9 Apr) + 30 days on 15 000 (10 Apr – 9 May) at 10.75 / 365 = 309.2466 → 309.25
    [InlineData("20000", "2023-03-10", "2023-05-09", "2023-04-09:5000", "309.25")]
    // 2003-12-31 at 12.00 / 365 (the 1994 row) + 2 days in leap 2004 at 9.25 / 366 = 3.2877 + 5.0546 = 8.3423 → 8.34
    [InlineData("10000", "2003-12-30", "2004-01-02", "", "8.34")]
    // 11 days 2019 at 9.25 / 365 + 10 days 2020 at 9.50 / 366 = 19.5137 + 18.1694 = 37.6831 → 37.68
    [InlineData("7000", "2019-12-20", "2020-01-10", "", "37.68")]
    // paid in two halves, the second on the last day: 10 days on 10 000 + 10 days on 5 000 at 12.50 / 365 = 51.3699 → 51.37
    [InlineData("10000", "2025-03-01", "2025-03-21", "2025-03-11:5000,2025-03-21:5000", "51.37")]
    public void Own_cases_computed_by_hand(string principal, string due, string asOf, string payments, string expected)
    {
        var paid = payments.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split(':')).Select(p => new InterestPayment(D(p[0]), Money.Nok(decimal.Parse(p[1], CultureInfo.InvariantCulture)))).ToList();
        var r = LateInterest.Calculate(Money.Nok(decimal.Parse(principal, CultureInfo.InvariantCulture)), D(due), D(asOf), CustomerKind.Private, Table, paid);
        Assert.True(r.IsComplete);
        Assert.Equal(expected, r.Total!.Value.ToDecimalString());
    }

    [Fact]
    public void A_payment_on_the_due_date_is_on_time_also_when_interest_runs_from_the_due_date()
    {
        var fromDueDate = new LateInterestOptions { Start = InterestStart.DueDate };
        var full = LateInterest.Calculate(Money.Nok(10_000m), D("2025-06-20"), D("2025-06-20"), CustomerKind.Private, Table,
            [new InterestPayment(D("2025-06-20"), Money.Nok(10_000m))], fromDueDate);
        Assert.Equal(Money.Nok(0m), full.Total);
        Assert.Empty(full.Lines);

        // Half paid on the due date: every interest day, the due date included, bears interest on the other half only.
        var half = LateInterest.Calculate(Money.Nok(10_000m), D("2025-06-20"), D("2025-06-30"), CustomerKind.Private, Table,
            [new InterestPayment(D("2025-06-20"), Money.Nok(5_000m))], fromDueDate);
        var line = Assert.Single(half.Lines);
        Assert.Equal((D("2025-06-20"), 11, 5_000m), (line.From, line.Days, line.Principal.Amount));
        Assert.Equal(Money.Nok(18.84m), half.Total); // 5 000 × 0.125 × 11 / 365 = 18.8356

        // A payment the day after the due date still bears interest that day, whatever the start.
        var late = LateInterest.Calculate(Money.Nok(10_000m), D("2025-06-20"), D("2025-06-21"), CustomerKind.Private, Table,
            [new InterestPayment(D("2025-06-21"), Money.Nok(10_000m))], fromDueDate);
        Assert.Equal(2, late.Lines.Sum(l => l.Days));
    }

    [Fact]
    public void An_overlay_replaces_a_half_year_and_extends_the_table_by_the_next_one()
    {
        var h2 = new InterestRateRow(D("2025-07-01"), 12.25m, 465m, RateCertainty.Verified, "FOR-2025-06-23-1321");
        var next = new InterestRateRow(D("2026-07-01"), 11.75m, null, RateCertainty.Verified, "FOR-2026-06-20-1");
        Assert.True(Table.TryOverlay([h2, next], out var t, out var problem), problem);
        Assert.Equal(D("2026-12-31"), t!.KnownUntil);
        Assert.Equal(RateCertainty.Verified, t.RateOn(D("2025-09-01")).Row!.Certainty);
        Assert.Equal(465m, t.RateOn(D("2025-09-01")).Row!.StandardCompensationNok);
        Assert.Equal(11.75m, t.RateOn(D("2026-07-01")).RatePercent);
        Assert.Equal(Table.Rows.Count + 1, t.Rows.Count);
        Assert.Equal(D("2026-06-30"), Table.KnownUntil); // the original is unchanged
    }

    [Fact]
    public void An_overlay_that_would_leave_a_gap_or_doubles_a_half_year_is_refused_with_the_reason()
    {
        var gap = new InterestRateRow(D("2027-01-01"), 11m, null, RateCertainty.Verified, "x");
        Assert.False(Table.TryOverlay([gap], out var t, out var problem));
        Assert.Null(t);
        Assert.StartsWith("2027-01-01:", problem);
        Assert.Contains("2026-07-01", problem);

        var a = new InterestRateRow(D("2026-07-01"), 11m, null, RateCertainty.Verified, "x");
        Assert.False(Table.TryOverlay([a, a with { RatePercent = 12m }], out _, out problem));
        Assert.Contains("two rows for the same half-year", problem);

        Assert.False(InterestRateTable.TryCreate([], out _, out problem));
        Assert.Contains("at least one row", problem);
        Assert.False(InterestRateTable.TryCreate([new InterestRateRow(D("2026-03-01"), 11m, null, RateCertainty.Verified, "x")], out _, out problem));
        Assert.Contains("half-year start", problem);
        Assert.False(InterestRateTable.TryCreate([new InterestRateRow(D("2026-07-01"), 11m, null, RateCertainty.Verified, " ")], out _, out problem));
        Assert.Contains("where the rate comes from", problem);
    }

    [Fact]
    public void Rows_given_out_of_order_are_sorted()
    {
        Assert.True(InterestRateTable.TryCreate(Table.Rows.Reverse(), out var t, out _));
        Assert.Equal(Table.Rows, t!.Rows);
    }
}
