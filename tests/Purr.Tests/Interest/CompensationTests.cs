using Microsoft.EntityFrameworkCore;
using Purr.Data;
using Purr.Features.Interest;
using Purr.Features.Invoices;
using Purr.Tests.Infrastructure;

namespace Purr.Tests.Interest;

public sealed class CompensationTests_Sqlite(SqliteFixture f) : CompensationTests<SqliteFixture>(f);
public sealed class CompensationTests_Postgres(PostgresFixture f) : CompensationTests<PostgresFixture>(f);

/// <summary>§ 3a standard compensation: opt-in, business and public debtors only, less reminder fees, once per claim.</summary>
public abstract class CompensationTests<TDb>(TDb fixture) : InterestTestBase<TDb>(fixture) where TDb : DatabaseFixture
{
    private async Task<ApplyStandardCompensation.Result> ApplyAsync(string? invoice = null)
    {
        await using var db = await OpenAsync();
        return await ApplyStandardCompensation.HandleAsync(db, new ApplyStandardCompensation.Command(CreditorId, invoice), Actor, Clock, Ct);
    }

    private async Task OptInAsync(bool on = true)
    {
        await using var db = await OpenAsync();
        var r = await InterestSettings.HandleAsync(db, new InterestSettings.Command(CreditorId, StandardCompensation: on), Actor, Clock, Ct);
        Assert.Equal(on, r.StandardCompensation);
    }

    [Fact]
    public async Task Nothing_is_added_until_the_creditor_opts_in()
    {
        Today(2025, 4, 1);
        await SetUpAsync();
        await InvoicesAsync("B1,1002,2025-02-01,2025-03-03,10000.00");
        var r = await ApplyAsync();
        Assert.False(r.ClaimsStandardCompensation);
        Assert.Empty(r.Applied);
        Assert.Equal("not_claimed", (await ApplyAsync("B1")).Skipped.Single().Reason);
        await using var db = await ScopedAsync();
        Assert.Equal(0, await db.Charges.CountAsync(Ct));
    }

    [Fact]
    public async Task Business_and_public_claims_get_the_half_years_amount_less_reminder_fees_consumers_none_and_only_once()
    {
        Today(2025, 4, 1);
        await SetUpAsync();
        await OptInAsync();
        await InvoicesAsync("B1,1002,2025-02-01,2025-03-03,10000.00", "P1,1003,2025-02-01,2025-03-03,5000.00", "C1,1001,2025-02-01,2025-03-03,5000.00",
            "N1,1002,2025-03-01,2025-04-15,1000.00");
        await ChargeAsync("B1", ChargeKind.ReminderFee, 3500, "2025-03-17");

        var r = await ApplyAsync();
        Assert.True(r.ClaimsStandardCompensation);
        Assert.Equal([("B1", "470.00", "35.00", "435.00"), ("P1", "470.00", "0.00", "470.00")],
            r.Applied.Select(a => (a.InvoiceNumber, a.HalfYearAmount, a.ReminderFees, a.Amount)));
        Assert.Equal((Day("2025-03-04"), Day("2025-01-01")), (r.Applied[0].FirstDayOfDefault, r.Applied[0].HalfYear));
        Assert.DoesNotContain(r.Applied, a => a.InvoiceNumber is "C1" or "N1"); // consumer; not yet due

        var again = await ApplyAsync();
        Assert.Empty(again.Applied);
        Assert.Equal("already_charged", (await ApplyAsync("B1")).Skipped.Single().Reason);
        Assert.Equal("consumer", (await ApplyAsync("C1")).Skipped.Single().Reason);
        Assert.Equal("not_in_default", (await ApplyAsync("N1")).Skipped.Single().Reason);

        await using var db = await ScopedAsync();
        var charges = await db.Charges.Where(c => c.Kind == ChargeKind.StandardCompensation).OrderBy(c => c.Amount).ToListAsync(Ct);
        Assert.Equal([43500L, 47000L], charges.Select(c => c.Amount));
        Assert.Contains("forsinkelsesrenteloven § 3a", charges[0].Text);
        var b1 = await ShowInvoice.HandleAsync(db, new ShowInvoice.Query(CreditorId, "B1"), Clock, Ct);
        Assert.Contains(b1.History, h => h.Kind == "standard_compensation" && h.Actor == "test" && h.Text.Contains("435.00"));
    }

