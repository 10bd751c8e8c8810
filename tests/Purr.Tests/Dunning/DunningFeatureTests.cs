using Microsoft.EntityFrameworkCore;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Creditors;
using Purr.Features.Dunning;
using Purr.Features.Imports;
using Purr.Tests.Infrastructure;

namespace Purr.Tests.Dunning;

public sealed class DunningFeatureTests_Sqlite(SqliteFixture f) : DunningFeatureTests<SqliteFixture>(f);
public sealed class DunningFeatureTests_Postgres(PostgresFixture f) : DunningFeatureTests<PostgresFixture>(f);

/// <summary>Manual mode, pre-notice, holds, manual notices, plan import and lists, through the handlers on a real database.</summary>
public abstract class DunningFeatureTests<TDb>(TDb fixture) : DbTest<TDb>(fixture) where TDb : DatabaseFixture
{
    // Invoices due 2026-01-19 (10001, 1 000.00) and 2026-02-09 (10002, 25 000.00) etc. from tests/data/csv.
    private async Task<long> SeedAsync(string mode = "automatic")
    {
        Today(2026, 1, 1);
        long creditor;
        await using (var db = await OpenAsync())
            creditor = (await AddCreditor.HandleAsync(db, new("Dun AS", null, null, null, null, null, null, DunningMode: mode), Actor, Clock, Ct)).Id;
        await using (var db = await OpenAsync())
            await ImportCustomers.HandleAsync(db, new("c.csv", await File.ReadAllBytesAsync(Data("csv", "customers.csv"), Ct), creditor), Actor, Clock, Ct);
        await using (var db = await OpenAsync())
            await ImportInvoices.HandleAsync(db, new("i.csv", await File.ReadAllBytesAsync(Data("csv", "invoices.csv"), Ct), creditor), Actor, Clock, Ct);
        return creditor;
    }

    private async Task<RunDunning.Result> RunAsync(long creditor, bool dry = false)
    {
        await using var db = await OpenAsync();
        return await RunDunning.HandleAsync(db, new RunDunning.Command(creditor, null, dry), Actor, Clock, Ct);
    }

    [Fact]
    public async Task Dry_run_reports_every_decision_and_changes_nothing()
    {
        var creditor = await SeedAsync();
        Today(2026, 2, 3);   // 10001 is 15 days overdue: reminder 1 with the legal fee
        var dry = await RunAsync(creditor, dry: true);
        var step = Assert.Single(dry.StepsTaken);
        Assert.Equal(("10001", "reminder", 1, "37.50", "derived"), (step.InvoiceNumbers[0], step.Kind, step.Step, step.Fee, step.FeeCertainty));
        Assert.Equal(new DateOnly(2026, 2, 17), step.Deadline);
        // Accrued interest to the send date is shown: 1 000.00 × 12.00 % × 15/365 (20.01–03.02) = 4.93.
        Assert.Equal("4.93", step.Interest);
        Assert.False(step.InterestMissing);
        Assert.Contains(dry.Warnings, w => w.Contains("not verified", StringComparison.Ordinal));
        await using var db = await OpenAsync();
        Assert.Equal(0, await db.Notices.CountAsync(Ct));
        Assert.Equal(0, await db.Letters.CountAsync(Ct));
        Assert.Equal(1, (await RunAsync(creditor)).Steps);   // the real run does it
        await using var after = await OpenAsync();
        var letter = await after.Letters.SingleAsync(Ct);
        Assert.Equal((100000L, 3750L, 493L), (letter.Principal, letter.Fees, letter.Interest));
    }

