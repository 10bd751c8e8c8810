using Purr.Core.Identifiers;

namespace Purr.Core.Tests.Identifiers;

/// <summary>AccountNumber against every row of kontonummer_vectors.csv and iban_no_vectors.csv.</summary>
public class AccountNumberTests
{
    public static TheoryData<int, string, string, string, bool> KontonummerRows()
    {
        var data = new TheoryData<int, string, string, string, bool>();
        foreach (var r in TestData.ReadCsv("kid-vectors", "kontonummer_vectors.csv"))
            data.Add(r.Line, r["value"], r["expected"], r["expected_detail"], bool.Parse(r["computed_mod11_kontonr"]));
        return data;
    }

    [Theory]
    [MemberData(nameof(KontonummerRows))]
    public void Every_kontonummer_vector_row_gets_the_expected_outcome(int line, string value, string expected, string detail, bool computedMod11)
    {
        var ok = AccountNumber.TryParse(value, out var number, out var error);
        var digits = new string(value.Where(char.IsAsciiDigit).ToArray());
        switch (expected)
        {
            case "valid":
                Assert.True(ok, $"line {line}: {error}");
                Assert.Equal(digits, number.Value);
                Assert.Equal("", error);
                // "0000.4090403" is the old Postgiro (bank code 0000, Luhn on the 7 digits). python-stdnum accepts it,
                // so Purr does too, and marks it; every other valid row is an ordinary MOD11 account.
                Assert.Equal(digits.StartsWith("0000", StringComparison.Ordinal), number.IsLegacyPostgiro);
                Assert.Equal($"{digits[..4]}.{digits[4..6]}.{digits[6..]}", number.Formatted);
                Assert.Equal(digits[..4], number.BankCode);
                Assert.Equal(number, AccountNumber.Parse(number.Iban));
                break;
            case "invalid":
                Assert.False(ok, $"line {line}: '{value}' should be invalid ({detail})");
                var expectedReason = value.Length == 0 ? "required"
                    : !value.Replace(" ", "", StringComparison.Ordinal).All(char.IsAsciiDigit) ? "digits only"
                    : digits.Length != 11 ? $"11 digits, this has {digits.Length}"
                    : digits.All(c => c == '0') ? "all zeros"
                    : "MOD11"; // a wrong check digit, or a check value of 10
                Assert.Contains(expectedReason, error, StringComparison.Ordinal);
                break;
            case "structure-only":
                // These rows come from tests that build a number without validating it (NoCommons KontonummerTest,
                // oyms CreateNew), so they claim nothing about validity. Purr has no unvalidated constructor: it
                // accepts exactly the 11-digit rows whose MOD11 holds (the independently computed column).
                var expectValid = digits.Length == 11 && computedMod11;
                Assert.True(ok == expectValid, $"line {line}: {value} parsed {ok} ({error})");
                if (ok) Assert.Equal(digits[..4], number.BankCode);
                else Assert.NotEmpty(error);
                break;
            default:
                Assert.Fail($"line {line}: unknown expected value '{expected}'");
                break;
        }
    }

    public static TheoryData<int, string, string, string, string> IbanRows()
    {
        var data = new TheoryData<int, string, string, string, string>();
        foreach (var r in TestData.ReadCsv("kid-vectors", "iban_no_vectors.csv"))
            data.Add(r.Line, r["value"], r["expected"], r["expected_detail"], r["kontonr_part"]);
        return data;
    }

    [Theory]
    [MemberData(nameof(IbanRows))]
    public void Every_norwegian_iban_vector_row_gets_the_expected_outcome(int line, string value, string expected, string detail, string kontonr)
    {
        var ok = AccountNumber.TryParse(value, out var number, out var error);
        var electronic = value.Replace(" ", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal).ToUpperInvariant();
        switch (expected)
        {
            case "valid":
            // "invalid(NoCommonsNET)" rows: NoCommonsNET's IbanValidator accepts only the electronic format in capitals.
            // The same value "NO93 8601 1117 947" is marked valid by python-stdnum in other rows: ISO 13616 defines this
            // print format, and python-stdnum also accepts lower case. Purr reads what people write (both rows are still
            // checked by mod 97 and MOD11), so both are valid here.
            case "invalid(NoCommonsNET)":
                Assert.True(ok, $"line {line}: {error}");
                Assert.Equal(electronic[4..], number.Value);
                if (kontonr.Length > 0) Assert.Equal(kontonr, number.Value); // the column is empty on the lower-case row
                Assert.Equal(electronic, number.Iban);
                Assert.Equal(string.Join(' ', electronic.Chunk(4).Select(c => new string(c))), number.IbanFormatted);
                break;
            case "invalid":
                Assert.False(ok, $"line {line}: '{value}' should be invalid ({detail})");
                var expectedReason = detail switch
                {
                    "invalid IBAN check digits" => "IBAN check digits (mod 97) are wrong",
                    "IBAN checksum OK but Konto nr. check digit invalid" => "check digit (MOD11) is wrong",
                    "missing country code" => "11 digits, this has 13",
                    "missing last digit" => "15 characters",
                    _ => throw new InvalidOperationException($"line {line}: no reason mapped for '{detail}'"),
                };
                Assert.Contains(expectedReason, error, StringComparison.Ordinal);
                break;
            default:
                Assert.Fail($"line {line}: unknown expected value '{expected}'");
                break;
        }
    }

    [Fact]
    public void Iban_is_computed_from_the_bban()
    {
        var n = AccountNumber.Parse("8601.11.17947");
        Assert.Equal("NO9386011117947", n.Iban);
        Assert.Equal("NO93 8601 1117 947", n.IbanFormatted);
        Assert.Equal("11", n.AccountGroup);
        Assert.Equal("86011117947", n.ToString());
    }

    [Theory]
    [InlineData("DE89370400440532013000", "only Norwegian (NO) IBANs")]
    [InlineData("NO93860111179AB", "only digits after NO")]
    [InlineData("86011117980", "check value of the first 10 digits is 10")] // 8601111798 has MOD11 check value 10
    [InlineData("8601 11 1794 7x", "digits only")]
    [InlineData("0000.4090404", "old Postgiro")]
    [InlineData("00000000000", "all zeros")]
    public void Invalid_numbers_say_why(string text, string reason)
    {
        Assert.False(AccountNumber.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        var ex = Assert.Throws<FormatException>(() => AccountNumber.Parse(text));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dashes_between_groups_are_accepted() =>
        Assert.Equal("86011117947", AccountNumber.Parse("8601-11-17947").Value);
}
