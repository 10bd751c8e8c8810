using Microsoft.EntityFrameworkCore;
using Purr.Core;
using Purr.Core.Dunning;
using Purr.Core.Rules;
using Purr.Data;
using Purr.Features.Common;

namespace Purr.Features.Dunning;

/// <summary>
/// The daily dunning run for one creditor: read every claim, call the pure <see cref="DunningPolicy.Decide"/>, and
/// apply the decisions — notices, fees, outbox letters, list moves and history — in transactions of whole customers.
/// </summary>
/// <remarks>
/// Exactly once: a notice has the natural key (invoice, step) under a unique index and is written in the same
/// transaction as its letter. A run killed anywhere and run again finds the committed claims already stepped today
/// (the policy answers step_taken_today) and creates every missing letter once. Payments are allocated when they
/// are imported, so everything imported before the run has been allocated before it decides.
/// Modes: automatic (apply), manual (a proposal batch waits for approval), pre-notice (a batch is applied once its
/// hold window has passed; items the creditor held are skipped), and dry run (decide and report, write nothing).
/// </remarks>
public static class RunDunning
{
    public sealed record Command(long? CreditorId, DateOnly? Today = null, bool DryRun = false);

    public sealed record StepDto(long InvoiceId, string CustomerNumber, string CustomerName, IReadOnlyList<string> InvoiceNumbers, string Kind,
        int Step, string Plan, string Fee, string? FeeReason, string FeeCertainty, string? LegalMaximumFee, DateOnly SentOn, DateOnly? Deadline,
        string Outstanding, string? Interest, bool InterestMissing, string Currency, string MovesTo, string Channel, string Template, long? LetterId, bool Held,
        IReadOnlyList<string> Notes);

    public sealed record LeftAloneDto(long InvoiceId, string InvoiceNumber, string CustomerNumber, string Reason, string? Detail, DateOnly? NextReviewOn, string List);

    public sealed record Result(long? RunId, long CreditorId, string Creditor, DateOnly Today, string Mode, string Status, bool DryRun,
        int Steps, int Letters, IReadOnlyDictionary<string, int> Reasons, IReadOnlyList<StepDto> StepsTaken, IReadOnlyList<LeftAloneDto> LeftAlone,
        IReadOnlyList<string> Warnings);

    internal sealed record Decided(ClaimRow Claim, DunningPlan Plan, DunningDecision Decision, DunningList List)
    {
        /// <summary>For a step that shows interest: accrued interest to the send date; null when a rate is missing.</summary>
        public Money? Interest { get; init; }
        public bool InterestMissing { get; init; }
    }

    public static async Task<Result> HandleAsync(PurrDbContext db, Command cmd, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var creditor = await CreditorScope.ResolveAsync(db, cmd.CreditorId, ct);
        var today = cmd.Today ?? clock.Today();
        var warnings = new List<string>();
        var catalog = await PlanStore.LoadAsync(db, ct);
        var rules = PlanStore.RulesFor(creditor);
        var now = clock.GetUtcNow();

        if (!cmd.DryRun && creditor.DunningMode == DunningMode.Automatic && creditor.PreNoticeDays > 0)
        {
            // Pre-notice batches whose hold window has passed are applied first (re-decided today, held items skipped).
            foreach (var due in await db.Runs.Where(r => r.Status == RunStatus.Proposed && r.HoldUntil != null && r.HoldUntil <= today).OrderBy(r => r.Id).ToListAsync(ct))
                await ApproveRun.ApplyBatchAsync(db, creditor, due, today, actor, clock, warnings, ct);
        }

        var pending = await db.RunItems.AsNoTracking().Where(i => db.Runs.Any(r => r.Id == i.RunId && r.Status == RunStatus.Proposed)).Select(i => i.InvoiceId).ToListAsync(ct);
        var claims = await ClaimStateReader.ReadAsync(db, today, ct);
        var pendingSet = pending.ToHashSet();
        var decided = await WithInterestAsync(db, creditor, Decide(claims, catalog, rules, today, pendingSet), warnings, ct);

        string mode, status;
        DunningRun? run = null;
        if (cmd.DryRun) { mode = creditor.DunningMode == DunningMode.Manual ? "manual" : "automatic"; status = "dry_run"; }
        else if (creditor.DunningMode == DunningMode.Manual || creditor.PreNoticeDays > 0)
        {
            mode = creditor.DunningMode == DunningMode.Manual ? "manual" : "pre_notice";
            status = "proposed";
            run = await ProposeAsync(db, creditor, decided, today, mode, actor, now, ct);
            // List moves (not steps) are applied at once: they send nothing.
            await DunningApplicator.ApplyAsync(db, creditor, decided.Where(d => d.Decision is DunningDecision.NoAction).ToList(), run.Id, today, actor, now, ct);
        }
        else
        {
            mode = "automatic";
            status = "completed";
            run = new DunningRun { CreditorId = creditor.Id, Today = today, Mode = mode, Status = RunStatus.Running, Actor = actor.Name, StartedAt = now };
            db.Runs.Add(run);
            await db.SaveChangesAsync(ct);
            var applied = await DunningApplicator.ApplyAsync(db, creditor, decided, run.Id, today, actor, now, ct);
            run.Status = RunStatus.Completed;
            run.Steps = applied.Steps;
            run.Letters = applied.Letters;
            run.FinishedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
            return Report(creditor, run, today, mode, status, false, decided, applied.LetterOf, warnings);
        }
        return Report(creditor, run, today, mode, status, cmd.DryRun, decided, new Dictionary<long, long>(), warnings);
    }

