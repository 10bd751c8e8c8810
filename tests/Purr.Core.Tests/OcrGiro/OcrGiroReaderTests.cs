using System.Text;
using Purr.Core.Formats;
using Purr.Core.Formats.OcrGiro;
using Purr.Core.Tests.Camt;

namespace Purr.Core.Tests.OcrGiro;

public class OcrGiroReaderTests
{
    private static BankFileContent Sample() => BankTestFiles.Read("ocr-giro", "otovo+python-netsgiro", "ocr_giro_transactions.txt");

    private static BankFileContent ReadLines(IEnumerable<string> lines, string newline = "\n") =>
        OcrGiroReader.Read(new MemoryStream(Encoding.Latin1.GetBytes(string.Join(newline, lines) + newline)), "test.ocr").ReadAll();

    [Fact]
    public void Manual_worked_example_record_gives_every_field_exactly()
    {
        // NY09213000000012001921320101464000000000000102000                  0000531000000 (+ items 2 and 3):
        // the Nets manual's example, asserted by python-netsgiro tests/test_object_parsing.py.
        var t = Sample().Transactions[0];
        var o = t.Ocr!.Value;

        Assert.Equal(OcrTransactionType.PurchaseWithText, o.TransactionType);
        Assert.Equal(1, o.TransactionNumber);
        Assert.Equal(new DateOnly(1992, 1, 20), o.NetsDate);
        Assert.Equal("13", o.CentreId);
        Assert.Equal(20, o.DayCode);
        Assert.Equal(1, o.PartialSettlementNumber);
        Assert.Equal("01464", o.SerialNumber);
        Assert.Equal('0', o.Sign);
        Assert.Equal(102000L, o.AmountInOre);
        Assert.Equal(Money.Nok(1020.00m), t.Amount);
        Assert.Equal("0000531", t.Kid);
        Assert.Equal("9636827194", o.FormNumber);
        Assert.Equal("099038562", o.ArchiveReference);
        Assert.Equal(new DateOnly(1992, 1, 16), o.BankDate);
        Assert.Equal("99990512341", o.DebitAccount);
        Assert.Equal("99990512341", t.PayerAccount);
        Assert.Equal("Foo bar baz", t.FreeText);
        Assert.Equal("Foo bar baz", o.Text);
        Assert.Equal((4, (int?)5), (o.AmountItem2Line, o.AmountItem3Line));
        Assert.Equal(3, t.Source.Line);
        Assert.Null(t.Source.XPath);
        Assert.Equal(new DateOnly(1992, 1, 20), t.BookingDate);
        Assert.Equal("99991042764", t.Account);
        Assert.Equal(("001008566", "0000002", "0170031"), (o.AgreementId, o.AssignmentNumber, o.TransmissionNumber));
        Assert.Equal("ocr:001008566:0000002:0000001", t.BankReference);
        Assert.False(t.IsReversal);
    }

    [Fact]
    public void Sample_file_has_the_manifest_control_totals_and_transactions()
    {
        var content = Sample();
        var s = content.Summary;

        Assert.Empty(content.Errors);
        Assert.Empty(s.Warnings);
        Assert.Equal(BankFileFormat.OcrGiro, s.Format);
        Assert.Equal("0170031", s.MessageId);
        var tx = s.Ocr!;
        Assert.Equal(("00008080", "0170031", "00010200"), (tx.DataTransmitter, tx.TransmissionNumber, tx.DataRecipient));
        Assert.Equal((20L, 45L, Money.Nok(51449.00m), new DateOnly(1992, 1, 20)), (tx.TransactionCount!.Value, tx.RecordCount!.Value, tx.Total!.Value, tx.NetsDate!.Value));
        var a = Assert.Single(tx.Assignments);
        Assert.Equal(("09", "00", "001008566", "0000002", "99991042764", 2), (a.ServiceCode, a.AssignmentType, a.AgreementId, a.AssignmentNumber, a.AssignmentAccount, a.Line));
        Assert.Equal((20L, 43L, Money.Nok(51449.00m)), (a.TransactionCount!.Value, a.RecordCount!.Value, a.Total!.Value));

        Assert.Equal(20, content.Transactions.Count);
        Assert.All(content.Transactions, t => Assert.True(t.Amount.IsPositive));
        Assert.Equal(5144900L, content.Transactions.Sum(t => t.Amount.ToMinorUnits()));
        var total = Assert.Single(s.Totals);
        Assert.Equal((20, Money.Nok(51449.00m), 0), (total.CreditCount, total.CreditTotal, total.DebitCount));
        Assert.Equal(
            [(OcrTransactionType.GiroDebitedAccount, 10), (OcrTransactionType.StandingOrder, 2), (OcrTransactionType.DirectRemittance, 2), (OcrTransactionType.BusinessTerminalGiro, 5), (OcrTransactionType.PurchaseWithText, 1)],
            content.Transactions.GroupBy(t => t.Ocr!.Value.TransactionType).OrderBy(g => g.Key).Select(g => (g.Key, g.Count())));
        Assert.Equal(20, content.Transactions.Select(t => t.BankReference).Distinct().Count());
        Assert.All(content.Transactions, t => Assert.InRange(t.Kid!.Length, 7, 14));
        Assert.Equal("000149012", content.Transactions[10].Kid);
        Assert.Null(content.Transactions[8].Ocr!.Value.BankDate); // "000000"
        Assert.Null(content.Transactions[8].Ocr!.Value.FormNumber); // all zeros
    }

