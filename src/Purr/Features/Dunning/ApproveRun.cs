using Microsoft.EntityFrameworkCore;
using Purr.Data;
using Purr.Features.Common;

namespace Purr.Features.Dunning;

/// <summary>
/// Manual runs and pre-notice batches: approve (apply), discard, and hold or release single items. A batch is
/// re-decided when it is applied, with that day's ledger: a claim paid, disputed or stopped since the proposal is
/// skipped with its reason; an item the creditor held is skipped as held_by_creditor.
/// </summary>
public static class ApproveRun
{
    public sealed record Command(long? CreditorId, long RunId);
    public sealed record HoldCommand(long? CreditorId, long RunId, IReadOnlyList<string> InvoiceNumbers, bool Hold);
    public sealed record BatchDto(long RunId, DateOnly Today, string Mode, string Status, DateOnly? HoldUntil, int Items, int Held);

    public static async Task<RunDunning.Result> HandleAsync(PurrDbContext db, Command cmd, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var creditor = await CreditorScope.ResolveAsync(db, cmd.CreditorId, ct);
        var run = await ProposedAsync(db, cmd.RunId, ct);
        var warnings = new List<string>();
        return await ApplyBatchAsync(db, creditor, run, clock.Today(), actor, clock, warnings, ct);
    }

    public static async Task<BatchDto> DiscardAsync(PurrDbContext db, Command cmd, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var creditor = await CreditorScope.ResolveAsync(db, cmd.CreditorId, ct);
        var run = await ProposedAsync(db, cmd.RunId, ct);
        run.Status = RunStatus.Discarded;
        run.FinishedAt = clock.GetUtcNow();
        db.ClaimEvents.Add(new ClaimEvent { CreditorId = creditor.Id, At = clock.GetUtcNow(), Actor = actor.Name, Kind = "run_discarded", Text = $"dunning run {run.Id} discarded: nothing sent" });
        await db.SaveChangesAsync(ct);
        return await ToDtoAsync(db, run, ct);
    }

    public static async Task<BatchDto> HoldAsync(PurrDbContext db, HoldCommand cmd, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var creditor = await CreditorScope.ResolveAsync(db, cmd.CreditorId, ct);
        var run = await ProposedAsync(db, cmd.RunId, ct);
        var items = await db.RunItems.Where(i => i.RunId == run.Id).Join(db.Invoices, i => i.InvoiceId, inv => inv.Id, (i, inv) => new { Item = i, inv.Number, inv.CustomerId }).ToListAsync(ct);
        var errors = cmd.InvoiceNumbers.Where(n => items.All(x => x.Number != n))
            .Select(n => new Core.Formats.InputError("(command)", 0, "--invoice", n, $"an invoice proposed in batch {run.Id}")).ToList();
        if (errors.Count > 0) throw new RejectedInputException(errors);
        foreach (var x in items.Where(x => cmd.InvoiceNumbers.Contains(x.Number)))
        {
            x.Item.Held = cmd.Hold;
            db.ClaimEvents.Add(new ClaimEvent { CreditorId = creditor.Id, CustomerId = x.CustomerId, InvoiceId = x.Item.InvoiceId, At = clock.GetUtcNow(), Actor = actor.Name,
                Kind = cmd.Hold ? "held_by_creditor" : "released_by_creditor", Text = $"{(cmd.Hold ? "held" : "released")} in dunning batch {run.Id}" });
        }
        await db.SaveChangesAsync(ct);
        return await ToDtoAsync(db, run, ct);
    }

    public sealed record ItemDto(string InvoiceNumber, string CustomerNumber, string CustomerName, string Kind, int Step, string Fee, DateOnly? Deadline, bool Held);
    public sealed record BatchDetail(BatchDto Batch, IReadOnlyList<ItemDto> Items);