    [Fact]
    public async Task Manual_mode_proposes_a_batch_that_waits_for_approval_and_skips_claims_paid_meanwhile()
    {
        var creditor = await SeedAsync("manual");
        Today(2026, 2, 24);   // 10001 (due 19.01) and 10002 (due 09.02) are both ≥ 14 days overdue
        var proposal = await RunAsync(creditor);
        Assert.Equal("proposed", proposal.Status);
        Assert.Equal(2, proposal.Steps);
        await using (var db = await OpenAsync()) Assert.Equal(0, await db.Notices.CountAsync(Ct));
        // 10002 is paid before the batch is approved.
        await using (var db = await OpenAsync())
            await ImportPayments.HandleAsync(db, new("p.csv", "payment_date,amount,invoice_number,reference\n2026-02-25,25000.00,10002,X1\n"u8.ToArray(), creditor), Actor, Clock, Ct);
        Today(2026, 2, 26);
        await using (var db = await OpenAsync())
        {
            var applied = await ApproveRun.HandleAsync(db, new(creditor, proposal.RunId!.Value), Actor, Clock, Ct);
            Assert.Equal("applied", applied.Status);
            Assert.Equal(["10001"], applied.StepsTaken.Select(s => s.InvoiceNumbers[0]));
            Assert.Equal("paid", applied.LeftAlone.Single(l => l.InvoiceNumber == "10002").Reason);
        }
        await using (var db = await OpenAsync())
            await Assert.ThrowsAsync<RejectedInputException>(() => ApproveRun.HandleAsync(db, new(creditor, proposal.RunId!.Value), Actor, Clock, Ct));
    }

    [Fact]
    public async Task Pre_notice_items_held_by_the_creditor_are_skipped_when_the_window_has_passed()
    {
        var creditor = await SeedAsync();
        await using (var db = await OpenAsync())
        {
            var c = await db.Creditors.SingleAsync(x => x.Id == creditor, Ct);
            c.PreNoticeDays = 2;
            await db.SaveChangesAsync(Ct);
        }
        Today(2026, 2, 24);
        var batch = await RunAsync(creditor);
        Assert.Equal(("pre_notice", "proposed", 2), (batch.Mode, batch.Status, batch.Steps));
        await using (var db = await OpenAsync())
        {
            var held = await ApproveRun.HoldAsync(db, new(creditor, batch.RunId!.Value, ["10002"], true), Actor, Clock, Ct);
            Assert.Equal(1, held.Held);
            Assert.Equal(new DateOnly(2026, 2, 26), held.HoldUntil);
        }
        Today(2026, 2, 25);   // inside the window: nothing is sent
        var inside = await RunAsync(creditor);
        Assert.Equal(0, inside.Steps);
        Today(2026, 2, 26);   // the window has passed: the batch goes out, without the held item
        await RunAsync(creditor);
        await using var check = await OpenAsync();
        var sent = await check.Notices.Select(n => n.Invoice!.Number).ToListAsync(Ct);
        Assert.Equal(["10001"], sent);
        Assert.Contains(await check.ClaimEvents.Select(e => e.Kind).ToListAsync(Ct), k => k == "held_by_creditor");
    }

    [Fact]
    public async Task Stops_disputes_and_deferrals_hold_dunning_and_resume()
    {
        var creditor = await SeedAsync();
        Today(2026, 2, 3);
        await using (var db = await OpenAsync())
            await Holds.PlaceAsync(db, new(creditor, HoldType.Stop, "customer", "1001", "ringte, venter på lønn", new DateOnly(2026, 2, 10)), Actor, Clock, Ct);
        var held = await RunAsync(creditor);
        Assert.Equal("stopped", held.LeftAlone.Single(l => l.InvoiceNumber == "10001").Reason);
        await using (var db = await OpenAsync())
            Assert.Equal("stopped", (await Lists.SummaryAsync(db, creditor, null, Clock, Ct)).Lists.Single(l => l.Claims == 1).List);
        Today(2026, 2, 11);   // the stop ended on the 10th (inclusive): the reminder goes out by itself
        Assert.Equal(["10001"], (await RunAsync(creditor)).StepsTaken.Select(s => s.InvoiceNumbers[0]));

        Today(2026, 2, 24);
        await using (var db = await OpenAsync())
            await Holds.PlaceAsync(db, new(creditor, HoldType.Dispute, "invoice", "10002", "timene er ikke avtalt", null), Actor, Clock, Ct);
        Assert.Equal("disputed", (await RunAsync(creditor)).LeftAlone.Single(l => l.InvoiceNumber == "10002").Reason);
        Today(2026, 2, 27);
        await using (var db = await OpenAsync())
        {
            var ended = await Holds.ResumeAsync(db, new(creditor, "invoice", "10002"), Actor, Clock, Ct);
            Assert.Equal(new DateOnly(2026, 2, 26), Assert.Single(ended).Until);
        }
        Assert.Contains((await RunAsync(creditor)).StepsTaken, s => s.InvoiceNumbers[0] == "10002");
        await using (var db = await OpenAsync())
        {
            var history = await db.ClaimEvents.Where(e => e.Invoice!.Number == "10002").Select(e => e.Kind).ToListAsync(Ct);
            Assert.Contains("dispute", history);
            Assert.Contains("resumed", history);
            await Assert.ThrowsAsync<RejectedInputException>(() => Holds.PlaceAsync(db, new(creditor, HoldType.Deferral, "invoice", "10004", "avtale", null), Actor, Clock, Ct));
        }
    }

