using System.Text;
using Microsoft.EntityFrameworkCore;
using Purr.Features.Imports;
using Purr.Features.Ledger;
using Purr.Tests.Infrastructure;
using static Purr.Tests.Invoices.SafTFiles;

namespace Purr.Tests.Invoices;

public sealed class SafTChunkedCustomerTests_Sqlite(SqliteFixture f) : SafTChunkedCustomerTests<SqliteFixture>(f);
public sealed class SafTChunkedCustomerTests_Postgres(PostgresFixture f) : SafTChunkedCustomerTests<PostgresFixture>(f);

/// <summary>
/// The SAF-T import keeps nothing per customer between its chunks: customers are written a chunk at a time and every chunk
/// of records or payments looks up the customers it names. A customer whose documents and payments fall in several
/// chunks, one the ledger already has under another number (same organisation number), one with an opening balance and
/// a new one must end where one chunk puts them.
/// </summary>
public abstract class SafTChunkedCustomerTests<TDb>(TDb fixture) : InvoiceImportTest<TDb>(fixture) where TDb : DatabaseFixture
{
    // 20001 is Fjord Bygg AS (988077917), in the ledger as K-7: invoices A 1000.00 and C 400.00, A paid in full, C half.
    // 20002 (new): invoice B 300.00, paid in full. 20003 (new, opening balance 1000.00): invoice D 250.00, 600.00 paid on OLD-9.
    // Closing: 20001 1400 − 1200 = 200.00; 20002 0.00; 20003 1000 + 250 − 600 = 650.00.
    private static string File() => SafTFiles.Document(
        [SafTFiles.Customer("20001", "Fjord Bygg AS", 0m, 200m, org: "988077917"), SafTFiles.Customer("20002", "Pus AS", 0m, 0m),
         SafTFiles.Customer("20003", "Mons AS", 1000m, 650m)],
        8, 4050m, 4050m,
        SafTFiles.Journal("S",
            Transaction("S-1", "2026-01-05", "Faktura A", Line(1, "1500", "20001", "Debit", "1000.00", "A"), Line(2, "3000", null, "Credit", "1000.00")),
            Transaction("S-2", "2026-01-06", "Faktura B", Line(1, "1500", "20002", "Debit", "300.00", "B"), Line(2, "3000", null, "Credit", "300.00")),
            Transaction("S-3", "2026-01-07", "Faktura C", Line(1, "1500", "20001", "Debit", "400.00", "C"), Line(2, "3000", null, "Credit", "400.00")),
            Transaction("S-4", "2026-01-08", "Faktura D", Line(1, "1500", "20003", "Debit", "250.00", "D"), Line(2, "3000", null, "Credit", "250.00"))),
        SafTFiles.Journal("B",
            Transaction("B-1", "2026-01-20", "Innbetaling", Line(1, "1500", "20001", "Credit", "1000.00", "A"), Line(2, "1920", null, "Debit", "1000.00")),
            Transaction("B-2", "2026-01-21", "Innbetaling", Line(1, "1500", "20002", "Credit", "300.00", "B"), Line(2, "1920", null, "Debit", "300.00")),
            Transaction("B-3", "2026-01-22", "Innbetaling", Line(1, "1500", "20003", "Credit", "600.00", "OLD-9"), Line(2, "1920", null, "Debit", "600.00")),
            Transaction("B-4", "2026-01-23", "Innbetaling", Line(1, "1500", "20001", "Credit", "200.00", "C"), Line(2, "1920", null, "Debit", "200.00"))));

    [Theory]
    [InlineData(10_000)]
    [InlineData(1)]
    public async Task Customers_in_several_chunks_and_one_the_ledger_has_under_another_number_get_their_documents_and_payments(int chunk)
    {
        var creditor = await CreditorAsync();
        await using (var db = await OpenAsync())
            await ImportCustomers.HandleAsync(db, new ImportCustomers.Command("c.csv",
                Encoding.UTF8.GetBytes("customer_number,name,kind,org_number\nK-7,Fjord Bygg,business,988077917\n"), creditor), Actor, Clock, Ct);
        using var _ = ImportInvoices.UseChunkSize(chunk);

        var r = await ImportSafTAsync(creditor, TempFile("customers.xml", File()));

        Assert.Empty(r.BalanceDifferences!);
        Assert.Equal("3", r.Totals!["customers"]);
        var known = await CustomerAsync("K-7");
        Assert.Equal("Fjord Bygg AS", known.Name); // updated from the file
        await using var check = await OpenAsync();
        Assert.Equal(["20002", "20003", "K-7"], (await check.Customers.AsNoTracking().Select(c => c.CustomerNumber).ToListAsync(Ct)).Order());
        var customers = await check.Customers.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.CustomerNumber, Ct);
        var invoices = await check.Invoices.AsNoTracking().OrderBy(i => i.Number).Select(i => new { i.Number, i.CustomerId, i.Open }).ToListAsync(Ct);
        Assert.Equal([("A", "K-7", 0L), ("B", "20002", 0L), ("C", "K-7", 20000L), ("D", "20003", 25000L), ("IB-20003", "20003", 40000L)],
            invoices.Select(i => (i.Number, customers[i.CustomerId], i.Open)));
        var payments = await check.Payments.AsNoTracking().OrderBy(p => p.PaymentDate).Select(p => new { p.InvoiceNumber, p.CustomerId, p.Unallocated }).ToListAsync(Ct);
        Assert.Equal([("A", "K-7", 0L), ("B", "20002", 0L), ("OLD-9", "20003", 0L), ("C", "K-7", 0L)],
            payments.Select(p => (p.InvoiceNumber, customers[p.CustomerId!.Value], p.Unallocated)));
        foreach (var (customer, net) in new[] { ("K-7", "200.00"), ("20002", "0.00"), ("20003", "650.00") })
            Assert.Equal(net, (await LedgerBalance.HandleAsync(check, new LedgerBalance.Query(creditor, customer), Ct)).Net);
    }
}
