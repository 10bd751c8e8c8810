using Purr.Tests.Infrastructure;

namespace Purr.Tests.Invoices;

public sealed class InvoiceCliTests_Sqlite(SqliteFixture f) : InvoiceCliTests<SqliteFixture>(f);
public sealed class InvoiceCliTests_Postgres(PostgresFixture f) : InvoiceCliTests<PostgresFixture>(f);

/// <summary><c>purr import invoices FILE --format …</c> as a user runs it: exit codes, JSON, located errors on stderr.</summary>
public abstract class InvoiceCliTests<TDb>(TDb fixture) : InvoiceImportTest<TDb>(fixture) where TDb : DatabaseFixture
{
    private async Task AddCreditorAsync(string? org = null)
    {
        var args = org is null ? new[] { "creditor", "add", "--name", "Purr Testselskap AS" } : ["creditor", "add", "--name", "Purr Testselskap AS", "--org-number", org];
        Assert.Equal(0, (await PurrProcess.RunAsync(Spec, args)).ExitCode);
    }

    [Fact]
    public async Task Auto_detects_ehf_and_keeps_the_buyers_peppol_id()
    {
        await AddCreditorAsync("123456785");

        var r = await PurrProcess.RunAsync(Spec, "import", "invoices", Peppol("Norwegian-example-1.xml"), "--json");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(("ehf", 1, "802.00"), (r.Json.GetProperty("format").GetString(), r.Json.GetProperty("created").GetInt32(),
            r.Json.GetProperty("totals").GetProperty("invoices_nok").GetString()));
        var c = (await PurrProcess.RunAsync(Spec, "customer", "show", "987654325", "--json")).Json.GetProperty("customer");
        Assert.Equal(("Buyercompany ASA", "987654325", "0192:987654325", "business"), (c.GetProperty("name").GetString(), c.GetProperty("org_number").GetString(),
            c.GetProperty("peppol_id").GetString(), c.GetProperty("kind").GetString()));
        var again = await PurrProcess.RunAsync(Spec, "import", "invoices", Peppol("Norwegian-example-1.xml"), "--format", "ehf", "--json");
        Assert.True(again.Json.GetProperty("already_imported").GetBoolean());
    }

    [Fact]
    public async Task Auto_detects_saft_and_every_customer_balance_equals_its_closing_balance()
    {
        await AddCreditorAsync("123456785");

        var r = await PurrProcess.RunAsync(Spec, "import", "invoices", SafTSynthetic, "--json");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("saft", r.Json.GetProperty("format").GetString());
        Assert.Equal(0, r.Json.GetProperty("balance_differences").GetArrayLength());
        foreach (var (customer, closing) in new[] { ("10001", "3750.00"), ("10002", "625.00"), ("10003", "2750.00"), ("10004", "-100.00"), ("10005", "800.00") })
        {
            var b = await PurrProcess.RunAsync(Spec, "ledger", "balance", "--customer", customer, "--json");
            Assert.Equal(closing, b.Json.GetProperty("net").GetString());
        }
    }

    [Fact]
    public async Task A_folder_imports_as_one_ehf_input_and_a_folder_cannot_be_saft()
    {
        await AddCreditorAsync();
        var folder = FolderOf("faktura", ("1.xml", Synthetic("valid-invoice.xml")), ("2.xml", ValidInvoiceNumbered("10043")));

        var saft = await PurrProcess.RunAsync(Spec, "import", "invoices", folder, "--format", "saft", "--json");
        var r = await PurrProcess.RunAsync(Spec, "import", "invoices", folder, "--json");

        Assert.Equal(2, saft.ExitCode);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(("faktura", 2, "2500.00"), (r.Json.GetProperty("file").GetString(), r.Json.GetProperty("created").GetInt32(),
            r.Json.GetProperty("totals").GetProperty("invoices_nok").GetString()));
    }

    [Fact]
    public async Task Csv_import_is_unchanged()
    {
        await AddCreditorAsync();
        Assert.Equal(0, (await PurrProcess.RunAsync(Spec, "import", "customers", Data("csv", "customers.csv"))).ExitCode);

        var r = await PurrProcess.RunAsync(Spec, "import", "invoices", Data("csv", "invoices.csv"), "--json");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(("csv-plain", 5, "31500.50"), (r.Json.GetProperty("format").GetString(), r.Json.GetProperty("created").GetInt32(),
            r.Json.GetProperty("totals").GetProperty("invoices_nok").GetString()));
    }

