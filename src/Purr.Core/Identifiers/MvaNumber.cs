namespace Purr.Core.Identifiers;

/// <summary>
/// A Norwegian VAT number (MVA-nummer): "NO" + a valid organisation number + "MVA", e.g. NO995525828MVA.
/// </summary>
/// <remarks>
/// Source: NORWAY-RULES §4.3 and §7.2: python-stdnum <c>no/mva</c>, and PEPPOL rule NO-R-001 (a Norwegian supplier's VAT
/// identifier is NO + 9-digit orgnr passing MOD11 + MVA). The "MVA" suffix is required; the "NO" prefix may be left out
/// when parsing, as python-stdnum allows ("965 920 358 MVA").
/// </remarks>
public readonly record struct MvaNumber
{
    internal MvaNumber(OrganizationNumber organizationNumber) => OrganizationNumber = organizationNumber;

    /// <summary>The organisation number inside.</summary>
    public OrganizationNumber OrganizationNumber { get; }

    /// <summary>The electronic form, e.g. NO995525828MVA.</summary>
    public string Value => OrganizationNumber.Value is null ? "" : $"NO{OrganizationNumber.Value}MVA";

    /// <summary>The print form, e.g. "NO 995 525 828 MVA".</summary>
    public string Formatted => $"NO {OrganizationNumber.Formatted} MVA";

    /// <summary>Parses "NO 995 525 828 MVA", "NO995525828MVA" or "995 525 828 MVA" (spaces, dots and dashes allowed; any case).</summary>
    /// <param name="text">The number as written.</param>
    /// <param name="number">The MVA number when valid.</param>
    /// <param name="error">Why it is not valid, or "" when it is.</param>
    public static bool TryParse(string? text, out MvaNumber number, out string error)
    {
        number = default;
        var s = Checksums.Compact(text ?? "").Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();
        if (s.Length == 0) { error = "an MVA number is required"; return false; }
        if (s.StartsWith("NO", StringComparison.Ordinal)) s = s[2..];
        if (!s.EndsWith("MVA", StringComparison.Ordinal)) { error = "an MVA number is NO + the 9-digit organisation number + MVA, and this does not end in MVA"; return false; }
        if (!OrganizationNumber.TryParseDigits(s[..^3], out var org, out error)) return false;
        number = new MvaNumber(org);
        return true;
    }

    /// <summary>Parses or throws <see cref="FormatException"/> with the reason.</summary>
    public static MvaNumber Parse(string text) =>
        TryParse(text, out var n, out var e) ? n : throw new FormatException($"'{text}' is not a valid MVA number: {e}");

    /// <inheritdoc/>
    public override string ToString() => Value;
}
