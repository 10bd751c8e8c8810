using Microsoft.EntityFrameworkCore;
using Purr.Core.Dunning;
using Purr.Data;
using Purr.Features.Common;

namespace Purr.Features.Dunning;

/// <summary>
/// Manual moves by the credit controller: create (or preview) the next notice for one invoice or many, outside the
/// daily run, and delete a notice whose letter has not been sent. The legal gates and the minimum days in a list
/// still apply; a refusal says why.
/// </summary>
public static class ManualNotices
{
    public sealed record CreateCommand(long? CreditorId, IReadOnlyList<string> InvoiceNumbers, bool Preview);
    public sealed record Refused(string InvoiceNumber, string Reason, string? Detail);
    public sealed record CreateResult(bool Preview, IReadOnlyList<RunDunning.StepDto> Steps, IReadOnlyList<Refused> Refused);
    public sealed record DeleteResult(string InvoiceNumber, string Kind, int Step, long? LetterId, bool LetterDeleted);

    public static async Task<CreateResult> CreateAsync(PurrDbContext db, CreateCommand cmd, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var creditor = await CreditorScope.ResolveAsync(db, cmd.CreditorId, ct);
        if (cmd.InvoiceNumbers.Count == 0) throw RejectedInputException.Argument("INVOICE", null, "one or more invoice numbers");
        var today = clock.Today();
        var found = await db.Invoices.AsNoTracking().Where(i => cmd.InvoiceNumbers.Contains(i.Number) && i.Kind != DocumentKind.CreditNote)
            .Select(i => new { i.Id, i.Number }).ToListAsync(ct);
        var missing = cmd.InvoiceNumbers.Except(found.Select(f => f.Number)).ToList();
        if (missing.Count > 0)
            throw new RejectedInputException(missing.Select(m => new Core.Formats.InputError("(command)", 0, "INVOICE", m, "the number of an invoice in the ledger")).ToList());
        var claims = await ClaimStateReader.ReadAsync(db, today, ct, found.Select(f => f.Id).ToList());
        var catalog = await PlanStore.LoadAsync(db, ct);
        var rules = PlanStore.RulesFor(creditor);
        var decided = new List<RunDunning.Decided>();
        var refused = new List<Refused>();
        foreach (var c in claims)
        {
            var plan = catalog.Select(c.Subject).Plan;
            var d = ManualMove.Check(c.State, plan, rules, today);
            if (d is DunningDecision.NoAction n) refused.Add(new Refused(c.InvoiceNumber, n.Reason, n.Detail));
            else decided.Add(new RunDunning.Decided(c, plan, d, ((DunningDecision.TakeStep)d).MovesTo));
        }
        foreach (var f in found.Where(f => claims.All(c => c.State.ClaimId.Value != f.Id)))
            refused.Add(new Refused(f.Number, "no_due_date", "an invoice without a due date is not dunned"));
        var warnings = new List<string>();
        decided = await RunDunning.WithInterestAsync(db, creditor, decided, warnings, ct);
        var letterOf = new Dictionary<long, long>();
        if (!cmd.Preview && decided.Count > 0)
            letterOf = (await DunningApplicator.ApplyAsync(db, creditor, decided, runId: null, today, actor, clock.GetUtcNow(), ct)).LetterOf;
        var report = RunDunning.Report(creditor, null, today, "manual", cmd.Preview ? "preview" : "created", cmd.Preview, decided, letterOf, warnings);
        return new CreateResult(cmd.Preview, report.StepsTaken, refused);
    }

    /// <summary>Deletes the latest notice of an invoice while its letter is still queued (not sent).</summary>
    public static async Task<DeleteResult> DeleteAsync(PurrDbContext db, long? creditorId, string invoiceNumber, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var creditor = await CreditorScope.ResolveAsync(db, creditorId, ct);
        var inv = await db.Invoices.FirstOrDefaultAsync(i => i.Number == invoiceNumber && i.Kind != DocumentKind.CreditNote, ct)
            ?? throw new NotFoundException($"no invoice with number {invoiceNumber}");
        var notice = await db.Notices.Include(n => n.Letter).Where(n => n.InvoiceId == inv.Id).OrderByDescending(n => n.StepIndex).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException($"invoice {invoiceNumber} has no notice");
        if (notice.Letter is { Status: not LetterStatus.Queued } sent)
            throw RejectedInputException.Argument("INVOICE", invoiceNumber, $"a notice whose letter is not sent yet; letter {sent.Id} is {sent.Status.ToString().ToLowerInvariant()}");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var letterDeleted = false;
        if (notice.Letter is { } letter)
        {
            letter.Principal -= notice.Outstanding;
            letter.Fees -= notice.Fee;
            if (!await db.Notices.AnyAsync(n => n.LetterId == letter.Id && n.Id != notice.Id, ct)) { db.Letters.Remove(letter); letterDeleted = true; }
        }
        var fee = await db.Charges.Where(c => c.InvoiceId == inv.Id && c.Date == notice.SentOn && c.Amount == notice.Fee && c.Kind != ChargeKind.Interest && c.Kind != ChargeKind.StandardCompensation).FirstOrDefaultAsync(ct);
        if (fee is not null) db.Charges.Remove(fee);
        db.Notices.Remove(notice);
        // The claim goes back to the list it was in before this notice.
        var previous = await db.Notices.AsNoTracking().Where(n => n.InvoiceId == inv.Id && n.Id != notice.Id).OrderByDescending(n => n.StepIndex).FirstOrDefaultAsync(ct);
        inv.DunningList = previous is null ? ListCodes.Of(DunningList.Overdue)
            : ListCodes.Of(DunningLists.After(ListCodes.StepKindOf(previous.Kind), await db.Notices.CountAsync(n => n.InvoiceId == inv.Id && n.Kind == "reminder" && n.Id != notice.Id && n.StepIndex < previous.StepIndex, ct)));
        inv.ListEnteredOn = previous?.SentOn;
        inv.HandedOverOn = null;
        db.ClaimEvents.Add(new ClaimEvent { CreditorId = creditor.Id, CustomerId = inv.CustomerId, InvoiceId = inv.Id, At = clock.GetUtcNow(), Actor = actor.Name,
            Kind = "notice_deleted", Text = $"unsent {notice.Kind} (step {notice.StepIndex + 1}) of {notice.SentOn:yyyy-MM-dd} deleted{(fee is not null ? $" with its fee {Dto.Amount(fee.Amount, fee.Currency)}" : "")}" });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new DeleteResult(inv.Number, notice.Kind, notice.StepIndex + 1, notice.LetterId, letterDeleted);
    }
}