    private static readonly (string File, string Located)[] BadFiles =
    [
        ("ubl-truncated.xml", "ubl-truncated.xml:34: /Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity: expected well-formed XML"),
        ("ubl-not-xml.xml", "ubl-not-xml.xml:1: expected well-formed XML"),
        ("ubl-wrong-namespace.xml", "ubl-wrong-namespace.xml:2: /Invoice: \"urn:oasis:names:specification:ubl:schema:xsd:Invoice-1.0\": expected the UBL 2.1 namespace"),
        ("ubl-order-not-invoice.xml", "ubl-order-not-invoice.xml:2: /Order: \"Order\": expected a UBL Invoice or CreditNote"),
        ("ubl-missing-mandatory.xml", "ubl-missing-mandatory.xml:56: /Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount: expected the amount due for payment (BT-115 PayableAmount), which is missing"),
        ("ubl-totals-mismatch.xml", "ubl-totals-mismatch.xml:64: /Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount: \"1200.00\": expected cbc:PayableAmount = TaxInclusiveAmount − PrepaidAmount + PayableRoundingAmount"),
        ("ubl-bad-date.xml", "ubl-bad-date.xml:9: /Invoice/cbc:DueDate: \"16.03.2026\": expected a date YYYY-MM-DD"),
        ("ubl-bad-amount.xml", "ubl-bad-amount.xml:64: /Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount: \"1 250,00\""),
        ("ubl-bad-currency.xml", "ubl-bad-currency.xml:11: /Invoice/cbc:DocumentCurrencyCode: \"nok\""),
        ("ubl-bad-orgnr.xml", "ubl-bad-orgnr.xml:35: /Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID: \"987654321\""),
        ("saft-truncated.xml", "saft-truncated.xml:326: /AuditFile/GeneralLedgerEntries/Journal[1]/Transaction[3]/Line/DebitAmount/Amount: expected well-formed XML"),
        ("saft-wrong-namespace.xml", "saft-wrong-namespace.xml:2: /AuditFile: \"urn:OECD:StandardAuditFile-Tax:PT_1.04_01\""),
        ("saft-bad-values.xml", "saft-bad-values.xml:86: /AuditFile/GeneralLedgerEntries/Journal[1]/Transaction[2]/Line[1]/CustomerID: \"99999\""),
    ];

    // One process per file (the JSON goes to stdout, the located errors to stderr): the whole corpus in one test.
    [Fact]
    public async Task Every_bad_file_exits_2_with_file_line_and_xpath_and_writes_nothing()
    {
        await AddCreditorAsync();

        foreach (var (file, located) in BadFiles)
        {
            var r = await PurrProcess.RunAsync(Spec, "import", "invoices", Bad(file), "--json");

            Assert.True(r.ExitCode == 2, $"{file}: exit {r.ExitCode}");
            Assert.Contains(located, r.Stderr);
            Assert.Contains("nothing was changed", r.Stderr);
            Assert.Equal("rejected", r.Json.GetProperty("error").GetString());
            var first = r.Json.GetProperty("errors")[0];
            Assert.Equal(file, first.GetProperty("file").GetString());
            Assert.True(first.GetProperty("line").GetInt32() > 0, file);
        }
        var list = await PurrProcess.RunAsync(Spec, "invoice", "list", "--json");
        Assert.Equal(0, list.Json.GetProperty("total").GetInt32());
        var customers = await PurrProcess.RunAsync(Spec, "customer", "list", "--json");
        Assert.Equal(0, customers.Json.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_credit_note_for_an_unknown_invoice_exits_2_located()
    {
        await AddCreditorAsync();

        var r = await PurrProcess.RunAsync(Spec, "import", "invoices", Peppol("base-creditnote-correction.xml"));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("base-creditnote-correction.xml:2: /CreditNote/cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID: \"Snippet1\": expected the number of an invoice", r.Stderr);
    }
}
