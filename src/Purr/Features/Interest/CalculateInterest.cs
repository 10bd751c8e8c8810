using System.Globalization;
using System.Text.RegularExpressions;
using Purr.Core;
using Purr.Core.Calendar;
using Purr.Core.Formats;
using Purr.Core.Interest;
using Purr.Features.Common;

namespace Purr.Features.Interest;

/// <summary>One period of constant principal and rate, as shown.</summary>
/// <param name="From">First day.</param>
/// <param name="To">Last day (inclusive).</param>
/// <param name="Days">Days in the period.</param>
/// <param name="Rate">Annual rate in percent, e.g. "12.25".</param>
/// <param name="DaysInYear">365 or 366.</param>
/// <param name="Principal">Principal bearing interest on each day.</param>
/// <param name="Amount">The period's interest rounded for display; the total is rounded once from the exact sum.</param>
/// <param name="Certainty">The rate row's certainty; null for an agreed rate.</param>
/// <param name="Unverified">True when the rate is unverified: flag it.</param>
public sealed record InterestPeriodDto(DateOnly From, DateOnly To, int Days, string Rate, int DaysInYear, string Principal, string Amount, string? Certainty, bool Unverified);

/// <summary>Days with outstanding principal and no known rate.</summary>
public sealed record MissingRateDto(DateOnly From, DateOnly To, int Days);

/// <summary>Turns core results into what hosts show.</summary>
public static class InterestDtos
{
    public static IReadOnlyList<InterestPeriodDto> Periods(LateInterestResult r) =>
        r.Lines.Select(l => new InterestPeriodDto(l.From, l.To, l.Days, Rates.Percent(l.RatePercent), l.DaysInYear, l.Principal.ToDecimalString(),
            l.Amount.ToDecimalString(), l.RateRow is { } row ? Rates.Word(row.Certainty) : null, l.RateRow?.Certainty == RateCertainty.Unverified)).ToList();

    public static IReadOnlyList<MissingRateDto> Missing(LateInterestResult r) =>
        r.MissingRates.Select(m => new MissingRateDto(m.From, m.To, m.To.DayNumber - m.From.DayNumber + 1)).ToList();

    /// <summary>Warnings for a result: missing half-years (never guessed) and unverified rates used.</summary>
    public static IReadOnlyList<string> Warnings(LateInterestResult r)
    {
        var warnings = new List<string>();
        foreach (var m in r.MissingRates)
            warnings.Add(m.To == DateOnly.MaxValue
                ? $"no forsinkelsesrente is known from {m.From:yyyy-MM-dd}: the total is missing, not guessed; add the half-year with 'purr rates add'"
                : $"no forsinkelsesrente is known for {m.From:yyyy-MM-dd} to {m.To:yyyy-MM-dd} ({m.To.DayNumber - m.From.DayNumber + 1} days): the total is missing, not guessed; add the half-year with 'purr rates add'");
        foreach (var row in r.Lines.Select(l => l.RateRow).OfType<InterestRateRow>().Where(x => x.Certainty == RateCertainty.Unverified).Distinct())
            warnings.Add($"the rate {Rates.Percent(row.RatePercent)} % from {row.From:yyyy-MM-dd} is unverified: check the regulation (purr rates list)");
        return warnings;
    }
}

/// <summary>
/// Computes forsinkelsesrente for given figures, without any invoice: principal, due date, the last interest day and
/// partial payments. A due date on a non-banking day is moved to the next banking day first (C1). A period without a
/// known rate makes the total missing (never guessed) and is listed.
/// </summary>
public static class CalculateInterest
{
    /// <param name="Principal">"10000", "10 000,00" or "10000.00".</param>
    /// <param name="Due">The due date, YYYY-MM-DD.</param>
    /// <param name="Paid">The last interest day (the payment date, or today), YYYY-MM-DD.</param>
    /// <param name="Payments">Partial payments "DATE:AMOUNT" separated by ',' or ';'.</param>
    /// <param name="Kind">private (default), business or public.</param>
    /// <param name="AgreedRate">An agreed annual rate in percent; for a private debtor it applies only below the statutory rate.</param>
    /// <param name="FromDueDate">Interest from the due date itself instead of the day after.</param>
    public sealed record Query(string Principal, string Due, string Paid, string? Payments = null, string? Kind = null, string? AgreedRate = null, bool FromDueDate = false);

    public sealed record PaymentDto(DateOnly Date, string Amount);

