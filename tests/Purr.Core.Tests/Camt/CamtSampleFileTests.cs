using System.Globalization;
using Purr.Core.Formats;
using Purr.Core.Formats.Camt;

namespace Purr.Core.Tests.Camt;

/// <summary>Every public camt sample parses with the counts and sums stated in /work/shared/data/MANIFEST.md §2.</summary>
public class CamtSampleFileTests
{
    // file, format, namespace version, entries, TxDtls, transactions, totals per currency "CCY:credit:debit|…" (MANIFEST, computed over Ntry)
    public static TheoryData<string, string, BankFileFormat, string, int, int, int, string> Samples => new()
    {
        { "camt054", "moov-io+iso20022/FI_camt_054_sample.xml.xml", BankFileFormat.Camt054, "camt.054.001.02", 6, 13, 13, "EUR:5600.00:5230.05" },
        { "camt054", "genkgo+camt/camt054.v2.xml", BankFileFormat.Camt054, "camt.054.001.02", 1, 3, 1, "SEK:0:200000" },
        { "camt054", "genkgo+camt/camt054.v4.xml", BankFileFormat.Camt054, "camt.054.001.04", 1, 3, 1, "SEK:0:200000" },
        { "camt054", "genkgo+camt/camt054.v8.xml", BankFileFormat.Camt054, "camt.054.001.08", 1, 3, 1, "SEK:0:200000" },
        { "camt054", "viafintech+camt_parser/valid_example.xml", BankFileFormat.Camt054, "camt.054.001.04", 4, 5, 5, "CHF:80.56:21.53" },
        { "camt054", "purr+synthetic/kid-batch.camt054.xml", BankFileFormat.Camt054, "camt.054.001.02", 2, 4, 4, "NOK:3125.50:300.00" },
        { "camt053", "viafintech+camt_parser/valid_example_v4.xml", BankFileFormat.Camt053, "camt.053.001.04", 13, 32, 32, "CHF:1810.56:1272.95" },
        { "camt053", "viafintech+camt_parser/valid_example_v8.xml", BankFileFormat.Camt053, "camt.053.001.08", 3, 3, 3, "CHF:563.25:0|EUR:0:20.97" },
        { "camt053", "viafintech+camt_parser/valid_example.xml", BankFileFormat.Camt053, "camt.053.001.02", 4, 5, 5, "EUR:1.00:11.00" },
        { "camt053", "genkgo+camt/camt053.v2.minimal.xml", BankFileFormat.Camt053, "camt.053.001.02", 1, 1, 1, "EUR:8.85:0" },
        { "camt053", "genkgo+camt/camt053.v3.xml", BankFileFormat.Camt053, "camt.053.001.03", 1, 1, 1, "EUR:8.85:0" },
        { "camt053", "genkgo+camt/camt053.v4.xml", BankFileFormat.Camt053, "camt.053.001.04", 1, 1, 1, "EUR:8.85:0" },
        { "camt053", "genkgo+camt/camt053.v8.xml", BankFileFormat.Camt053, "camt.053.001.08", 1, 1, 1, "EUR:8.85:0" },
        { "camt053", "genkgo+camt/camt053.v2.minimal.ultimate.xml", BankFileFormat.Camt053, "camt.053.001.02", 1, 1, 1, "EUR:8.85:0" },
        { "camt053", "genkgo+camt/camt053.v2.with-party-ids.xml", BankFileFormat.Camt053, "camt.053.001.02", 1, 1, 1, "EUR:8.85:0" },
        { "camt053", "genkgo+camt/camt053.v2.with-account-name.xml", BankFileFormat.Camt053, "camt.053.001.02", 1, 1, 1, "EUR:8.85:0" },
        { "camt053", "genkgo+camt/camt053.v2.multi.statement.xml", BankFileFormat.Camt053, "camt.053.001.02", 2, 2, 2, "EUR:8.85:7.00" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_parses_without_errors_with_the_manifest_counts_and_sums(
        string category, string file, BankFileFormat format, string version, int entries, int details, int transactions, string totals)
    {
        var content = BankTestFiles.Read([category, .. file.Split('/')]);

        Assert.Empty(content.Errors);
        var s = content.Summary;
        Assert.Equal(format, s.Format);
        Assert.Equal(version, s.Version);
        Assert.Equal(entries, s.Statements.Sum(x => x.EntryCount));
        Assert.Equal(details, s.Statements.Sum(x => x.DetailCount));
        Assert.Equal(transactions, content.Transactions.Count);
        Assert.Equal(transactions, s.TransactionCount);

        var expected = totals.Split('|').Select(t => t.Split(':')).ToDictionary(
            p => p[0], p => (Credit: decimal.Parse(p[1], CultureInfo.InvariantCulture), Debit: decimal.Parse(p[2], CultureInfo.InvariantCulture)));
        // Entry level, as the manifest computed them ...
        var byEntries = s.Statements.SelectMany(x => x.Totals).GroupBy(t => t.Currency.Code)
            .ToDictionary(g => g.Key, g => (Credit: g.Sum(t => t.CreditTotal.Amount), Debit: g.Sum(t => t.DebitTotal.Amount)));
        Assert.Equal(expected.OrderBy(x => x.Key), byEntries.OrderBy(x => x.Key));
        // ... and the transactions yielded add up to the same.
        Assert.Equal(expected.OrderBy(x => x.Key), s.Totals.ToDictionary(t => t.Currency.Code, t => (Credit: t.CreditTotal.Amount, Debit: t.DebitTotal.Amount)).OrderBy(x => x.Key));
        Assert.Equal(s.Totals.Sum(t => t.Net.Amount), content.Transactions.Sum(t => t.Amount.Amount));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_transaction_has_a_unique_bank_reference_a_line_and_an_xpath(
        string category, string file, BankFileFormat format, string version, int entries, int details, int transactions, string totals)
    {
        _ = (format, version, entries, details, totals);
        var content = BankTestFiles.Read([category, .. file.Split('/')]);

        Assert.Equal(transactions, content.Transactions.Select(t => t.BankReference).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, transactions), content.Transactions.Select(t => t.Sequence));
        Assert.All(content.Transactions, t =>
        {
            Assert.True(t.Source.Line > 0);
            Assert.StartsWith("/Document/BkToCstmr", t.Source.XPath);
        });
    }

    [Fact]
    public void Finnish_sample_keeps_reversal_sign_marks_info_entries_unbooked_and_reads_cr_only_lines()
    {
        var content = BankTestFiles.Read("camt054", "moov-io+iso20022", "FI_camt_054_sample.xml.xml");
        var t = content.Transactions;

        // CR-only line endings: the first TxDtls is on line 157 of the file as a classic-Mac text.
        Assert.Equal(157, t[0].Source.Line);
        Assert.Equal("/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/NtryDtls[1]/TxDtls[1]", t[0].Source.XPath);

        // Credit note offset: TxAmt 1900 = 2500 - 600, both references kept, the first is the KID.
        Assert.Equal(Money(1900.00m, "EUR"), t[0].Amount);
        Assert.Equal("3900", t[0].Kid);
        Assert.Equal(["3900", "12344"], t[0].References);
        Assert.Equal("D091029N987654321S001", t[0].BankReference);

        // RF reference with a trailing space in the file.
        Assert.Equal("RF7812345", t[4].Kid);
        Assert.Equal("EndToEndIdAT-41-001", t[4].EndToEndId);

        // A batch without transaction-level AcctSvcrRef: entry reference + position.
        Assert.Equal("091029NTFCTNXBCT010101/1", t[9].BankReference);
        Assert.Equal("091029NTFCTNXBCT010101/2", t[10].BankReference);
        Assert.Equal(Money(-500.00m, "EUR"), t[9].Amount);

        // The INFO entry: CRDT with RvslInd, kept positive (its CdtDbtInd), flagged, not booked.
        var info = t.Where(x => x.Camt!.Status == "INFO").ToList();
        Assert.Equal(2, info.Count);
        Assert.All(info, x => Assert.True(x.IsReversal && !x.IsBooked && x.Amount.IsPositive));
        Assert.Equal("AC01", info[0].Camt!.ReturnReason);
        Assert.All(t.Except(info), x => Assert.True(x.IsBooked && !x.IsReversal));

        // TxsSummry: count and gross sum hold (no error); the net total differs only by the reversal convention.
        var warning = Assert.Single(content.Summary.Warnings);
        Assert.Equal(80, warning.Line);
        Assert.Equal("169.95", warning.RawValue);
        Assert.Contains("reversal entries (RvslInd)", warning.Expected);
        Assert.Equal("FI7433010001222090", t[0].Account);
    }

    [Fact]
    public void PostFinance_statement_reconciles_with_reversals_at_their_CdtDbtInd_sign()
    {
        var content = BankTestFiles.Read("camt053", "viafintech+camt_parser", "valid_example_v4.xml");
        var statement = Assert.Single(content.Summary.Statements);

        Assert.Equal(Money(322152.16m, "CHF"), statement.Opening);
        Assert.Equal(Money(322689.77m, "CHF"), statement.Closing);
        Assert.True(statement.Reconciles);
        Assert.Empty(content.Summary.Warnings);
        var reversals = content.Transactions.Where(t => t.IsReversal).ToList();
        Assert.Equal([Money(-6.00m, "CHF"), Money(-15.53m, "CHF")], reversals.Select(r => r.Amount));
        // A batch of ten ESR credits: one transaction each, the references as KID field.
        var batch = content.Transactions.Where(t => t.Camt!.EntrySequence == 7).ToList();
        Assert.Equal(10, batch.Count);
        Assert.Equal(1000.00m, batch.Sum(b => b.Amount.Amount));
        Assert.Equal("CreditorReference", batch[0].Kid);
    }

    [Fact]
    public void Statement_that_does_not_reconcile_gives_a_located_warning_not_an_error()
    {
        var content = BankTestFiles.Read("camt053", "viafintech+camt_parser", "valid_example_v8.xml");

        Assert.Empty(content.Errors);
        Assert.False(Assert.Single(content.Summary.Statements).Reconciles);
        var warning = Assert.Single(content.Summary.Warnings);
        Assert.Equal("/Document/BkToCstmrStmt/Stmt[1]/Bal[2]", warning.XPath);
        Assert.Equal("84515.25", warning.RawValue);
        Assert.Contains("83285.20", warning.Expected);
    }

    [Fact]
    public void Balances_are_read_in_every_currency_and_sign()
    {
        var statement = Assert.Single(BankTestFiles.Read("camt053", "genkgo+camt", "camt053.v2.minimal.xml").Summary.Statements);

        Assert.Equal(
            [("OPBD", Money(18.15m, "EUR")), ("CLBD", Money(-27.00m, "SEK")), ("OPAV", Money(35.00m, "CHF")), ("CLAV", Money(-2700m, "JPY"))],
            statement.Balances.Select(b => (b.Type, b.Amount)));
        Assert.Equal(new DateOnly(2014, 12, 30), statement.Balances[0].Date);
        Assert.Null(statement.Reconciles); // opening EUR, closing SEK: cannot be checked
        Assert.Equal("NL26VAYB8060476890", statement.Account);
    }

    [Fact]
    public void Two_statements_in_one_message_are_summarised_separately_and_both_reconcile()
    {
        var content = BankTestFiles.Read("camt053", "genkgo+camt", "camt053.v2.multi.statement.xml");

        Assert.Equal(2, content.Summary.Statements.Count);
        Assert.All(content.Summary.Statements, s => Assert.True(s.Reconciles));
        Assert.Equal([Money(18.15m, "EUR"), Money(27.00m, "EUR")], content.Summary.Statements.Select(s => s.Opening!.Value));
        Assert.Equal([Money(8.85m, "EUR"), Money(-7.00m, "EUR")], content.Transactions.Select(t => t.Amount));
        Assert.Equal(["camt:CAMT053RIB000000000001:1:1", "camt:CAMT053RIB000000000001:2:1"], content.Transactions.Select(t => t.BankReference));
    }

    [Fact]
    public void Batch_whose_details_have_no_amount_in_the_entry_currency_is_one_merged_transaction()
    {
        var content = BankTestFiles.Read("camt054", "genkgo+camt", "camt054.v4.xml");
        var t = Assert.Single(content.Transactions);

        Assert.Equal(Money(-200000m, "SEK"), t.Amount);
        Assert.True(t.Camt!.IsMergedBatch);
        Assert.Equal(["ISRrefnumberV1", "ISRrefnumberV2", "RefnumberV3block1", "RefnumberV3block2"], t.References);
        Assert.Null(t.Kid); // several references: none is "the" KID
        Assert.Equal("ACSR160617103200001", t.BankReference);
        Assert.Equal("UNIFITS GmbH", t.PayerName); // shared by all details
    }

    [Fact]
    public void Single_detail_with_another_amount_uses_the_booked_entry_amount_and_warns()
    {
        var content = BankTestFiles.Read("camt053", "genkgo+camt", "camt053.v3.xml");

        Assert.Equal(Money(8.85m, "EUR"), Assert.Single(content.Transactions).Amount);
        var warning = Assert.Single(content.Summary.Warnings);
        Assert.Equal("105.750", warning.RawValue);
        Assert.Contains("booked entry amount 8.85 EUR", warning.Expected);
    }

    [Fact]
    public void Norwegian_kid_batch_gives_one_payment_per_detail_with_kid_text_and_payer()
    {
        var t = BankTestFiles.Read("camt054", "purr+synthetic", "kid-batch.camt054.xml").Transactions;

        Assert.Equal([Money(1250.00m, "NOK"), Money(875.50m, "NOK"), Money(1000.00m, "NOK"), Money(-300.00m, "NOK")], t.Select(x => x.Amount));
        Assert.Equal(new string?[] { "123456782", "123456785", null, "2345676" }, t.Select(x => x.Kid));
        Assert.Null(t[0].EndToEndId); // NOTPROVIDED
        Assert.Equal("12345678903", t[0].PayerAccount);
        Assert.Equal("NO9386011117947", t[2].PayerAccount);
        Assert.Equal("Bjørn Ærlig", t[2].PayerName);
        Assert.Equal("Faktura 10042 og 10043", t[2].FreeText);
        Assert.Equal(["NO20260302OCR0001-1", "NO20260302OCR0001-2", "NO20260302OCR0001-3", "NO20260302RV0001"], t.Select(x => x.BankReference));
        Assert.Equal(new DateOnly(2026, 3, 2), t[0].BookingDate);
        Assert.Equal("86011117947", t[0].Account);
        Assert.Equal("PMNT/RCDT/DMCT", t[0].Camt!.BankTransactionCode);

        var reversal = t[3];
        Assert.True(reversal.IsReversal);
        Assert.Equal("AC04", reversal.Camt!.ReturnReason);
        Assert.Equal("Tilbakeført innbetaling", reversal.Camt.AdditionalInfo);
        Assert.Equal([1, 1, 1, 2], t.Select(x => x.Camt!.EntrySequence));
        Assert.Equal([1, 2, 3, 1], t.Select(x => x.Camt!.DetailSequence));
    }

    [Theory]
    [InlineData("02")]
    [InlineData("03")]
    [InlineData("04")]
    [InlineData("05")]
    [InlineData("06")]
    [InlineData("07")]
    [InlineData("08")]
    [InlineData("09")]
    [InlineData("13")]
    public void Any_camt054_namespace_version_from_02_is_read(string version)
    {
        var xml = BankTestFiles.Text("camt054", "purr+synthetic", "kid-batch.camt054.xml")
            .Replace("camt.054.001.02", $"camt.054.001.{version}", StringComparison.Ordinal);

        var content = BankTestFiles.ReadText(xml);

        Assert.Empty(content.Errors);
        Assert.Equal($"camt.054.001.{version}", content.Summary.Version);
        Assert.Equal(4, content.Transactions.Count);
    }

    [Fact]
    public void Version_8_party_and_status_choices_are_read()
    {
        var t = Assert.Single(BankTestFiles.Read("camt053", "genkgo+camt", "camt053.v8.xml").Transactions);

        Assert.Equal("NAME NAME", t.PayerName); // Dbtr/Pty/Nm
        Assert.Equal("NL56AGDH9619008421", t.PayerAccount);
        Assert.Equal("BOOK", t.Camt!.Status); // Sts/Cd
        Assert.Equal(new DateOnly(2014, 12, 31), t.BookingDate); // BookgDt/DtTm, the date as written
        Assert.Equal(new DateOnly(2015, 1, 2), t.ValueDate);
    }

    [Fact]
    public void Camt_document_inside_an_envelope_is_found()
    {
        var xml = BankTestFiles.Text("camt054", "purr+synthetic", "kid-batch.camt054.xml")
            .Replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Envelope><AppHdr xmlns=\"urn:iso:std:iso:20022:tech:xsd:head.001.001.02\"><BizMsgIdr>X</BizMsgIdr></AppHdr>", StringComparison.Ordinal)
            + "</Envelope>";

        var content = BankTestFiles.ReadText(xml);

        Assert.Empty(content.Errors);
        Assert.Equal(4, content.Transactions.Count);
        Assert.StartsWith("/Envelope/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]", content.Transactions[0].Source.XPath);
    }

    private static Money Money(decimal amount, string currency) => new(amount, Currency.Parse(currency));
}
