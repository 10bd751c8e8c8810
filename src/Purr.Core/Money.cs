using System.Globalization;

namespace Purr.Core;

/// <summary>An ISO 4217 currency with its number of minor units (NOK has 2: øre).</summary>
public readonly record struct Currency
{
    /// <summary>Norwegian krone.</summary>
    public static readonly Currency Nok = new("NOK", 2);

    /// <summary>Creates a currency. The code must be three upper-case ASCII letters.</summary>
    public Currency(string code, int minorUnits)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code.Length != 3 || !code.All(c => c is >= 'A' and <= 'Z'))
            throw new ArgumentException($"'{code}' is not a three-letter ISO 4217 currency code", nameof(code));
        ArgumentOutOfRangeException.ThrowIfNegative(minorUnits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minorUnits, 4);
        Code = code;
        MinorUnits = minorUnits;
    }

    /// <summary>The three-letter code, e.g. NOK.</summary>
    public string Code { get; }

    /// <summary>Decimal places of the minor unit.</summary>
    public int MinorUnits { get; }

    /// <summary>Parses a three-letter currency code (case-insensitive); minor units from ISO 4217 for the common zero-decimal currencies, else 2.</summary>
    public static bool TryParse(string? text, out Currency currency)
    {
        currency = default;
        var code = text?.Trim().ToUpperInvariant();
        if (code is null || code.Length != 3 || !code.All(c => c is >= 'A' and <= 'Z')) return false;
        currency = new Currency(code, code is "JPY" or "ISK" or "KRW" or "CLP" ? 0 : 2);
        return true;
    }

    /// <summary>Parses a currency code or throws <see cref="FormatException"/>.</summary>
    public static Currency Parse(string text) =>
        TryParse(text, out var c) ? c : throw new FormatException($"'{text}' is not a currency code");

    /// <inheritdoc/>
    public override string ToString() => Code ?? "";
}

/// <summary>
/// An amount of money in one currency. Positive means the debtor owes the creditor.
/// </summary>
/// <remarks>
/// Backed by <see cref="decimal"/>, never binary floating point. Arithmetic refuses to mix currencies.
/// Only <see cref="RoundToMinorUnit"/> rounds, and it rounds half away from zero (øre for NOK).
/// Stored as whole minor units in a 64-bit column (<see cref="ToMinorUnits"/>).
/// </remarks>
public readonly record struct Money : IComparable<Money>
{
    /// <summary>Creates an amount.</summary>
    public Money(decimal amount, Currency currency)
    {
        if (currency.Code is null) throw new ArgumentException("Currency is required", nameof(currency));
        Amount = amount;
        Currency = currency;
    }

    /// <summary>The amount in major units (kroner).</summary>
    public decimal Amount { get; }

    /// <summary>The currency.</summary>
    public Currency Currency { get; }

    /// <summary>An amount in NOK.</summary>
    public static Money Nok(decimal amount) => new(amount, Currency.Nok);

    /// <summary>Zero in the given currency.</summary>
    public static Money Zero(Currency currency) => new(0m, currency);

    /// <summary>An amount from whole minor units (øre).</summary>
    public static Money FromMinorUnits(long minor, Currency currency) =>
        new(minor / Pow10(currency.MinorUnits), currency);

    /// <summary>The amount in whole minor units; the amount must already be rounded to the minor unit.</summary>
    public long ToMinorUnits()
    {
        var scaled = Amount * Pow10(Currency.MinorUnits);
        if (scaled != decimal.Truncate(scaled))
            throw new InvalidOperationException($"{this} has more decimals than {Currency.Code} minor units; round it first");
        return checked((long)scaled);
    }

    /// <summary>Rounds half away from zero to the currency's minor unit (øre for NOK).</summary>
    public Money RoundToMinorUnit() =>
        new(Math.Round(Amount, Currency.MinorUnits, MidpointRounding.AwayFromZero), Currency);

    /// <summary>True when the amount is zero.</summary>
    public bool IsZero => Amount == 0m;

    /// <summary>True when the amount is above zero.</summary>
    public bool IsPositive => Amount > 0m;

    /// <summary>True when the amount is below zero.</summary>
    public bool IsNegative => Amount < 0m;

    /// <summary>The absolute value.</summary>
    public Money Abs() => new(Math.Abs(Amount), Currency);

    /// <summary>The smaller of two amounts in the same currency.</summary>
    public static Money Min(Money a, Money b) => a.CompareTo(b) <= 0 ? a : b;

    /// <summary>The larger of two amounts in the same currency.</summary>
    public static Money Max(Money a, Money b) => a.CompareTo(b) >= 0 ? a : b;

    public static Money operator +(Money a, Money b) => new(a.Amount + b.Amount, Same(a, b));
    public static Money operator -(Money a, Money b) => new(a.Amount - b.Amount, Same(a, b));
    public static Money operator -(Money a) => new(-a.Amount, a.Currency);
    public static Money operator *(Money a, decimal factor) => new(a.Amount * factor, a.Currency);
    public static Money operator *(decimal factor, Money a) => new(a.Amount * factor, a.Currency);
    public static Money operator /(Money a, decimal divisor) => new(a.Amount / divisor, a.Currency);
    public static bool operator <(Money a, Money b) => a.CompareTo(b) < 0;
    public static bool operator >(Money a, Money b) => a.CompareTo(b) > 0;
    public static bool operator <=(Money a, Money b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Money a, Money b) => a.CompareTo(b) >= 0;

    /// <inheritdoc/>
    public int CompareTo(Money other)
    {
        Same(this, other);
        return Amount.CompareTo(other.Amount);
    }

    /// <summary>The amount as an invariant decimal string with exactly the currency's decimals, e.g. "1234.50".</summary>
    public string ToDecimalString() =>
        Math.Round(Amount, Currency.MinorUnits, MidpointRounding.AwayFromZero)
            .ToString("F" + Currency.MinorUnits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override string ToString() => $"{ToDecimalString()} {Currency.Code}";

    private static decimal Pow10(int n) => n switch { 0 => 1m, 1 => 10m, 2 => 100m, 3 => 1000m, _ => 10000m };

    private static Currency Same(Money a, Money b) =>
        a.Currency == b.Currency
            ? a.Currency
            : throw new CurrencyMismatchException($"Cannot combine {a.Currency.Code} and {b.Currency.Code}");
}

/// <summary>Thrown when amounts in different currencies are combined: a bug in the caller.</summary>
public sealed class CurrencyMismatchException(string message) : InvalidOperationException(message);
