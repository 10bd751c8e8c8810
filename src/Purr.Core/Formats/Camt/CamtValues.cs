using System.Globalization;
using System.Text.RegularExpressions;

namespace Purr.Core.Formats.Camt;

/// <summary>Strict parsers for the ISO 20022 simple types used by the camt reader.</summary>
internal static partial class CamtValues
{
    /// <summary>What an amount looks like, for error messages.</summary>
    public const string AmountExpectation = "an amount: digits with '.' as the decimal separator and no sign or grouping, e.g. 1234.50";

    // ISO 20022 ActiveOrHistoricCurrencyAndAmount: xs:decimal, fractionDigits 5, totalDigits 18, minInclusive 0.
    [GeneratedRegex(@"^\+?(?<int>[0-9]*)(\.(?<frac>[0-9]*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalPattern();

    [GeneratedRegex(@"^(?<date>[0-9]{4}-[0-9]{2}-[0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"^(?<date>[0-9]{4}-[0-9]{2}-[0-9]{2})T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimePattern();

    /// <summary>
    /// Parses a non-negative ISO 20022 amount that must be representable in whole minor units of
    /// <paramref name="currency"/> (so "105.750" EUR is 105.75, but "1.005" EUR is refused).
    /// </summary>
    public static bool TryParseAmount(string raw, Currency currency, out decimal value, out string expected)
    {
        value = 0m;
        var s = raw.Trim();
        var m = DecimalPattern().Match(s);
        if (s.StartsWith('-')) { expected = "a non-negative amount (the direction is given by CdtDbtInd)"; return false; }
        if (!m.Success || (m.Groups["int"].Length == 0 && m.Groups["frac"].Length == 0))
        {
            expected = AmountExpectation;
            return false;
        }
        var digits = m.Groups["int"].Value.TrimStart('0').Length + m.Groups["frac"].Value.TrimEnd('0').Length;
        if (digits > 18) { expected = "an amount of at most 18 digits"; return false; }
        value = decimal.Parse(s.TrimStart('+'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        var minor = value * Pow10(currency.MinorUnits);
        if (minor != decimal.Truncate(minor))
        {
            expected = $"an amount in whole {currency.Code} minor units (at most {currency.MinorUnits} decimals)";
            return false;
        }
        expected = "";
        return true;
    }

    /// <summary>Parses a plain decimal number (TxsSummry sums): digits with an optional '.' fraction, optional sign.</summary>
    public static bool TryParseDecimal(string raw, out decimal value)
    {
        var s = raw.Trim();
        var negative = s.StartsWith('-');
        var body = negative ? s[1..] : s;
        var m = DecimalPattern().Match(body);
        value = 0m;
        if (!m.Success || (m.Groups["int"].Length == 0 && m.Groups["frac"].Length == 0)) return false;
        if (!decimal.TryParse(body.TrimStart('+'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value)) return false;
        if (negative) value = -value;
        return true;
    }

    /// <summary>Parses xs:date (an optional time zone is ignored) or, when <paramref name="isDateTime"/>, xs:dateTime (the date part as written).</summary>
    public static bool TryParseDate(string raw, bool isDateTime, out DateOnly date)
    {
        date = default;
        var m = (isDateTime ? DateTimePattern() : DatePattern()).Match(raw.Trim());
        return m.Success && DateOnly.TryParseExact(m.Groups["date"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    /// <summary>Parses xs:boolean.</summary>
    public static bool TryParseBoolean(string raw, out bool value)
    {
        switch (raw.Trim())
        {
            case "true" or "1": value = true; return true;
            case "false" or "0": value = false; return true;
            default: value = false; return false;
        }
    }

    /// <summary>Parses a non-negative count (Max15NumericText).</summary>
    public static bool TryParseCount(string raw, out long value)
    {
        var s = raw.Trim();
        value = 0;
        return s.Length is > 0 and <= 15 && s.All(char.IsAsciiDigit) && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Removes all white space (a reference printed in groups is still one reference).</summary>
    public static string StripSpaces(string s) => string.Concat(s.Where(c => !char.IsWhiteSpace(c)));

    /// <summary>Shortens a raw value for an error message.</summary>
    public static string Clip(string s, int max = 120) => s.Length <= max ? s : s[..max] + "…";

    private static decimal Pow10(int n) => n switch { 0 => 1m, 1 => 10m, 2 => 100m, 3 => 1000m, _ => 10000m };
}
