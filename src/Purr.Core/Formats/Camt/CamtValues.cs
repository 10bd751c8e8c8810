using System.Globalization;

namespace Purr.Core.Formats.Camt;

/// <summary>Strict parsers for the ISO 20022 simple types used by the camt reader.</summary>
internal static class CamtValues
{
    /// <summary>What an amount looks like, for error messages.</summary>
    public const string AmountExpectation = "an amount: digits with '.' as the decimal separator and no sign or grouping, e.g. 1234.50";

    // ISO 20022 ActiveOrHistoricCurrencyAndAmount: xs:decimal, fractionDigits 5, totalDigits 18, minInclusive 0.
    // The patterns are matched by hand (no Regex): this runs once per transaction.

    /// <summary>
    /// Parses a non-negative ISO 20022 amount that must be representable in whole minor units of
    /// <paramref name="currency"/> (so "105.750" EUR is 105.75, but "1.005" EUR is refused).
    /// </summary>
    public static bool TryParseAmount(string raw, Currency currency, out decimal value, out string expected)
    {
        value = 0m;
        var s = raw.AsSpan().Trim();
        if (s.StartsWith('-')) { expected = "a non-negative amount (the direction is given by CdtDbtInd)"; return false; }
        if (!MatchDecimal(s, out var intPart, out var fracPart))
        {
            expected = AmountExpectation;
            return false;
        }
        var digits = intPart.TrimStart('0').Length + fracPart.TrimEnd('0').Length;
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
        var s = raw.AsSpan().Trim();
        var negative = s.StartsWith('-');
        var body = negative ? s[1..] : s;
        value = 0m;
        if (!MatchDecimal(body, out _, out _)) return false;
        if (!decimal.TryParse(body.TrimStart('+'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value)) return false;
        if (negative) value = -value;
        return true;
    }

    /// <summary>
    /// The ISO 20022 decimal shape <c>+?[0-9]*(\.[0-9]*)?</c> with at least one digit: true with the integer and
    /// fraction digits.
    /// </summary>
    private static bool MatchDecimal(ReadOnlySpan<char> s, out ReadOnlySpan<char> intPart, out ReadOnlySpan<char> fracPart)
    {
        var pos = s.StartsWith('+') ? 1 : 0;
        var intStart = pos;
        while (pos < s.Length && char.IsAsciiDigit(s[pos])) pos++;
        intPart = s[intStart..pos];
        fracPart = default;
        if (pos < s.Length && s[pos] == '.')
        {
            var fracStart = ++pos;
            while (pos < s.Length && char.IsAsciiDigit(s[pos])) pos++;
            fracPart = s[fracStart..pos];
        }
        return pos == s.Length && (intPart.Length > 0 || fracPart.Length > 0);
    }

    /// <summary>Parses xs:date (an optional time zone is ignored) or, when <paramref name="isDateTime"/>, xs:dateTime (the date part as written).</summary>
    public static bool TryParseDate(string raw, bool isDateTime, out DateOnly date)
    {
        date = default;
        var s = raw.AsSpan().Trim();
        if (s.Length < 10 || !IsDigits(s[..4]) || s[4] != '-' || !IsDigits(s.Slice(5, 2)) || s[7] != '-' || !IsDigits(s.Slice(8, 2))) return false;
        var rest = s[10..];
        if (isDateTime)
        {
            // Thh:mm:ss, then an optional fraction .d+
            if (rest.Length < 9 || rest[0] != 'T' || !IsDigits(rest.Slice(1, 2)) || rest[3] != ':' || !IsDigits(rest.Slice(4, 2)) || rest[6] != ':' || !IsDigits(rest.Slice(7, 2))) return false;
            rest = rest[9..];
            if (rest.StartsWith('.'))
            {
                var n = 1;
                while (n < rest.Length && char.IsAsciiDigit(rest[n])) n++;
                if (n == 1) return false;
                rest = rest[n..];
            }
        }
        // An optional time zone: Z or +hh:mm / -hh:mm.
        var zoneOk = rest.Length == 0
            || (rest.Length == 1 && rest[0] == 'Z')
            || (rest.Length == 6 && rest[0] is '+' or '-' && IsDigits(rest.Slice(1, 2)) && rest[3] == ':' && IsDigits(rest.Slice(4, 2)));
        return zoneOk && DateOnly.TryParseExact(s[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s) if (!char.IsAsciiDigit(c)) return false;
        return true;
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
        var s = raw.AsSpan().Trim();
        value = 0;
        return s.Length is > 0 and <= 15 && IsDigits(s) && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Removes all white space (a reference printed in groups is still one reference).</summary>
    public static string StripSpaces(string s)
    {
        foreach (var c in s)
            if (char.IsWhiteSpace(c)) return string.Concat(s.Where(c => !char.IsWhiteSpace(c)));
        return s;
    }

    /// <summary>Shortens a raw value for an error message.</summary>
    public static string Clip(string s, int max = 120) => s.Length <= max ? s : s[..max] + "…";

    private static decimal Pow10(int n) => n switch { 0 => 1m, 1 => 10m, 2 => 100m, 3 => 1000m, _ => 10000m };
}
