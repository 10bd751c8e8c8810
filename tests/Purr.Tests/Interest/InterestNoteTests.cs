using Microsoft.EntityFrameworkCore;
using Purr.Core.Identifiers;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Interest;
using Purr.Features.Invoices;
using Purr.Tests.Infrastructure;

namespace Purr.Tests.Interest;

public sealed class InterestNoteTests_Sqlite(SqliteFixture f) : InterestNoteTests<SqliteFixture>(f);
public sealed class InterestNoteTests_Postgres(PostgresFixture f) : InterestNoteTests<PostgresFixture>(f);

/// <summary>Rentenota: interest on invoices paid late, summed per customer up to the threshold, claimed once.</summary>
public abstract class InterestNoteTests<TDb>(TDb fixture) : InterestTestBase<TDb>(fixture) where TDb : DatabaseFixture
{
    private async Task<ListInterestNoteCandidates.Result> ListAsync(string? customer = null)
    {
        await using var db = await OpenAsync();
        return await ListInterestNoteCandidates.HandleAsync(db, new ListInterestNoteCandidates.Query(CreditorId, customer), Clock, Ct);
    }

    private async Task<CreateInterestNotes.Result> CreateAsync(string? customer = null, bool all = false)
    {
        await using var db = await OpenAsync();
        return await CreateInterestNotes.HandleAsync(db, new CreateInterestNotes.Command(CreditorId, customer, all), Actor, Clock, Ct);
    }

    [Fact]
    public async Task Interest_below_the_threshold_waits_and_adds_up_until_a_note_is_made_once()
    {
        Today(2026, 3, 2);
        await SetUpAsync();
        // A: 10 000 due Monday 5 Jan, paid 4 Feb: 30 days at 12.00 = 98.63 (below the default threshold of 100.00).
        await InvoicesAsync("A,1001,2026-01-01,2026-01-05,10000.00", "B,1001,2026-01-01,2026-01-10,1000.00", "C,1001,2026-01-01,2026-02-20,700.00",
            "D,1002,2026-01-01,2026-01-05,300.00");
        await PayAsync("2026-02-04", "10000.00", "A");
        await PayAsync("2026-02-20", "700.00", "C");    // paid on its due date: no interest
        await PayAsync("2026-01-20", "100.00", "D");    // partly paid: not settled, not a candidate

        var first = await ListAsync();
        var ola = Assert.Single(first.Customers);
        Assert.Equal(("1001", "98.63", false), (ola.CustomerNumber, ola.Total, ola.ThresholdReached));
        Assert.Equal("100.00", first.Threshold);
        Assert.Equal(["A"], ola.Invoices.Select(i => i.InvoiceNumber));
        var waiting = await CreateAsync(all: true);
        Assert.Empty(waiting.Created);
        Assert.Equal(("1001", "98.63", "below_threshold"), (waiting.Skipped.Single().CustomerNumber, waiting.Skipped.Single().Total, waiting.Skipped.Single().Reason));

        // B: due Saturday 10 Jan → Monday 12 Jan (C1), paid 20 Jan: 8 days at 12.00 = 2.63. Together 101.26 ≥ 100.
        await PayAsync("2026-01-20", "1000.00", "B");
        var second = await ListAsync();
        var reached = Assert.Single(second.Customers);
        Assert.Equal(("101.26", true), (reached.Total, reached.ThresholdReached));
        var b = reached.Invoices.Single(i => i.InvoiceNumber == "B");
        Assert.Equal((Day("2026-01-12"), Day("2026-01-13"), Day("2026-01-20"), "2.63"), (b.EffectiveDueDate!.Value, b.From, b.To, b.Interest));

        var made = await CreateAsync(all: true);
        var note = Assert.Single(made.Created);
        Assert.Equal(("R1", "1001", "101.26", Day("2026-03-02"), Day("2026-03-16")), (note.Number, note.CustomerNumber, note.Amount, note.IssueDate, note.DueDate));
        Assert.Equal(["A", "B"], note.Invoices);
        Assert.True(Kid.IsValid(note.Kid, KidMethod.Mod10));
        Assert.Equal(10, note.Kid!.Length);
        Assert.StartsWith("1001", note.Kid.TrimStart('0'));

        // Running it again creates nothing, and nothing is left to claim.
        Assert.Empty((await CreateAsync(all: true)).Created);
        Assert.Empty((await ListAsync()).Customers);

        await using var db = await ScopedAsync();
        var stored = await db.Invoices.SingleAsync(i => i.Kind == DocumentKind.InterestNote, Ct);
        Assert.Equal((10126L, 10126L, note.Kid), (stored.Amount, stored.Open, stored.Kid));
        Assert.Contains("Faktura A, forfall 05.01.2026, betalt 04.02.2026: 30 dager (06.01.2026–04.02.2026), 98,63 NOK", stored.Text);
        Assert.Contains("Sum 101,26 NOK", stored.Text);
        Assert.Equal(2, await db.InterestNoteItems.CountAsync(i => i.InterestNoteId == stored.Id, Ct));
        var a = await ShowInvoice.HandleAsync(db, new ShowInvoice.Query(CreditorId, "A"), Clock, Ct);
        Assert.Contains(a.History, h => h.Kind == "interest_note" && h.Text.Contains("R1") && h.Actor == "test");
        var r1 = await ShowInvoice.HandleAsync(db, new ShowInvoice.Query(CreditorId, "R1"), Clock, Ct);
        Assert.Equal("interest_note", r1.Invoice.Type);
        Assert.Contains(r1.History, h => h.Kind == "interest_note_created");
    }

