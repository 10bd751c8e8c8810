using Microsoft.EntityFrameworkCore;
using Purr.Core;
using Purr.Core.Dunning;
using Purr.Data;

namespace Purr.Features.Dunning;

/// <summary>A claim as the run sees it: the pure snapshot plus what the shell needs to select a plan and report.</summary>
public sealed record ClaimRow(ClaimState State, PlanSubject Subject, string InvoiceNumber, string CustomerNumber, string CustomerName,
    string Currency, string? StoredList, string PreferredChannel);

/// <summary>
/// Reads claim snapshots in bulk (no tracking): open claims that are due, and claims still sitting in a list
/// (so that a paid claim moves to Lukket). Notices and holds are read in one query each.
/// </summary>
public static class ClaimStateReader
{
    public static async Task<List<ClaimRow>> ReadAsync(PurrDbContext db, DateOnly today, CancellationToken ct,
        IReadOnlyCollection<long>? onlyInvoices = null, string? customerNumber = null)
    {
        var closed = ListCodes.Of(DunningList.Closed);
        var q = db.Invoices.AsNoTracking().Where(i => i.Kind != DocumentKind.CreditNote && i.DueDate != null);
        if (onlyInvoices is not null) q = q.Where(i => onlyInvoices.Contains(i.Id));
        else q = q.Where(i => (i.Open > 0 && i.DueDate < today) || (i.DunningList != null && i.DunningList != closed));
        if (customerNumber is not null) q = q.Where(i => i.Customer!.CustomerNumber == customerNumber);
        var rows = await q.Select(i => new
        {
            i.Id, i.Number, i.CustomerId, i.IssueDate, i.DueDate, i.Amount, i.Open, i.Currency, i.SettledBy, i.DunningList, i.ListEnteredOn, i.HandedOverOn,
            CustomerNumber = i.Customer!.CustomerNumber, CustomerName = i.Customer.Name, CustomerKind = i.Customer.Kind, i.Customer.Category, i.Customer.Priority, i.Customer.PaymentTermsDays, i.Customer.PreferredChannel,
        }).ToListAsync(ct);
        if (rows.Count == 0) return [];

        var ids = rows.Select(r => r.Id).ToHashSet();
        var notices = new Dictionary<long, List<TakenStep>>();
        var noticeQuery = onlyInvoices is not null
            ? db.Notices.AsNoTracking().Where(n => onlyInvoices.Contains(n.InvoiceId))
            : db.Notices.AsNoTracking().Where(n => (n.Invoice!.Open > 0 && n.Invoice.DueDate < today) || (n.Invoice.DunningList != null && n.Invoice.DunningList != closed));
        foreach (var n in await noticeQuery.Select(n => new { n.InvoiceId, n.StepIndex, n.Kind, n.SentOn, n.Deadline, n.Fee, n.Currency }).ToListAsync(ct))
        {
            if (!ids.Contains(n.InvoiceId)) continue;
            if (!notices.TryGetValue(n.InvoiceId, out var list)) notices[n.InvoiceId] = list = [];
            list.Add(new TakenStep(n.StepIndex, ListCodes.StepKindOf(n.Kind), n.SentOn, n.Deadline, Money.FromMinorUnits(n.Fee, Currency.Parse(n.Currency))));
        }
        var holds = await db.Holds.AsNoTracking().ToListAsync(ct);
        var byInvoice = holds.Where(h => h.InvoiceId != null).ToLookup(h => h.InvoiceId!.Value);
        var byCustomer = holds.Where(h => h.InvoiceId == null && h.CustomerId != null).ToLookup(h => h.CustomerId!.Value);

        var result = new List<ClaimRow>(rows.Count);
        foreach (var r in rows)
        {
            var cur = Currency.Parse(r.Currency);
            var state = new ClaimState
            {
                ClaimId = new InvoiceId(r.Id), CustomerId = new CustomerId(r.CustomerId), CustomerKind = r.CustomerKind, IssueDate = r.IssueDate, DueDate = r.DueDate!.Value,
                OriginalAmount = Money.FromMinorUnits(r.Amount, cur), OpenPrincipal = Money.FromMinorUnits(r.Open, cur),
                Settlement = r.Open > 0 ? Settlement.Open : r.SettledBy switch { "credited" => Settlement.Credited, "written_off" => Settlement.WrittenOff, _ => Settlement.Paid },
                StepsTaken = notices.TryGetValue(r.Id, out var taken) ? taken.OrderBy(t => t.StepIndex).ToList() : [],
                Holds = byInvoice[r.Id].Concat(byCustomer[r.CustomerId]).Select(ToHold).ToList(),
                HandedOverOn = r.HandedOverOn,
                CurrentList = ListCodes.Parse(r.DunningList),
                ListEnteredOn = r.ListEnteredOn,
            };
            result.Add(new ClaimRow(state, new PlanSubject(r.CustomerKind, r.Category, r.Priority, state.OpenPrincipal, r.PaymentTermsDays),
                r.Number, r.CustomerNumber, r.CustomerName, r.Currency, r.DunningList, r.PreferredChannel));
        }
        return result;
    }

    private static Hold ToHold(DunningHold h) => new(
        h.Type switch { HoldType.Dispute => HoldKind.Dispute, HoldType.Deferral => HoldKind.Deferral, _ => HoldKind.Stop }, h.From, h.Until, h.Reason);
}

/// <summary>Stable snake_case codes for lists and step kinds, as stored and printed.</summary>
public static class ListCodes
{
    public static string Of(DunningList list) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(list.ToString());

    public static DunningList? Parse(string? code) =>
        code is null ? null : Enum.GetValues<DunningList>().Cast<DunningList?>().FirstOrDefault(l => Of(l!.Value) == code);

    public static string Of(StepKind kind) => ListPlans.Kind(kind);

    public static StepKind StepKindOf(string code) => code switch
    {
        "reminder" => StepKind.Reminder,
        "collection_notice" => StepKind.CollectionNotice,
        "payment_demand" => StepKind.PaymentDemand,
        "handover" => StepKind.Handover,
        _ => throw new InvalidOperationException($"unknown step kind '{code}' in the notices table"),
    };

    public static ChargeKind FeeChargeOf(StepKind kind) => kind switch
    {
        StepKind.Reminder => ChargeKind.ReminderFee,
        StepKind.CollectionNotice => ChargeKind.CollectionNoticeFee,
        _ => ChargeKind.PaymentDemandFee,
    };
}
