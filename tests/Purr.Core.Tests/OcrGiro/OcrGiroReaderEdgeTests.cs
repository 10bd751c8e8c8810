using System.Globalization;
using System.Text;
using Purr.Core.Formats;
using Purr.Core.Formats.OcrGiro;
using Purr.Core.Tests.Camt;

namespace Purr.Core.Tests.OcrGiro;

/// <summary>The span-based record parsing: values that change from one transaction to the next, long lines, amounts.</summary>
public class OcrGiroReaderEdgeTests
{
    [Fact]
    public void Dates_serials_and_form_fields_that_change_between_transactions_are_read_per_transaction()
    {
        var lines = new List<string> { OcrRecords.Start(), OcrRecords.AssignmentStart() };
        string[] dates = ["020326", "020326", "030326", "290224", "030326"];
        for (var i = 0; i < dates.Length; i++)
        {
            lines.Add(OcrRecords.Item1(10, i + 1, 100 + i, $"{i + 1}", netsDate: dates[i]));
            lines.Add(OcrRecords.Item2(10, i + 1, bankDate: i == 1 ? "000000" : dates[i], debitAccount: i == 2 ? "00000000000" : $"1234567890{i}"));
        }
        lines.Add(OcrRecords.AssignmentEnd(5, 12, 510));
        lines.Add(OcrRecords.End(5, 14, 510));

        var content = Read(lines);

        Assert.Empty(content.Errors);
        Assert.Equal(
            [new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 3), new DateOnly(2024, 2, 29), new DateOnly(2026, 3, 3)],
            content.Transactions.Select(t => t.BookingDate!.Value));
        Assert.Equal([new DateOnly(2026, 3, 2), null, new DateOnly(2026, 3, 3), new DateOnly(2024, 2, 29), new DateOnly(2026, 3, 3)],
            content.Transactions.Select(t => t.Ocr!.Value.BankDate));
        Assert.Equal(["12345678900", "12345678901", null, "12345678903", "12345678904"], content.Transactions.Select(t => t.PayerAccount));
        Assert.Equal(["1", "2", "3", "4", "5"], content.Transactions.Select(t => t.Kid));
        Assert.Equal("ocr:001008566:0000001:0000005", content.Transactions[^1].BankReference);
    }

    [Fact]
    public void A_line_longer_than_a_record_is_reported_with_its_full_length_and_a_clipped_raw_value()
    {
        var lines = new List<string> { OcrRecords.Start(), OcrRecords.AssignmentStart() + new string('9', 1500) };

        var error = Read(lines).Errors[0];

        Assert.Equal(2, error.Line);
        Assert.Contains("this line has 1580", error.Expected, StringComparison.Ordinal);
        Assert.Equal(101, error.RawValue!.Length); // 100 characters and an ellipsis
    }

    [Fact]
    public void A_bad_nets_date_after_good_ones_is_still_an_error()
    {
        var lines = new List<string>
        {
            OcrRecords.Start(), OcrRecords.AssignmentStart(),
            OcrRecords.Item1(10, 1, 100, "1"), OcrRecords.Item2(10, 1),
            OcrRecords.Item1(10, 2, 100, "2", netsDate: "300226"), OcrRecords.Item2(10, 2),
            OcrRecords.AssignmentEnd(2, 6, 200), OcrRecords.End(2, 8, 200),
        };

        var error = Assert.Single(Read(lines).Errors);

        Assert.Equal((5, "16-21", "300226"), (error.Line, error.Column, error.RawValue));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(5L)]
    [InlineData(50L)]
    [InlineData(100L)]
    [InlineData(12345L)]
    [InlineData(12340L)]
    [InlineData(-12300L)]
    [InlineData(-7L)]
    [InlineData(99_999_999_999_999_999L)]
    public void Amounts_in_ore_become_the_same_money_as_from_minor_units(long ore)
    {
        var fast = OcrParser.NokFromOre(ore);
        var reference = Money.FromMinorUnits(ore, Currency.Nok);

        Assert.Equal(reference, fast);
        Assert.Equal(reference.Amount.ToString(CultureInfo.InvariantCulture), fast.Amount.ToString(CultureInfo.InvariantCulture));
    }

    private static BankFileContent Read(IEnumerable<string> lines) =>
        BankTestFiles.ReadBytes(Encoding.Latin1.GetBytes(string.Join("\n", lines) + "\n"), "edge.ocr");
}
