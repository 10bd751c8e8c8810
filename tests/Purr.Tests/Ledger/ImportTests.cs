using Microsoft.EntityFrameworkCore;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Creditors;
using Purr.Features.Customers;
using Purr.Features.Imports;
using Purr.Features.Invoices;
using Purr.Features.Ledger;
using Purr.Tests.Infrastructure;

namespace Purr.Tests.Ledger;

public sealed class ImportTests_Sqlite(SqliteFixture f) : ImportTests<SqliteFixture>(f);
public sealed class ImportTests_Postgres(PostgresFixture f) : ImportTests<PostgresFixture>(f);

public abstract class ImportTests<TDb>(TDb fixture) : DbTest<TDb>(fixture) where TDb : DatabaseFixture
{
    private async Task<long> CreditorAsync(PurrDbContext db, string name = "Test AS") =>
        (await AddCreditor.HandleAsync(db, new AddCreditor.Command(name, "987654325", "86011117947", null, null, null, null), Actor, Clock, Ct)).Id;

    private async Task<ImportResult> ImportAsync(string kind, string file, long creditor)
    {
        await using var db = await OpenAsync();
        var bytes = await File.ReadAllBytesAsync(Data("csv", file), Ct);
        return kind switch
        {
            "customers" => await ImportCustomers.HandleAsync(db, new(file, bytes, creditor), Actor, Clock, Ct),
            "invoices" => await ImportInvoices.HandleAsync(db, new(file, bytes, creditor), Actor, Clock, Ct),
            _ => await ImportPayments.HandleAsync(db, new(file, bytes, creditor), Actor, Clock, Ct),
        };
    }

    private async Task<(int Invoices, int Payments, int Allocations, int Events, int Customers)> CountsAsync()
    {
        await using var db = await OpenAsync();
        return (await db.Invoices.CountAsync(Ct), await db.Payments.CountAsync(Ct), await db.Allocations.CountAsync(Ct),
            await db.ClaimEvents.CountAsync(Ct), await db.Customers.CountAsync(Ct));
    }

    [Fact]
    public async Task Customers_invoices_and_payments_import_and_allocate()
    {
        long creditor;
        await using (var db = await OpenAsync()) creditor = await CreditorAsync(db);
        var c = await ImportAsync("customers", "customers.csv", creditor);
        Assert.Equal(3, c.Created);
        var i = await ImportAsync("invoices", "invoices.csv", creditor);
        Assert.Equal(5, i.Created);
        Assert.Equal("31500.50", i.Totals!["invoices_nok"]);
        var p = await ImportAsync("payments", "payments.csv", creditor);
        Assert.Equal(3, p.Created);
        Assert.Equal("1", p.Totals!["kid"]);
        Assert.Equal("1", p.Totals["invoice_number"]);
        Assert.Equal("1", p.Totals["unmatched"]);

        await using var check = await OpenAsync();
        var inv = await ShowInvoice.HandleAsync(check, new(creditor, "10001"), Clock, Ct);
        Assert.Equal("600.00", inv.Invoice.Open);                    // 1000 − 400 by KID
        Assert.Equal("0.00", (await ShowInvoice.HandleAsync(check, new(creditor, "10003"), Clock, Ct)).Invoice.Open); // credited by K1
        Assert.Equal("credited", (await ShowInvoice.HandleAsync(check, new(creditor, "10003"), Clock, Ct)).Invoice.Status);
        var fjord = await ShowCustomer.HandleAsync(check, new(creditor, "1002"), Clock, Ct);
        Assert.Equal("0.00", fjord.Customer.Open);
        Assert.Equal("1000.00", fjord.Customer.CreditBalance);        // 26 000 paid on 25 000
        var balance = await LedgerBalance.HandleAsync(check, new(creditor), Ct);
        // invoiced 31 500.50 − credited 4 000 − paid (matched) 26 400 = open 2 100.50 − credit 1 000 = 1 100.50
        Assert.Equal("31500.50", balance.Invoiced);
        Assert.Equal("4000.00", balance.Credited);
        Assert.Equal("26400.00", balance.Paid);
        Assert.Equal("2100.50", balance.Open);
        Assert.Equal("1000.00", balance.CreditBalance);
        Assert.Equal("1100.50", balance.Net);
        Assert.Contains(inv.History, h => h.Kind == "payment_allocated" && h.Actor == "test");
    }

