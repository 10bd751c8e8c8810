namespace Purr.Core.Interest;

/// <summary>Why a standard compensation is what it is.</summary>
public enum StandardCompensationStatus
{
    /// <summary>Payable: the half-year's amount less reminder fees (possibly 0 when the fees cover it).</summary>
    Claimable,
    /// <summary>The debtor is a consumer: § 3a does not apply; 0.</summary>
    Consumer,
    /// <summary>The first day of default is before § 3a came into force (2013-03-16); 0.</summary>
    NotInForce,
    /// <summary>The NOK amount for that half-year is not known. Never guessed: no amount.</summary>
    Missing,
}

/// <summary>The § 3a standard compensation for one claim.</summary>
/// <param name="Status">Why.</param>
/// <param name="Amount">The compensation that may be claimed; null when <see cref="StandardCompensationStatus.Missing"/>.</param>
/// <param name="HalfYearAmount">The regulation's NOK amount for the half-year, when known.</param>
/// <param name="HalfYearStart">The half-year containing the first day of default.</param>
public sealed record StandardCompensationResult(StandardCompensationStatus Status, Money? Amount, Money? HalfYearAmount, DateOnly HalfYearStart)
{
    /// <summary>
    /// A stable code: "consumer", "not_in_force", "missing", "covered_by_reminder_fees" (claimable but 0), or null when
    /// a positive amount is claimable. Matches the legal-scenario reason codes where they overlap (C12).
    /// </summary>
    public string? ReasonCode => Status switch
    {
        StandardCompensationStatus.Consumer => "consumer",
        StandardCompensationStatus.NotInForce => "not_in_force",
        StandardCompensationStatus.Missing => "missing",
        _ => Amount is { IsZero: true } ? "covered_by_reminder_fees" : null,
    };
}

/// <summary>B2B standard compensation for recovery costs (standardkompensasjon), forsinkelsesrenteloven § 3a.</summary>
/// <remarks>
/// Directive 2011/7/EU art. 6 as implemented in § 3a (in force 2013-03-16 per regjeringen.no; some sites say
/// 2013-07-01): a fixed NOK amount (at least 40 EUR, set every half-year with the rate) is due without any reminder
/// whenever forsinkelsesrente runs, but only when the debtor is not a consumer. Reminder fees already charged
/// (purregebyr) are deducted, never below 0. The amount is that of the half-year containing the first day of default
/// (convention C12). Source: NORWAY-RULES §2.4.
/// </remarks>
public static class StandardCompensation
{
    /// <summary>The day § 3a came into force (regjeringen.no id3019071).</summary>
    public static readonly DateOnly InForceFrom = new(2013, 3, 16);

    /// <summary>Computes the standard compensation.</summary>
    /// <param name="debtorKind">The debtor: consumers get none.</param>
    /// <param name="firstDayOfDefault">The first day of default: the effective (C1) due date + 1.</param>
    /// <param name="reminderFeesCharged">Reminder fees (purregebyr) charged on the claim so far, in NOK.</param>
    /// <param name="table">The table holding the half-yearly NOK amounts, e.g. <see cref="InterestRateTable.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The reminder fees are negative.</exception>
    /// <exception cref="CurrencyMismatchException">The reminder fees are not in NOK.</exception>
    public static StandardCompensationResult Calculate(CustomerKind debtorKind, DateOnly firstDayOfDefault, Money reminderFeesCharged, InterestRateTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (reminderFeesCharged.Currency != Currency.Nok)
            throw new CurrencyMismatchException($"standard compensation is in NOK; reminder fees are in {reminderFeesCharged.Currency.Code}");
        if (reminderFeesCharged.IsNegative)
            throw new ArgumentOutOfRangeException(nameof(reminderFeesCharged), reminderFeesCharged, "reminder fees cannot be negative");
        var halfYear = InterestRateTable.HalfYearStart(firstDayOfDefault);
        if (debtorKind == CustomerKind.Private)
            return new(StandardCompensationStatus.Consumer, Money.Zero(Currency.Nok), null, halfYear);
        if (firstDayOfDefault < InForceFrom)
            return new(StandardCompensationStatus.NotInForce, Money.Zero(Currency.Nok), null, halfYear);
        var row = table.RateOn(firstDayOfDefault).Row;
        // A row stretching over several half-years (before 2004) cannot hold one half-year's amount; § 3a postdates them.
        if (row?.StandardCompensationNok is not { } nok || InterestRateTable.HalfYearStart(row.From) != halfYear)
            return new(StandardCompensationStatus.Missing, null, null, halfYear);
        var full = Money.Nok(nok);
        return new(StandardCompensationStatus.Claimable, Money.Max(full - reminderFeesCharged, Money.Zero(Currency.Nok)), full, halfYear);
    }
}
