using System.Globalization;
using CsCheck;
using Purr.Core.Formats.OcrGiro;

namespace Purr.Core.Tests.OcrGiro;

/// <summary>The reader's word-at-a-time primitives against their plain definitions.</summary>
public class OcrParsingPrimitivesTests
{
    [Fact]
    public void Digits_are_parsed_eight_at_a_time_as_long_parse_reads_them()
    {
        Gen.Int[0, 18].SelectMany(length => Gen.Char['0', '9'].Array[length]).Sample(digits =>
        {
            var text = new string(digits);
            var expected = text.Length == 0 ? 0 : long.Parse(text, CultureInfo.InvariantCulture);
            Assert.Equal(expected, OcrParser.ParseDigits(text));
        }, iter: 20_000);
        Assert.Equal(99_999_999_999_999_999L, OcrParser.ParseDigits("99999999999999999"));
        Assert.Equal(1L, OcrParser.ParseDigits("00000000000000001"));
        Assert.Equal(10_000_000L, OcrParser.ParseDigits("10000000"));
    }

    [Fact]
    public void The_digit_mask_marks_exactly_the_ascii_digits_of_a_record()
    {
        // Every character class that matters at every position: digits, letters, the neighbours of '0' and '9',
        // Latin-1 letters and blanks.
        var alphabet = "0123456789/:AZaz -ÆØÅæøå\u00B9\u00B2";
        Gen.Char[alphabet].Array[80].Sample(chars =>
        {
            var line = new OcrParser.Line(chars) { Number = 1, Length = 80, KeptLength = 80 };
            line.ComputeDigits();
            for (var start = 0; start < 80; start++)
                for (var length = 1; start + length <= 80; length += 7)
                    Assert.Equal(chars.AsSpan(start, length).IndexOfAnyExceptInRange('0', '9') < 0, line.IsDigits(start, length));
        }, iter: 2_000);
    }
}