    internal static List<Decided> Decide(IEnumerable<ClaimRow> claims, PlanCatalog catalog, RuleSet rules, DateOnly today, IReadOnlySet<long>? inPendingBatch = null, IReadOnlySet<long>? heldByCreditor = null)
    {
        var result = new List<Decided>();
        foreach (var c in claims)
        {
            var plan = catalog.Select(c.Subject).Plan;
            var state = heldByCreditor is not null && heldByCreditor.Contains(c.State.ClaimId.Value) ? c.State with { HeldByCreditor = true } : c.State;
            DunningDecision decision = inPendingBatch is not null && inPendingBatch.Contains(c.State.ClaimId.Value)
                ? new DunningDecision.NoAction(c.State.ClaimId, "in_pending_batch", null, "waiting for approval or the pre-notice window")
                : DunningPolicy.Decide(state, plan, rules, today);
            var list = decision is DunningDecision.TakeStep t ? t.MovesTo : DunningLists.Compute(state, plan, rules, today);
            result.Add(new Decided(c with { State = state }, plan, decision, list));
        }
        return result;
    }

    /// <summary>
    /// Accrued late interest to the send date for every step that shows interest, computed in bulk (one query for the
    /// invoices, one for their allocations). A missing rate is never guessed: the step carries no amount and the run warns.
    /// </summary>
    internal static async Task<List<Decided>> WithInterestAsync(PurrDbContext db, Creditor creditor, List<Decided> decided, List<string> warnings, CancellationToken ct)
    {
        var wanted = decided.Where(d => d.Decision is DunningDecision.TakeStep { IncludeInterest: true }).ToList();
        if (wanted.Count == 0) return decided;
        var rates = await Interest.LoadRateTable.HandleAsync(db, ct);
        var ids = wanted.Select(d => d.Claim.State.ClaimId.Value).ToList();
        var invoices = new Dictionary<long, Invoice>();
        var allocations = new List<Allocation>();
        foreach (var chunk in ids.Chunk(1000))
        {
            foreach (var i in await db.Invoices.AsNoTracking().Where(i => chunk.Contains(i.Id)).ToListAsync(ct)) invoices[i.Id] = i;
            allocations.AddRange(await db.Allocations.AsNoTracking().Where(a => chunk.Contains(a.InvoiceId) && !a.Reversed).ToListAsync(ct));
        }
        var byInvoice = allocations.ToLookup(a => a.InvoiceId);
        var missing = 0;
        var result = decided.Select(d =>
        {
            if (d.Decision is not DunningDecision.TakeStep { IncludeInterest: true } t) return d;
            var detail = Interest.AccruedInterest.Compute(invoices[t.ClaimId.Value], d.Claim.State.CustomerKind, creditor.InterestFromDueDate, byInvoice[t.ClaimId.Value], null, t.SentOn, rates);
            if (detail.Result.Total is { } total) return d with { Interest = total };
            missing++;
            return d with { InterestMissing = true };
        }).ToList();
        if (missing > 0)
            warnings.Add($"late interest could not be calculated for {missing} step(s): no forsinkelsesrente is known for part of the period (add the half-year with: purr rates add); the letters show it as missing");
        return result;
    }

