using Microsoft.EntityFrameworkCore;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Interest;
using Purr.Features.Invoices;
using Purr.Tests.Infrastructure;

namespace Purr.Tests.Interest;

public sealed class AccruedInterestTests_Sqlite(SqliteFixture f) : AccruedInterestTests<SqliteFixture>(f);
public sealed class AccruedInterestTests_Postgres(PostgresFixture f) : AccruedInterestTests<PostgresFixture>(f);

/// <summary>Interest on stored invoices (what letters show) and the manual "add interest".</summary>
public abstract class AccruedInterestTests<TDb>(TDb fixture) : InterestTestBase<TDb>(fixture) where TDb : DatabaseFixture
{
    private async Task<AccruedInterest.Detail> DetailAsync(string number, string asOf, bool sinceLastCharge = false)
    {
        await using var db = await ScopedAsync();
        var inv = await InvoiceAsync(number);
        return await AccruedInterest.DetailAsync(db, inv.Id, Day(asOf), await LoadRateTable.HandleAsync(db, Ct), sinceLastCharge, Ct);
    }

    [Fact]
    public async Task Interest_on_an_invoice_follows_its_due_date_and_the_payments_allocated_to_it()
    {
        Today(2025, 8, 1);
        await SetUpAsync();
        await InvoicesAsync("A1,1001,2025-06-01,2025-06-20,10000.00", "A2,1002,2023-02-10,2023-03-10,20000.00");
        await PayAsync("2023-04-09", "5000.00", "A2");

        await using (var db = await ScopedAsync())
        {
            var a1 = await InvoiceAsync("A1");
            var r = await AccruedInterest.ForInvoiceAsync(db, a1.Id, Day("2025-07-10"), await LoadRateTable.HandleAsync(db, Ct), Ct);
            Assert.Equal("67.81", r.Total!.Value.ToDecimalString()); // the NORWAY-RULES worked example
        }
        var a2 = await DetailAsync("A2", "2023-05-09");
        Assert.Equal("309.25", a2.Result.Total!.Value.ToDecimalString()); // 30 days on 20 000 + 30 days on 15 000 at 10.75
        Assert.Equal([20_000m, 15_000m], a2.Result.Lines.Select(l => l.Principal.Amount));
        Assert.Equal(Day("2023-04-09"), a2.Result.Lines[0].To); // the payment day still bears interest on the full amount
    }

    [Fact]
    public async Task A_due_date_on_a_saturday_counts_from_the_next_banking_day_and_the_creditor_may_start_on_the_due_date()
    {
        Today(2025, 8, 1);
        await SetUpAsync();
        await InvoicesAsync("S1,1001,2025-06-01,2025-06-21,10000.00");
        var d = await DetailAsync("S1", "2025-06-30");
        Assert.Equal(Day("2025-06-23"), d.EffectiveDueDate);   // Saturday 21 June → Monday 23 June (C1)
        Assert.Equal(Day("2025-06-24"), d.From);
        Assert.Equal("23.97", d.Result.Total!.Value.ToDecimalString()); // 7 days: 10 000 × 0.125 × 7 / 365 = 23.9726

        await using (var db = await ScopedAsync())
            await InterestSettings.HandleAsync(db, new InterestSettings.Command(CreditorId, FromDueDate: true), Actor, Clock, Ct);
        var fromDue = await DetailAsync("S1", "2025-06-30");
        Assert.Equal(Day("2025-06-23"), fromDue.From);
        Assert.Equal("27.40", fromDue.Result.Total!.Value.ToDecimalString()); // 8 days = 27.397
    }