    [Fact]
    public void AvtaleGiro_payment_claims_are_recognised_and_refused_at_their_assignment()
    {
        var content = BankTestFiles.Read("ocr-giro", "otovo+python-netsgiro", "avtalegiro_payment_request.txt");

        Assert.Empty(content.Transactions);
        var error = Assert.Single(content.Errors);
        Assert.Equal((2, "3-6", "2100"), (error.Line, error.Column, error.RawValue));
        Assert.Contains("AvtaleGiro assignment of payment claims (service code 21, assignment type 00), which a payee sends to Nets: it holds no incoming payments", error.Expected);
        Assert.Equal(BankFileFormat.AvtaleGiro, content.Summary.Format);
        // Its control totals were still checked (they hold: no further errors) and are reported.
        Assert.Equal((6L, 22L, Money.Nok(6.00m)), (content.Summary.Ocr!.TransactionCount!.Value, content.Summary.Ocr.RecordCount!.Value, content.Summary.Ocr.Total!.Value));
        Assert.False(Assert.Single(content.Summary.Ocr.Assignments).IsPayments);
    }

    [Fact]
    public void AvtaleGiro_agreement_file_alone_is_refused_with_a_located_reason()
    {
        var content = BankTestFiles.Read("ocr-giro", "otovo+python-netsgiro", "avtalegiro_agreements.txt");

        Assert.Empty(content.Transactions);
        var error = Assert.Single(content.Errors);
        Assert.Equal((2, "3-6", "2124"), (error.Line, error.Column, error.RawValue));
        Assert.Contains("AvtaleGiro agreement notifications (service code 21, assignment type 24) register payers' standing orders and carry no payments", error.Expected);
        Assert.Equal((16L, 20L), (content.Summary.Ocr!.TransactionCount!.Value, content.Summary.Ocr.RecordCount!.Value));
    }

    [Fact]
    public void AvtaleGiro_agreements_beside_ocr_payments_are_skipped_with_a_warning()
    {
        var ocr = File.ReadAllLines(BankTestFiles.PathOf("ocr-giro", "otovo+python-netsgiro", "ocr_giro_transactions.txt"), Encoding.Latin1);
        var agreements = File.ReadAllLines(BankTestFiles.PathOf("ocr-giro", "otovo+python-netsgiro", "avtalegiro_agreements.txt"), Encoding.Latin1);
        // transmission start, the OCR assignment (lines 2-44), the agreement assignment (18 records), a new end record
        var lines = ocr[..44].Concat(agreements[1..19]).Append(OcrRecords.End(20 + 16, 45 + 18, 5144900, "200192")).ToList();

        var content = ReadLines(lines);

        Assert.Empty(content.Errors);
        Assert.Equal(20, content.Transactions.Count);
        var warning = Assert.Single(content.Summary.Warnings);
        Assert.Equal((45, "2124"), (warning.Line, warning.RawValue));
        Assert.EndsWith("so this assignment is skipped", warning.Expected);
        Assert.Equal(BankFileFormat.OcrGiro, content.Summary.Format);
    }

    [Fact]
    public void Reversals_are_negative_payments_but_added_in_the_control_totals()
    {
        var lines = new List<string>
        {
            OcrRecords.Start(),
            OcrRecords.AssignmentStart(),
            OcrRecords.Item1(10, 1, 150000, "123456782"), OcrRecords.Item2(10, 1),
            OcrRecords.Item1(18, 2, 50000, "123456782"), OcrRecords.Item2(18, 2),          // reversal with KID
            OcrRecords.Item1(20, 3, 20000, null), OcrRecords.Item2(20, 3), OcrRecords.Item3(20, 3, "Feilført"), // reversal with text
            OcrRecords.Item1(19, 4, 30000, "123456785", sign: '-'), OcrRecords.Item2(19, 4), // credit note signed '-'
            OcrRecords.AssignmentEnd(4, 11, 150000 + 50000 + 20000 + 30000),
            OcrRecords.End(4, 13, 250000),
        };

        var content = ReadLines(lines);

        Assert.Empty(content.Errors);
        Assert.Equal([Money.Nok(1500m), Money.Nok(-500m), Money.Nok(-200m), Money.Nok(-300m)], content.Transactions.Select(t => t.Amount));
        Assert.Equal([false, true, true, false], content.Transactions.Select(t => t.IsReversal));
        Assert.Equal("Feilført", content.Transactions[2].FreeText);
        Assert.Equal(Money.Nok(500m), content.Summary.Totals[0].Net);
    }

