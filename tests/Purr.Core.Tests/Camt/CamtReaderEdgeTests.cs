using Purr.Core.Formats;

namespace Purr.Core.Tests.Camt;

/// <summary>
/// XML shapes the field-by-field reader must read exactly as a loaded element would: prefixes, other namespaces,
/// CDATA and entities, repeated elements (the first counts; an error's XPath numbers it), version 8 shapes.
/// </summary>
public class CamtReaderEdgeTests
{
    private const string Ns = "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08";

    [Fact]
    public void A_prefixed_namespace_reads_like_the_default_one()
    {
        var plain = BankTestFiles.ReadText(Document(Entry(Detail("<Amt Ccy=\"NOK\">10.00</Amt><RmtInf><Strd><CdtrRefInf><Ref>1234567890</Ref></CdtrRefInf></Strd></RmtInf>"))));
        var prefixed = BankTestFiles.ReadText(Document(Entry(Detail("<Amt Ccy=\"NOK\">10.00</Amt><RmtInf><Strd><CdtrRefInf><Ref>1234567890</Ref></CdtrRefInf></Strd></RmtInf>")))
            .Replace("xmlns=", "xmlns:c=", StringComparison.Ordinal).Replace("<", "<c:", StringComparison.Ordinal).Replace("<c:/", "</c:", StringComparison.Ordinal));

        Assert.Empty(prefixed.Errors);
        Assert.Equal(plain.Transactions.Single().Kid, prefixed.Transactions.Single().Kid);
        Assert.Equal("1234567890", prefixed.Transactions.Single().Kid);
    }

    [Fact]
    public void Elements_of_other_namespaces_inside_a_detail_are_ignored()
    {
        var content = BankTestFiles.ReadText(Document(Entry(Detail(
            "<x:Amt xmlns:x=\"urn:other\" Ccy=\"NOK\">999.00</x:Amt><Amt Ccy=\"NOK\">10.00</Amt>"
            + "<RltdPties><Dbtr><Nm xmlns=\"urn:other\">Wrong</Nm><Nm>Kari Nordmann</Nm></Dbtr></RltdPties>"))));

        var t = Assert.Single(content.Transactions);
        Assert.Empty(content.Errors);
        Assert.Equal("Kari Nordmann", t.PayerName);
        Assert.Empty(content.Summary.Warnings); // the detail amount 10.00 (not 999.00) equals the entry
    }

    [Fact]
    public void Cdata_entities_and_comments_in_a_value_are_read_as_its_text()
    {
        var content = BankTestFiles.ReadText(Document(Entry(Detail(
            "<Amt Ccy=\"NOK\">10.00</Amt><RltdPties><Dbtr><Nm>Kari <![CDATA[&]]> Ola<!-- x --> Nordmann &amp; Co</Nm></Dbtr></RltdPties>"
            + "<RmtInf><Ustrd> Faktura\n 1001 </Ustrd><Strd><CdtrRefInf><Ref> 1234 5678 90 </Ref></CdtrRefInf></Strd></RmtInf>"))));

        var t = Assert.Single(content.Transactions);
        Assert.Equal("Kari & Ola Nordmann & Co", t.PayerName);
        Assert.Equal("Faktura\n 1001", t.FreeText);
        Assert.Equal("1234567890", t.Kid);
    }

    [Fact]
    public void A_bad_amount_among_repeated_amounts_is_located_by_its_position()
    {
        var direct = BankTestFiles.ReadText(Document(Batch(
            Detail("<Amt Ccy=\"NOK\">1,00</Amt><Amt Ccy=\"NOK\">5.00</Amt>"), Detail("<Amt Ccy=\"NOK\">5.00</Amt>"))));
        var nested = BankTestFiles.ReadText(Document(Batch(
            Detail("<AmtDtls><TxAmt><Amt Ccy=\"nok\">5.00</Amt></TxAmt><TxAmt><Amt Ccy=\"NOK\">5.00</Amt></TxAmt></AmtDtls>"), Detail("<Amt Ccy=\"NOK\">5.00</Amt>"))));

        var e = Assert.Single(direct.Errors);
        Assert.EndsWith("/NtryDtls[1]/TxDtls[1]/Amt[1]", e.XPath, StringComparison.Ordinal);
        Assert.Equal("1,00", e.RawValue);
        var n = Assert.Single(nested.Errors);
        Assert.EndsWith("/TxDtls[1]/AmtDtls/TxAmt[1]/Amt", n.XPath, StringComparison.Ordinal);
        Assert.Equal("nok", n.RawValue);
        Assert.Empty(direct.Transactions);
    }

