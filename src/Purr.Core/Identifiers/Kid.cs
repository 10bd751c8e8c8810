namespace Purr.Core.Identifiers;

/// <summary>How a KID's check digit is computed. Fixed per receiving account in the bank agreement.</summary>
public enum KidMethod
{
    /// <summary>Luhn: weights 2,1,2,1… from the right, digit sums of the products.</summary>
    Mod10,
    /// <summary>Weights 2..7 cycling from the right; a check value of 10 is written '-'.</summary>
    Mod11,
}

/// <summary>
/// KID (kundeidentifikasjon): the payment reference on Norwegian invoices, 2 to 25 characters,
/// digits with a MOD10 or MOD11 check digit (MOD11 may end in '-').
/// </summary>
/// <remarks>
/// A string, never a number: leading zeros matter. Source: NORWAY-RULES §4.1 (Nets "System specification OCR giro"
/// section 5 and the AvtaleGiro specification section 4: the OCR KID field has 25 positions).
/// Length rules differ between libraries (NoCommons for Java requires 4..25, NoCommonsNET 2..25); Purr accepts 2..25
/// because the bank agreement, not the format, fixes the length of one creditor's KIDs.
/// </remarks>
public readonly record struct Kid
{
    /// <summary>Shortest KID accepted.</summary>
    public const int MinLength = 2;
    /// <summary>Longest KID (the OCR field is 25 positions).</summary>
    public const int MaxLength = 25;

    private Kid(string value, bool mod10, bool mod11)
    {
        Value = value;
        IsMod10 = mod10;
        IsMod11 = mod11;
    }

    /// <summary>The KID digits (and possibly a trailing '-').</summary>
    public string Value { get; }
    /// <summary>Its check digit is valid under MOD10.</summary>
    public bool IsMod10 { get; }
    /// <summary>Its check digit is valid under MOD11.</summary>
    public bool IsMod11 { get; }

    /// <summary>
    /// Parses a KID valid under either method, or under <paramref name="method"/> when given. Spaces are removed
    /// (KIDs are often printed in groups); any other character that is not a digit is refused.
    /// </summary>
    /// <param name="text">The KID as written.</param>
    /// <param name="kid">The KID when valid.</param>
    /// <param name="error">Why it is not valid, or "" when it is.</param>
    /// <param name="method">The creditor's KID method, when known.</param>
    public static bool TryParse(string? text, out Kid kid, out string error, KidMethod? method = null)
    {
        kid = default;
        var s = text is null ? "" : text.Replace(" ", "", StringComparison.Ordinal).Replace("\u00A0", "", StringComparison.Ordinal).Trim();
        if (s.Length == 0) { error = "a KID is required"; return false; }
        var body = s.AsSpan(0, s.Length - 1);
        var check = s[^1];
        if (!Checksums.AllDigits(body) || !(char.IsAsciiDigit(check) || check == '-'))
        { error = "a KID has digits only (a MOD11 KID may end in '-')"; return false; }
        if (s.Length < MinLength || s.Length > MaxLength)
        { error = $"a KID has {MinLength} to {MaxLength} characters, this has {s.Length}"; return false; }
        var m10 = check != '-' && Checksums.Mod10(body) == check;
        var m11 = Checksums.Mod11(body) == check;
        switch (method)
        {
            case null when !m10 && !m11:
                error = check == '-'
                    ? $"the check digit is wrong: '-' is a MOD11 check digit, and MOD11 gives '{Checksums.Mod11(body)}' here"
                    : $"the check digit is wrong under both MOD10 (expected {Checksums.Mod10(body)}) and MOD11 (expected {Checksums.Mod11(body)})";
                return false;
            case KidMethod.Mod10 when !m10:
                error = check == '-'
                    ? "a MOD10 KID cannot end in '-' (only MOD11 uses '-')"
                    : $"the check digit is wrong under MOD10 (expected {Checksums.Mod10(body)})";
                return false;
            case KidMethod.Mod11 when !m11:
                error = $"the check digit is wrong under MOD11 (expected {Checksums.Mod11(body)})";
                return false;
        }
        kid = new Kid(s, m10, m11);
        error = "";
        return true;
    }

    /// <summary>Parses a KID or throws <see cref="FormatException"/> with the reason.</summary>
    public static Kid Parse(string text, KidMethod? method = null) =>
        TryParse(text, out var k, out var e, method) ? k : throw new FormatException($"'{text}' is not a valid KID: {e}");

    /// <summary>True when <paramref name="text"/> is a valid KID.</summary>
    public static bool IsValid(string? text, KidMethod? method = null) => TryParse(text, out _, out _, method);

    /// <summary>
    /// Builds a KID from a base number, zero-padded on the left to <paramref name="length"/> − 1 digits plus the check digit.
    /// E.g. <c>Create("123", 10, Mod10)</c> is <c>0000001230</c>.
    /// </summary>
    /// <param name="baseDigits">One or more digits, at most <paramref name="length"/> − 1 of them.</param>
    /// <param name="length">The KID length agreed with the bank, 2..25, including the check digit.</param>
    /// <param name="method">The check-digit method agreed with the bank.</param>
    /// <returns>The KID, or null for a MOD11 base whose check value is 10.</returns>
    /// <remarks>
    /// For MOD11 a base whose check value would be 10 yields null: issued KIDs never end in '-' (NORWAY-RULES §4.1
    /// advice; the OCR field is documented as digits only), so the caller picks another base (e.g. the next number).
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The length is outside 2..25 or the method is unknown.</exception>
    /// <exception cref="ArgumentException">The base is empty, has a non-digit, or is longer than <paramref name="length"/> − 1.</exception>
    public static Kid? Create(string baseDigits, int length, KidMethod method)
    {
        ArgumentNullException.ThrowIfNull(baseDigits);
        if (length < MinLength || length > MaxLength)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"a KID has {MinLength} to {MaxLength} characters");
        if (method is not (KidMethod.Mod10 or KidMethod.Mod11))
            throw new ArgumentOutOfRangeException(nameof(method), method, "unknown KID method");
        if (baseDigits.Length == 0 || !Checksums.AllDigits(baseDigits))
            throw new ArgumentException($"the base '{baseDigits}' must be one or more digits", nameof(baseDigits));
        if (baseDigits.Length > length - 1)
            throw new ArgumentException($"the base '{baseDigits}' has {baseDigits.Length} digits; a KID of length {length} has room for {length - 1} plus the check digit", nameof(baseDigits));
        var body = baseDigits.PadLeft(length - 1, '0');
        var check = method == KidMethod.Mod10 ? Checksums.Mod10(body) : Checksums.Mod11(body);
        if (check == '-') return null;
        return Parse(body + check, method);
    }

    /// <inheritdoc/>
    public override string ToString() => Value ?? "";
}
