using Microsoft.EntityFrameworkCore;
using Purr.Data;
using Purr.Features.Common;

namespace Purr.Features.Invoices;

/// <summary>Lists invoices and credit notes with filters and paging.</summary>
public static class ListInvoices
{
    public sealed record Query(long? CreditorId, string? Status = null, string? CustomerNumber = null, int Page = 1, int PageSize = 50);

    public static readonly string[] Statuses = ["open", "overdue", "paid", "credited", "credit_note", "written_off"];

    public static async Task<Page<InvoiceDto>> HandleAsync(PurrDbContext db, Query q, TimeProvider clock, CancellationToken ct)
    {
        await CreditorScope.ResolveAsync(db, q.CreditorId, ct);
        if (q.Page < 1) throw RejectedInputException.Argument("--page", q.Page.ToString(System.Globalization.CultureInfo.InvariantCulture), "expected a page number ≥ 1");
        if (q.PageSize is < 1 or > 10000) throw RejectedInputException.Argument("--page-size", q.PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture), "expected a page size from 1 to 10000");
        var today = clock.Today();
        var query = db.Invoices.AsNoTracking().Include(i => i.Customer).AsQueryable();
        if (q.CustomerNumber is not null) query = query.Where(i => i.Customer!.CustomerNumber == q.CustomerNumber);
        query = q.Status switch
        {
            null => query,
            "open" => query.Where(i => i.Open > 0 && i.Kind != DocumentKind.CreditNote),
            "overdue" => query.Where(i => i.Open > 0 && i.Kind != DocumentKind.CreditNote && i.DueDate < today),
            "paid" => query.Where(i => i.Open == 0 && i.Kind != DocumentKind.CreditNote && i.SettledBy == "paid"),
            "credited" => query.Where(i => i.Open == 0 && i.Kind != DocumentKind.CreditNote && i.SettledBy == "credited"),
            "written_off" => query.Where(i => i.Kind != DocumentKind.CreditNote && i.SettledBy == "written_off"),
            "credit_note" => query.Where(i => i.Kind == DocumentKind.CreditNote),
            _ => throw RejectedInputException.Argument("--status", q.Status, "expected one of " + string.Join(", ", Statuses)),
        };
        var total = await query.CountAsync(ct);
        var ordered = q.Status == "overdue" ? query.OrderBy(i => i.DueDate).ThenBy(i => i.Number) : query.OrderBy(i => i.IssueDate).ThenBy(i => i.Number);
        var rows = await ordered.Skip((q.Page - 1) * q.PageSize).Take(q.PageSize).ToListAsync(ct);
        return new Page<InvoiceDto>(rows.Select(i => Dto.From(i, i.Customer!, today)).ToList(), q.Page, q.PageSize, total);
    }
}

/// <summary>One invoice with its allocations and claim history.</summary>
public static class ShowInvoice
{
    public sealed record Query(long? CreditorId, string Number);
    public sealed record Result(InvoiceDto Invoice, IReadOnlyList<AllocationDto> Allocations, IReadOnlyList<HistoryDto> History);

    public static async Task<Result> HandleAsync(PurrDbContext db, Query q, TimeProvider clock, CancellationToken ct)
    {
        await CreditorScope.ResolveAsync(db, q.CreditorId, ct);
        var matches = await db.Invoices.AsNoTracking().Include(i => i.Customer).Where(i => i.Number == q.Number).ToListAsync(ct);
        var inv = matches.OrderBy(i => i.Kind).FirstOrDefault() ?? throw new NotFoundException($"no invoice or credit note with number {q.Number}");
        var allocations = await db.Allocations.AsNoTracking().Where(a => a.InvoiceId == inv.Id || a.CreditNoteId == inv.Id).OrderBy(a => a.Date).ThenBy(a => a.Id)
            .Select(a => new { a.Id, Invoice = a.Invoice!.Number, a.PaymentId, CreditNote = a.CreditNote != null ? a.CreditNote.Number : null, a.Amount, a.Date, a.Reversed })
            .ToListAsync(ct);
        var history = await db.ClaimEvents.AsNoTracking().Where(e => e.InvoiceId == inv.Id).OrderBy(e => e.At).ThenBy(e => e.Id)
            .Select(e => new HistoryDto(e.At, e.Actor, e.Kind, e.Text, inv.Number)).ToListAsync(ct);
        return new Result(Dto.From(inv, inv.Customer!, clock.Today()),
            allocations.Select(a => new AllocationDto(a.Id, a.Invoice, a.PaymentId, a.CreditNote, Dto.Amount(a.Amount, inv.Currency), a.Date, a.Reversed)).ToList(), history);
    }
}
