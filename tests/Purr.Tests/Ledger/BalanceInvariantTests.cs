using System.Globalization;
using System.Text;
using Purr.Features.Creditors;
using Purr.Features.Imports;
using Purr.Features.Ledger;
using Purr.Features.WriteOffs;
using Purr.Tests.Infrastructure;

namespace Purr.Tests.Ledger;

public sealed class BalanceInvariantTests_Sqlite(SqliteFixture f) : BalanceInvariantTests<SqliteFixture>(f);
public sealed class BalanceInvariantTests_Postgres(PostgresFixture f) : BalanceInvariantTests<PostgresFixture>(f);

/// <summary>The ledger balance adds up after payments, credit notes, overpayments, a write-off and a recovery.</summary>
public abstract class BalanceInvariantTests<TDb>(TDb fixture) : DbTest<TDb>(fixture) where TDb : DatabaseFixture
{
    private static decimal D(string s) => decimal.Parse(s, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Invoiced_minus_credited_paid_and_written_off_plus_recovered_equals_net()
    {
        Today(2026, 4, 1);
        long creditor;
        await using (var db = await OpenAsync())
            creditor = (await AddCreditor.HandleAsync(db, new("T AS", null, null, null, null, null, null), Actor, Clock, Ct)).Id;
        await using (var db = await OpenAsync())
        {
            await ImportCustomers.HandleAsync(db, new("c.csv", await File.ReadAllBytesAsync(Data("csv", "customers.csv"), Ct), creditor), Actor, Clock, Ct);
        }
        await using (var db = await OpenAsync())
            await ImportInvoices.HandleAsync(db, new("i.csv", await File.ReadAllBytesAsync(Data("csv", "invoices.csv"), Ct), creditor), Actor, Clock, Ct);
        await using (var db = await OpenAsync())
            await ImportPayments.HandleAsync(db, new("p.csv", await File.ReadAllBytesAsync(Data("csv", "payments.csv"), Ct), creditor), Actor, Clock, Ct);
        await using (var db = await OpenAsync())
            await WriteOffInvoice.HandleAsync(db, new(creditor, "10001", "konkurs"), Actor, Clock, Ct);   // 600.00 left
        await using (var db = await OpenAsync())
            await ImportPayments.HandleAsync(db, new("late.csv", Encoding.UTF8.GetBytes("payment_date,amount,invoice_number,reference\n2026-04-01,250.00,10001,LATE-1\n"), creditor), Actor, Clock, Ct);

        await using var check = await OpenAsync();
        var b = await LedgerBalance.HandleAsync(check, new(creditor), Ct);
        Assert.Equal("600.00", b.WrittenOff);
        Assert.Equal("250.00", b.Recovered);
        Assert.Equal(D(b.Open) - D(b.CreditBalance), D(b.Net));
        Assert.Equal(D(b.Invoiced) - D(b.Credited) - D(b.Paid) - D(b.WrittenOff) + D(b.Recovered), D(b.Net));
        Assert.Equal("1500.50", b.Open);   // only 10004 is open: 10001 written off, 10002 paid, 10003 credited
    }
}
