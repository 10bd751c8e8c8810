using Microsoft.EntityFrameworkCore;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Customers;

namespace Purr.Features.Ledger;

/// <summary>The ledger balance: open invoices, credit balances and net per customer (or one customer), with totals.</summary>
public static class LedgerBalance
{
    public sealed record Query(long? CreditorId, string? CustomerNumber = null, int Page = 1, int PageSize = 50);
    public sealed record Line(string CustomerNumber, string Name, int OpenInvoices, string Open, string CreditBalance, string Net);
    /// <remarks>Invariant: invoiced − credited − paid − written_off + recovered = open − credit_balance = net.</remarks>
    public sealed record Result(string Currency, string Invoiced, string Credited, string Paid, string WrittenOff, string Recovered, string Open,
        string CreditBalance, string Net, int Customers, Page<Line> Lines);

    public static async Task<Result> HandleAsync(PurrDbContext db, Query q, CancellationToken ct)
    {
        var creditor = await CreditorScope.ResolveAsync(db, q.CreditorId, ct);
        var cur = creditor.DefaultCurrency;
        long? customerId = null;
        if (q.CustomerNumber is not null)
            customerId = (await db.Customers.SingleOrDefaultAsync(c => c.CustomerNumber == q.CustomerNumber, ct)
                ?? throw new NotFoundException($"no customer with number {q.CustomerNumber}")).Id;
        var invoices = db.Invoices.AsNoTracking().Where(i => i.Currency == cur && (customerId == null || i.CustomerId == customerId));
        var invoiced = await invoices.Where(i => i.Kind != DocumentKind.CreditNote).SumAsync(i => (long?)i.Amount, ct) ?? 0;
        var credited = await invoices.Where(i => i.Kind == DocumentKind.CreditNote).SumAsync(i => (long?)i.Amount, ct) ?? 0;
        var paid = await db.Payments.AsNoTracking().Where(p => p.Currency == cur && p.Status != PaymentStatus.Reversed && p.CustomerId != null && (customerId == null || p.CustomerId == customerId))
            .SumAsync(p => (long?)p.Amount, ct) ?? 0;
        var events = db.AccountingEvents.AsNoTracking().Where(e => e.Currency == cur && (customerId == null || (e.Invoice != null && e.Invoice.CustomerId == customerId)));
        var writtenOff = await events.Where(e => e.Kind == WriteOffs.WriteOffKinds.WriteOff).SumAsync(e => (long?)e.Amount, ct) ?? 0;
        var recovered = (await events.Where(e => e.Kind == WriteOffs.WriteOffKinds.Recovery).SumAsync(e => (long?)e.Amount, ct) ?? 0)
            - (await events.Where(e => e.Kind == WriteOffs.WriteOffKinds.RecoveryReversed).SumAsync(e => (long?)e.Amount, ct) ?? 0);
        var balances = await Balances.OfCustomersAsync(db, customerId is { } id ? [id] : null, ct);
        var open = balances.Values.Sum(b => b.Open);
        var credit = balances.Values.Sum(b => b.Credit);
        var ids = balances.Where(kv => kv.Value.Open != 0 || kv.Value.Credit != 0).OrderByDescending(kv => kv.Value.Open - kv.Value.Credit).Select(kv => kv.Key).ToList();
        var pageIds = ids.Skip((Math.Max(q.Page, 1) - 1) * q.PageSize).Take(q.PageSize).ToList();
        var customers = await db.Customers.AsNoTracking().Where(c => pageIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var lines = pageIds.Select(i => (c: customers[i], b: balances[i]))
            .Select(x => new Line(x.c.CustomerNumber, x.c.Name, x.b.OpenInvoices, Dto.Amount(x.b.Open, cur), Dto.Amount(x.b.Credit, cur), Dto.Amount(x.b.Open - x.b.Credit, cur))).ToList();
        return new Result(cur, Dto.Amount(invoiced, cur), Dto.Amount(credited, cur), Dto.Amount(paid, cur), Dto.Amount(writtenOff, cur), Dto.Amount(recovered, cur),
            Dto.Amount(open, cur), Dto.Amount(credit, cur),
            Dto.Amount(open - credit, cur), ids.Count, new Page<Line>(lines, q.Page, q.PageSize, ids.Count));
    }
}
