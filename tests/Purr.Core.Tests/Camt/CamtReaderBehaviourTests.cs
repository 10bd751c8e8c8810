using System.Globalization;
using System.Text;
using Purr.Core.Formats;
using Purr.Core.Formats.Camt;

namespace Purr.Core.Tests.Camt;

public class CamtReaderBehaviourTests
{
    private static string Synthetic => BankTestFiles.Text("camt054", "purr+synthetic", "kid-batch.camt054.xml");

    [Theory]
    [InlineData("camt054/moov-io+iso20022/FI_camt_054_sample.xml.xml", BankFileFormat.Camt054)]
    [InlineData("camt054/genkgo+camt/camt054.v8.xml", BankFileFormat.Camt054)]
    [InlineData("camt053/viafintech+camt_parser/valid_example_v4.xml", BankFileFormat.Camt053)]
    [InlineData("camt053/genkgo+camt/camt053.v2.multi.statement.xml", BankFileFormat.Camt053)]
    [InlineData("ocr-giro/otovo+python-netsgiro/ocr_giro_transactions.txt", BankFileFormat.OcrGiro)]
    [InlineData("ocr-giro/otovo+python-netsgiro/avtalegiro_payment_request.txt", BankFileFormat.AvtaleGiro)]
    [InlineData("ocr-giro/otovo+python-netsgiro/avtalegiro_agreements.txt", BankFileFormat.AvtaleGiro)]
    [InlineData("bad-bank-files/pain001-not-camt.xml", BankFileFormat.Unknown)]
    [InlineData("bad-bank-files/camt052-intraday.xml", BankFileFormat.Unknown)]
    [InlineData("bad-bank-files/not-a-bank-file.txt", BankFileFormat.Unknown)]
    [InlineData("bad-bank-files/empty.xml", BankFileFormat.Unknown)]
    public void Detect_tells_the_format_from_the_first_bytes_and_restores_the_position(string file, BankFileFormat expected)
    {
        using var stream = File.OpenRead(BankTestFiles.PathOf(file.Split('/')));

        Assert.Equal(expected, BankFileReader.Detect(stream));
        Assert.Equal(0, stream.Position);
        Assert.Equal(expected, BankFileReader.Detect(File.ReadAllBytes(BankTestFiles.PathOf(file.Split('/'))).AsSpan(0, Math.Min(4096, (int)stream.Length))));
    }

    [Fact]
    public void Read_works_on_a_forward_only_stream()
    {
        using var file = File.OpenRead(BankTestFiles.PathOf("camt054", "moov-io+iso20022", "FI_camt_054_sample.xml.xml"));
        var content = BankFileReader.Read(new BankTestFiles.ForwardOnlyStream(file), "upload.xml").ReadAll();

        Assert.Empty(content.Errors);
        Assert.Equal(13, content.Transactions.Count);
        Assert.Throws<ArgumentException>(() => BankFileReader.Detect(new BankTestFiles.ForwardOnlyStream(file)));
    }

    [Fact]
    public void A_reading_can_be_enumerated_once_and_has_its_summary_only_at_the_end()
    {
        var reading = CamtReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(Synthetic)), "a.xml");

        using (var e = reading.GetEnumerator())
        {
            Assert.True(e.MoveNext());
            Assert.Null(reading.Summary);
            while (e.MoveNext()) { }
        }
        Assert.Equal(4, reading.Summary!.TransactionCount);
        Assert.Throws<InvalidOperationException>(() => reading.GetEnumerator());
    }

    [Fact]
    public void Iso_8859_1_and_utf_16_documents_are_read_by_their_declaration_or_byte_order_mark()
    {
        var latin1 = Synthetic.Replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"", StringComparison.Ordinal);
        var a = BankTestFiles.ReadBytes(Encoding.Latin1.GetBytes(latin1));
        var b = BankTestFiles.ReadBytes(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Synthetic.Replace("UTF-8", "UTF-16", StringComparison.Ordinal))).ToArray());

        Assert.Empty(a.Errors);
        Assert.Empty(b.Errors);
        Assert.Equal("Bjørn Ærlig", a.Transactions[2].PayerName);
        Assert.Equal("Bjørn Ærlig", b.Transactions[2].PayerName);
    }

    [Fact]
    public void Entry_without_details_is_one_transaction_with_the_entry_reference_and_info()
    {
        var xml = Camt054("""
            <Ntry><Amt Ccy="NOK">99.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
              <BookgDt><Dt>2026-03-02</Dt></BookgDt><AcctSvcrRef>FEE-1</AcctSvcrRef><AddtlNtryInf>Gebyr</AddtlNtryInf></Ntry>
            <Ntry><Amt Ccy="NOK">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>PDNG</Sts></Ntry>
            """);

        var t = BankTestFiles.ReadText(xml).Transactions;

        Assert.Equal([-99.00m, 1.00m], t.Select(x => x.Amount.Amount));
        Assert.Equal("FEE-1", t[0].BankReference);
        Assert.Equal("Gebyr", t[0].Camt!.AdditionalInfo);
        Assert.Equal(0, t[0].Camt!.DetailSequence);
        Assert.Equal("camt:M-1:1:2", t[1].BankReference); // no AcctSvcrRef anywhere: message id, statement and entry position
        Assert.False(t[1].IsBooked);
        Assert.Equal("PDNG", t[1].Camt!.Status);
    }

    [Fact]
    public void Batch_without_detail_references_gets_entry_reference_plus_position()
    {
        var xml = Camt054("""
            <Ntry><Amt Ccy="NOK">30.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><AcctSvcrRef>B1</AcctSvcrRef>
              <NtryDtls>
                <TxDtls><AmtDtls><TxAmt><Amt Ccy="NOK">10.00</Amt></TxAmt></AmtDtls></TxDtls>
                <TxDtls><Amt Ccy="NOK">25.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></TxDtls>
                <TxDtls><Amt Ccy="NOK">5.00</Amt><CdtDbtInd>DBIT</CdtDbtInd></TxDtls>
              </NtryDtls></Ntry>
            <Ntry><Amt Ccy="NOK">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts></Ntry>
            """);

        var content = BankTestFiles.ReadText(xml);

        Assert.Empty(content.Errors);
        Assert.Equal(["B1/1", "B1/2", "B1/3", "camt:M-1:1:2"], content.Transactions.Select(t => t.BankReference));
        Assert.Equal([10.00m, 25.00m, -5.00m, 1.00m], content.Transactions.Select(t => t.Amount.Amount)); // a detail's own CdtDbtInd signs it
    }

    private static string Camt054(string entries) =>
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.04\"><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>M-1</MsgId></GrpHdr>"
        + "<Ntfctn><Id>N-1</Id><Acct><Id><IBAN>NO9386011117947</IBAN></Id></Acct>\n" + entries + "\n</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>";
}

