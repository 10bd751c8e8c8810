namespace Purr.Core.Identifiers;

/// <summary>A Norwegian organisation number (organisasjonsnummer): 9 digits, MOD11 with weights 3,2,7,6,5,4,3,2.</summary>
/// <remarks>
/// Source: NORWAY-RULES §4.3 (Brønnøysundregistrene; python-stdnum <c>no/orgnr</c>). A MOD11 check value of 10 means no
/// organisation can have the number. The VAT number is <see cref="Identifiers.MvaNumber"/>: NO + orgnr + MVA.
/// </remarks>
public readonly record struct OrganizationNumber
{
    private static readonly int[] Weights = [3, 2, 7, 6, 5, 4, 3, 2];

    private OrganizationNumber(string value) => Value = value;

    /// <summary>The nine digits.</summary>
    public string Value { get; }

    /// <summary>
    /// Parses an organisation number. Accepts spaces, dots and dashes between digit groups, an "NO" prefix and an "MVA"
    /// suffix (an MVA number), and Brønnøysund's "NO-BRC-" prefix. Any other character is refused, not stripped: an
    /// "x" or "*" in an imported number is more likely a typo than decoration.
    /// </summary>
    /// <param name="text">The number as written.</param>
    /// <param name="number">The organisation number when valid.</param>
    /// <param name="error">Why it is not valid, or "" when it is.</param>
    public static bool TryParse(string? text, out OrganizationNumber number, out string error)
    {
        number = default;
        var s = Checksums.Compact(text ?? "").Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();
        if (s.Length == 0) { error = "an organisation number is required"; return false; }
        if (s.StartsWith("NOBRC", StringComparison.Ordinal)) s = s[5..];
        else if (s.StartsWith("NO", StringComparison.Ordinal)) s = s[2..];
        if (s.EndsWith("MVA", StringComparison.Ordinal)) s = s[..^3];
        return TryParseDigits(s, out number, out error);
    }

    /// <summary>Validates exactly nine digits with their check digit; no prefixes, no separators.</summary>
    internal static bool TryParseDigits(string s, out OrganizationNumber number, out string error)
    {
        number = default;
        if (!Checksums.AllDigits(s)) { error = "an organisation number has digits only (spaces, dots and dashes between groups are allowed)"; return false; }
        if (s.Length != 9) { error = $"an organisation number has 9 digits, this has {s.Length}"; return false; }
        var check = Checksums.Mod11Weighted(s, Weights);
        if (check == 10) { error = "the MOD11 check value of the first 8 digits is 10, so no organisation can have this number"; return false; }
        if (check != s[8] - '0') { error = $"the check digit (MOD11) is wrong (expected {check})"; return false; }
        number = new OrganizationNumber(s);
        error = "";
        return true;
    }

    /// <summary>Parses or throws <see cref="FormatException"/> with the reason.</summary>
    public static OrganizationNumber Parse(string text) =>
        TryParse(text, out var n, out var e) ? n : throw new FormatException($"'{text}' is not a valid organisation number: {e}");

    /// <summary>True when <paramref name="text"/> is a valid organisation number.</summary>
    public static bool IsValid(string? text) => TryParse(text, out _, out _);

    /// <summary>The VAT (MVA) number as text: NO + orgnr + MVA.</summary>
    public string MvaNumber => $"NO{Value}MVA";

    /// <summary>The VAT (MVA) number of this organisation.</summary>
    public Identifiers.MvaNumber ToMvaNumber() => new(this);

    /// <summary>Display format "NNN NNN NNN".</summary>
    public string Formatted => $"{Value[..3]} {Value[3..6]} {Value[6..]}";

    /// <inheritdoc/>
    public override string ToString() => Value ?? "";
}
