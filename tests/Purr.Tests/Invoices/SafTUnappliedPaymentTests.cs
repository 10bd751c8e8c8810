using Microsoft.EntityFrameworkCore;
using Purr.Data;
using Purr.Features.Imports;
using Purr.Tests.Infrastructure;
using static Purr.Tests.Invoices.SafTFiles;

namespace Purr.Tests.Invoices;

public sealed class SafTUnappliedPaymentTests_Sqlite(SqliteFixture f) : SafTUnappliedPaymentTests<SqliteFixture>(f);
public sealed class SafTUnappliedPaymentTests_Postgres(PostgresFixture f) : SafTUnappliedPaymentTests<PostgresFixture>(f);

/// <summary>
/// A SAF-T payment whose ReferenceNumber names no invoice of its customer in the file, while the customer has other open
/// invoices in the same posting chunk. The rule (ImportSafT, as SafTReader applies it): such a payment pays the customer's
/// opening balance (the invoices from before the period) as far as that is open, and the rest stays the customer's credit
/// balance. It never pays another invoice of the file: the bookkeeper's ledger did not apply it there, and the
/// customer's balance is right either way (the closing balance the file states).
/// </summary>
public abstract class SafTUnappliedPaymentTests<TDb>(TDb fixture) : InvoiceImportTest<TDb>(fixture) where TDb : DatabaseFixture
{
    // Customer 20001 (no opening balance): invoices A 1000.00 and B 500.00, a payment of 400.00 with reference X-999 (no such
    // invoice) and one of 200.00 without a reference. Closing 1500 − 600 = 900.00.
    // Customer 20002 (opening balance 1000.00): invoice C 800.00, a payment of 1500.00 with reference OLD-1 (an invoice from
    // before the period). Closing 1000 + 800 − 1500 = 300.00.
    private static string File() => SafTFiles.Document([SafTFiles.Customer("20001", "Pus AS", 0m, 900m), SafTFiles.Customer("20002", "Mons AS", 1000m, 300m)],
        6, 4400m, 4400m,
        SafTFiles.Journal("S",
            Transaction("S-1", "2026-01-05", "Faktura A", Line(1, "1500", "20001", "Debit", "1000.00", "A"), Line(2, "3000", null, "Credit", "1000.00")),
            Transaction("S-2", "2026-01-10", "Faktura B", Line(1, "1500", "20001", "Debit", "500.00", "B"), Line(2, "3000", null, "Credit", "500.00")),
            Transaction("S-3", "2026-01-06", "Faktura C", Line(1, "1500", "20002", "Debit", "800.00", "C"), Line(2, "3000", null, "Credit", "800.00"))),
        SafTFiles.Journal("B",
            Transaction("B-1", "2026-01-20", "Innbetaling", Line(1, "1500", "20001", "Credit", "400.00", "X-999"), Line(2, "1920", null, "Debit", "400.00")),
            Transaction("B-2", "2026-01-21", "Innbetaling", Line(1, "1500", "20001", "Credit", "200.00"), Line(2, "1920", null, "Debit", "200.00")),
            Transaction("B-3", "2026-01-22", "Innbetaling", Line(1, "1500", "20002", "Credit", "1500.00", "OLD-1"), Line(2, "1920", null, "Debit", "1500.00"))));

    [Theory]
    [InlineData(10_000)]
    [InlineData(1)]
    public async Task A_payment_for_no_invoice_in_the_file_pays_the_opening_balance_or_stays_credit_never_another_invoice(int chunk)
    {
        var creditor = await CreditorAsync();
        using var _ = ImportInvoices.UseChunkSize(chunk);

        var r = await ImportSafTAsync(creditor, TempFile("unapplied.xml", File()));

        Assert.Empty(r.BalanceDifferences!);
        // The invoices of the file stay open in full although their customers have unapplied money.
        foreach (var (number, amount) in new[] { ("A", 100000L), ("B", 50000L), ("C", 80000L) })
        {
            var invoice = await InvoiceAsync(number);
            Assert.Equal((number, amount, amount), (invoice.Number, invoice.Amount, invoice.Open));
        }
        // The opening balance of 20002 takes 1000.00 of the OLD-1 payment.
        Assert.Equal(0L, (await InvoiceAsync(ImportSafT.OpeningNumber("20002"))).Open);

        await using var db = await OpenAsync();
        var allocated = await db.Allocations.AsNoTracking().Select(a => a.PaymentId).ToListAsync(Ct);
        var payments = (await db.Payments.AsNoTracking().OrderBy(p => p.Id).ToListAsync(Ct))
            .Select(p => new { p.InvoiceNumber, p.Amount, p.Unallocated, p.Status, Allocated = allocated.Count(id => id == p.Id) }).ToList();
        Assert.Equal(
            [("X-999", 40000L, 40000L, PaymentStatus.Unmatched, 0), (null, 20000L, 20000L, PaymentStatus.Unmatched, 0),
             ("OLD-1", 150000L, 50000L, PaymentStatus.PartlyMatched, 1)],
            payments.Select(p => (p.InvoiceNumber, p.Amount, p.Unallocated, p.Status, p.Allocated)));
        foreach (var (customer, net) in new[] { ("20001", "900.00"), ("20002", "300.00") })
            Assert.Equal(net, (await Purr.Features.Ledger.LedgerBalance.HandleAsync(db, new Purr.Features.Ledger.LedgerBalance.Query(creditor, customer), Ct)).Net);
    }
}