    private static async Task<DunningRun> ProposeAsync(PurrDbContext db, Creditor creditor, List<Decided> decided, DateOnly today, string mode, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var run = new DunningRun
        {
            CreditorId = creditor.Id, Today = today, Mode = mode, Status = RunStatus.Proposed, Actor = actor.Name, StartedAt = now,
            HoldUntil = mode == "pre_notice" ? today.AddDays(creditor.PreNoticeDays) : null,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync(ct);
        foreach (var d in decided)
            if (d.Decision is DunningDecision.TakeStep t)
                db.RunItems.Add(new RunItem { CreditorId = creditor.Id, RunId = run.Id, InvoiceId = t.ClaimId.Value, StepIndex = t.StepIndex, Kind = ListCodes.Of(t.Kind), Fee = t.Fee.ToMinorUnits(), Deadline = t.Deadline });
        run.Steps = decided.Count(d => d.Decision is DunningDecision.TakeStep);
        run.FinishedAt = now;
        db.ClaimEvents.Add(new ClaimEvent { CreditorId = creditor.Id, At = now, Actor = actor.Name, Kind = "run_proposed", Text = $"dunning run {run.Id} for {today:yyyy-MM-dd} proposes {run.Steps} step(s){(run.HoldUntil is { } h ? $"; held items are skipped, the rest is sent on {h:yyyy-MM-dd}" : "; approve with: purr run approve " + run.Id)}" });
        await db.SaveChangesAsync(ct);
        return run;
    }

    internal static Result Report(Creditor creditor, DunningRun? run, DateOnly today, string mode, string status, bool dryRun, List<Decided> decided,
        IReadOnlyDictionary<long, long> letterOf, List<string> warnings, IReadOnlySet<long>? held = null)
    {
        var steps = new List<StepDto>();
        var left = new List<LeftAloneDto>();
        foreach (var d in decided)
        {
            if (d.Decision is DunningDecision.TakeStep t)
                steps.Add(new StepDto(t.ClaimId.Value, d.Claim.CustomerNumber, d.Claim.CustomerName, [d.Claim.InvoiceNumber], ListCodes.Of(t.Kind), t.StepNumber, d.Plan.Code,
                    t.Fee.ToDecimalString(), t.FeeReason, t.FeeCertainty.ToCode(), t.LegalMaximumFee?.ToDecimalString(), t.SentOn, t.Deadline,
                    t.Outstanding.ToDecimalString(), d.Interest?.ToDecimalString(), d.InterestMissing, d.Claim.Currency, ListCodes.Of(t.MovesTo), t.Channel.ToString().ToLowerInvariant(), t.Template,
                    letterOf.TryGetValue(t.ClaimId.Value, out var l) ? l : null, held?.Contains(t.ClaimId.Value) == true, t.Notes));
            else if (d.Decision is DunningDecision.NoAction n)
                left.Add(new LeftAloneDto(n.ClaimId.Value, d.Claim.InvoiceNumber, d.Claim.CustomerNumber, n.Reason, n.Detail, n.NextReviewOn, ListCodes.Of(d.List)));
        }
        if (steps.Any(s => s.FeeCertainty != "law"))
            warnings.Add("some fees rest on values not verified against the regulation (fee_certainty derived/unverified): check before sending");
        if (steps.Any(s => s.FeeReason == "capped_at_legal_max"))
            warnings.Add("the plan asks for more than the law allows on some steps: the legal maximum is charged instead (fee_reason capped_at_legal_max)");
        var reasons = left.GroupBy(x => x.Reason).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
        return new Result(run?.Id, creditor.Id, creditor.Name, today, mode, status, dryRun, steps.Count, letterOf.Values.Distinct().Count(),
            reasons, steps, left, warnings);
    }
}
