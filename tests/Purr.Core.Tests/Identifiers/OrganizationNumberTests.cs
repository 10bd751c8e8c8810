using Purr.Core.Identifiers;

namespace Purr.Core.Tests.Identifiers;

/// <summary>OrganizationNumber and MvaNumber against every row of orgnr_vectors.csv and mva_vectors.csv.</summary>
public class OrganizationNumberTests
{
    public static TheoryData<int, string, string, string, string> OrgnrRows()
    {
        var data = new TheoryData<int, string, string, string, string>();
        foreach (var r in TestData.ReadCsv("kid-vectors", "orgnr_vectors.csv"))
            data.Add(r.Line, r["value"], r["expected"], r["expected_detail"], r["note"]);
        return data;
    }

    [Theory]
    [MemberData(nameof(OrgnrRows))]
    public void Every_orgnr_vector_row_gets_the_expected_outcome(int line, string value, string expected, string detail, string note)
    {
        var ok = OrganizationNumber.TryParse(value, out var number, out var error);
        var digits = new string(value.Where(char.IsAsciiDigit).ToArray());
        if (expected == "valid" && note == "library-specific leniency")
        {
            // oyms/NorwegianTypes strips every non-digit, so "93x13-09_0  8*0" becomes 931309080. Purr accepts only
            // separators (space, dot, dash) and the NO / NO-BRC- / MVA affixes: an 'x', '_' or '*' in an imported
            // number is more likely a typo than decoration, so it is refused with a reason, never silently dropped.
            Assert.False(ok);
            Assert.Contains("digits only", error, StringComparison.Ordinal);
            Assert.True(OrganizationNumber.IsValid(digits), "the digits themselves are a valid orgnr");
            return;
        }
        switch (expected)
        {
            case "valid":
                Assert.True(ok, $"line {line}: {error}");
                Assert.Equal(digits, number.Value);
                Assert.Equal($"{digits[..3]} {digits[3..6]} {digits[6..]}", number.Formatted);
                Assert.Equal($"NO{digits}MVA", number.MvaNumber);
                Assert.Equal($"NO{digits}MVA", number.ToMvaNumber().Value);
                break;
            case "invalid":
                Assert.False(ok, $"line {line}: '{value}' should be invalid ({detail})");
                var expectedReason = value.Length == 0 ? "required"
                    : digits.Length != 9 ? $"9 digits, this has {digits.Length}"
                    : "MOD11";
                Assert.Contains(expectedReason, error, StringComparison.Ordinal);
                break;
            default:
                Assert.Fail($"line {line}: unknown expected value '{expected}'");
                break;
        }
    }

    public static TheoryData<int, string, string, string> MvaRows()
    {
        var data = new TheoryData<int, string, string, string>();
        foreach (var r in TestData.ReadCsv("kid-vectors", "mva_vectors.csv"))
            data.Add(r.Line, r["value"], r["expected"], r["expected_detail"]);
        return data;
    }

    [Theory]
    [MemberData(nameof(MvaRows))]
    public void Every_mva_vector_row_gets_the_expected_outcome(int line, string value, string expected, string detail)
    {
        var ok = MvaNumber.TryParse(value, out var mva, out var error);
        var digits = new string(value.Where(char.IsAsciiDigit).ToArray());
        switch (expected)
        {
            case "valid":
                Assert.True(ok, $"line {line}: {error}");
                Assert.Equal($"NO{digits}MVA", mva.Value);
                Assert.Equal(digits, mva.OrganizationNumber.Value);
                Assert.Equal($"NO {digits[..3]} {digits[3..6]} {digits[6..]} MVA", mva.Formatted);
                // An MVA number also reads as the organisation number inside it.
                Assert.Equal(digits, OrganizationNumber.Parse(value).Value);
                break;
            case "invalid":
                Assert.False(ok, $"line {line}: '{value}' should be invalid ({detail})");
                // stdnum-js's "12345678" (InvalidLength) has no MVA suffix either; Purr reports the suffix first.
                var expectedReason = detail == "InvalidChecksum" ? "MOD11" : "does not end in MVA";
                Assert.Contains(expectedReason, error, StringComparison.Ordinal);
                break;
            default:
                Assert.Fail($"line {line}: unknown expected value '{expected}'");
                break;
        }
    }

    [Theory]
    [InlineData("988077917", "does not end in MVA")]
    [InlineData("NO 98807791 MVA", "9 digits, this has 8")]
    [InlineData("NO 988 077 9x7 MVA", "digits only")]
    [InlineData("", "required")]
    public void Invalid_mva_numbers_say_why(string text, string reason)
    {
        Assert.False(MvaNumber.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => MvaNumber.Parse(text));
    }

    [Fact]
    public void A_check_value_of_ten_is_never_valid()
    {
        // The MOD11 check value of 98807795 is 10: no digit can complete it.
        for (var d = 0; d <= 9; d++)
        {
            Assert.False(OrganizationNumber.TryParse($"98807795{d}", out _, out var error));
            Assert.Contains("check value of the first 8 digits is 10", error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("no995525828mva")]
    [InlineData("NO-BRC-995525828")]
    [InlineData("995.525.828")]
    public void Prefixes_suffixes_and_separators_are_accepted(string text) =>
        Assert.Equal("995525828", OrganizationNumber.Parse(text).Value);

    [Fact]
    public void Default_mva_number_prints_empty() => Assert.Equal("", default(MvaNumber).ToString());
}
