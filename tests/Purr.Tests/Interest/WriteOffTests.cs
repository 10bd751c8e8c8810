using Microsoft.EntityFrameworkCore;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Invoices;
using Purr.Features.Ledger;
using Purr.Features.WriteOffs;
using Purr.Tests.Infrastructure;

namespace Purr.Tests.Interest;

public sealed class WriteOffTests_Sqlite(SqliteFixture f) : WriteOffTests<SqliteFixture>(f);
public sealed class WriteOffTests_Postgres(PostgresFixture f) : WriteOffTests<PostgresFixture>(f);

/// <summary>Write-off (tapsføring) and recovery of a payment that comes in afterwards.</summary>
public abstract class WriteOffTests<TDb>(TDb fixture) : InterestTestBase<TDb>(fixture) where TDb : DatabaseFixture
{
    private async Task<WriteOffInvoice.Result> WriteOffAsync(string number, string? reason = "konkurs, ingen dividende", string? date = null)
    {
        await using var db = await OpenAsync();
        return await WriteOffInvoice.HandleAsync(db, new WriteOffInvoice.Command(CreditorId, number, reason, date), Actor, Clock, Ct);
    }

    [Fact]
    public async Task A_written_off_invoice_leaves_dunning_and_is_booked_on_7830_and_1500()
    {
        Today(2026, 3, 2);
        await SetUpAsync();
        await InvoicesAsync("W1,1002,2026-01-01,2026-01-15,10000.00,1002100012", "W2,1002,2026-01-01,2026-01-15,500.00");
        await PayAsync("2026-01-20", "2500.00", "W1");
        await ChargeAsync("W1", ChargeKind.ReminderFee, 3500, "2026-02-01");

        var r = await WriteOffAsync("W1", date: "2026-02-28");
        Assert.Equal(("7500.00", Day("2026-02-28"), "7830", "1500", "35.00"), (r.Amount, r.Date, r.DebitAccount, r.CreditAccount, r.ChargesWaived));

        await using var db = await ScopedAsync();
        var w1 = await db.Invoices.SingleAsync(i => i.Number == "W1", Ct);
        Assert.Equal((0L, "written_off", Day("2026-02-28")), (w1.Open, w1.SettledBy, w1.SettledOn!.Value));
        var ev = await db.AccountingEvents.SingleAsync(Ct);
        Assert.Equal(("write_off", 750000L, LedgerAccounts.LossOnReceivables, LedgerAccounts.AccountsReceivable, w1.Id, "test"),
            (ev.Kind, ev.Amount, ev.DebitAccount, ev.CreditAccount, ev.InvoiceId!.Value, ev.Actor));
        Assert.Contains("konkurs, ingen dividende", ev.Text);
        Assert.Equal(0, await db.Charges.SumAsync(c => c.Open, Ct));
        var overdue = await ListInvoices.HandleAsync(db, new ListInvoices.Query(CreditorId, "overdue"), Clock, Ct);
        Assert.Equal(["W2"], overdue.Items.Select(i => i.Number));
        var writtenOff = await ListInvoices.HandleAsync(db, new ListInvoices.Query(CreditorId, "written_off"), Clock, Ct);
        Assert.Equal("written_off", writtenOff.Items.Single().Status);
        var shown = await ShowInvoice.HandleAsync(db, new ShowInvoice.Query(CreditorId, "W1"), Clock, Ct);
        Assert.Contains(shown.History, h => h.Kind == "written_off" && h.Actor == "test" && h.Text.Contains("konkurs"));
    }

    [Fact]
    public async Task A_write_off_needs_a_reason_an_open_amount_and_a_sensible_date()
    {
        Today(2026, 3, 2);
        await SetUpAsync();
        await InvoicesAsync("W1,1001,2026-01-10,2026-01-15,100.00", "P1,1001,2026-01-10,2026-01-15,100.00");
        await PayAsync("2026-01-15", "100.00", "P1");
        Assert.Equal("--reason", (await Assert.ThrowsAsync<RejectedInputException>(() => WriteOffAsync("W1", " "))).Errors.Single().Column);
        Assert.Equal("--date", (await Assert.ThrowsAsync<RejectedInputException>(() => WriteOffAsync("W1", date: "2026-03-03"))).Errors.Single().Column);
        Assert.Equal("--date", (await Assert.ThrowsAsync<RejectedInputException>(() => WriteOffAsync("W1", date: "2026-01-09"))).Errors.Single().Column);
        Assert.Contains("is paid", (await Assert.ThrowsAsync<RejectedInputException>(() => WriteOffAsync("P1"))).Errors.Single().Expected);
        await Assert.ThrowsAsync<NotFoundException>(() => WriteOffAsync("NOPE"));
        await WriteOffAsync("W1");
        Assert.Contains("is written_off", (await Assert.ThrowsAsync<RejectedInputException>(() => WriteOffAsync("W1"))).Errors.Single().Expected);
        await using var db = await ScopedAsync();
        Assert.Equal(1, await db.AccountingEvents.CountAsync(Ct));
    }

