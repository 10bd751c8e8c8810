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
            for (var start = 0; start < 80; start++)
                for (var length = 1; length <= 64 && start + length <= 80; length += 5)
                {
                    var expected = 0UL;
                    for (var i = 0; i < length; i++) if (char.IsAsciiDigit(chars[start + i])) expected |= 1UL << i;
                    Assert.Equal(expected, line.DigitBits(start, length));
                }
        }, iter: 2_000);
    }

    [Fact]
    public void The_line_reader_gives_every_line_its_characters_and_digits_whatever_the_lengths_and_line_breaks()
    {
        // Mostly 80-character records (the reader's one-step path), some shorter or longer, with LF, CRLF or CR, across
        // buffer boundaries (64 KB), and Latin-1 letters.
        var alphabet = "0123456789 AZ-/:ÆØÅæøå";
        var gen = Gen.Select(Gen.Frequency((8, Gen.Const(80)), (1, Gen.Int[0, 200])).SelectMany(n => Gen.Char[alphabet].Array[n]), Gen.Int[0, 2]).List[1, 2_000];
        gen.Sample(lines =>
        {
            var bytes = new List<byte>();
            foreach (var (chars, ending) in lines)
            {
                bytes.AddRange(System.Text.Encoding.Latin1.GetBytes(chars));
                bytes.AddRange(ending switch { 0 => "\n"u8.ToArray(), 1 => "\r\n"u8.ToArray(), _ => "\r"u8.ToArray() });
            }
            // The lines as the plain rule reads them (LF, CRLF or CR ends a line): an empty line after a CR is part of a CRLF.
            var expectedLines = new List<string>();
            var text = System.Text.Encoding.Latin1.GetString(bytes.ToArray());
            for (int i = 0, start = 0; i < text.Length; i++)
            {
                if (text[i] is not ('\n' or '\r')) continue;
                expectedLines.Add(text[start..i]);
                if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                start = i + 1;
            }
            var reader = new OcrParser.LineReader(new MemoryStream(bytes.ToArray()));
            var line = reader.Current;
            for (var i = 0; i < expectedLines.Count; i++)
            {
                Assert.True(reader.Next());
                var expected = expectedLines[i];
                Assert.Equal((i + 1, expected.Length), (line.Number, line.Length));
                Assert.Equal(expected[..Math.Min(expected.Length, OcrParser.LineReader.MaxKept)], line.Text.ToString());
                if (expected.Length < 80) continue;
                line.ComputeDigits();
                for (var start = 0; start < 80; start += 3)
                    Assert.Equal(expected.AsSpan(start, 80 - start).IndexOfAnyExceptInRange('0', '9') < 0, line.IsDigits(start, 80 - start));
                for (var p = 0; p < 80; p++) Assert.Equal(char.IsAsciiDigit(expected[p]), line.IsDigits(p, 1));
            }
            Assert.False(reader.Next());
        }, iter: 200);
    }
}