/// <summary>
/// Memory tests run alone (no other test allocating in parallel), so the heap measured is the reader's own.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StreamingMemoryCollection
{
    public const string Name = "Streaming memory";
}

[Collection(StreamingMemoryCollection.Name)]
public class CamtStreamingMemoryTests
{
    [Fact]
    public void A_batch_of_many_details_streams_with_flat_memory()
    {
        // One Ntry holding 150,000 TxDtls (all KID payments of a day, the Norwegian batch shape): about 90 MB of XML,
        // produced lazily. The managed heap after full collections must stay far below the document size.
        const int count = 150_000;
        var total = 0m;
        IEnumerable<string> Chunks()
        {
            yield return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.02\"><BkToCstmrDbtCdtNtfctn>"
                + "<GrpHdr><MsgId>BIG</MsgId></GrpHdr><Ntfctn><Id>BIG-1</Id><Acct><Id><Othr><Id>86011117947</Id></Othr></Id></Acct>"
                + $"<Ntry><Amt Ccy=\"NOK\">{SumOf(count).ToString(CultureInfo.InvariantCulture)}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
                + "<BookgDt><Dt>2026-03-02</Dt></BookgDt><AcctSvcrRef>BIG-NTRY</AcctSvcrRef><NtryDtls>\n";
            for (var i = 1; i <= count; i++)
                yield return $"<TxDtls><Refs><AcctSvcrRef>BIG-{i}</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs>"
                    + $"<AmtDtls><TxAmt><Amt Ccy=\"NOK\">{AmountOf(i).ToString(CultureInfo.InvariantCulture)}</Amt></TxAmt></AmtDtls>"
                    + $"<RltdPties><Dbtr><Nm>Betaler nummer {i} med et ganske langt navn AS</Nm></Dbtr><DbtrAcct><Id><Othr><Id>12345678903</Id></Othr></Id></DbtrAcct></RltdPties>"
                    + $"<RmtInf><Ustrd>Betaling for faktura {i} i mars, takk for handelen og ha en fin dag videre</Ustrd>"
                    + $"<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>{i:000000000}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls>\n";
            yield return "</NtryDtls></Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>\n";
        }
        var stream = new BankTestFiles.GeneratedStream(Chunks(), Encoding.UTF8);
        var reading = BankFileReader.Read(stream, "big.xml");
        // Growth over the heap before reading: other tests' caches are not the reader's memory.
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0, n = 0;
        foreach (var record in reading)
        {
            Assert.False(record.IsError, record.ToString());
            total += record.Transaction!.Amount.Amount;
            if (++n % 30_000 == 0)
            {
                GC.Collect();
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
        }

        Assert.Equal(count, n);
        Assert.Equal(SumOf(count), total);
        Assert.True(stream.BytesProduced > 70_000_000, $"document size {stream.BytesProduced}");
        Assert.True(peak < 24_000_000, $"managed heap grew by {peak:N0} bytes at most for a {stream.BytesProduced:N0}-byte document");
    }

    private static decimal AmountOf(int i) => 100m + i % 1000 + 0.25m;

    private static decimal SumOf(int count) => Enumerable.Range(1, count).Sum(AmountOf);
}
