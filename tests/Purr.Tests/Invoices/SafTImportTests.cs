using Microsoft.EntityFrameworkCore;
using Purr.Core;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Ledger;
using Purr.Tests.Infrastructure;

namespace Purr.Tests.Invoices;

public sealed class SafTImportTests_Sqlite(SqliteFixture f) : SafTImportTests<SqliteFixture>(f);
public sealed class SafTImportTests_Postgres(PostgresFixture f) : SafTImportTests<PostgresFixture>(f);

/// <summary>
/// SAF-T Financial import against a real ledger. The synthetic file's customers (worked out by hand in
/// tests/Purr.Core.Tests/SafT/SafTReaderTests.OpenItems.cs): 10001 closing 3750, 10002 625, 10003 2750, 10004 −100, 10005 800.
/// </summary>
public abstract class SafTImportTests<TDb>(TDb fixture) : InvoiceImportTest<TDb>(fixture) where TDb : DatabaseFixture
{
    private static readonly (string Customer, string Closing)[] Closing =
        [("10001", "3750.00"), ("10002", "625.00"), ("10003", "2750.00"), ("10004", "-100.00"), ("10005", "800.00")];

    private async Task<string> NetAsync(long creditor, string customer)
    {
        await using var db = await OpenAsync();
        return (await LedgerBalance.HandleAsync(db, new LedgerBalance.Query(creditor, customer), Ct)).Net;
    }

    [Fact]
    public async Task Synthetic_file_imports_and_every_customer_balance_equals_its_closing_balance()
    {
        var creditor = await CreditorAsync("123456785");

        var r = await ImportSafTAsync(creditor, SafTSynthetic);

        Assert.Equal(("saft", false), (r.Format, r.AlreadyImported));
        Assert.Empty(r.BalanceDifferences!);
        Assert.Equal(("5", "5", "17350.00", "7825.00"), (r.Totals!["customers"], r.Totals["payments"], r.Totals["payments_nok"], r.Totals["closing_nok"]));
        foreach (var (customer, closing) in Closing)
            Assert.Equal(closing, await NetAsync(creditor, customer));
        await using var db = await OpenAsync();
        var total = await LedgerBalance.HandleAsync(db, new LedgerBalance.Query(creditor), Ct);
        Assert.Equal("7825.00", total.Net);
    }

    [Fact]
    public async Task Invoices_keep_original_amounts_due_dates_and_kids_with_payments_as_allocations()
    {
        var creditor = await CreditorAsync();

        await ImportSafTAsync(creditor, SafTSynthetic);

        var first = await InvoiceAsync("2026001");
        Assert.Equal((1250000L, 375000L, new DateOnly(2026, 1, 5), new DateOnly(2026, 1, 19), "20260014"), (first.Amount, first.Open, first.IssueDate, first.DueDate, first.Kid));
        var credit = await InvoiceAsync("2026004", DocumentKind.CreditNote);
        Assert.Equal((125000L, 0L, "2026001"), (credit.Amount, credit.Open, credit.CreditsNumber));
        var paid = await InvoiceAsync("2026002");
        Assert.Equal((0L, "paid", new DateOnly(2026, 2, 14)), (paid.Open, paid.SettledBy, paid.SettledOn));
        var kommune = await InvoiceAsync("2026003");
        Assert.Equal((375000L, new DateOnly(2026, 3, 4)), (kommune.Open, kommune.DueDate)); // the unreferenced 1000 stays a credit balance
        var opening = await InvoiceAsync("IB-10001");
        Assert.Equal((500000L, 0L, new DateOnly(2025, 12, 31), (DateOnly?)null), (opening.Amount, opening.Open, opening.IssueDate, opening.DueDate));
        Assert.Null((await InvoiceAsync("IB-10005")).DueDate); // the opening balance is not dunned until it has a due date

        await using var db = await OpenAsync();
        var payments = await db.Payments.AsNoTracking().OrderBy(p => p.PaymentDate).ToListAsync(Ct);
        Assert.Equal(
        [
            (new DateOnly(2026, 1, 12), 500000L, 0L, "saft:B-1:2"), (new DateOnly(2026, 1, 19), 750000L, 0L, "saft:B-2:2"),
            (new DateOnly(2026, 2, 14), 125000L, 0L, "saft:B-3:2"), (new DateOnly(2026, 3, 9), 260000L, 10000L, "saft:B-4:2"),
            (new DateOnly(2026, 3, 19), 100000L, 100000L, "saft:B-5:2"),
        ], payments.Select(p => (p.PaymentDate, p.Amount, p.Unallocated, p.BankReference!)));
        Assert.All(payments, p => Assert.Equal("saft", p.Source));
        var onOpening = await db.Allocations.AsNoTracking().Include(a => a.Invoice).SingleAsync(a => a.Payment!.BankReference == "saft:B-1:2", Ct);
        Assert.Equal(("IB-10001", 500000L), (onOpening.Invoice!.Number, onOpening.Amount));
    }

