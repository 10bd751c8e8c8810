using Microsoft.EntityFrameworkCore;
using Purr.Core.Formats;
using Purr.Data;
using Purr.Features.Common;

namespace Purr.Features.Dunning;

/// <summary>
/// Dunning stops (purrestopp) on an invoice or a whole customer, disputes (innsigelse) and payment deferrals
/// (betalingsutsettelse). All three hold dunning while active (end date inclusive); a hold with an end date
/// resumes by itself. Every change is recorded in the claim history with who and when.
/// </summary>
public static class Holds
{
    public sealed record Command(long? CreditorId, HoldType Type, string Target, string Id, string Reason, DateOnly? Until);
    public sealed record ResumeCommand(long? CreditorId, string Target, string Id, HoldType? Type = null);
    public sealed record HoldDto(long Id, string Type, string? InvoiceNumber, string? CustomerNumber, DateOnly From, DateOnly? Until, string Reason, string CreatedBy, bool Active);

    public static async Task<HoldDto> PlaceAsync(PurrDbContext db, Command cmd, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var creditor = await CreditorScope.ResolveAsync(db, cmd.CreditorId, ct);
        var today = clock.Today();
        var errors = new List<InputError>();
        if (string.IsNullOrWhiteSpace(cmd.Reason)) errors.Add(new InputError("(command)", 0, cmd.Type == HoldType.Dispute ? "--text" : "--reason", cmd.Reason, "a reason (it is shown in the claim history)"));
        if (cmd.Until is { } u && u < today) errors.Add(new InputError("(command)", 0, "--until", u.ToString("yyyy-MM-dd"), $"a date on or after today ({today:yyyy-MM-dd})"));
        if (cmd.Type == HoldType.Deferral && cmd.Until is null) errors.Add(new InputError("(command)", 0, "--until", null, "the last day of the deferral"));
        if (errors.Count > 0) throw new RejectedInputException(errors);
        var (invoice, customer) = await TargetAsync(db, cmd.Target, cmd.Id, ct);
        var hold = new DunningHold
        {
            CreditorId = creditor.Id, Type = cmd.Type, InvoiceId = invoice?.Id, CustomerId = customer.Id, From = today, Until = cmd.Until,
            Reason = cmd.Reason.Trim(), CreatedBy = actor.Name, CreatedAt = clock.GetUtcNow(),
        };
        // A hold on a whole customer is stored without an invoice; the customer id is kept on every hold for lookups.
        if (invoice is null) hold.CustomerId = customer.Id;
        db.Holds.Add(hold);
        var what = cmd.Type switch { HoldType.Dispute => "dispute (innsigelse)", HoldType.Deferral => "payment deferral", _ => "dunning stop" };
        var scope = invoice is null ? $"customer {customer.CustomerNumber}" : $"invoice {invoice.Number}";
        db.ClaimEvents.Add(new ClaimEvent
        {
            CreditorId = creditor.Id, CustomerId = customer.Id, InvoiceId = invoice?.Id, At = clock.GetUtcNow(), Actor = actor.Name, Kind = cmd.Type.ToString().ToLowerInvariant(),
            Text = $"{what} on {scope} from {today:yyyy-MM-dd}{(cmd.Until is { } x ? $" to {x:yyyy-MM-dd}" : "")}: {cmd.Reason.Trim()}",
        });
        await db.SaveChangesAsync(ct);
        return ToDto(hold, invoice?.Number, customer.CustomerNumber, today);
    }

    public static async Task<IReadOnlyList<HoldDto>> ResumeAsync(PurrDbContext db, ResumeCommand cmd, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var creditor = await CreditorScope.ResolveAsync(db, cmd.CreditorId, ct);
        var today = clock.Today();
        var (invoice, customer) = await TargetAsync(db, cmd.Target, cmd.Id, ct);
        var q = db.Holds.Where(h => h.EndedAt == null && (h.Until == null || h.Until >= today));
        q = invoice is null ? q.Where(h => h.CustomerId == customer.Id && h.InvoiceId == null) : q.Where(h => h.InvoiceId == invoice.Id);
        if (cmd.Type is { } t) q = q.Where(h => h.Type == t);
        var active = await q.ToListAsync(ct);
        if (active.Count == 0)
            throw new NotFoundException($"nothing holds {(invoice is null ? $"customer {customer.CustomerNumber}" : $"invoice {invoice.Number}")} today");
        foreach (var h in active)
        {
            h.Until = today.AddDays(-1);   // the hold's last day was yesterday: today's run may dun again
            h.EndedAt = clock.GetUtcNow();
            h.EndedBy = actor.Name;
            db.ClaimEvents.Add(new ClaimEvent
            {
                CreditorId = creditor.Id, CustomerId = customer.Id, InvoiceId = invoice?.Id, At = clock.GetUtcNow(), Actor = actor.Name, Kind = "resumed",
                Text = $"{h.Type.ToString().ToLowerInvariant()} ended (placed {h.From:yyyy-MM-dd} by {h.CreatedBy}: {h.Reason})",
            });
        }
        await db.SaveChangesAsync(ct);
        return active.Select(h => ToDto(h, invoice?.Number, customer.CustomerNumber, today)).ToList();
    }

    public static async Task<IReadOnlyList<HoldDto>> ListAsync(PurrDbContext db, long? creditorId, bool all, TimeProvider clock, CancellationToken ct)
    {
        await CreditorScope.ResolveAsync(db, creditorId, ct);
        var today = clock.Today();
        var rows = await db.Holds.AsNoTracking().OrderBy(h => h.Id).ToListAsync(ct);
        var invoices = await db.Invoices.AsNoTracking().Where(i => rows.Select(r => r.InvoiceId).Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.Number, ct);
        var customers = await db.Customers.AsNoTracking().Where(c => rows.Select(r => r.CustomerId).Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.CustomerNumber, ct);
        return rows.Select(h => ToDto(h, h.InvoiceId is { } i ? invoices.GetValueOrDefault(i) : null, h.CustomerId is { } c ? customers.GetValueOrDefault(c) : null, today))
            .Where(h => all || h.Active).ToList();
    }

    private static async Task<(Invoice? Invoice, Customer Customer)> TargetAsync(PurrDbContext db, string target, string id, CancellationToken ct)
    {
        if (target == "invoice")
        {
            var inv = await db.Invoices.Include(i => i.Customer).FirstOrDefaultAsync(i => i.Number == id && i.Kind != DocumentKind.CreditNote, ct)
                ?? throw new NotFoundException($"no invoice with number {id}");
            return (inv, inv.Customer!);
        }
        var c = await db.Customers.SingleOrDefaultAsync(x => x.CustomerNumber == id, ct) ?? throw new NotFoundException($"no customer with number {id}");
        return (null, c);
    }

    private static HoldDto ToDto(DunningHold h, string? invoice, string? customer, DateOnly today) => new(
        h.Id, h.Type.ToString().ToLowerInvariant(), invoice, customer, h.From, h.Until, h.Reason, h.CreatedBy,
        h.From <= today && (h.Until is null || h.Until >= today));
}