    [Fact]
    public async Task A_payment_after_the_write_off_is_a_recovery_the_invoice_stays_closed()
    {
        Today(2026, 3, 2);
        await SetUpAsync();
        await InvoicesAsync("W1,1002,2026-01-01,2026-01-15,1000.00,1002100012", "O1,1002,2026-01-01,2026-02-15,300.00");
        await WriteOffAsync("W1");
        Today(2026, 4, 1);
        await PayAsync("2026-03-30", "400.00", null, kid: "1002100012");     // by KID
        await PayAsync("2026-03-31", "800.00", "W1");                        // by invoice number: 600 recovers the rest, 200 goes on

        await using var db = await ScopedAsync();
        var w1 = await db.Invoices.SingleAsync(i => i.Number == "W1", Ct);
        Assert.Equal((0L, "written_off"), (w1.Open, w1.SettledBy));
        Assert.Equal(0, await db.Allocations.CountAsync(a => a.InvoiceId == w1.Id, Ct));
        var recoveries = await db.AccountingEvents.Where(e => e.Kind == "recovery").OrderBy(e => e.Date).ToListAsync(Ct);
        Assert.Equal([40000L, 60000L], recoveries.Select(e => e.Amount));
        Assert.All(recoveries, e => Assert.Equal((LedgerAccounts.Bank, LedgerAccounts.LossOnReceivables, w1.Id), (e.DebitAccount, e.CreditAccount, e.InvoiceId!.Value)));
        var payments = await db.Payments.OrderBy(p => p.PaymentDate).ToListAsync(Ct);
        Assert.All(payments, p => Assert.Equal("recovery", p.MatchMethod));
        Assert.Equal([(0L, PaymentStatus.Matched), (0L, PaymentStatus.Matched)], payments.Select(p => (p.Unallocated, p.Status)));
        var o1 = await db.Invoices.SingleAsync(i => i.Number == "O1", Ct);
        Assert.Equal(10000L, o1.Open); // 300 − the 200 left over, allocated oldest first as for any payment
        var shown = await ShowInvoice.HandleAsync(db, new ShowInvoice.Query(CreditorId, "W1"), Clock, Ct);
        Assert.Equal(2, shown.History.Count(h => h.Kind == "recovery"));
        Assert.Equal("written_off", shown.Invoice.Status);
    }

    [Fact]
    public async Task Reversing_a_recovered_payment_books_the_contra_entry()
    {
        Today(2026, 3, 2);
        await SetUpAsync();
        await InvoicesAsync("W1,1001,2026-01-01,2026-01-15,1000.00");
        await WriteOffAsync("W1");
        await PayAsync("2026-03-02", "1000.00", "W1");
        await using (var db = await ScopedAsync())
        {
            var creditor = await db.Creditors.SingleAsync(c => c.Id == CreditorId, Ct);
            var payment = await db.Payments.SingleAsync(Ct);
            var session = new LedgerSession(db, creditor, Actor, Clock.GetUtcNow());
            await session.ReversePaymentAsync(payment, "returned by the bank", Ct);
            await db.SaveChangesAsync(Ct);
        }
        await using var check = await ScopedAsync();
        var events = await check.AccountingEvents.OrderBy(e => e.Id).Select(e => new { e.Kind, e.Amount, e.DebitAccount, e.CreditAccount }).ToListAsync(Ct);
        Assert.Equal(["write_off", "recovery", "recovery_reversed"], events.Select(e => e.Kind));
        Assert.Equal(("7830", "1920", 100000L), (events[2].DebitAccount, events[2].CreditAccount, events[2].Amount));
        Assert.Equal(PaymentStatus.Reversed, (await check.Payments.SingleAsync(Ct)).Status);

        // What was reversed can be recovered again.
        await PayAsync("2026-03-05", "1000.00", "W1");
        await using var again = await ScopedAsync();
        Assert.Equal(2, await again.AccountingEvents.CountAsync(e => e.Kind == "recovery", Ct));
    }
}
