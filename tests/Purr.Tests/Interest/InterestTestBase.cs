using System.Text;
using Microsoft.EntityFrameworkCore;
using Purr.Data;
using Purr.Features.Creditors;
using Purr.Features.Imports;
using Purr.Tests.Infrastructure;

namespace Purr.Tests.Interest;

/// <summary>Builds small ledgers through the real import handlers: customers 1001 private, 1002 business, 1003 public.</summary>
public abstract class InterestTestBase<TDb>(TDb fixture) : DbTest<TDb>(fixture) where TDb : DatabaseFixture
{
    protected const string Customers = """
        customer_number,name,kind,org_number,email
        1001,Ola Nordmann,private,,ola@example.no
        1002,Fjord Bygg AS,business,988077917,post@fjordbygg.example
        1003,Bergen kommune,public,998447356,faktura@bergen.example
        """;

    protected long CreditorId { get; private set; }

    private readonly SettableClock _clock = new();

    /// <summary>A clock that may also be set back (each test walks its own timeline).</summary>
    protected new TimeProvider Clock => _clock;

    /// <summary>Sets "today" (09:00 UTC, the same day in Oslo).</summary>
    protected new void Today(int y, int m, int d) => _clock.Now = new DateTimeOffset(y, m, d, 9, 0, 0, TimeSpan.Zero);

    private sealed class SettableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>A creditor with the three customers.</summary>
    protected async Task<long> SetUpAsync(string name = "Renter AS")
    {
        await using var db = await OpenAsync();
        CreditorId = (await AddCreditor.HandleAsync(db, new AddCreditor.Command(name, "987654325", "86011117947", null, null, null, null), Actor, Clock, Ct)).Id;
        await ImportCustomers.HandleAsync(db, new("customers.csv", Bytes(Customers), CreditorId), Actor, Clock, Ct);
        return CreditorId;
    }

    /// <summary>Imports invoice rows "number,customer,issue,due,amount[,kid]".</summary>
    protected async Task InvoicesAsync(params string[] rows)
    {
        var csv = new StringBuilder("invoice_number,type,customer_number,issue_date,due_date,amount,currency,kid,text,credits_invoice\n");
        foreach (var r in rows)
        {
            var f = r.Split(',');
            csv.Append(f[0]).Append(",invoice,").Append(f[1]).Append(',').Append(f[2]).Append(',').Append(f[3]).Append(',').Append(f[4])
                .Append(",NOK,").Append(f.Length > 5 ? f[5] : "").Append(",Test,\n");
        }
        await using var db = await OpenAsync();
        await ImportInvoices.HandleAsync(db, new("invoices.csv", Bytes(csv.ToString()), CreditorId), Actor, Clock, Ct);
    }

    private int _payments;

    /// <summary>Imports one payment naming an invoice number (or a KID when <paramref name="kid"/> is set).</summary>
    protected async Task PayAsync(string date, string amount, string? invoiceNumber, string? kid = null)
    {
        var reference = $"BANK-{++_payments:D4}-{Guid.NewGuid():N}"[..20];
        var csv = $"payment_date,amount,kid,invoice_number,customer_number,reference,payer_name,text\n{date},{amount},{kid},{invoiceNumber},,{reference},Payer,test\n";
        await using var db = await OpenAsync();
        await ImportPayments.HandleAsync(db, new($"payments-{reference}.csv", Bytes(csv), CreditorId), Actor, Clock, Ct);
    }

    protected async Task<PurrDbContext> ScopedAsync()
    {
        var db = await OpenAsync();
        db.CreditorScope = CreditorId;
        return db;
    }

    protected async Task<Invoice> InvoiceAsync(string number)
    {
        await using var db = await ScopedAsync();
        return await db.Invoices.AsNoTracking().SingleAsync(i => i.Number == number, Ct);
    }

    /// <summary>Adds a charge the way the dunning run will (a reminder fee, say).</summary>
    protected async Task ChargeAsync(string invoiceNumber, ChargeKind kind, long minor, string date)
    {
        await using var db = await ScopedAsync();
        var inv = await db.Invoices.SingleAsync(i => i.Number == invoiceNumber, Ct);
        db.Charges.Add(new Charge
        {
            CreditorId = CreditorId, InvoiceId = inv.Id, Kind = kind, Amount = minor, Open = minor, Date = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture),
            Actor = "dunning", CreatedAt = Clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(Ct);
    }

    protected static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s.Replace("\r\n", "\n"));

    protected static DateOnly Day(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