    [Fact]
    public async Task The_same_file_twice_changes_nothing_and_says_already_imported()
    {
        long creditor;
        await using (var db = await OpenAsync()) creditor = await CreditorAsync(db);
        await ImportAsync("customers", "customers.csv", creditor);
        await ImportAsync("invoices", "invoices.csv", creditor);
        await ImportAsync("payments", "payments.csv", creditor);
        var before = await CountsAsync();
        var again = await ImportAsync("invoices", "invoices.csv", creditor);
        var againPayments = await ImportAsync("payments", "payments.csv", creditor);
        Assert.True(again.AlreadyImported);
        Assert.True(againPayments.AlreadyImported);
        Assert.Contains("already imported", again.Notes![0]);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task A_bad_date_on_line_7_and_a_bad_amount_on_line_12_reject_the_file_and_change_nothing()
    {
        long creditor;
        await using (var db = await OpenAsync()) creditor = await CreditorAsync(db);
        await ImportAsync("customers", "customers.csv", creditor);
        var before = await CountsAsync();
        var e = await Assert.ThrowsAsync<RejectedInputException>(() => ImportAsync("invoices", "invoices-bad.csv", creditor));
        Assert.Equal(2, e.Errors.Count);
        Assert.Equal((7, "issue_date", "2026-02-30"), (e.Errors[0].Line, e.Errors[0].Column, e.Errors[0].RawValue));
        Assert.Equal((12, "amount", "12,3.4"), (e.Errors[1].Line, e.Errors[1].Column, e.Errors[1].RawValue));
        Assert.All(e.Errors, x => Assert.Equal("invoices-bad.csv", x.File));
        Assert.Contains("expected an amount like 1234.50", e.Errors[1].Expected);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task The_same_invoice_number_with_different_content_is_a_located_error()
    {
        long creditor;
        await using (var db = await OpenAsync()) creditor = await CreditorAsync(db);
        await ImportAsync("customers", "customers.csv", creditor);
        await ImportAsync("invoices", "invoices.csv", creditor);
        var changed = "invoice_number,customer_number,issue_date,due_date,amount\n10004,1003,2026-02-01,2026-03-03,1500.50\n10002,1002,2026-01-10,2026-02-09,25500.00\n"u8.ToArray();
        await using var db2 = await OpenAsync();
        var e = await Assert.ThrowsAsync<RejectedInputException>(() => ImportInvoices.HandleAsync(db2, new("changed.csv", changed, creditor), Actor, Clock, Ct));
        var err = Assert.Single(e.Errors);
        Assert.Equal(3, err.Line);
        Assert.Equal("10002", err.RawValue);
        Assert.Contains("amount 25000.00 NOK vs 25500.00 NOK", err.Expected);
    }

    [Theory]
    [InlineData("invoices-excel-1252.csv")]
    [InlineData("invoices-excel-utf8-bom.csv")]
    public async Task Norwegian_excel_dialect_imports_with_norwegian_headers_and_letters(string file)
    {
        long creditor;
        await using (var db = await OpenAsync()) creditor = await CreditorAsync(db);
        var r = await ImportAsync("invoices", file, creditor);
        Assert.Equal("csv-norwegian", r.Format);
        Assert.Equal(3, r.Created);
        Assert.Equal("13833.50", r.Totals!["invoices_nok"]);
        await using var check = await OpenAsync();
        var inv = await ShowInvoice.HandleAsync(check, new(creditor, "20003"), Clock, Ct);
        Assert.Equal("Bjørn Ærlig AS", inv.Invoice.CustomerName);
        Assert.Equal("Rørlegger; arbeid", inv.Invoice.Text);
        Assert.Equal(new DateOnly(2026, 2, 14), inv.Invoice.DueDate);
    }

    [Fact]
    public async Task Creditors_are_kept_apart()
    {
        long a, b;
        await using (var db = await OpenAsync())
        {
            a = await CreditorAsync(db, "A AS");
            b = await CreditorAsync(db, "B AS");
        }
        await ImportAsync("customers", "customers.csv", a);
        await ImportAsync("invoices", "invoices.csv", a);
        // The same file for creditor B is a new import for B (files are recognised per creditor).
        var forB = await ImportAsync("customers", "customers.csv", b);
        Assert.False(forB.AlreadyImported);
        await using var check = await OpenAsync();
        var invB = await ListInvoices.HandleAsync(check, new(b), Clock, Ct);
        Assert.Equal(0, invB.Total);
        await using var check2 = await OpenAsync();
        var invA = await ListInvoices.HandleAsync(check2, new(a), Clock, Ct);
        Assert.Equal(5, invA.Total);
        await using var check3 = await OpenAsync();
        await Assert.ThrowsAsync<NotFoundException>(() => ShowInvoice.HandleAsync(check3, new(b, "10001"), Clock, Ct));
    }

    [Fact]
    public async Task Invoice_list_filters_by_status_and_pages()
    {
        long creditor;
        await using (var db = await OpenAsync()) creditor = await CreditorAsync(db);
        await ImportAsync("customers", "customers.csv", creditor);
        await ImportAsync("invoices", "invoices.csv", creditor);
        await ImportAsync("payments", "payments.csv", creditor);
        Today(2026, 3, 2);
        await using var db2 = await OpenAsync();
        var overdue = await ListInvoices.HandleAsync(db2, new(creditor, "overdue"), Clock, Ct);
        Assert.Equal(["10001"], overdue.Items.Select(i => i.Number));   // 10004 is due 2026-03-03
        Assert.Equal(42, overdue.Items[0].DaysOverdue);
        var open = await ListInvoices.HandleAsync(db2, new(creditor, "open"), Clock, Ct);
        Assert.Equal(["10001", "10004"], open.Items.Select(i => i.Number));
        var paid = await ListInvoices.HandleAsync(db2, new(creditor, "paid"), Clock, Ct);
        Assert.Equal(["10002"], paid.Items.Select(i => i.Number));
        var page2 = await ListInvoices.HandleAsync(db2, new(creditor, null, null, 2, 2), Clock, Ct);
        Assert.Equal(5, page2.Total);
        Assert.Equal(2, page2.Items.Count);
    }
}