    [Fact]
    public async Task An_interest_note_paid_late_never_becomes_a_candidate_no_interest_on_interest()
    {
        Today(2026, 2, 10);
        await SetUpAsync();
        await using (var db = await ScopedAsync())
            await InterestSettings.HandleAsync(db, new InterestSettings.Command(CreditorId, Threshold: "0"), Actor, Clock, Ct);
        await InvoicesAsync("A,1002,2026-01-01,2026-01-05,10000.00");
        await PayAsync("2026-02-04", "10000.00", "A");
        var note = Assert.Single((await CreateAsync(customer: "1002")).Created);

        Today(2026, 5, 1);
        await PayAsync("2026-04-30", note.Amount, null, kid: note.Kid); // far after its due date, by KID
        var paid = await InvoiceAsync(note.Number);
        Assert.Equal(("paid", 0L), (paid.SettledBy, paid.Open));
        Assert.Empty((await ListAsync()).Customers);
        Assert.Empty((await CreateAsync(all: true)).Created);
    }

    [Fact]
    public async Task One_customer_at_a_time_and_each_gets_its_own_number_and_kid()
    {
        Today(2026, 3, 2);
        await SetUpAsync();
        await using (var db = await ScopedAsync())
        {
            var r = await InterestSettings.HandleAsync(db, new InterestSettings.Command(CreditorId, Threshold: "10,00"), Actor, Clock, Ct);
            Assert.Equal("10.00", r.Threshold);
        }
        await InvoicesAsync("X,1002,2026-01-01,2026-01-05,5000.00", "Y,1003,2026-01-01,2026-01-05,5000.00");
        await PayAsync("2026-02-04", "5000.00", "X");
        await PayAsync("2026-02-04", "5000.00", "Y");
        var one = await CreateAsync(customer: "1003");
        Assert.Equal(["1003"], one.Created.Select(n => n.CustomerNumber));
        var rest = await CreateAsync(all: true);
        var second = Assert.Single(rest.Created);
        Assert.Equal(("R2", "1002"), (second.Number, second.CustomerNumber));
        Assert.NotEqual(one.Created[0].Kid, second.Kid);
        await Assert.ThrowsAsync<NotFoundException>(() => CreateAsync(customer: "9999"));
        var neither = await Assert.ThrowsAsync<RejectedInputException>(() => CreateAsync());
        Assert.Contains("--all", neither.Errors.Single().Expected);
    }

    [Fact]
    public async Task An_invoice_with_a_missing_half_year_waits_and_is_reported()
    {
        Today(2026, 8, 1);
        await SetUpAsync();
        await using (var db = await ScopedAsync())
            await InterestSettings.HandleAsync(db, new InterestSettings.Command(CreditorId, Threshold: "0"), Actor, Clock, Ct);
        await InvoicesAsync("L,1001,2026-06-01,2026-06-15,10000.00");
        await PayAsync("2026-07-15", "10000.00", "L");
        var list = await ListAsync();
        var item = Assert.Single(Assert.Single(list.Customers).Invoices);
        Assert.Null(item.Interest);
        Assert.Equal(Day("2026-07-01"), Assert.Single(item.Missing).From);
        Assert.Contains(list.Warnings, w => w.Contains("invoice L") && w.Contains("2026-07-01 to 2026-07-15"));
        Assert.Empty((await CreateAsync(all: true)).Created);
    }

    [Fact]
    public async Task A_second_interest_note_for_the_same_invoice_is_refused_by_the_database()
    {
        Today(2026, 3, 2);
        await SetUpAsync();
        await using (var s = await ScopedAsync())
            await InterestSettings.HandleAsync(s, new InterestSettings.Command(CreditorId, Threshold: "0"), Actor, Clock, Ct);
        await InvoicesAsync("A,1001,2026-01-01,2026-01-05,1000.00");
        await PayAsync("2026-02-04", "1000.00", "A");
        var note = Assert.Single((await CreateAsync(all: true)).Created);
        await using var db = await ScopedAsync();
        var a = await db.Invoices.SingleAsync(i => i.Number == "A", Ct);
        var r = await db.Invoices.SingleAsync(i => i.Number == note.Number, Ct);
        db.InterestNoteItems.Add(new InterestNoteItem { CreditorId = CreditorId, InterestNoteId = r.Id, InvoiceId = a.Id, Amount = 1, PeriodFrom = Day("2026-01-06"), PeriodTo = Day("2026-02-04") });
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
    }
}
