using Purr.Core.Formats;
using Purr.Core.Formats.Camt;

namespace Purr.Core.Tests.Camt;

/// <summary>
/// Every damaged XML file in tests/data/bad-bank-files is rejected with a precise located error: file, line,
/// XPath, raw value and what was expected. None makes the reader throw.
/// </summary>
public class BadCamtFileTests
{
    private const string Entry1 = "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]";
    private const string Entry2 = "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[2]";

    // file, line, XPath, raw value, a fragment of what was expected
    public static TheoryData<string, int, string?, string?, string> SingleErrorFiles => new()
    {
        { "truncated.camt054.xml", 36, Entry1 + "/NtryDtls[1]/TxDtls[2]", null, "Unexpected end of file has occurred" },
        { "pain001-not-camt.xml", 2, "/Document", "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03", "camt.053 or camt.054 document" },
        { "camt052-intraday.xml", 2, "/Document", "urn:iso:std:iso:20022:tech:xsd:camt.052.001.02", "other camt messages such as camt.052 are not read here" },
        { "no-namespace.xml", 2, "/Document", "(no namespace)", "the root element <Document> is in another namespace" },
        { "bad-entry-amount.camt054.xml", 19, Entry1 + "/Amt", "12,3.4", "an amount: digits with '.' as the decimal separator" },
        { "bad-detail-amount.camt054.xml", 30, Entry1 + "/NtryDtls[1]/TxDtls[1]/AmtDtls/TxAmt/Amt", "12,3.4", "an amount: digits with '.' as the decimal separator" },
        { "latin1-declared-utf8.camt054.xml", 43, Entry1 + "/NtryDtls[1]/TxDtls[3]", null, "Invalid character in the given encoding" },
        { "batch-sum-mismatch.camt054.xml", 18, Entry1, "3125.50 CRDT", "the entry amount to equal the sum of its 3 transactions (TxDtls), NOK 3225.50 CRDT" },
        { "duplicate-reference.camt054.xml", 57, Entry2 + "/NtryDtls[1]/TxDtls[1]", "NO20260302OCR0001-2", "it is also used at line 34" },
        { "dtd-external-entity.camt054.xml", 1, null, null, "a document without a DTD" },
    };

    [Theory]
    [MemberData(nameof(SingleErrorFiles))]
    public void Damaged_xml_gives_one_precise_located_error(string file, int line, string? xpath, string? raw, string expected)
    {
        var content = BankTestFiles.Read("bad-bank-files", file);

        var error = Assert.Single(content.Errors);
        Assert.Equal(file, error.File);
        Assert.Equal(line, error.Line);
        Assert.Equal(xpath, error.XPath);
        Assert.Equal(raw, error.RawValue);
        Assert.Contains(expected, error.Expected);
        Assert.Equal(1, content.Summary.ErrorCount);
    }

    [Fact]
    public void Wrong_totals_in_the_transaction_summary_are_two_located_errors()
    {
        var errors = BankTestFiles.Read("bad-bank-files", "summary-mismatch.camt054.xml").Errors;

        const string summary = "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/TxsSummry/TtlNtries";
        Assert.Equal(
            [(16, summary + "/NbOfNtries", "3"), (16, summary + "/Sum", "3425.05")],
            errors.Select(e => (e.Line, e.XPath!, e.RawValue!)));
        Assert.Equal("the number of entries in the statement, 2", errors[0].Expected);
        Assert.Equal("the sum of the entries' amounts, 3425.50", errors[1].Expected);
    }

    [Fact]
    public void Every_bad_field_of_an_entry_is_reported_and_the_entry_yields_no_transaction()
    {
        var content = BankTestFiles.Read("bad-bank-files", "bad-fields.camt054.xml");

        Assert.Equal(
            [
                (49, Entry2 + "/Amt", "nok"),
                (50, Entry2 + "/CdtDbtInd", "DEBIT"),
                (51, Entry2 + "/RvslInd", "yes"),
                (53, Entry2 + "/BookgDt/Dt", "2026-02-30"),
            ],
            content.Errors.Select(e => (e.Line, e.XPath!, e.RawValue!)));
        Assert.Equal(
            ["a Ccy attribute with a three-letter ISO 4217 currency code", "CRDT or DBIT", "true or false", "a date yyyy-mm-dd"],
            content.Errors.Select(e => e.Expected));
        Assert.DoesNotContain(content.Transactions, t => t.Camt!.EntrySequence == 2);
    }

    [Fact]
    public void Bad_amount_in_one_entry_does_not_stop_the_others_from_being_checked()
    {
        var content = BankTestFiles.Read("bad-bank-files", "bad-entry-amount.camt054.xml");

        Assert.Single(content.Errors);
        Assert.Equal("NO20260302RV0001", Assert.Single(content.Transactions).BankReference);
    }

