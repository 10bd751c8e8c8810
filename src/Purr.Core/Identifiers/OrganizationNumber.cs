namespace Purr.Core.Identifiers;

/// <summary>A Norwegian organisation number (organisasjonsnummer): 9 digits, MOD11 with weights 3,2,7,6,5,4,3,2.</summary>
/// <remarks>Source: NORWAY-RULES §4.3 (Brønnøysundregistrene; python-stdnum no/orgnr). MVA number = "NO" + orgnr + "MVA".</remarks>
public readonly record struct OrganizationNumber
{
    private static readonly int[] Weights = [3, 2, 7, 6, 5, 4, 3, 2];

    private OrganizationNumber(string value) => Value = value;

    /// <summary>The nine digits.</summary>
    public string Value { get; }

    /// <summary>
    /// Parses an organisation number. Accepts spaces and dots between digit groups, an "NO" prefix and an "MVA" suffix
    /// (an MVA number), and Brønnøysund's "NO-BRC-" prefix.
    /// </summary>
    public static bool TryParse(string? text, out OrganizationNumber number, out string error)
    {
        number = default;
        var s = Checksums.Compact(text ?? "").Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();
        if (s.StartsWith("NOBRC", StringComparison.Ordinal)) s = s[5..];
        else if (s.StartsWith("NO", StringComparison.Ordinal)) s = s[2..];
        if (s.EndsWith("MVA", StringComparison.Ordinal)) s = s[..^3];
        if (s.Length == 0) { error = "an organisation number is required"; return false; }
        if (!Checksums.AllDigits(s)) { error = "an organisation number has digits only"; return false; }
        if (s.Length != 9) { error = $"an organisation number has 9 digits, this has {s.Length}"; return false; }
        var check = Checksums.Mod11Weighted(s, Weights);
        if (check == 10 || check != s[8] - '0') { error = "the check digit (MOD11) is wrong"; return false; }
        number = new OrganizationNumber(s);
        error = "";
        return true;
    }

    /// <summary>Parses or throws <see cref="FormatException"/> with the reason.</summary>
    public static OrganizationNumber Parse(string text) =>
        TryParse(text, out var n, out var e) ? n : throw new FormatException($"'{text}' is not a valid organisation number: {e}");

    /// <summary>The VAT (MVA) number: NO + orgnr + MVA.</summary>
    public string MvaNumber => $"NO{Value}MVA";

    /// <summary>Display format "NNN NNN NNN".</summary>
    public string Formatted => $"{Value[..3]} {Value[3..6]} {Value[6..]}";

    /// <inheritdoc/>
    public override string ToString() => Value ?? "";
}
