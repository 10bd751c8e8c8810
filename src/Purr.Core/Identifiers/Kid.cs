namespace Purr.Core.Identifiers;

/// <summary>How a KID's check digit is computed. Fixed per receiving account in the bank agreement.</summary>
public enum KidMethod
{
    /// <summary>Luhn.</summary>
    Mod10,
    /// <summary>Weights 2..7; a check value of 10 is written '-'.</summary>
    Mod11,
}

/// <summary>
/// KID (kundeidentifikasjon): the payment reference on Norwegian invoices, 2 to 25 characters,
/// digits with a MOD10 or MOD11 check digit (MOD11 may end in '-').
/// </summary>
/// <remarks>A string, never a number: leading zeros matter. Source: NORWAY-RULES §4.1 (Nets OCR giro manual).</remarks>
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

    /// <summary>Parses a KID (spaces removed) valid under either method, or under <paramref name="method"/> when given.</summary>
    public static bool TryParse(string? text, out Kid kid, out string error, KidMethod? method = null)
    {
        kid = default;
        var s = text is null ? "" : text.Replace(" ", "", StringComparison.Ordinal).Trim();
        if (s.Length == 0) { error = "a KID is required"; return false; }
        if (s.Length < MinLength || s.Length > MaxLength) { error = $"a KID has {MinLength} to {MaxLength} characters, this has {s.Length}"; return false; }
        var body = s.AsSpan(0, s.Length - 1);
        var check = s[^1];
        if (!Checksums.AllDigits(body) || !(char.IsAsciiDigit(check) || check == '-'))
        { error = "a KID has digits only (MOD11 may end in '-')"; return false; }
        var m10 = check != '-' && Checksums.Mod10(body) == check;
        var m11 = Checksums.Mod11(body) == check;
        var ok = method switch { KidMethod.Mod10 => m10, KidMethod.Mod11 => m11, _ => m10 || m11 };
        if (!ok)
        {
            error = method is null ? "the check digit is wrong under both MOD10 and MOD11" : $"the check digit is wrong under {method.Value.ToString().ToUpperInvariant()}";
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
    /// </summary>
    /// <remarks>
    /// For MOD11 a base whose check value would be 10 yields null: issued KIDs never end in '-' (NORWAY-RULES §4.1 advice),
    /// so the caller picks another base (e.g. the next number).
    /// </remarks>
    public static Kid? Create(string baseDigits, int length, KidMethod method)
    {
        ArgumentNullException.ThrowIfNull(baseDigits);
        if (length < MinLength || length > MaxLength) throw new ArgumentOutOfRangeException(nameof(length), $"KID length must be {MinLength}..{MaxLength}");
        if (!Checksums.AllDigits(baseDigits) || baseDigits.Length == 0) throw new ArgumentException("base must be digits", nameof(baseDigits));
        if (baseDigits.Length > length - 1) throw new ArgumentException($"base '{baseDigits}' is longer than {length - 1} digits", nameof(baseDigits));
        var body = baseDigits.PadLeft(length - 1, '0');
        var check = method == KidMethod.Mod10 ? Checksums.Mod10(body) : Checksums.Mod11(body);
        if (check == '-') return null;
        return Parse(body + check, method);
    }

    /// <inheritdoc/>
    public override string ToString() => Value ?? "";
}