    /// <summary>What a batch will send: the list the creditor reviews in the pre-notice window.</summary>
    public static async Task<BatchDetail> ShowAsync(PurrDbContext db, Command cmd, CancellationToken ct)
    {
        await CreditorScope.ResolveAsync(db, cmd.CreditorId, ct);
        var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == cmd.RunId, ct) ?? throw new NotFoundException($"no dunning run {cmd.RunId} (see: purr run batches)");
        var items = await db.RunItems.AsNoTracking().Where(i => i.RunId == run.Id)
            .Join(db.Invoices.Include(i => i.Customer), i => i.InvoiceId, inv => inv.Id, (i, inv) => new { i, inv.Number, inv.Currency, inv.Customer!.CustomerNumber, inv.Customer.Name })
            .OrderBy(x => x.CustomerNumber).ThenBy(x => x.Number).ToListAsync(ct);
        return new BatchDetail(await ToDtoAsync(db, run, ct), items.Select(x => new ItemDto(x.Number, x.CustomerNumber, x.Name, x.i.Kind, x.i.StepIndex + 1,
            Dto.Amount(x.i.Fee, x.Currency), x.i.Deadline, x.i.Held)).ToList());
    }

    public static async Task<IReadOnlyList<BatchDto>> ListAsync(PurrDbContext db, long? creditorId, CancellationToken ct)
    {
        await CreditorScope.ResolveAsync(db, creditorId, ct);
        var runs = await db.Runs.AsNoTracking().Where(r => r.Status == RunStatus.Proposed).OrderBy(r => r.Id).ToListAsync(ct);
        var list = new List<BatchDto>();
        foreach (var r in runs) list.Add(await ToDtoAsync(db, r, ct));
        return list;
    }

    internal static async Task<RunDunning.Result> ApplyBatchAsync(PurrDbContext db, Creditor creditor, DunningRun run, DateOnly today, Actor actor, TimeProvider clock, List<string> warnings, CancellationToken ct)
    {
        var items = await db.RunItems.AsNoTracking().Where(i => i.RunId == run.Id).ToListAsync(ct);
        var ids = items.Select(i => i.InvoiceId).ToList();
        var held = items.Where(i => i.Held).Select(i => i.InvoiceId).ToHashSet();
        var claims = await ClaimStateReader.ReadAsync(db, today, ct, ids);
        var catalog = await PlanStore.LoadAsync(db, ct);
        var decided = await RunDunning.WithInterestAsync(db, creditor, RunDunning.Decide(claims, catalog, PlanStore.RulesFor(creditor), today, heldByCreditor: held), warnings, ct);
        var stepOf = items.ToDictionary(i => i.InvoiceId, i => i.StepIndex);
        // Only the step that was proposed may go out; anything else waits for the next run.
        decided = decided.Select(d => d.Decision is Core.Dunning.DunningDecision.TakeStep t && stepOf.GetValueOrDefault(t.ClaimId.Value, -1) != t.StepIndex
            ? d with { Decision = new Core.Dunning.DunningDecision.NoAction(t.ClaimId, "changed_since_proposal", null, $"step {t.StepNumber} is due now, not the proposed one") }
            : d).ToList();
        var applied = await DunningApplicator.ApplyAsync(db, creditor, decided, run.Id, today, actor, clock.GetUtcNow(), ct);
        var tracked = await db.Runs.SingleAsync(r => r.Id == run.Id, ct);
        tracked.Status = RunStatus.Applied;
        tracked.Steps = applied.Steps;
        tracked.Letters = applied.Letters;
        tracked.FinishedAt = clock.GetUtcNow();
        db.ClaimEvents.Add(new ClaimEvent { CreditorId = creditor.Id, At = clock.GetUtcNow(), Actor = actor.Name, Kind = "run_applied", Text = $"dunning run {run.Id} applied on {today:yyyy-MM-dd}: {applied.Steps} step(s), {applied.Letters} letter(s), {held.Count} held" });
        await db.SaveChangesAsync(ct);
        return RunDunning.Report(creditor, tracked, today, run.Mode, "applied", false, decided, applied.LetterOf, warnings, held);
    }

    private static async Task<DunningRun> ProposedAsync(PurrDbContext db, long id, CancellationToken ct)
    {
        var run = await db.Runs.SingleOrDefaultAsync(r => r.Id == id, ct) ?? throw new NotFoundException($"no dunning run {id} (see: purr run batches)");
        if (run.Status != RunStatus.Proposed)
            throw RejectedInputException.Argument("BATCH", id.ToString(System.Globalization.CultureInfo.InvariantCulture), $"a proposed batch; run {id} is {run.Status.ToString().ToLowerInvariant()}");
        return run;
    }

    private static async Task<BatchDto> ToDtoAsync(PurrDbContext db, DunningRun r, CancellationToken ct)
    {
        var items = await db.RunItems.AsNoTracking().Where(i => i.RunId == r.Id).Select(i => i.Held).ToListAsync(ct);
        return new BatchDto(r.Id, r.Today, r.Mode, r.Status.ToString().ToLowerInvariant(), r.HoldUntil, items.Count, items.Count(h => h));
    }
}
