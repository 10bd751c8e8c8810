using System.Text;
using CsCheck;
using Purr.Core.Formats;
using Purr.Core.Formats.OcrGiro;

namespace Purr.Core.Tests.OcrGiro;

/// <summary>
/// The reader recognises well-formed amount items 1 and 2 by their digit mask and reads them at once; everything else
/// takes the full checks. Both ways must give the same reading: the same transactions with the same fields, the same
/// errors and the same summary, for files with any characters at any positions.
/// </summary>
public class OcrShortcutPropertyTests
{
    // Digits, blanks, the MOD11 '-', the neighbours of '0' and '9', a letter, a no-break space (white space to
    // string.Trim) and a tab.
    private const string Alphabet = "0123456789 -/:A\u00A0\t";

    [Fact]
    public void Reading_with_and_without_the_shortcut_gives_the_same_records_and_summary()
    {
        var mutation = Gen.Select(Gen.Int[0, 1_000], Gen.Int[0, 79], Gen.Char[Alphabet]);
        Gen.Select(Transactions, mutation.Array[0, 3]).Sample((transactions, mutations) =>
        {
            var lines = File(transactions);
            foreach (var (index, position, c) in mutations)
            {
                var i = 2 + index % Math.Max(1, lines.Count - 4); // a transaction record, mostly
                var chars = lines[i].ToCharArray();
                chars[position] = c;
                lines[i] = new string(chars);
            }
            var bytes = Encoding.Latin1.GetBytes(string.Join("\n", lines) + "\n");

            var (full, fullSummary) = Describe(bytes, shortcut: false);
            var (quick, quickSummary) = Describe(bytes, shortcut: true);

            Assert.Equal(full, quick);
            Assert.Equal(fullSummary, quickSummary);
        }, iter: 3_000);
    }

    [Fact]
    public void A_well_formed_file_reads_the_same_both_ways()
    {
        WellFormed.Sample(transactions =>
        {
            var bytes = Encoding.Latin1.GetBytes(string.Join("\r\n", File(transactions)) + "\r\n");

            var (full, fullSummary) = Describe(bytes, shortcut: false);
            var (quick, quickSummary) = Describe(bytes, shortcut: true);

            Assert.Equal(full, quick);
            Assert.Equal(fullSummary, quickSummary);
            Assert.Equal(transactions.Length, quick.Count(r => r.StartsWith("T ", StringComparison.Ordinal)));
            Assert.DoesNotContain(quick, r => r.StartsWith("E ", StringComparison.Ordinal));
        }, iter: 500);
    }

    /// <summary>Transactions: type (some undefined), number (some repeated), øre, KID (right- or left-aligned, MOD11 '-'), sign, dates.</summary>
    private static readonly Gen<Tx[]> Transactions = Gen.Select(
            Of(10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 9, 22),
            Gen.Int[1, 6],
            Gen.Long[0, 99_999_999_999L],
            Gen.OneOf(Gen.Const(""), Gen.Char['0', '9'].Array[1, 25].Select(d => new string(d)), Gen.Char['0', '9'].Array[1, 24].Select(d => new string(d) + "-")),
            Gen.Bool,
            Of("020326", "020326", "030326", "290224", "300226", "000000"),
            Of("010326", "000000", "310426"),
            Of("12345678903", "00000000000", "00012345678"))
        .Select((type, number, ore, kid, leftAligned, netsDate, bankDate, account) =>
            new Tx(type, number, ore, leftAligned ? kid.PadRight(25) : kid, netsDate, bankDate, account))
        .Array[1, 8];

    /// <summary>Transactions without an error: defined types, numbers 1, 2, ..., right-aligned KIDs of digits, valid dates.</summary>
    private static readonly Gen<Tx[]> WellFormed = Gen.Select(
            Gen.Int[10, 21],
            Gen.Long[0, 99_999_999_999L],
            Gen.Char['0', '9'].Array[0, 25].Select(d => new string(d)),
            Of("020326", "030326", "290224"),
            Of("010326", "000000"),
            Of("12345678903", "00000000000", "00012345678"))
        .Select((type, ore, kid, netsDate, bankDate, account) => new Tx(type, 0, ore, kid, netsDate, bankDate, account))
        .Array[1, 8]
        .Select(txs => txs.Select((t, i) => t with { Number = i + 1 }).ToArray());

    private static Gen<T> Of<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private sealed record Tx(int Type, int Number, long Ore, string Kid, string NetsDate, string BankDate, string Account);

    private static List<string> File(Tx[] transactions)
    {
        var lines = new List<string> { OcrRecords.Start(), OcrRecords.AssignmentStart() };
        long sum = 0;
        foreach (var t in transactions)
        {
            var kid = t.Kid.Length == 25 ? t.Kid : t.Kid.PadLeft(25);
            var item1 = OcrRecords.Item1(t.Type, t.Number, t.Ore, null, t.NetsDate, sign: t.Ore % 7 == 0 ? '-' : '0');
            lines.Add(string.Concat(item1.AsSpan(0, 49), kid, item1.AsSpan(74)));
            lines.Add(OcrRecords.Item2(t.Type, t.Number, t.BankDate, t.Account));
            if (t.Type is 20 or 21) lines.Add(OcrRecords.Item3(t.Type, t.Number, $"Text {t.Number}"));
            sum += t.Ore;
        }
        var records = lines.Count; // the assignment's: 20, the amount items and 88
        lines.Add(OcrRecords.AssignmentEnd(transactions.Length, records, sum));
        lines.Add(OcrRecords.End(transactions.Length, records + 2, sum));
        return lines;
    }

    private static (List<string> Records, string Summary) Describe(byte[] bytes, bool shortcut)
    {
        using var stream = new MemoryStream(bytes);
        var reading = OcrGiroReader.Read(stream, "shortcut.ocr", shortcut);
        var records = reading.Select(r => r.Error is { } e ? $"E {e}" : "T " + Describe(r.Transaction!)).ToList();
        var s = reading.Summary!;
        var ocr = s.Ocr is { } o
            ? $"{o.DataTransmitter} {o.TransmissionNumber} {o.DataRecipient} {o.TransactionCount} {o.RecordCount} {o.Total} {o.NetsDate} {string.Join(";", o.Assignments)}"
            : "";
        return (records, $"{s.Format} {s.Version} {s.MessageId} {s.TransactionCount} {s.ErrorCount} {string.Join(";", s.Totals)} {string.Join(";", s.Warnings)} {ocr}");
    }

    private static string Describe(BankTransaction t)
    {
        var o = t.Ocr!.Value;
        return string.Join("|", t.Sequence, t.Source, t.Amount, t.Amount.Amount.Scale, t.BookingDate, t.ValueDate, t.BankReference, t.Kid,
            string.Join(",", t.References), t.FreeText, t.PayerAccount, t.Account, t.IsReversal, t.IsBooked,
            o.TransactionType, o.TransactionNumber, o.NetsDate, o.CentreId, o.DayCode, o.PartialSettlementNumber, o.SerialNumber, o.Sign,
            o.AmountInOre, o.FormNumber, o.ArchiveReference, o.Filler, o.BankDate, o.DebitAccount, o.Text, o.AgreementId,
            o.AssignmentNumber, o.AssignmentAccount, o.TransmissionNumber, o.AmountItem2Line, o.AmountItem3Line);
    }
}
