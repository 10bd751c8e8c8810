using System.Globalization;

namespace Purr.Core.Identifiers;

/// <summary>
/// A Norwegian bank account number (kontonummer): 11 digits, bank register number (4) + account group (2) +
/// number (4) + MOD11 check digit with weights 5,4,3,2,7,6,5,4,3,2. Also parsed from the Norwegian IBAN
/// (NO + 2 check digits + the 11 digits).
/// </summary>
/// <remarks>
/// Source: NORWAY-RULES §4.2 (python-stdnum <c>no/kontonr</c>, NoCommons). A MOD11 check value of 10 means the number
/// can never be issued; all zeros is refused (it passes the plain arithmetic). Bank code 0000 is the old Postgiro:
/// such a number is 0000 + 7 digits whose last digit is a MOD10 (Luhn) check digit, as python-stdnum accepts
/// ("0000.4090403"). Postgiro numbers are historical; they are accepted so that old records still parse.
/// </remarks>
public readonly record struct AccountNumber
{
    private static readonly int[] Weights = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    private const string PostgiroBankCode = "0000";

    private AccountNumber(string value) => Value = value;

    /// <summary>The 11 digits (BBAN); a legacy Postgiro number is 0000 followed by its 7 digits.</summary>
    public string Value { get; }

    /// <summary>
    /// Parses "86011117947", "8601 11 17947", "8601.11.17947", "8601-11-17947", a Norwegian IBAN in electronic or print
    /// format ("NO9386011117947", "NO93 8601 1117 947"; letters in either case), or a legacy Postgiro number "0000.4090403".
    /// </summary>
    /// <param name="text">The account number as written.</param>
    /// <param name="number">The account number when valid.</param>
    /// <param name="error">Why it is not valid, or "" when it is.</param>
    public static bool TryParse(string? text, out AccountNumber number, out string error)
    {
        number = default;
        var s = string.Concat((text ?? "").Where(c => c is not (' ' or '.' or '-' or '\u00A0' or '\t'))).ToUpperInvariant();
        if (s.Length == 0) { error = "an account number is required"; return false; }
        if (s.Length >= 4 && char.IsAsciiLetter(s[0]) && char.IsAsciiLetter(s[1]) && char.IsAsciiDigit(s[2]) && char.IsAsciiDigit(s[3]))
        {
            if (s[..2] != "NO") { error = $"only Norwegian (NO) IBANs are bank account numbers here, this is a {s[..2]} IBAN"; return false; }
            if (!Checksums.AllDigits(s.AsSpan(2))) { error = "a Norwegian IBAN has only digits after NO"; return false; }
            if (s.Length != 15) { error = $"a Norwegian IBAN has 15 characters (NO, 2 check digits, 11 digits), this has {s.Length}"; return false; }
            if (Mod97(s[4..] + "2324" + s[2..4]) != 1) { error = "the IBAN check digits (mod 97) are wrong"; return false; }
            s = s[4..];
        }
        if (!Checksums.AllDigits(s)) { error = "an account number has digits only (spaces, dots and dashes between groups are allowed)"; return false; }
        if (s.Length != 11) { error = $"an account number has 11 digits, this has {s.Length}"; return false; }
        if (s.All(c => c == '0')) { error = "an account number cannot be all zeros"; return false; }
        if (s.StartsWith(PostgiroBankCode, StringComparison.Ordinal))
        {
            var giro = s.AsSpan(4);
            if (Checksums.Mod10(giro[..^1]) != giro[^1])
            { error = $"bank code 0000 is an old Postgiro number, whose last digit is a MOD10 (Luhn) check digit, and it is wrong (expected {Checksums.Mod10(giro[..^1])})"; return false; }
        }
        else
        {
            var check = Checksums.Mod11Weighted(s, Weights);
            if (check == 10) { error = "the MOD11 check value of the first 10 digits is 10, so no account can have this number"; return false; }
            if (check != s[10] - '0') { error = $"the check digit (MOD11) is wrong (expected {check})"; return false; }
        }
        number = new AccountNumber(s);
        error = "";
        return true;
    }

    /// <summary>Parses or throws <see cref="FormatException"/> with the reason.</summary>
    public static AccountNumber Parse(string text) =>
        TryParse(text, out var n, out var e) ? n : throw new FormatException($"'{text}' is not a valid account number: {e}");

    /// <summary>True when <paramref name="text"/> is a valid account number.</summary>
    public static bool IsValid(string? text) => TryParse(text, out _, out _);

    /// <summary>Display format NNNN.NN.NNNNN.</summary>
    public string Formatted => $"{Value[..4]}.{Value[4..6]}.{Value[6..]}";

    /// <summary>The bank's register number (first four digits).</summary>
    public string BankCode => Value[..4];

    /// <summary>The account group (digits 5 and 6).</summary>
    public string AccountGroup => Value[4..6];

    /// <summary>True for an old Postgiro number (bank code 0000, Luhn check digit).</summary>
    public bool IsLegacyPostgiro => Value.StartsWith(PostgiroBankCode, StringComparison.Ordinal);

    /// <summary>The IBAN in electronic format: NO + check digits + BBAN, e.g. NO9386011117947.</summary>
    public string Iban
    {
        get
        {
            // ISO 13616: move "NO00" to the end, letters to numbers (N=23, O=24), check = 98 - mod 97.
            var rem = Mod97(Value + "2324" + "00");
            return "NO" + (98 - rem).ToString("00", CultureInfo.InvariantCulture) + Value;
        }
    }

    /// <summary>The IBAN in print format, groups of four: "NO93 8601 1117 947".</summary>
    public string IbanFormatted
    {
        get
        {
            var iban = Iban;
            return string.Join(' ', Enumerable.Range(0, (iban.Length + 3) / 4).Select(i => iban.Substring(i * 4, Math.Min(4, iban.Length - i * 4))));
        }
    }

    private static int Mod97(string digits)
    {
        var r = 0;
        foreach (var c in digits) r = (r * 10 + (c - '0')) % 97;
        return r;
    }

    /// <inheritdoc/>
    public override string ToString() => Value ?? "";
}
