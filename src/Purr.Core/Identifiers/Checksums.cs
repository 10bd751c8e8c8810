using System.Buffers;

namespace Purr.Core.Identifiers;

/// <summary>The modulus check-digit schemes used by Norwegian banking identifiers.</summary>
/// <remarks>Source: Nets "System specification OCR giro" section 5 and the AvtaleGiro specification section 4.</remarks>
public static class Checksums
{
    /// <summary>MOD10 (Luhn) check digit for a string of digits: weights 2,1,2,1… from the right, digit sums of the products.</summary>
    public static char Mod10(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = (digits[digits.Length - 1 - i] - '0') * (i % 2 == 0 ? 2 : 1);
            sum += d / 10 + d % 10;
        }
        return (char)('0' + (10 - sum % 10) % 10);
    }

    /// <summary>MOD11 check digit with weights 2..7 cycling from the right; remainder 1 gives '-' (check value 10).</summary>
    public static char Mod11(ReadOnlySpan<char> digits)
    {
        int sum = 0, w = 2;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            sum += (digits[i] - '0') * w;
            w = w == 7 ? 2 : w + 1;
        }
        var r = sum % 11;
        return r == 0 ? '0' : r == 1 ? '-' : (char)('0' + 11 - r);
    }

    /// <summary>MOD11 with fixed weights over the first digits; returns the check value 0..10 (10 means "cannot be issued").</summary>
    public static int Mod11Weighted(ReadOnlySpan<char> digits, ReadOnlySpan<int> weights)
    {
        var sum = 0;
        for (var i = 0; i < weights.Length; i++) sum += (digits[i] - '0') * weights[i];
        var r = sum % 11;
        return r == 0 ? 0 : 11 - r;
    }

    /// <summary>True when every char is an ASCII digit.</summary>
    public static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s) if (c is < '0' or > '9') return false;
        return true;
    }

    /// <summary>Removes spaces, dots and non-breaking spaces used as group separators.</summary>
    public static string Compact(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        // Runs for every reference of every bank transaction: most have nothing to remove, so no copy then.
        if (!s.AsSpan().ContainsAny(GroupSeparators)) return s;
        var buffer = s.Length <= 256 ? stackalloc char[s.Length] : new char[s.Length];
        var n = 0;
        foreach (var c in s) if (!GroupSeparators.Contains(c)) buffer[n++] = c;
        return new string(buffer[..n]);
    }

    private static readonly SearchValues<char> GroupSeparators = SearchValues.Create(" .\u00A0\t");
}