    [Fact]
    public async Task Customers_come_from_master_files_with_kind_org_number_address_and_terms()
    {
        var creditor = await CreditorAsync();

        await ImportSafTAsync(creditor, SafTSynthetic);

        var kari = await CustomerAsync("10002");
        Assert.Equal(("Kari Nordmann", CustomerKind.Private, 14), (kari.Name, kari.Kind, kari.PaymentTermsDays));
        var kommune = await CustomerAsync("10003");
        Assert.Equal(("Nordby kommune", CustomerKind.Public, "921000006"), (kommune.Name, kommune.Kind, kommune.OrganizationNumber));
        Assert.Equal(CustomerKind.Business, (await CustomerAsync("10001")).Kind);
        Assert.Equal(5, (await CountsAsync()).Customers);
    }

    [Fact]
    public async Task The_same_file_twice_changes_nothing()
    {
        var creditor = await CreditorAsync();
        await ImportSafTAsync(creditor, SafTSynthetic);
        var before = await CountsAsync();

        var again = await ImportSafTAsync(creditor, SafTSynthetic);

        Assert.True(again.AlreadyImported);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task A_closing_balance_the_lines_do_not_explain_is_reported_and_posted_as_a_difference_item()
    {
        var creditor = await CreditorAsync();
        var xml = File.ReadAllText(SafTSynthetic).Replace("<ClosingDebitBalance>625.00</ClosingDebitBalance>", "<ClosingDebitBalance>700.00</ClosingDebitBalance>", StringComparison.Ordinal);

        var r = await ImportSafTAsync(creditor, TempFile("changed.xml", xml));

        Assert.Equal(
        [
            ("10002", "1500", "movements", "700.00", "625.00", "75.00"),
            ("10002", (string?)null, "open_items", "700.00", "625.00", "75.00"),
        ], r.BalanceDifferences!.Select(d => (d.CustomerNumber, d.AccountId, d.Check, d.Expected, d.Derived, d.Difference)));
        Assert.Equal(("changed.xml", 123, "/AuditFile/MasterFiles/Customers/Customer[2]/BalanceAccount"),
            (r.BalanceDifferences![0].File, r.BalanceDifferences[0].Line, r.BalanceDifferences[0].Xpath));
        Assert.Contains(r.Notes!, n => n.Contains("AVVIK-10002", StringComparison.Ordinal));
        var gap = await InvoiceAsync("AVVIK-10002");
        Assert.Equal((7500L, new DateOnly(2026, 3, 31), (DateOnly?)null), (gap.Amount, gap.IssueDate, gap.DueDate));
        Assert.Equal("700.00", await NetAsync(creditor, "10002"));
    }

    [Fact]
    public async Task A_credit_note_for_an_invoice_from_before_the_period_credits_the_opening_balance()
    {
        var creditor = await CreditorAsync();
        var xml = File.ReadAllText(SafTSynthetic).Replace("<Reference>2026001</Reference>", "<Reference>2025-117</Reference>", StringComparison.Ordinal);

        await ImportSafTAsync(creditor, TempFile("credit-old.xml", xml));

        var credit = await InvoiceAsync("2026004", DocumentKind.CreditNote);
        Assert.Equal(("IB-10001", 0L), (credit.CreditsNumber, credit.Open));
        Assert.Equal(500000L, (await InvoiceAsync("2026001")).Open); // 12500 − 7500: the credit went to the opening balance
        Assert.Equal("3750.00", await NetAsync(creditor, "10001"));
    }

    [Fact]
    public async Task Skatteetaten_example_imports_its_customer_and_ends_at_the_stated_closing_balance()
    {
        var creditor = await CreditorAsync("999999999", "Selskapet AS");

        var r = await ImportSafTAsync(creditor, SafT("Skatteetaten+saf-t", "ExampleFile SAF-T Financial_999999999_20161125213512.xml"));

        // One customer, opening 1234.56, closing 12345.67 and not a single customer line (MANIFEST section 4).
        Assert.Equal(("1", "0"), (r.Totals!["customers"], r.Totals["payments"]));
        Assert.Equal(["11111.11", "11111.11"], r.BalanceDifferences!.Select(d => d.Difference));
        var c = await CustomerAsync("12000");
        Assert.Equal(("Kunden AS", "999999999", "kontaktperson@domene.offline", CustomerKind.Business), (c.Name, c.OrganizationNumber, c.Email, c.Kind));
        Assert.Equal((123456L, new DateOnly(2014, 12, 31)), ((await InvoiceAsync("IB-12000")).Amount, (await InvoiceAsync("IB-12000")).IssueDate));
        Assert.Equal(new DateOnly(2015, 12, 31), (await InvoiceAsync("AVVIK-12000")).IssueDate); // periods 1-12 2015
        Assert.Equal("12345.67", await NetAsync(creditor, "12000"));
    }

    [Fact]
    public async Task A_file_of_another_company_is_rejected_at_its_registration_number()
    {
        var creditor = await CreditorAsync("987654325", "Annet AS");

        var e = await Assert.ThrowsAsync<RejectedInputException>(() => ImportSafTAsync(creditor, SafTSynthetic));

        var err = Assert.Single(e.Errors);
        Assert.Equal(("saf-t-1.30-open-items.xml", "/AuditFile/Header/Company/RegistrationNumber", "123456785"), (err.File, err.XPath, err.RawValue));
        Assert.Equal(0, (await CountsAsync()).Customers);
    }

    public static TheoryData<string, string, int, string, string> BadFiles => new()
    {
        { "bad-invoice-files", "saft-truncated.xml", 326, "/AuditFile/GeneralLedgerEntries/Journal[1]/Transaction[3]/Line/DebitAmount/Amount", "truncated or damaged" },
        { "bad-invoice-files", "saft-wrong-namespace.xml", 2, "/AuditFile", "namespace urn:StandardAuditFile-Taxation-Financial:NO" },
        { "bad-invoice-files", "saft-bad-values.xml", 29, "/AuditFile/MasterFiles/Customers/Customer[1]/BalanceAccount/ClosingDebitBalance", "expected an amount like 1234.50" },
        { "saf-t/Skatteetaten+saf-t", "Eksempelfil fra xmlSpy.xml", 5, "/AuditFile/Header/AuditFileVersion", "expected the SAF-T Financial version" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_file_is_rejected_with_its_first_error_located_and_nothing_written(string folder, string file, int line, string xpath, string expected)
    {
        var creditor = await CreditorAsync();
        var before = await CountsAsync();

        var e = await Assert.ThrowsAsync<RejectedInputException>(() => ImportSafTAsync(creditor, Data([.. folder.Split('/'), file])));

        var first = e.Errors[0];
        Assert.Equal((file, line, xpath), (first.File, first.Line, first.XPath));
        Assert.Contains(expected, first.Expected);
        Assert.Equal(before, await CountsAsync());
    }
}