    [Fact]
    public void Control_total_taken_as_the_signed_net_is_refused()
    {
        // The same file with 88/89 totals computed as credits minus reversals: not the Nets rule.
        var lines = new List<string>
        {
            OcrRecords.Start(),
            OcrRecords.AssignmentStart(),
            OcrRecords.Item1(10, 1, 150000, "123456782"), OcrRecords.Item2(10, 1),
            OcrRecords.Item1(18, 2, 50000, "123456782"), OcrRecords.Item2(18, 2),
            OcrRecords.AssignmentEnd(2, 6, 100000),
            OcrRecords.End(2, 8, 200000),
        };

        var error = Assert.Single(ReadLines(lines).Errors);

        Assert.Equal((7, "25-41", "00000000000100000"), (error.Line, error.Column, error.RawValue));
        Assert.Equal("the sum of the amounts in the assignment, 200000 øre (NOK 2000.00); reversals count as added", error.Expected);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\r")]
    [InlineData("\n")]
    public void Any_line_ending_reads_the_same(string newline)
    {
        var lines = File.ReadAllLines(BankTestFiles.PathOf("ocr-giro", "otovo+python-netsgiro", "ocr_giro_transactions.txt"), Encoding.Latin1);

        var content = ReadLines(lines, newline);

        Assert.Empty(content.Errors);
        Assert.Equal(20, content.Transactions.Count);
        Assert.Equal(42, content.Transactions[^1].Source.Line);
    }

    [Fact]
    public void Blank_lines_are_allowed_at_the_end_only()
    {
        var lines = File.ReadAllLines(BankTestFiles.PathOf("ocr-giro", "otovo+python-netsgiro", "ocr_giro_transactions.txt"), Encoding.Latin1).ToList();

        Assert.Empty(ReadLines(lines.Concat(["", ""])).Errors);

        lines.Insert(10, "");
        var error = Assert.Single(ReadLines(lines).Errors);
        Assert.Equal((11, "an 80-character record, not an empty line"), (error.Line, error.Expected));
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_ignored_with_a_warning()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(File.ReadAllBytes(BankTestFiles.PathOf("ocr-giro", "otovo+python-netsgiro", "ocr_giro_transactions.txt"))).ToArray();

        var content = BankTestFiles.ReadBytes(bytes, "bom.txt");

        Assert.Empty(content.Errors);
        Assert.Equal(20, content.Transactions.Count);
        Assert.Contains("byte order mark was ignored", Assert.Single(content.Summary.Warnings).Expected);
    }
}

[Collection(StreamingMemoryCollection.Name)]
public class OcrGiroStreamingMemoryTests
{
    [Fact]
    public void A_large_file_streams_with_flat_memory()
    {
        // 300,000 transactions (600,004 records, 48 MB) produced lazily; the transaction-number check uses a fixed
        // bit set, so the heap does not grow with the file.
        const int count = 300_000;
        long total = (long)count * 12345;
        IEnumerable<string> Chunks()
        {
            yield return OcrRecords.Start() + "\n" + OcrRecords.AssignmentStart() + "\n";
            for (var i = 1; i <= count; i++)
                yield return OcrRecords.Item1(10, i, 12345, i.ToString("0000000000", System.Globalization.CultureInfo.InvariantCulture)) + "\n" + OcrRecords.Item2(10, i) + "\n";
            yield return OcrRecords.AssignmentEnd(count, 2L * count + 2, total) + "\n" + OcrRecords.End(count, 2L * count + 4, total) + "\n";
        }
        var stream = new BankTestFiles.GeneratedStream(Chunks(), Encoding.Latin1);
        // Growth over the heap before reading: other tests' caches are not the reader's memory.
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0, n = 0, sum = 0;
        foreach (var record in OcrGiroReader.Read(stream, "big.ocr"))
        {
            Assert.False(record.IsError, record.ToString());
            sum += record.Transaction!.Amount.ToMinorUnits();
            if (++n % 60_000 == 0) peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
        }

        Assert.Equal(count, n);
        Assert.Equal(total, sum);
        Assert.True(stream.BytesProduced > 48_000_000);
        Assert.True(peak < 16_000_000, $"managed heap grew by {peak:N0} bytes at most for a {stream.BytesProduced:N0}-byte file");
    }
}