    [Fact]
    public async Task A_paid_invoice_accrues_nothing_after_its_payment_and_an_interest_note_never_accrues()
    {
        Today(2026, 3, 1);
        await SetUpAsync();
        await InvoicesAsync("P1,1001,2026-01-01,2026-01-05,10000.00");
        await PayAsync("2026-02-04", "10000.00", "P1");
        var d = await DetailAsync("P1", "2026-03-01");
        Assert.Equal(Day("2026-02-04"), d.To);
        Assert.Equal("98.63", d.Result.Total!.Value.ToDecimalString()); // 30 days at 12.00

        await using var db = await ScopedAsync();
        var customer = await db.Customers.SingleAsync(c => c.CustomerNumber == "1001", Ct);
        db.Invoices.Add(new Invoice
        {
            CreditorId = CreditorId, CustomerId = customer.Id, Number = "R9", Kind = DocumentKind.InterestNote, IssueDate = Day("2025-01-01"),
            DueDate = Day("2025-01-15"), Amount = 50000, Open = 50000, CreatedAt = Clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(Ct);
        var note = await DetailAsync("R9", "2026-03-01");
        Assert.Equal(AccruedInterest.Reasons.InterestNote, note.NoInterestReason);
        Assert.Equal(0m, note.Result.Total!.Value.Amount);
        Assert.Empty(note.Result.Lines);
    }

    [Fact]
    public async Task Adding_interest_by_hand_charges_it_once_per_period_with_who_and_when_in_the_history()
    {
        Today(2026, 3, 2);
        await SetUpAsync();
        await InvoicesAsync("H1,1002,2026-01-01,2026-01-05,10000.00", "H2,1001,2026-02-01,2026-03-15,500.00");
        AddInterest.Result first;
        await using (var db = await OpenAsync())
            first = await AddInterest.HandleAsync(db, new AddInterest.Command(CreditorId, "H1", "2026-02-04"), Actor, Clock, Ct);
        Assert.Equal(("98.63", Day("2026-01-06"), Day("2026-02-04")), (first.Amount, first.From, first.To));

        await using (var db = await OpenAsync())
        {
            var again = await Assert.ThrowsAsync<RejectedInputException>(() => AddInterest.HandleAsync(db, new AddInterest.Command(CreditorId, "H1", "2026-02-04"), Actor, Clock, Ct));
            Assert.Contains("none has accrued", again.Errors.Single().Expected);
            var next = await AddInterest.HandleAsync(db, new AddInterest.Command(CreditorId, "H1"), Actor, Clock, Ct);
            Assert.Equal((Day("2026-02-05"), Day("2026-03-02")), (next.From, next.To)); // continues after the last charge, up to today
            Assert.Equal("85.48", next.Amount); // 26 days: 10 000 × 0.12 × 26 / 365 = 85.479

            var notDue = await Assert.ThrowsAsync<RejectedInputException>(() => AddInterest.HandleAsync(db, new AddInterest.Command(CreditorId, "H2"), Actor, Clock, Ct));
            Assert.Contains("first interest day is 2026-03-17", notDue.Errors.Single().Expected); // due Sunday 15 March → Monday 16 (C1)
            var future = await Assert.ThrowsAsync<RejectedInputException>(() => AddInterest.HandleAsync(db, new AddInterest.Command(CreditorId, "H1", "2026-04-01"), Actor, Clock, Ct));
            Assert.Equal("--as-of", future.Errors.Single().Column);
            await Assert.ThrowsAsync<NotFoundException>(() => AddInterest.HandleAsync(db, new AddInterest.Command(CreditorId, "NOPE"), Actor, Clock, Ct));
        }

        await using var check = await ScopedAsync();
        var charges = await check.Charges.Where(c => c.Kind == ChargeKind.Interest).OrderBy(c => c.PeriodFrom).ToListAsync(Ct);
        Assert.Equal([9863L, 8548L], charges.Select(c => c.Amount));
        Assert.All(charges, c => Assert.Equal(("test", c.Amount), (c.Actor, c.Open)));
        var shown = await ShowInvoice.HandleAsync(check, new ShowInvoice.Query(CreditorId, "H1"), Clock, Ct);
        Assert.Equal(2, shown.History.Count(h => h.Kind == "interest_charged" && h.Actor == "test"));
    }

    [Fact]
    public async Task Adding_interest_is_refused_when_a_rate_is_missing_or_the_invoice_is_settled()
    {
        Today(2026, 7, 20);
        await SetUpAsync();
        await InvoicesAsync("M1,1001,2026-06-01,2026-06-15,10000.00", "M2,1001,2026-06-01,2026-06-15,100.00");
        await PayAsync("2026-07-01", "100.00", "M2");
        await using var db = await OpenAsync();
        var missing = await Assert.ThrowsAsync<RejectedInputException>(() => AddInterest.HandleAsync(db, new AddInterest.Command(CreditorId, "M1"), Actor, Clock, Ct));
        Assert.Contains("2026-07-01 to 2026-07-20", missing.Errors.Single().Expected);
        var settled = await Assert.ThrowsAsync<RejectedInputException>(() => AddInterest.HandleAsync(db, new AddInterest.Command(CreditorId, "M2"), Actor, Clock, Ct));
        Assert.Contains("is paid", settled.Errors.Single().Expected);
        Assert.Equal(0, await db.Charges.CountAsync(Ct));
    }
}