    [Fact]
    public async Task An_unknown_half_year_amount_a_collection_fee_or_fees_covering_it_add_nothing()
    {
        Today(2025, 9, 1);
        await SetUpAsync();
        await OptInAsync();
        // 2025 H2 has no known compensation amount: never guessed.
        await InvoicesAsync("H2,1002,2025-07-01,2025-07-15,1000.00", "IV,1002,2025-03-01,2025-03-20,1000.00", "FEES,1003,2025-03-01,2025-03-20,1000.00");
        await ChargeAsync("IV", ChargeKind.CollectionNoticeFee, 3500, "2025-04-10");
        for (var i = 0; i < 14; i++) await ChargeAsync("FEES", ChargeKind.ReminderFee, 3500, "2025-04-10"); // 490 ≥ 470
        var r = await ApplyAsync();
        Assert.Empty(r.Applied);
        Assert.Equal([("FEES", "covered_by_reminder_fees"), ("H2", "missing"), ("IV", "collection_fee_charged")],
            r.Skipped.Select(s => (s.InvoiceNumber, s.Reason)).OrderBy(x => x.InvoiceNumber));
    }

    [Fact]
    public async Task A_claim_paid_late_may_still_get_it_by_invoice_and_the_database_refuses_a_second_one()
    {
        Today(2025, 5, 1);
        await SetUpAsync();
        await OptInAsync();
        await InvoicesAsync("L1,1002,2025-02-01,2025-03-03,1000.00", "T1,1002,2025-02-01,2025-03-03,1000.00");
        await PayAsync("2025-03-20", "1000.00", "L1");
        await PayAsync("2025-03-03", "1000.00", "T1");
        Assert.Empty((await ApplyAsync()).Applied); // the bulk run looks at open claims only
        Assert.Equal("470.00", Assert.Single((await ApplyAsync("L1")).Applied).Amount);
        Assert.Equal("not_in_default", (await ApplyAsync("T1")).Skipped.Single().Reason); // paid on the due date

        await using var db = await ScopedAsync();
        var l1 = await db.Invoices.SingleAsync(i => i.Number == "L1", Ct);
        db.Charges.Add(new Charge { CreditorId = CreditorId, InvoiceId = l1.Id, Kind = ChargeKind.StandardCompensation, Amount = 1, Open = 1, Date = Day("2025-05-01"), Actor = "x" });
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
    }

    [Fact]
    public async Task Settings_are_shown_changed_and_recorded()
    {
        await SetUpAsync();
        await using var db = await OpenAsync();
        var shown = await InterestSettings.HandleAsync(db, new InterestSettings.Command(CreditorId), Actor, Clock, Ct);
        Assert.Equal(("100.00", false, false), (shown.Threshold, shown.StandardCompensation, shown.InterestFromDueDate));
        Assert.Empty(shown.Changed);
        var changed = await InterestSettings.HandleAsync(db, new InterestSettings.Command(CreditorId, "250,50", true, true), Actor, Clock, Ct);
        Assert.Equal(("250.50", true, true, 3), (changed.Threshold, changed.StandardCompensation, changed.InterestFromDueDate, changed.Changed.Count));
        var bad = await Assert.ThrowsAsync<Purr.Features.Common.RejectedInputException>(() =>
            InterestSettings.HandleAsync(db, new InterestSettings.Command(CreditorId, "-1"), Actor, Clock, Ct));
        Assert.Equal("--threshold", bad.Errors.Single().Column);
        await using var check = await OpenAsync();
        var creditor = await check.Creditors.SingleAsync(c => c.Id == CreditorId, Ct);
        Assert.Equal((25050L, true, true), (creditor.InterestNoteThreshold, creditor.ClaimsStandardCompensation, creditor.InterestFromDueDate));
        Assert.Equal(1, await check.ClaimEvents.CountAsync(e => e.Kind == "interest_settings_changed" && e.Actor == "test", Ct));
    }
}
