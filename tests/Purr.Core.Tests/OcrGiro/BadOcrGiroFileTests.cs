using Purr.Core.Formats;
using Purr.Core.Tests.Camt;

namespace Purr.Core.Tests.OcrGiro;

/// <summary>
/// Every damaged OCR giro file in tests/data/bad-bank-files is rejected with one precise located error (line,
/// positions, raw value, what was expected), never a crash and never a cascade of follow-up errors.
/// </summary>
public class BadOcrGiroFileTests
{
    // file, line, positions, raw value, what was expected
    public static TheoryData<string, int, string?, string?, string> Files => new()
    {
        { "short-line.ocr.txt", 7, "1-80", "NY09103100000029797596016097596016188320616019299991005524000000000000000000000", "a record of exactly 80 characters; this line has 79" },
        { "totals-mismatch.ocr.txt", 44, "25-41", "00000000005144901", "the sum of the amounts in the assignment, 5144900 øre (NOK 51449.00); reversals count as added" },
        { "count-mismatch.ocr.txt", 44, "9-16", "00000021", "the number of transactions in the assignment started at line 2, 20" },
        { "record-count-mismatch.ocr.txt", 45, "17-24", "00000046", "the number of records in the transmission including records 10 and 89, 45" },
        { "missing-transmission-end.ocr.txt", 44, null, null, "a transmission end record (NY000089); the file ends after line 44" },
        { "missing-assignment-end.ocr.txt", 44, "7-8", "89", "an assignment end record (88) for the assignment started at line 2, before the transmission end" },
        { "bad-amount.ocr.txt", 6, "33-49", "000000000001O2000", "the amount in øre: 17 digits" },
        { "missing-amount-item-2.ocr.txt", 6, "7-8", "30", "amount item 1 (30) of transaction 0000002 followed by its amount item 2 (31)" },
        { "data-after-end.ocr.txt", 46, "7-8", "89", "nothing after the transmission end record (89)" },
        { "utf8-text.ocr.txt", 5, "1-80", "NY0921320000001Foo bÃ¦r baz                             0000000000000000000000000", "a record of exactly 80 characters; this line has 81 (it holds UTF-8 encoded letters; OCR giro files are ISO-8859-1)" },
        { "utf16.ocr.txt", 1, null, null, "an ISO-8859-1 text file; this file starts with a UTF-16 byte order mark" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Damaged_ocr_file_gives_one_precise_located_error(string file, int line, string? positions, string? raw, string expected)
    {
        var content = BankTestFiles.Read("bad-bank-files", file);

        var error = Assert.Single(content.Errors);
        Assert.Equal(file, error.File);
        Assert.Equal(line, error.Line);
        Assert.Equal(positions, error.Column);
        Assert.Equal(raw, error.RawValue);
        Assert.Equal(expected, error.Expected);
        Assert.Null(error.XPath);
    }

    [Fact]
    public void Reading_stops_after_MaxErrors_with_a_final_error_and_a_summary_of_what_was_read()
    {
        // One good transaction, then more broken records (unknown record type 99) than the reader reports.
        var lines = new List<string>
        {
            OcrRecords.Start(), OcrRecords.AssignmentStart(),
            OcrRecords.Item1(10, 1, 12_345, "0000531"), OcrRecords.Item2(10, 1),
        };
        lines.AddRange(Enumerable.Range(0, BankFileReading.MaxErrors + 50).Select(_ => "NY091099" + new string('0', 72)));
        lines.Add(OcrRecords.AssignmentEnd(1, 4, 12_345));
        lines.Add(OcrRecords.End(1, 6, 12_345));

        var content = BankTestFiles.ReadText(string.Join("\r\n", lines) + "\r\n", "many-errors.ocr.txt");

        Assert.Equal(BankFileReading.MaxErrors + 1, content.Errors.Count);
        var last = content.Errors[^1];
        Assert.Equal(($"at most {BankFileReading.MaxErrors} errors are reported; reading stopped here", 5 + BankFileReading.MaxErrors),
            (last.Expected, last.Line));
        Assert.Equal("0000531", Assert.Single(content.Transactions).Kid);
        Assert.Equal((1, BankFileReading.MaxErrors + 1), (content.Summary.TransactionCount, content.Summary.ErrorCount));
        Assert.Equal(123.45m, Assert.Single(content.Summary.Totals).CreditTotal.Amount);
    }

    [Fact]
    public void Error_renders_as_one_terminal_line()
    {
        var error = Assert.Single(BankTestFiles.Read("bad-bank-files", "count-mismatch.ocr.txt").Errors);

        Assert.Equal("count-mismatch.ocr.txt:44: column 9-16: \"00000021\": the number of transactions in the assignment started at line 2, 20", error.ToString());
    }

    [Theory]
    [InlineData(49, "A", "33-49")]
    [InlineData(16, "320292", "16-21")]
    [InlineData(32, "1", "32")]
    [InlineData(70, "A", "50-74")]
    [InlineData(5, "99", "5-6")]
    public void Bad_fields_of_amount_item_1_are_located_by_position(int position, string replacement, string positions)
    {
        var lines = File.ReadAllLines(BankTestFiles.PathOf("ocr-giro", "otovo+python-netsgiro", "ocr_giro_transactions.txt"), System.Text.Encoding.Latin1).ToList();
        var record = lines[2].Remove(position - 1, replacement.Length).Insert(position - 1, replacement);
        lines[2] = record; // the worked example's amount item 1, with one field broken

        var content = BankTestFiles.ReadBytes(System.Text.Encoding.Latin1.GetBytes(string.Join("\n", lines) + "\n"), "t.ocr");

        var error = Assert.Single(content.Errors);
        Assert.Equal((3, positions), (error.Line, error.Column));
        Assert.Equal(80, record.Length);
        Assert.Equal(19, content.Transactions.Count); // transaction 1 is lost with its broken record; its items 2 and 3 add no noise
    }
}
