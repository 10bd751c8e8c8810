using System.Globalization;
using System.Text;

namespace Purr.Core.Formats.Csv;

/// <summary>
/// The two CSV dialects Purr reads. <see cref="Norwegian"/> is what Excel writes on a Norwegian PC:
/// ';' separators, decimal comma, dd.mm.yyyy dates. <see cref="Plain"/> is ',' with '.' decimals and ISO dates.
/// </summary>
public sealed record CsvDialect(string Name, char Separator, char DecimalSeparator)
{
    /// <summary>';', decimal comma, dd.mm.yyyy (ISO dates are accepted too).</summary>
    public static readonly CsvDialect Norwegian = new("norwegian", ';', ',');
    /// <summary>',', decimal point, yyyy-mm-dd (dd.mm.yyyy accepted too).</summary>
    public static readonly CsvDialect Plain = new("plain", ',', '.');

    /// <summary>Picks the dialect from the header line: more ';' than ',' means Norwegian.</summary>
    public static CsvDialect Detect(string headerLine)
    {
        var semi = headerLine.Count(c => c == ';');
        var comma = headerLine.Count(c => c == ',');
        var tab = headerLine.Count(c => c == '\t');
        if (tab > semi && tab > comma) return new CsvDialect("tab", '\t', semi > 0 ? ',' : '.');
        return semi >= comma && semi > 0 ? Norwegian : Plain;
    }

    /// <summary>
    /// Parses an amount in this dialect: "1 234,50", "1234,5", "-12,00" (Norwegian) or "1234.50" (plain).
    /// Spaces, non-breaking spaces and apostrophes are accepted as thousands separators; a thousands '.' is accepted
    /// in the Norwegian dialect when a decimal comma follows or the groups are exactly three digits.
    /// </summary>
    public bool TryParseAmount(string raw, out decimal value)
    {
        value = 0m;
        var s = raw.Trim().Replace("\u00A0", "", StringComparison.Ordinal).Replace("\u202F", "", StringComparison.Ordinal)
            .Replace(" ", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal);
        if (s.StartsWith("kr", StringComparison.OrdinalIgnoreCase)) s = s[2..];
        if (s.EndsWith(",-", StringComparison.Ordinal)) s = s[..^2];
        if (s.Length == 0) return false;
        var sign = 1m;
        if (s[0] == '−' || s[0] == '-') { sign = -1m; s = s[1..]; }
        else if (s[0] == '+') s = s[1..];
        if (s.Length == 0) return false;
        var thousands = DecimalSeparator == ',' ? '.' : ',';
        var decIdx = s.LastIndexOf(DecimalSeparator);
        var intPart = decIdx >= 0 ? s[..decIdx] : s;
        var fracPart = decIdx >= 0 ? s[(decIdx + 1)..] : "";
        if (fracPart.Contains(thousands) || fracPart.Contains(DecimalSeparator)) return false;
        if (intPart.Contains(thousands))
        {
            var groups = intPart.Split(thousands);
            if (groups[0].Length is 0 or > 3 || groups.Skip(1).Any(g => g.Length != 3)) return false;
            intPart = string.Concat(groups);
        }
        if (intPart.Length == 0 || !intPart.All(char.IsAsciiDigit) || !fracPart.All(char.IsAsciiDigit)) return false;
        if (decIdx >= 0 && fracPart.Length == 0) return false;
        if (intPart.Length > 15) return false;
        value = sign * decimal.Parse(fracPart.Length > 0 ? intPart + "." + fracPart : intPart, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>The date format this dialect writes.</summary>
    public string DateFormat => Separator == ';' ? "dd.mm.yyyy" : "yyyy-mm-dd";

    /// <summary>Parses a date: dd.mm.yyyy (also d.m.yyyy) or yyyy-mm-dd in either dialect; the calendar must be valid.</summary>
    public static bool TryParseDate(string raw, out DateOnly date) =>
        DateOnly.TryParseExact(raw.Trim(), ["dd.MM.yyyy", "d.M.yyyy", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>
    /// Decodes file bytes: UTF-8 (with or without BOM) when the bytes are valid UTF-8, else Windows-1252
    /// (what Excel writes as "CSV (semikolondelt)" on Norwegian Windows).
    /// </summary>
    public static (string Text, string EncodingName) Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return (new UTF8Encoding(false, true).GetString(bytes[3..]), "utf-8-bom");
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return (Encoding.Unicode.GetString(bytes[2..]), "utf-16le");
        try
        {
            return (new UTF8Encoding(false, true).GetString(bytes), "utf-8");
        }
        catch (DecoderFallbackException)
        {
            return (Windows1252.GetString(bytes), "windows-1252");
        }
    }

    private static Encoding Windows1252
    {
        get
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(1252);
        }
    }
}