    [Fact]
    public async Task Manual_notice_can_be_previewed_created_refused_and_deleted_while_unsent()
    {
        var creditor = await SeedAsync();
        Today(2026, 1, 25);
        await using (var db = await OpenAsync())
        {
            var preview = await ManualNotices.CreateAsync(db, new(creditor, ["10001", "10004"], true), Actor, Clock, Ct);
            var step = Assert.Single(preview.Steps);
            Assert.Equal("0.00", step.Fee);                              // 6 days after due: no fee yet
            Assert.Equal("under_14_days_after_due", step.FeeReason);
            Assert.Equal("10004", Assert.Single(preview.Refused).InvoiceNumber);   // not yet due
        }
        await using (var db = await OpenAsync()) Assert.Equal(0, await db.Notices.CountAsync(Ct));
        await using (var db = await OpenAsync())
            Assert.Single((await ManualNotices.CreateAsync(db, new(creditor, ["10001"], false), Actor, Clock, Ct)).Steps);
        await using (var db = await OpenAsync())
        {
            var deleted = await ManualNotices.DeleteAsync(db, creditor, "10001", Actor, Clock, Ct);
            Assert.True(deleted.LetterDeleted);
        }
        await using (var db = await OpenAsync())
        {
            Assert.Equal(0, await db.Notices.CountAsync(Ct));
            Assert.Equal(0, await db.Letters.CountAsync(Ct));
        }
    }

    [Fact]
    public async Task An_invalid_plan_catalog_lists_every_error_with_its_path_and_is_never_stored()
    {
        var creditor = await SeedAsync();
        const string bad = """
            {"default_plan_code": "x", "plans": [{"code": "x", "name": "X", "steps": [
              {"kind": "reminder", "deadline_days": -1, "fee": "legal"},
              {"kind": "handover", "days_after_previous_deadline": 1},
              {"kind": "reminder", "days_after_previous_deadline": 1, "deadline_days": 14, "fee": "-5.00"}]}]}
            """;
        await using var db = await OpenAsync();
        var v = await ImportPlans.ValidateAsync(db, creditor, "bad.json", bad, Ct);
        Assert.False(v.Valid);
        Assert.True(v.Errors.Count >= 3, string.Join("; ", v.Errors.Select(e => $"{e.Path}: {e.Message}")));
        Assert.Contains(v.Errors, e => e.Path.StartsWith("plans[0].steps[0]", StringComparison.Ordinal));
        Assert.Contains(v.Errors, e => e.Path.StartsWith("plans[0].steps[2]", StringComparison.Ordinal));
        var e = await Assert.ThrowsAsync<RejectedInputException>(() => ImportPlans.HandleAsync(db, creditor, "bad.json", bad, Actor, Clock, Ct));
        Assert.All(e.Errors, x => Assert.NotNull(x.XPath));
        Assert.False(await db.DunningCatalogs.AnyAsync(Ct));
    }
}
