namespace Purr.Core.Interest;

/// <summary>Which day is the first interest day.</summary>
public enum InterestStart
{
    /// <summary>The day after the due date (Altinn's wording; the usual calculator convention; the default).</summary>
    DayAfterDueDate,
    /// <summary>The due date itself (the law's literal "fra forfallsdag").</summary>
    DueDate,
}

/// <summary>A payment or credit that reduces the principal. Dated P, it still bears interest on P (convention C11).</summary>
/// <param name="Date">The payment date.</param>
/// <param name="Amount">The amount paid; a negative amount (a reversal) raises the principal again.</param>
public sealed record InterestPayment(DateOnly Date, Money Amount);

/// <summary>Choices for <see cref="LateInterest.Calculate"/>.</summary>
public sealed record LateInterestOptions
{
    /// <summary>The defaults: interest from the day after the due date, statutory rate.</summary>
    public static LateInterestOptions Default { get; } = new();

    /// <summary>The first interest day; default <see cref="InterestStart.DayAfterDueDate"/>.</summary>
    public InterestStart Start { get; init; } = InterestStart.DayAfterDueDate;

    /// <summary>
    /// A contractual annual rate in percent, or null for the statutory rate. For a business or public debtor it replaces
    /// the statutory rate on every day; for a consumer it applies only where it is lower (never above the statutory rate).
    /// </summary>
    public decimal? AgreedRatePercent { get; init; }
}

/// <summary>One period of constant principal, rate and year length.</summary>
/// <param name="From">First day.</param>
/// <param name="To">Last day (inclusive).</param>
/// <param name="Days">Number of days, To − From + 1.</param>
/// <param name="RatePercent">Annual rate in percent applied.</param>
/// <param name="DaysInYear">365 or 366, by the calendar year of the period.</param>
/// <param name="Principal">Outstanding principal on each day of the period.</param>
/// <param name="Amount">
/// Principal × rate / 100 × days / days-in-year at full precision (not rounded). Round it for display only: the total is
/// rounded once from the exact sum, so rounded lines may differ from it by an øre.
/// </param>
/// <param name="RateRow">The table row the rate came from; null when the agreed rate applied.</param>
public sealed record LateInterestLine(DateOnly From, DateOnly To, int Days, decimal RatePercent, int DaysInYear, Money Principal, Money Amount, InterestRateRow? RateRow);

/// <summary>Days on which principal was outstanding but no rate is known.</summary>
/// <param name="From">First day without a rate.</param>
/// <param name="To">Last day without a rate (inclusive).</param>
public sealed record MissingRatePeriod(DateOnly From, DateOnly To);

/// <summary>The interest on one claim up to a date.</summary>
/// <param name="Total">The interest rounded once to øre, or null when some day had no known rate (see <see cref="MissingRates"/>).</param>
/// <param name="KnownDaysTotal">The interest over the days with a known rate, rounded once: a lower bound, not a claim.</param>
/// <param name="Lines">One line per period, split at every rate change, year boundary and principal change.</param>
/// <param name="MissingRates">The periods with outstanding principal and no known rate; empty when complete.</param>
public sealed record LateInterestResult(Money? Total, Money KnownDaysTotal, IReadOnlyList<LateInterestLine> Lines, IReadOnlyList<MissingRatePeriod> MissingRates)
{
    /// <summary>True when every interest day had a rate, so <see cref="Total"/> is the interest.</summary>
    public bool IsComplete => MissingRates.Count == 0;
}

