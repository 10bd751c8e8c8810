using Microsoft.EntityFrameworkCore;
using Purr.Data;
using Purr.Features.Imports;
using Purr.Tests.Infrastructure;
using static Purr.Tests.Invoices.SafTFiles;

namespace Purr.Tests.Invoices;

public sealed class SafTPostingOrderTests_Sqlite(SqliteFixture f) : SafTPostingOrderTests<SqliteFixture>(f);
public sealed class SafTPostingOrderTests_Postgres(PostgresFixture f) : SafTPostingOrderTests<PostgresFixture>(f);

/// <summary>
/// The order the streaming SAF-T import posts in: records in file order (set-off of credit notes is oldest open first
/// by due date, so it does not depend on it), payments by date whatever their order in the file, so that when several
/// payments hit one invoice the earlier payment is allocated first and the later one keeps what is left over.
/// </summary>
public abstract class SafTPostingOrderTests<TDb>(TDb fixture) : InvoiceImportTest<TDb>(fixture) where TDb : DatabaseFixture
{
    // Customer 20001: invoice A 1000.00 (10 Jan, due 24 Jan) listed before the older invoice B 500.00 (5 Jan, due 19 Jan);
    // a credit note K1 of 300.00 (VAT, no invoice named); two payments on A, the later one (20 Jan, 700.00) listed first in
    // the bank journal, then the earlier one (15 Jan, 600.00). Closing balance 1000 + 500 − 300 − 1300 = −100.
    private static string File() => SafTFiles.Document([SafTFiles.Customer("20001", "Pus AS", 0m, -100m)], 5, 3100m, 3100m,
        SafTFiles.Journal("S",
            Transaction("S-1", "2026-01-10", "Faktura A", Line(1, "1500", "20001", "Debit", "1000.00", "A"), Line(2, "3000", null, "Credit", "1000.00")),
            Transaction("S-2", "2026-01-05", "Faktura B", Line(1, "1500", "20001", "Debit", "500.00", "B"), Line(2, "3000", null, "Credit", "500.00")),
            Transaction("S-3", "2026-01-25", "Kreditnota K1", Line(1, "1500", "20001", "Credit", "300.00", "K1"), Line(2, "3000", null, "Debit", "300.00", vat: true))),
        SafTFiles.Journal("B",
            Transaction("B-1", "2026-01-21", "Innbetaling", Line(1, "1500", "20001", "Credit", "700.00", "A", "2026-01-20"), Line(2, "1920", null, "Debit", "700.00")),
            Transaction("B-2", "2026-01-16", "Innbetaling", Line(1, "1500", "20001", "Credit", "600.00", "A", "2026-01-15"), Line(2, "1920", null, "Debit", "600.00"))));

    [Theory]
    [InlineData(10_000)]
    [InlineData(1)]
    public async Task Payments_are_applied_by_date_and_credit_notes_to_the_oldest_open_invoice_whatever_the_file_order(int chunk)
    {
        var creditor = await CreditorAsync();
        using var _ = ImportInvoices.UseChunkSize(chunk);

        var r = await ImportSafTAsync(creditor, TempFile("order.xml", File()));

        Assert.Empty(r.BalanceDifferences!);
        // B is older (due 19 Jan): the credit note is set off against it, not against A that comes first in the file.
        var b = await InvoiceAsync("B");
        var a = await InvoiceAsync("A");
        Assert.Equal((50000L, 20000L), (b.Amount, b.Open));
        Assert.Equal((100000L, 0L, new DateOnly(2026, 1, 20)), (a.Amount, a.Open, a.SettledOn));
        Assert.Equal(0L, (await InvoiceAsync("K1", DocumentKind.CreditNote)).Open);
        await using var db = await OpenAsync();
        // The 15 Jan payment (second in the file) is applied in full; the 20 Jan one gets what is left and keeps 300.00.
        var payments = await db.Payments.AsNoTracking().OrderBy(p => p.Id).Select(p => new { p.PaymentDate, p.Amount, p.Unallocated }).ToListAsync(Ct);
        Assert.Equal([(new DateOnly(2026, 1, 15), 60000L, 0L), (new DateOnly(2026, 1, 20), 70000L, 30000L)],
            payments.Select(p => (p.PaymentDate, p.Amount, p.Unallocated)));
        var net = (await Purr.Features.Ledger.LedgerBalance.HandleAsync(db, new Purr.Features.Ledger.LedgerBalance.Query(creditor, "20001"), Ct)).Net;
        Assert.Equal("-100.00", net);
    }
}
