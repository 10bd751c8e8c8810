using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Purr.Data;
using Purr.Features.Common;

namespace Purr.Features.Payments;

/// <summary>
/// A payment as the payment commands show it, with the latest line of its history (why it is where it is), and for an
/// imported payment the import and the line of its file where the transaction starts.
/// </summary>
public sealed record PaymentRowDto(long Id, DateOnly PaymentDate, DateOnly? ValueDate, string Amount, string Unallocated, string Currency, string? Kid,
    string? Reference, string? InvoiceNumber, string? PayerName, string? PayerAccount, string? Text, string? CustomerNumber, string Status,
    string? MatchMethod, string Source, long? ReversesPaymentId, string? Note, long? ImportId, int? Line);

/// <summary>A payment's history line.</summary>
public sealed record PaymentEventDto(DateTimeOffset At, string Actor, string Kind, string Text);

/// <summary>
/// Lists payments: all, or by status (the unmatched queue is status "unmatched"), customer or import; newest first, paged.
/// The payments of one import are listed in file order.
/// </summary>
public static class ListPayments
{
    public sealed record Query(long? CreditorId, string? Status = null, string? CustomerNumber = null, int Page = 1, int PageSize = 50, long? ImportId = null);

    /// <summary>The statuses <c>--status</c> accepts.</summary>
    public static readonly string[] Statuses = ["unmatched", "matched", "partly_matched", "refunded", "reversed"];

    public static async Task<Page<PaymentRowDto>> HandleAsync(PurrDbContext db, Query q, CancellationToken ct)
    {
        await CreditorScope.ResolveAsync(db, q.CreditorId, ct);
        if (q.Page < 1) throw RejectedInputException.Argument("--page", q.Page.ToString(CultureInfo.InvariantCulture), "expected a page number ≥ 1");
        if (q.PageSize is < 1 or > 10000) throw RejectedInputException.Argument("--page-size", q.PageSize.ToString(CultureInfo.InvariantCulture), "expected a page size from 1 to 10000");
        var query = db.Payments.AsNoTracking();
        if (q.Status is not null)
        {
            var status = ParseStatus(q.Status);
            query = query.Where(p => p.Status == status);
        }
        if (q.CustomerNumber is not null)
        {
            var customer = await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.CustomerNumber == q.CustomerNumber, ct)
                ?? throw new NotFoundException($"no customer with number {q.CustomerNumber}");
            query = query.Where(p => p.CustomerId == customer.Id);
        }
        if (q.ImportId is { } importId)
        {
            if (!await db.Imports.AnyAsync(i => i.Id == importId && i.Kind == "payments", ct)) throw new NotFoundException($"no payment import with id {importId}");
            query = query.Where(p => p.ImportId == importId);
        }
        var total = await query.CountAsync(ct);
        var ordered = q.ImportId is null ? query.OrderByDescending(p => p.PaymentDate).ThenByDescending(p => p.Id) : query.OrderBy(p => p.Id);
        var rows = await ordered.Skip((q.Page - 1) * q.PageSize).Take(q.PageSize).ToListAsync(ct);
        return new Page<PaymentRowDto>(await ToDtosAsync(db, rows, ct), q.Page, q.PageSize, total);
    }

    /// <summary>Parses a status as shown ("partly_matched") to the stored enum.</summary>
    public static PaymentStatus ParseStatus(string status) => status switch
    {
        "unmatched" => PaymentStatus.Unmatched,
        "matched" => PaymentStatus.Matched,
        "partly_matched" => PaymentStatus.PartlyMatched,
        "refunded" => PaymentStatus.Refunded,
        "reversed" => PaymentStatus.Reversed,
        _ => throw RejectedInputException.Argument("--status", status, "expected one of " + string.Join(", ", Statuses)),
    };

    /// <summary>The status as shown: snake_case.</summary>
    public static string StatusCode(PaymentStatus s) => s == PaymentStatus.PartlyMatched ? "partly_matched" : s.ToString().ToLowerInvariant();

    internal static async Task<List<PaymentRowDto>> ToDtosAsync(PurrDbContext db, IReadOnlyList<Payment> rows, CancellationToken ct)
    {
        var ids = rows.Select(p => p.Id).ToList();
        var customerIds = rows.Select(p => p.CustomerId).OfType<long>().Distinct().ToList();
        var customers = await db.Customers.AsNoTracking().Where(c => EF.Parameter(customerIds).Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.CustomerNumber, ct);
        var notes = (await db.PaymentEvents.AsNoTracking().Where(e => EF.Parameter(ids).Contains(e.PaymentId)).Select(e => new { e.PaymentId, e.Id, e.Text }).ToListAsync(ct))
            .GroupBy(e => e.PaymentId).ToDictionary(g => g.Key, g => g.MaxBy(e => e.Id)!.Text);
        return rows.Select(p => ToDto(p, p.CustomerId is { } c ? customers.GetValueOrDefault(c) : null, notes.GetValueOrDefault(p.Id))).ToList();
    }

    internal static PaymentRowDto ToDto(Payment p, string? customerNumber, string? note) => new(
        p.Id, p.PaymentDate, p.ValueDate, Dto.Amount(p.Amount, p.Currency), Dto.Amount(p.Unallocated, p.Currency), p.Currency, p.Kid, p.BankReference,
        p.InvoiceNumber, p.PayerName, p.PayerAccount, p.Text, customerNumber, StatusCode(p.Status), p.MatchMethod, p.Source, p.ReversesPaymentId, note, p.ImportId, p.Line);
}

/// <summary>One payment with its allocations and history.</summary>
public static class ShowPayment
{
    public sealed record Query(long? CreditorId, long PaymentId);
    public sealed record Result(PaymentRowDto Payment, IReadOnlyList<AllocationDto> Allocations, IReadOnlyList<PaymentEventDto> History);

    public static async Task<Result> HandleAsync(PurrDbContext db, Query q, CancellationToken ct)
    {
        await CreditorScope.ResolveAsync(db, q.CreditorId, ct);
        var p = await db.Payments.AsNoTracking().SingleOrDefaultAsync(x => x.Id == q.PaymentId, ct)
            ?? throw new NotFoundException($"no payment with id {q.PaymentId} (see: purr payments list)");
        var row = (await ListPayments.ToDtosAsync(db, [p], ct))[0];
        var allocations = await db.Allocations.AsNoTracking().Where(a => a.PaymentId == p.Id).OrderBy(a => a.Id)
            .Select(a => new { a.Id, Invoice = a.Invoice!.Number, a.Amount, a.Date, a.Reversed }).ToListAsync(ct);
        var history = await db.PaymentEvents.AsNoTracking().Where(e => e.PaymentId == p.Id).OrderBy(e => e.Id)
            .Select(e => new PaymentEventDto(e.At, e.Actor, e.Kind, e.Text)).ToListAsync(ct);
        return new Result(row, allocations.Select(a => new AllocationDto(a.Id, a.Invoice, p.Id, null, Dto.Amount(a.Amount, p.Currency), a.Date, a.Reversed)).ToList(), history);
    }
}