    [Fact]
    public void Version_8_status_and_a_booking_date_time_are_read()
    {
        var content = BankTestFiles.ReadText(Document(
            "<Ntry><Amt Ccy=\"NOK\">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Prtry>BOOK</Prtry></Sts>"
            + "<BookgDt><DtTm>2026-03-02T10:11:12.345+01:00</DtTm></BookgDt><ValDt><Dt>2026-03-03Z</Dt></ValDt>"
            + "<AcctSvcrRef>E-1</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd></Ntry>"));

        var t = Assert.Single(content.Transactions);
        Assert.Equal("BOOK", t.Camt!.Status);
        Assert.True(t.IsBooked);
        Assert.Equal(new DateOnly(2026, 3, 2), t.BookingDate);
        Assert.Equal(new DateOnly(2026, 3, 3), t.ValueDate);
        Assert.Equal("PMNT/ESCT", t.Camt.BankTransactionCode);
    }

    [Fact]
    public void A_bad_date_in_an_entry_header_is_located_at_its_element()
    {
        var content = BankTestFiles.ReadText(Document(
            "<Ntry><Amt Ccy=\"NOK\">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>\n"
            + "<BookgDt><DtTm>2026-03-02</DtTm><DtTm>2026-03-02T10:00:00</DtTm></BookgDt></Ntry>"));

        var e = Assert.Single(content.Errors);
        Assert.EndsWith("/Ntry[1]/BookgDt/DtTm[1]", e.XPath, StringComparison.Ordinal);
        Assert.Equal("2026-03-02", e.RawValue);
        Assert.Equal(3, e.Line);
        Assert.Empty(content.Transactions);
    }

    [Fact]
    public void Reading_stops_after_MaxErrors_with_a_final_error_and_a_summary_of_what_was_read()
    {
        // One good entry, then more entries with a broken amount than the reader reports, one per line.
        var good = Entry(Detail("<Amt Ccy=\"NOK\">10.00</Amt>"));
        var bad = Enumerable.Range(0, BankFileReading.MaxErrors + 50)
            .Select(i => $"<Ntry><Amt Ccy=\"NOK\">1,00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><AcctSvcrRef>X-{i}</AcctSvcrRef></Ntry>");

        var content = BankTestFiles.ReadText(Document(good + "\n" + string.Join("\n", bad)));

        Assert.Equal(BankFileReading.MaxErrors + 1, content.Errors.Count);
        Assert.Equal($"at most {BankFileReading.MaxErrors} errors are reported; reading stopped here", content.Errors[^1].Expected);
        Assert.Equal(3 + BankFileReading.MaxErrors, content.Errors[^1].Line);
        Assert.Single(content.Transactions);
        Assert.Equal((1, BankFileReading.MaxErrors + 1), (content.Summary.TransactionCount, content.Summary.ErrorCount));
        Assert.Equal(10m, Assert.Single(content.Summary.Totals).CreditTotal.Amount);
    }

    private static string Document(string entries) =>
        $"<Document xmlns=\"{Ns}\"><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>M-1</MsgId></GrpHdr>"
        + "<Ntfctn><Id>N-1</Id><Acct><Id><IBAN>NO9386011117947</IBAN></Id></Acct>\n" + entries + "\n</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>";

    private static string Entry(string detail) =>
        "<Ntry><Amt Ccy=\"NOK\">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><AcctSvcrRef>E-1</AcctSvcrRef><NtryDtls>"
        + detail + "</NtryDtls></Ntry>";

    private static string Batch(params string[] details) =>
        "<Ntry><Amt Ccy=\"NOK\">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><AcctSvcrRef>B-1</AcctSvcrRef><NtryDtls>"
        + string.Concat(details) + "</NtryDtls></Ntry>";

    private static string Detail(string content) => "<TxDtls>" + content + "</TxDtls>";
}