/// <summary>Late-payment interest (forsinkelsesrente): simple, daily, actual/actual by calendar year.</summary>
/// <remarks>
/// <para>Forsinkelsesrenteloven §§ 2–3 and NORWAY-RULES §2.3: no compounding (Rt. 1994 s. 25); one day's interest is the
/// outstanding principal that day × that day's rate / 100 / 365 (366 in a leap year, by the day's calendar year); the
/// rate changes apply to running claims. Days run from the day after the due date (option: from the due date) to
/// <c>asOf</c> inclusive. A payment dated P still bears interest on P and reduces the principal from P + 1 (C11); a
/// payment on or before the due date is on time and reduces it for every interest day (also when interest runs from the
/// due date itself). The total is rounded once, half away from zero, to the minor unit.</para>
/// <para>The due date passed in is the effective one: move a due date on a non-banking day first
/// (<see cref="Calendar.NorwegianCalendar.MoveToBankingDay"/>, convention C1).</para>
/// <para>Consumers never pay above the statutory rate; a business or public debtor may have agreed another rate
/// (NORWAY-RULES §1.7, §2.3). A day with outstanding principal and no known rate is reported, never guessed.</para>
/// </remarks>
public static class LateInterest
{
    /// <summary>Computes the interest on <paramref name="principal"/> from <paramref name="dueDate"/> to <paramref name="asOf"/>.</summary>
    /// <param name="principal">The claim's principal at the due date.</param>
    /// <param name="dueDate">The effective due date (after C1).</param>
    /// <param name="asOf">The last interest day: today, or the date of the final payment.</param>
    /// <param name="debtor">The kind of debtor.</param>
    /// <param name="table">The statutory rate table, e.g. <see cref="InterestRateTable.Default"/>.</param>
    /// <param name="payments">Payments and credits on the claim, in any order; each must be in the principal's currency.</param>
    /// <param name="options">Start day and agreed rate; <see cref="LateInterestOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">The agreed rate is negative.</exception>
    /// <exception cref="CurrencyMismatchException">A payment is in another currency.</exception>
    public static LateInterestResult Calculate(
        Money principal,
        DateOnly dueDate,
        DateOnly asOf,
        CustomerKind debtor,
        InterestRateTable table,
        IEnumerable<InterestPayment>? payments = null,
        LateInterestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        options ??= LateInterestOptions.Default;
        if (options.AgreedRatePercent is < 0m)
            throw new ArgumentOutOfRangeException(nameof(options), options.AgreedRatePercent, "an agreed rate cannot be negative");
        var currency = principal.Currency;
        var given = (payments ?? []).Where(p => !p.Amount.IsZero).ToList();
        foreach (var p in given)
            if (p.Amount.Currency != currency) throw new CurrencyMismatchException($"a payment in {p.Amount.Currency.Code} on a claim in {currency.Code}");

        var first = options.Start == InterestStart.DueDate ? dueDate : dueDate.AddDays(1);
        // The day each payment starts to reduce the principal. Dated P, it still bears interest on P and reduces it from
        // P + 1 (C11). A payment on or before the due date was on time: it reduces the principal from the first interest
        // day, also when interest runs from the due date itself.
        var changes = given
            .Select(p => (From: p.Date <= dueDate ? first : p.Date == DateOnly.MaxValue ? p.Date : p.Date.AddDays(1), p.Amount))
            .OrderBy(p => p.From).ToList();
        var lines = new List<LateInterestLine>();
        var missing = new List<MissingRatePeriod>();
        decimal numerator365 = 0m, numerator366 = 0m; // Σ principal × rate × days, by year length

        var outstanding = principal;
        var next = 0; // index of the first payment not yet applied
        for (var day = first; day <= asOf;)
        {
            // Principal on `day`: the amount minus every payment that reduces it by then.
            while (next < changes.Count && changes[next].From <= day) outstanding -= changes[next++].Amount;
            if (!outstanding.IsPositive && next == changes.Count) break; // settled for good: no more interest days
            var end = asOf;
            if (next < changes.Count && changes[next].From.AddDays(-1) < end) end = changes[next].From.AddDays(-1);
            var yearEnd = new DateOnly(day.Year, 12, 31);
            if (yearEnd < end) end = yearEnd;

            decimal? rate;
            InterestRateRow? row = null;
            var agreed = options.AgreedRatePercent;
            if (agreed is not null && debtor != CustomerKind.Private)
            {
                rate = agreed;
            }
            else
            {
                var lookup = table.RateOn(day);
                if (lookup.CoveredUntil < end) end = lookup.CoveredUntil;
                row = lookup.Row;
                rate = lookup.IsMissing ? null : agreed is { } cap ? Math.Min(cap, lookup.RatePercent) : lookup.RatePercent;
            }

            if (outstanding.IsPositive)
            {
                var days = end.DayNumber - day.DayNumber + 1;
                if (rate is { } r)
                {
                    var daysInYear = DateTime.IsLeapYear(day.Year) ? 366 : 365;
                    var product = outstanding.Amount * r * days;
                    if (daysInYear == 365) numerator365 += product; else numerator366 += product;
                    lines.Add(new LateInterestLine(day, end, days, r, daysInYear, outstanding,
                        new Money(product / (100m * daysInYear), currency), agreed is not null && r == agreed ? null : row));
                }
                else if (missing.Count > 0 && missing[^1].To.AddDays(1) == day)
                {
                    missing[^1] = missing[^1] with { To = end };
                }
                else
                {
                    missing.Add(new MissingRatePeriod(day, end));
                }
            }
            if (end == DateOnly.MaxValue) break;
            day = end.AddDays(1);
        }

        // One exact division: Σ n365/(100·365) + Σ n366/(100·366) = (n365·366 + n366·365) / (100·365·366).
        var exact = (numerator365 * 366m + numerator366 * 365m) / (100m * 365m * 366m);
        var known = new Money(exact, currency).RoundToMinorUnit();
        return new LateInterestResult(missing.Count == 0 ? known : null, known, lines, missing);
    }
}
