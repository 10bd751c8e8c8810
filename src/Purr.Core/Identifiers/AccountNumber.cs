namespace Purr.Core.Identifiers;

/// <summary>
/// A Norwegian bank account number (kontonummer): 11 digits (bank 4 + group 2 + number 4 + MOD11 check digit with
/// weights 5,4,3,2,7,6,5,4,3,2). Also accepts the Norwegian IBAN form (NO + 2 check digits + 11 digits).
/// </summary>
/// <remarks>Source: NORWAY-RULES §4.2. A check value of 10 means the number can never be issued; all-zero is rejected.</remarks>
public readonly record struct AccountNumber
{
    private static readonly int[] Weights = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

    private AccountNumber(string value) => Value = value;

    /// <summary>The 11 digits (BBAN).</summary>
    public string Value { get; }

    /// <summary>Parses "86011117947", "8601 11 17947", "8601.11.17947" or an IBAN "NO93 8601 1117 947".</summary>
    public static bool TryParse(string? text, out AccountNumber number, out string error)
    {
        number = default;
        var s = Checksums.Compact(text ?? "");
        if (s.Length == 0) { error = "an account number is required"; return false; }
        if (s.Length >= 2 && char.IsAsciiLetter(s[0]) && char.IsAsciiLetter(s[1]))
        {
            if (s[..2] != "NO") { error = s[..2].ToUpperInvariant() == "NO" ? "an IBAN is written in capital letters" : "only Norwegian (NO) IBANs are bank account numbers here"; return false; }
            if (s.Length != 15) { error = $"a Norwegian IBAN has 15 characters, this has {s.Length}"; return false; }
            if (!Checksums.AllDigits(s.AsSpan(2))) { error = "a Norwegian IBAN has digits after NO"; return false; }
            if (!IbanChecksumOk(s)) { error = "the IBAN check digits (mod 97) are wrong"; return false; }
            s = s[4..];
        }
        if (!Checksums.AllDigits(s)) { error = "an account number has digits only"; return false; }
        if (s.Length != 11) { error = $"an account number has 11 digits, this has {s.Length}"; return false; }
        if (s.All(c => c == '0')) { error = "an account number cannot be all zeros"; return false; }
        var check = Checksums.Mod11Weighted(s, Weights);
        if (check == 10 || check != s[10] - '0') { error = "the check digit (MOD11) is wrong"; return false; }
        number = new AccountNumber(s);
        error = "";
        return true;
    }

    /// <summary>Parses or throws <see cref="FormatException"/> with the reason.</summary>
    public static AccountNumber Parse(string text) =>
        TryParse(text, out var n, out var e) ? n : throw new FormatException($"'{text}' is not a valid account number: {e}");

    /// <summary>Display format NNNN.NN.NNNNN.</summary>
    public string Formatted => $"{Value[..4]}.{Value[4..6]}.{Value[6..]}";

    /// <summary>The bank's register number (first four digits).</summary>
    public string BankCode => Value[..4];

    /// <summary>The IBAN, NO + check digits + BBAN.</summary>
    public string Iban
    {
        get
        {
            // Move "NO00" to the end, letters to numbers (N=23, O=24), 98 - mod 97.
            var rem = Mod97(Value + "2324" + "00");
            return $"NO{98 - rem:00}{Value}";
        }
    }

    private static bool IbanChecksumOk(string iban)
    {
        var rearranged = iban[4..] + string.Concat(iban[..4].Select(c => char.IsAsciiLetter(c) ? (c - 'A' + 10).ToString(System.Globalization.CultureInfo.InvariantCulture) : c.ToString()));
        return Mod97(rearranged) == 1;
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
