using Purr.Core.Formats;
using Purr.Core.Formats.SafT;
using static Purr.Core.Tests.SafT.SafTTestData;

namespace Purr.Core.Tests.SafT;

// The hand-made bad-input corpus in tests/data/bad-invoice-files/saft-*.xml.
public partial class SafTReaderTests
{
    private static string Bad(string file) => PathOf("bad-invoice-files", file);

    [Fact]
    public void Truncated_file_is_a_located_error_and_keeps_what_was_read()
    {
        var result = ReadFile(Bad("saft-truncated.xml"));

        var error = Assert.Single(result.Errors);
        AssertError(error, "saft-truncated.xml", 326, "/AuditFile/GeneralLedgerEntries/Journal[1]/Transaction[3]/Line/DebitAmount/Amount", null,
            "expected well-formed XML; the file is truncated or damaged: Unexpected end of file");
        Assert.Equal(5, result.Customers.Count);
        Assert.Equal(["2026001", "2026002"], result.Documents.Select(d => d.Number));
        Assert.Empty(result.BalanceDifferences); // not reconciled: the file is incomplete
    }

    [Fact]
    public void Another_countrys_saf_t_namespace_is_rejected()
    {
        var result = ReadFile(Bad("saft-wrong-namespace.xml"));

        AssertError(Assert.Single(result.Errors), "saft-wrong-namespace.xml", 2, "/AuditFile", "urn:OECD:StandardAuditFile-Tax:PT_1.04_01",
            "expected the Norwegian SAF-T Financial namespace urn:StandardAuditFile-Taxation-Financial:NO (or none)");
        Assert.Null(result.Header);
    }

    [Fact]
    public void A_ubl_invoice_is_not_a_saf_t_file()
    {
        var result = ReadFile(PathOf("ehf-ubl", "synthetic", "valid-invoice.xml"));

        AssertError(Assert.Single(result.Errors), "valid-invoice.xml", 2, "/Invoice", "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice",
            "expected a SAF-T Financial file with root element AuditFile");
    }

    [Fact]
    public void Bad_dates_amounts_unbalanced_transactions_unknown_customers_and_control_totals_are_all_located()
    {
        const string f = "saft-bad-values.xml";
        var result = ReadFile(Bad(f));

        Assert.Collection(result.Errors,
            e => AssertError(e, f, 29, "/AuditFile/MasterFiles/Customers/Customer[1]/BalanceAccount/ClosingDebitBalance", "1250,00",
                "expected an amount like 1234.50"),
            e => AssertError(e, f, 46, "/AuditFile/GeneralLedgerEntries/Journal[1]/Transaction[1]/TransactionDate", "2026-02-30", "expected a date YYYY-MM-DD"),
            e => AssertError(e, f, 59, "/AuditFile/GeneralLedgerEntries/Journal[1]/Transaction[1]/Line[1]/DueDate", "14.03.2026", "expected a date YYYY-MM-DD"),
            e => AssertError(e, f, 66, "/AuditFile/GeneralLedgerEntries/Journal[1]/Transaction[1]/Line[2]/CreditAmount/Amount", "1000.005",
                "expected an amount with at most 2 decimals (SAFmonetaryType)"),
            e => AssertError(e, f, 69, "/AuditFile/GeneralLedgerEntries/Journal[1]/Transaction[1]/Line[3]/DebitAmount", null,
                "expected DebitAmount or CreditAmount, which is missing"),
            e => AssertError(e, f, 42, "/AuditFile/GeneralLedgerEntries/Journal[1]/Transaction[1]", "debit 1250.00, credit 0",
                "expected a balanced transaction"),
            e => AssertError(e, f, 75, "/AuditFile/GeneralLedgerEntries/Journal[1]/Transaction[2]", "debit 500.00, credit 400.00",
                "expected a balanced transaction"),
            e => AssertError(e, f, 86, "/AuditFile/GeneralLedgerEntries/Journal[1]/Transaction[2]/Line[1]/CustomerID", "99999",
                "expected a CustomerID from MasterFiles/Customers"),
            e => AssertError(e, f, 35, "/AuditFile/GeneralLedgerEntries/NumberOfEntries", "3", "expected the number of Transaction elements in the file, 2"),
            e => AssertError(e, f, 36, "/AuditFile/GeneralLedgerEntries/TotalDebit", "1250.00", "expected the sum of every line's DebitAmount/Amount, 1750.00"),
            e => AssertError(e, f, 37, "/AuditFile/GeneralLedgerEntries/TotalCredit", "1250.00", "expected the sum of every line's CreditAmount/Amount, 400.00"));
        // The line for the unknown customer is still derived, under a placeholder debtor.
        var orphan = Assert.Single(result.Documents);
        Assert.Equal(("2026002", "99999", (CustomerKind?)null), (orphan.Number, orphan.Customer.Name, orphan.Customer.Kind));
    }

    [Fact]
    public void Empty_input_and_text_are_located_errors_not_crashes()
    {
        var empty = SafTReader.Read(new MemoryStream(), "empty.xml");
        var text = ReadText("Kunde;Saldo\n10001;1250,00\n", "saldo.csv");

        AssertError(Assert.Single(empty.Errors), "empty.xml", 0, null, null, "expected well-formed XML; the file is truncated or damaged: Root element is missing");
        AssertError(Assert.Single(text.Errors), "saldo.csv", 1, null, null, "expected well-formed XML");
    }
}
