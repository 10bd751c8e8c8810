using System.Text.Json;
using Purr.Tests.Infrastructure;

namespace Purr.Tests.Invoices;

/// <summary><c>purr inspect</c>: no database is opened or created; the JSON shows what an import would see.</summary>
public sealed class InspectCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "purr-inspect-tests", Guid.NewGuid().ToString("N"));

    public InspectCliTests() => Directory.CreateDirectory(_dir);

    private static string Data(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "data", .. parts]);

    private async Task<PurrProcess.Result> InspectAsync(params string[] args)
    {
        var r = await PurrProcess.RunInAsync(_dir, null, ["inspect", .. args]);
        Assert.False(File.Exists(Path.Combine(_dir, "purr.db")), "inspect must not create a database");
        Assert.Empty(Directory.GetFiles(_dir));
        return r;
    }

    [Fact]
    public async Task Ehf_invoice_shows_the_normalized_invoice_buyer_and_totals()
    {
        var r = await InspectAsync(Data("ehf-ubl", "OpenPEPPOL+peppol-bis-invoice-3", "Norwegian-example-1.xml"), "--json");

        Assert.Equal(0, r.ExitCode);
        var j = r.Json;
        Assert.Equal(("ehf", 1, 0), (j.GetProperty("format").GetString(), j.GetProperty("count").GetInt32(), j.GetProperty("errors").GetArrayLength()));
        var inv = j.GetProperty("invoices")[0];
        Assert.Equal(("TOSL108", "invoice", "380", "2013-06-30", "2013-07-20", "802.00", "NOK"), (S(inv, "number"), S(inv, "type"), S(inv, "type_code"),
            S(inv, "issue_date"), S(inv, "due_date"), S(inv, "amount"), S(inv, "currency")));
        Assert.Equal(("0003434323213231", JsonValueKind.Null), (S(inv, "payment_reference"), inv.GetProperty("kid").ValueKind));
        Assert.Equal(("Norwegian-example-1.xml", "/Invoice"), (S(inv.GetProperty("source"), "file"), S(inv.GetProperty("source"), "xpath")));
        var buyer = j.GetProperty("customers")[0];
        Assert.Equal(("987654325", "Buyercompany ASA", "987654325", "0192:987654325"), (S(buyer, "customer_number"), S(buyer, "name"), S(buyer, "org_number"), S(buyer, "peppol_id")));
        var total = j.GetProperty("totals")[0];
        Assert.Equal(("NOK", 1, "802.00"), (S(total, "currency"), total.GetProperty("count").GetInt32(), S(total, "net")));
    }

    [Fact]
    public async Task Ehf_credit_note_and_negative_invoice_are_negative_amounts()
    {
        var credit = await InspectAsync(Data("ehf-ubl", "OpenPEPPOL+peppol-bis-invoice-3", "base-creditnote-correction.xml"), "--json");
        var negative = await InspectAsync(Data("ehf-ubl", "OpenPEPPOL+peppol-bis-invoice-3", "base-negative-inv-correction.xml"), "--json");

        var c = credit.Json.GetProperty("invoices")[0];
        Assert.Equal(("credit_note", "-1656.25", "1656.25", "EUR", "Snippet1"), (S(c, "type"), S(c, "amount"), S(c, "payable_amount"), S(c, "currency"), S(c, "credits_number")));
        var n = negative.Json.GetProperty("invoices")[0];
        Assert.Equal(("invoice", true, "-1656.25", "-1656.25"), (S(n, "type"), n.GetProperty("acts_as_credit").GetBoolean(), S(n, "amount"), S(n, "payable_amount")));
        Assert.Equal("1656.25", S(negative.Json.GetProperty("totals")[0], "credited"));
    }

    [Fact]
    public async Task Saft_file_shows_customers_documents_open_items_payments_and_no_differences()
    {
        var r = await InspectAsync(Data("saf-t", "synthetic", "saf-t-1.30-open-items.xml"), "--json");

        Assert.Equal(0, r.ExitCode);
        var j = r.Json;
        Assert.Equal(("saft", 6), (j.GetProperty("format").GetString(), j.GetProperty("count").GetInt32()));
        Assert.Equal(("1.30", 11, 28), (S(j.GetProperty("header"), "audit_file_version"), j.GetProperty("header").GetProperty("transactions").GetInt32(),
            j.GetProperty("header").GetProperty("lines").GetInt32()));
        Assert.Equal((7, 5, 0), (j.GetProperty("open_items").GetArrayLength(), j.GetProperty("payments").GetArrayLength(), j.GetProperty("balance_differences").GetArrayLength()));
        Assert.Equal(["3750.00", "625.00", "2750.00", "-100.00", "800.00"], j.GetProperty("customers").EnumerateArray().Select(c => S(c, "closing_balance")));
        Assert.Equal("19375.00", S(j.GetProperty("totals")[0], "net"));
        var first = j.GetProperty("invoices")[0];
        Assert.Equal(("2026001", "12500.00", "5000.00", "20260014"), (S(first, "number"), S(first, "amount"), S(first, "open_amount"), S(first, "kid")));
    }

    [Fact]
    public async Task Saft_example_reports_its_balance_differences_without_failing()
    {
        var r = await InspectAsync(Data("saf-t", "Skatteetaten+saf-t", "ExampleFile SAF-T Financial_999999999_20161125213512.xml"), "--json");

        Assert.Equal(0, r.ExitCode);
        var d = r.Json.GetProperty("balance_differences");
        Assert.Equal(["movements", "open_items"], d.EnumerateArray().Select(x => S(x, "check")));
        Assert.All(d.EnumerateArray(), x => Assert.Equal(("12000", "12345.67", "1234.56", "11111.11"), (S(x, "customer_number"), S(x, "expected"), S(x, "derived"), S(x, "difference"))));
        Assert.Equal(("999999999", 2, 5), (S(r.Json.GetProperty("header"), "company_org_number"), r.Json.GetProperty("header").GetProperty("transactions").GetInt32(),
            r.Json.GetProperty("header").GetProperty("lines").GetInt32()));
    }

    [Theory]
    [InlineData("ubl-totals-mismatch.xml", 69, "/Invoice/cac:InvoiceLine[1]/cbc:LineExtensionAmount")]
    [InlineData("saft-bad-values.xml", 29, "/AuditFile/MasterFiles/Customers/Customer[1]/BalanceAccount/ClosingDebitBalance")]
    public async Task A_bad_file_exits_2_and_lists_located_errors(string file, int line, string xpath)
    {
        var r = await InspectAsync(Data("bad-invoice-files", file), "--json");

        Assert.Equal(2, r.ExitCode);
        var first = r.Json.GetProperty("errors")[0];
        Assert.Equal((file, line, xpath), (S(first, "file"), first.GetProperty("line").GetInt32(), S(first, "xpath")));
        Assert.Contains($"{file}:{line}: {xpath}", r.Stderr);
    }

    [Fact]
    public async Task Csv_invoices_and_customers_are_told_apart_by_header()
    {
        var invoices = await InspectAsync(Data("csv", "invoices.csv"), "--json");
        var customers = await InspectAsync(Data("csv", "customers.csv"), "--json");
        var payments = await InspectAsync(Data("csv", "payments.csv"), "--json");

        Assert.Equal(("csv-invoices", 5), (S(invoices.Json, "format"), invoices.Json.GetProperty("count").GetInt32()));
        Assert.Equal(("csv-customers", 3), (S(customers.Json, "format"), customers.Json.GetProperty("customers").GetArrayLength()));
        Assert.Equal((0, "csv-payments"), (payments.ExitCode, S(payments.Json, "format"))); // handed to the bank-file inspection
    }

    [Fact]
    public async Task Text_output_is_a_table_and_an_unknown_format_is_rejected()
    {
        var text = await InspectAsync(Data("ehf-ubl", "synthetic", "valid-invoice.xml"));
        var unknown = await InspectAsync(Data("ehf-ubl", "synthetic", "valid-invoice.xml"), "--format", "mt940");

        Assert.Equal(0, text.ExitCode);
        Assert.Contains("10042", text.Stdout);
        Assert.Contains("1250.00", text.Stdout);
        Assert.Equal(1, unknown.ExitCode);            // an unknown --format value is a usage error
        Assert.Contains("mt940", unknown.Stderr);
    }

    private static string? S(JsonElement e, string name) => e.GetProperty(name).GetString();

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
