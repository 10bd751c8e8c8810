using Purr.Features.Common;
using Purr.Features.Inspect;

namespace Purr.Tests.Payments;

/// <summary><c>purr inspect</c> on payment files: no database, normalized transactions and totals, located rejections.</summary>
public class InspectPaymentTests
{
    private static string Data(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "data", .. parts]);

    private static PaymentFileInspection Inspect(string path, string format = "auto") => Assert.IsType<PaymentFileInspection>(InspectFile.Inspect(path, format));

    // file, format, count, currency (null when several), credit total, debit total (MANIFEST §1-2)
    public static TheoryData<string, string, int, string?, string?, string?> Samples => new()
    {
        { "camt054/moov-io+iso20022/FI_camt_054_sample.xml.xml", "camt054", 13, "EUR", "5600.00", "5230.05" },
        { "camt054/genkgo+camt/camt054.v8.xml", "camt054", 1, "SEK", "0.00", "200000.00" },
        { "camt054/viafintech+camt_parser/valid_example.xml", "camt054", 5, "CHF", "80.56", "21.53" },
        { "camt054/purr+synthetic/kid-batch.camt054.xml", "camt054", 4, "NOK", "3125.50", "300.00" },
        { "camt053/viafintech+camt_parser/valid_example_v4.xml", "camt053", 32, "CHF", "1810.56", "1272.95" },
        { "camt053/viafintech+camt_parser/valid_example_v8.xml", "camt053", 3, null, null, null },
        { "camt053/genkgo+camt/camt053.v2.multi.statement.xml", "camt053", 2, "EUR", "8.85", "7.00" },
        { "ocr-giro/otovo+python-netsgiro/ocr_giro_transactions.txt", "ocr", 20, "NOK", "51449.00", "0.00" },
        { "csv/payments.csv", "csv-payments", 3, "NOK", "26499.00", "0.00" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Inspect_prints_the_format_the_count_and_the_totals(string file, string format, int count, string? currency, string? credit, string? debit)
    {
        var r = Inspect(Data(file.Split('/')));

        Assert.Equal((format, count, currency, credit, debit), (r.Format, r.Count, r.Currency, r.CreditTotal, r.DebitTotal));
        Assert.Equal(count, r.Transactions.Count);
        Assert.Equal(count, r.Totals.Sum(t => t.CreditCount + t.DebitCount));
        Assert.Equal(64, r.Sha256.Length);
    }

    [Fact]
    public void A_multi_currency_statement_gives_totals_per_currency_and_the_balances()
    {
        var r = Inspect(Data("camt053", "viafintech+camt_parser", "valid_example_v8.xml"));

        Assert.Equal([("CHF", "563.25", "0.00"), ("EUR", "0.00", "20.97")], r.Totals.Select(t => (t.Currency, t.CreditTotal, t.DebitTotal)));
        var s = Assert.Single(r.Statements);
        Assert.Equal(("82721.95", "84515.25", false), (s.Opening!, s.Closing!, s.Reconciles == true));
        Assert.Contains(s.Balances, b => b.Type == "OPBD");
    }

    [Fact]
    public void Transactions_are_normalized_with_kid_validity_and_their_location()
    {
        var r = Inspect(Data("camt054", "purr+synthetic", "kid-batch.camt054.xml"));

        var t = r.Transactions;
        Assert.Equal(("123456782", true, "credit", "1250.00", "Kari Nordmann"), (t[0].Kid!, t[0].KidValid!.Value, t[0].Direction, t[0].Amount, t[0].PayerName!));
        Assert.Equal("/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/NtryDtls[1]/TxDtls[1]", t[0].Xpath);
        Assert.Equal(("123456785", 34), (t[1].Kid!, t[1].Line));       // "1234 5678 5" without its spaces
        Assert.Equal("Faktura 10042 og 10043", t[2].FreeText);
        Assert.Equal(("debit", "-300.00", true, "AC04", "BOOK"), (t[3].Direction, t[3].Amount, t[3].Reversal, t[3].ReturnReason!, t[3].Status!));
    }

    [Fact]
    public void The_ocr_transmission_and_its_assignment_control_totals_are_shown()
    {
        var r = Inspect(Data("ocr-giro", "otovo+python-netsgiro", "ocr_giro_transactions.txt"));

        Assert.Equal(("0170031", 20L, "51449.00"), (r.Ocr!.TransmissionNumber, r.Ocr.TransactionCount!.Value, r.Ocr.Total!));
        var a = Assert.Single(r.Ocr.Assignments);
        Assert.Equal(("001008566", "99991042764", 43L), (a.AgreementId, a.Account, a.RecordCount!.Value));
        Assert.Equal((21, "Foo bar baz", "0000531"), (r.Transactions[0].OcrTransactionType!.Value, r.Transactions[0].FreeText!, r.Transactions[0].Kid!));
    }

    [Fact]
    public void A_named_format_is_checked_against_the_file()
    {
        var e = Assert.Throws<RejectedInputException>(() => Inspect(Data("ocr-giro", "otovo+python-netsgiro", "ocr_giro_transactions.txt"), "camt053"));
        Assert.Contains("this file is Nets OCR giro", Assert.Single(e.Errors).Expected);
        var csv = Inspect(Data("csv", "payments.csv"), "csv-payments");
        Assert.Equal(("csv-payments", "plain"), (csv.Format, csv.Dialect!));
        Assert.Throws<RejectedInputException>(() => InspectFile.Inspect(Data("csv", "no-such-file.csv")));
    }

    // The added corpus (tests/data/payments/bad/ORIGIN.md): each file's first located error.
    public static TheoryData<string, int, string?, string?, string> Damaged => new()
    {
        { "three-decimals.camt054.xml", 36, "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/NtryDtls[1]/TxDtls[2]/AmtDtls/TxAmt/Amt", "875.505", "an amount in whole NOK minor units" },
        { "version-01.camt054.xml", 2, "/Document", "urn:iso:std:iso:20022:tech:xsd:camt.054.001.01", "message version .001.02 or later" },
        { "latin1-undeclared.camt054.xml", 43, "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/NtryDtls[1]/TxDtls[3]", null, "Invalid character in the given encoding" },
        { "mismatched-tag.camt054.xml", 21, "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]", null, "does not match the end tag of 'Status'" },
        { "signed-amount.camt054.xml", 49, "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[2]/Amt", "-300.00", "a non-negative amount" },
        { "bad-date.ocr.txt", 3, null, "310292", "the Nets date as DDMMYY" },
        { "unknown-record.ocr.txt", 4, null, "35", "a record type 10, 20, 30, 31, 32, 88 or 89" },
        { "payments-bad.csv", 3, null, "2026-02-30", "a date" },
    };

    [Theory]
    [MemberData(nameof(Damaged))]
    public void A_damaged_file_is_rejected_with_a_precise_located_error(string file, int line, string? xpath, string? raw, string expected)
    {
        var e = Assert.Throws<RejectedInputException>(() => InspectFile.Inspect(Data("payments", "bad", file)));

        var first = e.Errors[0];
        Assert.Equal((file, line, xpath, raw), (first.File, first.Line, first.XPath, first.RawValue));
        Assert.Contains(expected, first.Expected);
    }

    [Fact]
    public void Every_error_of_the_bad_csv_is_listed_not_only_the_first()
    {
        var e = Assert.Throws<RejectedInputException>(() => InspectFile.Inspect(Data("payments", "bad", "payments-bad.csv")));
        Assert.Equal([(3, "payment_date"), (4, "amount"), (5, "kid"), (6, "reference")], e.Errors.Select(x => (x.Line, x.Column!)));
    }
}