    /// <param name="Total">The interest, or null when some day had no known rate.</param>
    /// <param name="KnownDaysTotal">The interest over the days with a known rate (a lower bound when incomplete).</param>
    public sealed record Result(string Principal, string Currency, DateOnly DueDate, DateOnly EffectiveDueDate, DateOnly FirstInterestDay, DateOnly AsOf,
        string Kind, string? AgreedRate, string? Total, string KnownDaysTotal, bool Complete, IReadOnlyList<InterestPeriodDto> Periods,
        IReadOnlyList<MissingRateDto> Missing, IReadOnlyList<PaymentDto> Payments, IReadOnlyList<string> Warnings);

    // A comma separates payments only where a new DATE: follows, so "2025-07-01:5 000,00,2025-07-05:100" works.
    private static readonly Regex PaymentSeparator = new(@";|,(?=\s*\d{4}-\d{2}-\d{2}\s*:)", RegexOptions.CultureInvariant);

    public static async Task<Result> HandleAsync(Purr.Data.PurrDbContext db, Query q, CancellationToken ct)
    {
        var errors = new List<InputError>();
        InputError Arg(string name, string? raw, string expected) => new("(command)", 0, name, raw, expected);
        if (!AmountText.TryParse(q.Principal, out var principalAmount) || principalAmount <= 0m || decimal.Round(principalAmount, 2) != principalAmount)
            errors.Add(Arg("--principal", q.Principal, "expected a positive amount in NOK with at most two decimals, e.g. 10000, 10 000,00 or 10000.00"));
        if (!TryDate(q.Due, out var due)) errors.Add(Arg("--due", q.Due, "expected a date YYYY-MM-DD"));
        if (!TryDate(q.Paid, out var paid)) errors.Add(Arg("--paid", q.Paid, "expected a date YYYY-MM-DD"));
        var kind = CustomerKind.Private;
        if (q.Kind is not null && !Enum.TryParse(q.Kind.Trim(), true, out kind) || !Enum.IsDefined(kind))
            errors.Add(Arg("--kind", q.Kind, "expected private, business or public"));
        decimal? agreed = null;
        if (q.AgreedRate is not null)
        {
            if (AmountText.TryParse(q.AgreedRate, out var a) && a >= 0m && a <= 100m) agreed = a;
            else errors.Add(Arg("--agreed-rate", q.AgreedRate, "expected an annual rate in percent from 0 to 100, e.g. 15"));
        }
        var payments = new List<InterestPayment>();
        if (!string.IsNullOrWhiteSpace(q.Payments))
        {
            foreach (var item in PaymentSeparator.Split(q.Payments).Select(s => s.Trim()).Where(s => s.Length > 0))
            {
                var colon = item.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0 || !TryDate(item[..colon], out var date) || !AmountText.TryParse(item[(colon + 1)..], out var amount) || amount <= 0m || decimal.Round(amount, 2) != amount)
                    errors.Add(Arg("--payments", item, "expected DATE:AMOUNT, e.g. 2025-07-01:5000 or 2025-07-01:5 000,00 (several separated by ',' or ';')"));
                else payments.Add(new InterestPayment(date, Money.Nok(amount)));
            }
        }
        if (errors.Count == 0 && paid < due) errors.Add(Arg("--paid", q.Paid, $"expected a date on or after the due date {due:yyyy-MM-dd}"));
        if (errors.Count > 0) throw new RejectedInputException(errors);

        var rates = await LoadRateTable.HandleAsync(db, ct);
        var effective = NorwegianCalendar.Default.MoveToBankingDay(due);
        var options = new LateInterestOptions { Start = q.FromDueDate ? InterestStart.DueDate : InterestStart.DayAfterDueDate, AgreedRatePercent = agreed };
        var principal = Money.Nok(principalAmount);
        var r = LateInterest.Calculate(principal, effective, paid, kind, rates, payments, options);
        var warnings = InterestDtos.Warnings(r).ToList();
        if (effective != due) warnings.Insert(0, $"the due date {due:yyyy-MM-dd} is not a banking day: interest counts from {effective:yyyy-MM-dd} (convention C1)");
        return new Result(principal.ToDecimalString(), "NOK", due, effective, q.FromDueDate ? effective : effective.AddDays(1), paid,
            kind.ToString().ToLowerInvariant(), agreed is { } ag ? Rates.Percent(ag) : null, r.Total?.ToDecimalString(), r.KnownDaysTotal.ToDecimalString(),
            r.IsComplete, InterestDtos.Periods(r), InterestDtos.Missing(r),
            payments.OrderBy(p => p.Date).Select(p => new PaymentDto(p.Date, p.Amount.ToDecimalString())).ToList(), warnings);
    }

    internal static bool TryDate(string? raw, out DateOnly date) =>
        DateOnly.TryParseExact(raw?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