    [Fact]
    public void Empty_and_non_bank_files_are_refused_at_line_1()
    {
        var empty = Assert.Single(BankTestFiles.Read("bad-bank-files", "empty.xml").Errors);
        Assert.Equal(1, empty.Line);
        Assert.Null(empty.RawValue);
        Assert.StartsWith("a bank file: ISO 20022 camt.053 / camt.054 XML, or a Nets OCR giro file", empty.Expected);

        var csv = Assert.Single(BankTestFiles.Read("bad-bank-files", "not-a-bank-file.txt").Errors);
        Assert.Equal(1, csv.Line);
        Assert.Equal("Kunde;Faktura;Beløp", csv.RawValue);
    }

    [Fact]
    public void Empty_stream_given_to_the_camt_reader_is_a_located_error()
    {
        var content = CamtReader.Read(new MemoryStream(), "empty.xml").ReadAll();

        var error = Assert.Single(content.Errors);
        Assert.Equal(1, error.Line);
        Assert.Contains("Root element is missing", error.Expected);
    }

    [Theory]
    [InlineData("<Amt Ccy=\"NOK\">-300.00</Amt>", "-300.00", "a non-negative amount (the direction is given by CdtDbtInd)")]
    [InlineData("<Amt Ccy=\"NOK\">300.005</Amt>", "300.005", "an amount in whole NOK minor units (at most 2 decimals)")]
    [InlineData("<Amt Ccy=\"JPY\">300.5</Amt>", "300.5", "an amount in whole JPY minor units (at most 0 decimals)")]
    [InlineData("<Amt Ccy=\"NOK\">3e2</Amt>", "3e2", "an amount: digits with '.' as the decimal separator and no sign or grouping, e.g. 1234.50")]
    [InlineData("<Amt Ccy=\"NOK\">1 300.00</Amt>", "1 300.00", "an amount: digits with '.' as the decimal separator and no sign or grouping, e.g. 1234.50")]
    [InlineData("<Amt>300.00</Amt>", null, "a Ccy attribute with a three-letter ISO 4217 currency code")]
    [InlineData("<Amt Ccy=\"NOK\">1234567890123456789</Amt>", "1234567890123456789", "an amount of at most 18 digits")]
    public void Amounts_follow_the_iso_20022_amount_type_strictly(string amountElement, string? raw, string expected)
    {
        var xml = BankTestFiles.Text("camt054", "purr+synthetic", "kid-batch.camt054.xml")
            .Replace("<Amt Ccy=\"NOK\">300.00</Amt>", amountElement, StringComparison.Ordinal);

        var error = Assert.Single(BankTestFiles.ReadText(xml).Errors);

        Assert.Equal(49, error.Line);
        Assert.Equal(Entry2 + "/Amt", error.XPath);
        Assert.Equal(raw, error.RawValue);
        Assert.Equal(expected, error.Expected);
    }

    [Fact]
    public void A_batch_detail_without_an_amount_after_ones_with_amounts_is_an_error()
    {
        var xml = BankTestFiles.Text("camt054", "purr+synthetic", "kid-batch.camt054.xml")
            .Replace("<AmtDtls><TxAmt><Amt Ccy=\"NOK\">1000.00</Amt></TxAmt></AmtDtls>", "", StringComparison.Ordinal);

        var content = BankTestFiles.ReadText(xml);

        var error = Assert.Single(content.Errors);
        Assert.Equal(40, error.Line);
        Assert.Equal(Entry1 + "/NtryDtls[1]/TxDtls[3]", error.XPath);
        Assert.StartsWith("an amount in NOK (AmtDtls/TxAmt/Amt or Amt)", error.Expected);
    }

    [Fact]
    public void A_message_without_statements_is_an_error()
    {
        var xml = "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">\n<BkToCstmrStmt><GrpHdr><MsgId>M</MsgId></GrpHdr>\n"
            + "<Ntfctn><Id>wrong element for camt.053</Id></Ntfctn></BkToCstmrStmt></Document>";

        var error = Assert.Single(BankTestFiles.ReadText(xml).Errors);

        Assert.Equal((2, "/Document/BkToCstmrStmt"), (error.Line, error.XPath));
        Assert.Equal("at least one <Stmt> element in <BkToCstmrStmt>", error.Expected);
    }

    [Fact]
    public void Too_many_errors_stop_the_reading_with_a_final_error()
    {
        var entries = string.Concat(Enumerable.Range(1, 300).Select(i =>
            $"<Ntry><Amt Ccy=\"NOK\">x{i}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts></Ntry>\n"));
        var xml = "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.02\"><BkToCstmrDbtCdtNtfctn>"
            + "<GrpHdr><MsgId>M</MsgId></GrpHdr><Ntfctn><Id>N</Id>\n" + entries + "</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>";

        var errors = BankTestFiles.ReadText(xml).Errors;

        Assert.Equal(BankFileReading.MaxErrors + 1, errors.Count);
        Assert.Equal($"at most {BankFileReading.MaxErrors} errors are reported; reading stopped here", errors[^1].Expected);
        Assert.Equal(BankFileReading.MaxErrors + 2, errors[^1].Line); // entry n is on line n + 1
    }
}
