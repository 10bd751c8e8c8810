using System.Numerics;
using CsCheck;
using Purr.Core.Interest;

namespace Purr.Core.Tests.Interest;

/// <summary>Property tests: the interest equals an independent exact day-by-day sum, and grows with the paid date.</summary>
public class LateInterestPropertyTests
{
    private static readonly InterestRateTable Table = InterestRateTable.Default;
    private static readonly int FirstDay = Table.KnownFrom.DayNumber;
    private static readonly int LastDay = Table.KnownUntil.DayNumber;

    /// <summary>
    /// The oracle: every day separately, in exact integer arithmetic. Principal in øre, rate in 1/10 000 percent, so one
    /// day's interest is P·R / (10⁴ · 100 · days-in-year) øre. The sum is kept as a fraction and rounded once, half away
    /// from zero. The rate for a day is found by a plain scan of the rows (the last row starting on or before the day).
    /// </summary>
    private static long OracleOre(long principalOre, DateOnly due, DateOnly asOf, IReadOnlyList<(DateOnly Date, long Ore)> payments)
    {
        BigInteger sum365 = 0, sum366 = 0;
        for (var d = due.AddDays(1); d <= asOf; d = d.AddDays(1))
        {
            var p = principalOre;
            foreach (var (date, ore) in payments) if (date < d) p -= ore;
            if (p <= 0) continue;
            var rate = Table.Rows.Last(r => r.From <= d).RatePercent;
            var scaled = rate * 10_000m;
            Assert.Equal(decimal.Truncate(scaled), scaled); // rates have at most four decimals
            var pr = new BigInteger(p) * new BigInteger(scaled);
            if (DateTime.IsLeapYear(d.Year)) sum366 += pr; else sum365 += pr;
        }
        var numerator = sum365 * 366 + sum366 * 365;
        var denominator = new BigInteger(1_000_000) * 365 * 366;
        return (long)((2 * numerator + denominator) / (2 * denominator)); // numerator ≥ 0: half up = half away from zero
    }

    private static readonly Gen<(long Principal, DateOnly Due, DateOnly AsOf, (DateOnly, long)[] Payments)> Claims =
        from principal in Gen.Long[1, 100_000_000_00]               // 0.01 .. 100 million NOK, in øre
        from due in Gen.Int[FirstDay - 1, LastDay]
        from length in Gen.OneOf(Gen.Int[0, 40], Gen.Int[0, 900])
        // Payment dates often fall right at the start (due date, first interest day) or on consecutive days.
        from payments in Gen.Select(Gen.OneOf(Gen.Int[-2, 6], Gen.Int[-30, 900]), Gen.Long[1, 100_000_000_00]).Array[0, 4]
        let dueDate = DateOnly.FromDayNumber(due)
        let asOf = DateOnly.FromDayNumber(Math.Min(due + length, LastDay))
        select (principal, dueDate, asOf, payments.Select(p => (dueDate.AddDays(p.Item1), p.Item2 % (principal + 1))).ToArray());

    [Fact]
    public void Total_equals_the_exact_sum_of_daily_amounts_rounded_once()
    {
        Claims.Sample(c =>
        {
            var payments = c.Payments.Select(p => new InterestPayment(p.Item1, Money.FromMinorUnits(p.Item2, Currency.Nok))).ToList();
            var result = LateInterest.Calculate(Money.FromMinorUnits(c.Principal, Currency.Nok), c.Due, c.AsOf, CustomerKind.Private, Table, payments);
            Assert.True(result.IsComplete);
            Assert.Equal(OracleOre(c.Principal, c.Due, c.AsOf, c.Payments), result.Total!.Value.ToMinorUnits());
            // The lines cover every interest day with outstanding principal, once, in order, never across a year end.
            Assert.All(result.Lines, l => Assert.Equal(l.From.Year, l.To.Year));
            Assert.All(result.Lines.Zip(result.Lines.Skip(1)), p => Assert.True(p.First.To < p.Second.From));
            Assert.Equal(result.Lines.Sum(l => l.Days), result.Lines.Sum(l => l.To.DayNumber - l.From.DayNumber + 1));
        }, iter: 1000);
    }

    [Fact]
    public void Interest_grows_with_the_paid_date()
    {
        Gen.Select(Gen.Long[1, 10_000_000_00], Gen.Int[FirstDay - 1, LastDay], Gen.Int[0, 400], Gen.Int[0, 400]).Sample((principal, due, a, b) =>
        {
            var dueDate = DateOnly.FromDayNumber(due);
            var earlier = DateOnly.FromDayNumber(Math.Min(due + Math.Min(a, b), LastDay));
            var later = DateOnly.FromDayNumber(Math.Min(due + Math.Max(a, b), LastDay));
            Money Paid(DateOnly paid) => LateInterest.Calculate(Money.FromMinorUnits(principal, Currency.Nok), dueDate, paid, CustomerKind.Business, Table,
                [new InterestPayment(paid, Money.FromMinorUnits(principal, Currency.Nok))]).Total!.Value;
            Assert.True(Paid(earlier) <= Paid(later));
        }, iter: 300);
    }
}
