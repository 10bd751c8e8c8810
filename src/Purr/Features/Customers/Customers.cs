using Microsoft.EntityFrameworkCore;
using Purr.Data;
using Purr.Features.Common;
using Purr.Core;

namespace Purr.Features.Customers;

/// <summary>Lists a creditor's customers with their open balance, paged and filterable.</summary>
public static class ListCustomers
{
    public sealed record Query(long? CreditorId, string? Search = null, string? Kind = null, int Page = 1, int PageSize = 50);

    public static async Task<Page<CustomerDto>> HandleAsync(PurrDbContext db, Query q, CancellationToken ct)
    {
        await CreditorScope.ResolveAsync(db, q.CreditorId, ct);
        var query = db.Customers.AsNoTracking();
        if (q.Search is { Length: > 0 } s) query = query.Where(c => c.Name.Contains(s) || c.CustomerNumber == s || c.OrganizationNumber == s);
        if (q.Kind is not null)
        {
            if (!Enum.TryParse<CustomerKind>(q.Kind, true, out var k)) throw RejectedInputException.Argument("--kind", q.Kind, "expected private, business or public");
            query = query.Where(c => c.Kind == k);
        }
        var total = await query.CountAsync(ct);
        var page = await query.OrderBy(c => c.CustomerNumber).Skip((Math.Max(q.Page, 1) - 1) * q.PageSize).Take(q.PageSize).ToListAsync(ct);
        var ids = page.Select(c => c.Id).ToList();
        var balances = await Balances.OfCustomersAsync(db, ids, ct);
        return new Page<CustomerDto>(page.Select(c => ShowCustomer.ToDto(c, balances.GetValueOrDefault(c.Id))).ToList(), q.Page, q.PageSize, total);
    }
}

/// <summary>One customer with open invoices, payments and history.</summary>
public static class ShowCustomer
{
    public sealed record Query(long? CreditorId, string CustomerNumber);
    public sealed record Result(CustomerDto Customer, IReadOnlyList<InvoiceDto> Invoices, IReadOnlyList<PaymentDto> Payments, IReadOnlyList<HistoryDto> History);

    public static async Task<Result> HandleAsync(PurrDbContext db, Query q, TimeProvider clock, CancellationToken ct)
    {
        await CreditorScope.ResolveAsync(db, q.CreditorId, ct);
        var c = await db.Customers.AsNoTracking().SingleOrDefaultAsync(x => x.CustomerNumber == q.CustomerNumber, ct)
            ?? throw new NotFoundException($"no customer with number {q.CustomerNumber}");
        var today = clock.Today();
        var invoices = await db.Invoices.AsNoTracking().Where(i => i.CustomerId == c.Id).OrderBy(i => i.IssueDate).ThenBy(i => i.Number).ToListAsync(ct);
        var payments = await db.Payments.AsNoTracking().Where(p => p.CustomerId == c.Id).OrderBy(p => p.PaymentDate).ToListAsync(ct);
        var history = await db.ClaimEvents.AsNoTracking().Where(e => e.CustomerId == c.Id).OrderBy(e => e.At).ThenBy(e => e.Id)
            .Select(e => new HistoryDto(e.At, e.Actor, e.Kind, e.Text, e.Invoice != null ? e.Invoice.Number : null)).ToListAsync(ct);
        var balance = (await Balances.OfCustomersAsync(db, [c.Id], ct)).GetValueOrDefault(c.Id);
        return new Result(ToDto(c, balance), invoices.Select(i => Dto.From(i, c, today)).ToList(),
            payments.Select(p => new PaymentDto(p.Id, p.PaymentDate, Dto.Amount(p.Amount, p.Currency), Dto.Amount(p.Unallocated, p.Currency), p.Currency,
                p.Kid, p.BankReference, p.PayerName, c.CustomerNumber, p.Status.ToString().ToLowerInvariant(), p.MatchMethod, p.Source)).ToList(),
            history);
    }

    internal static CustomerDto ToDto(Customer c, Balances.CustomerBalance b) => new(
        c.Id, c.CustomerNumber, c.Name, Dto.Kind(c.Kind), c.OrganizationNumber, c.Email, c.Phone, c.AddressLine1, c.PostalCode, c.City,
        c.Country, c.Category, c.Priority, c.Language, c.PreferredChannel, c.PeppolId,
        Dto.Amount(b.Open, "NOK"), Dto.Amount(b.Credit, "NOK"), b.OpenInvoices);
}

/// <summary>Open amount and credit balance per customer, computed in the database.</summary>
public static class Balances
{
    public readonly record struct CustomerBalance(long Open, long Credit, int OpenInvoices);

    public static async Task<Dictionary<long, CustomerBalance>> OfCustomersAsync(PurrDbContext db, IReadOnlyCollection<long>? customerIds, CancellationToken ct)
    {
        var inv = db.Invoices.AsNoTracking().Where(i => i.Open > 0);
        var pay = db.Payments.AsNoTracking().Where(p => p.Unallocated > 0 && p.CustomerId != null && p.Status != PaymentStatus.Reversed && p.Status != PaymentStatus.Refunded);
        if (customerIds is not null)
        {
            inv = inv.Where(i => customerIds.Contains(i.CustomerId));
            pay = pay.Where(p => customerIds.Contains(p.CustomerId!.Value));
        }
        var open = await inv.Where(i => i.Kind != DocumentKind.CreditNote).GroupBy(i => i.CustomerId)
            .Select(g => new { g.Key, Open = g.Sum(i => i.Open), Count = g.Count() }).ToListAsync(ct);
        var credits = await inv.Where(i => i.Kind == DocumentKind.CreditNote).GroupBy(i => i.CustomerId)
            .Select(g => new { g.Key, Credit = g.Sum(i => i.Open) }).ToListAsync(ct);
        var paid = await pay.GroupBy(p => p.CustomerId!.Value).Select(g => new { g.Key, Credit = g.Sum(p => p.Unallocated) }).ToListAsync(ct);
        var result = new Dictionary<long, CustomerBalance>();
        foreach (var o in open) result[o.Key] = new CustomerBalance(o.Open, 0, o.Count);
        foreach (var c in credits.Select(x => (x.Key, x.Credit)).Concat(paid.Select(x => (x.Key, x.Credit))))
        {
            var b = result.GetValueOrDefault(c.Key);
            result[c.Key] = b with { Credit = b.Credit + c.Credit };
        }
        return result;
    }
}
