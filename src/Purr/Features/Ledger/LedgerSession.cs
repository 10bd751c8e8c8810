using Microsoft.EntityFrameworkCore;
using Purr.Core;
using Purr.Core.Ledger;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.WriteOffs;

namespace Purr.Features.Ledger;

/// <summary>
/// Applies the core <see cref="AllocationRules"/> to tracked ledger rows: payments and credit notes onto open invoices,
/// and reversals. Open invoices are loaded once per customer and kept in memory, so a whole import is posted with
/// one SaveChanges. The caller owns the transaction.
/// </summary>
/// <remarks>
/// New rows (allocations, claim-history lines) are added to the context, or handed to <c>add</c> when the caller
/// writes them itself (a bulk import with <see cref="Data.BulkWriter"/>: untracked rows, preloaded with
/// <see cref="Preload"/>); then the caller also writes the invoices and payments the session changed.
/// </remarks>
public sealed class LedgerSession(PurrDbContext db, Creditor creditor, Actor actor, DateTimeOffset now, Action<object>? add = null)
{
    private readonly Dictionary<long, List<Invoice>> _openByCustomer = [];
    private readonly Action<object> _add = add ?? (row => db.Add(row));
    private readonly List<AccountingEvent> _recoveries = [];

    /// <summary>Books a payment as recovery on a written-off invoice through this session's row hand-off.</summary>
    private Task<long> RecoverAsync(Payment payment, Invoice target, CancellationToken ct) =>
        Recoveries.RecoverAsync(db, creditor.Id, actor, now, payment, target, ct, row =>
        {
            if (row is AccountingEvent e) _recoveries.Add(e);
            _add(row);
        }, _recoveries);
    private bool _complete;

    /// <summary>
    /// Seeds the session with tracked open invoices loaded in one query (bulk imports). With
    /// <paramref name="complete"/> the list holds every open invoice of the creditor, so a customer not in it has none
    /// and is never queried.
    /// </summary>
    public void Preload(IEnumerable<Invoice> openInvoices, bool complete)
    {
        foreach (var inv in openInvoices)
        {
            if (inv.Kind == DocumentKind.CreditNote || inv.Open <= 0) continue;
            if (!_openByCustomer.TryGetValue(inv.CustomerId, out var list)) _openByCustomer[inv.CustomerId] = list = [];
            if (!list.Contains(inv)) list.Add(inv);
        }
        _complete |= complete;
    }

    /// <summary>Makes a newly added invoice visible to later allocations in the same session.</summary>
    public async Task TrackNewInvoiceAsync(Invoice invoice, CancellationToken ct)
    {
        if (invoice.Kind == DocumentKind.CreditNote) return;
        (await OpenInvoicesAsync(invoice.CustomerId, ct)).Add(invoice);
    }

    /// <summary>Open invoices (and interest notes) of a customer, tracked.</summary>
    public async Task<List<Invoice>> OpenInvoicesAsync(long customerId, CancellationToken ct)
    {
        if (_openByCustomer.TryGetValue(customerId, out var list)) return list;
        if (_complete) return _openByCustomer[customerId] = [];
        list = await db.Invoices.Where(i => i.CustomerId == customerId && i.Open > 0 && i.Kind != DocumentKind.CreditNote).ToListAsync(ct);
        _openByCustomer[customerId] = list;
        return list;
    }

    /// <summary>
    /// Allocates what is unallocated of a payment to the customer's open invoices: <paramref name="target"/> first
    /// (when given), then oldest first; the rest stays on the payment as the customer's credit balance.
    /// A written-off <paramref name="target"/> stays closed: the payment is booked as a recovery on it (up to what was
    /// written off), and only what is left goes on as for a payment that names no invoice.
    /// </summary>
    public async Task<IReadOnlyList<Allocation>> AllocatePaymentAsync(Payment payment, long customerId, Invoice? target, CancellationToken ct, bool onlyTarget = false)
    {
        payment.CustomerId = customerId;
        if (target is { Open: 0, SettledBy: WriteOffKinds.WrittenOff } && target.Currency == payment.Currency)
        {
            await RecoverAsync(payment, target, ct);
            target = null;
        }
        var currency = Currency.Parse(payment.Currency);
        var open = (await OpenInvoicesAsync(customerId, ct)).Where(i => i.Currency == payment.Currency).ToList();
        if (onlyTarget) open = open.Where(i => i == target).ToList();
        var result = AllocationRules.Apply(Money.FromMinorUnits(payment.Unallocated, currency), ToOpen(open), Position(open, target), onlyTarget);
        var made = Post(result, open, payment.PaymentDate, "paid", inv => new Allocation
        {
            CreditorId = creditor.Id, Invoice = inv, Payment = payment, Date = payment.PaymentDate, CreatedAt = now,
        }, payment, null);
        payment.Unallocated = result.Remainder.ToMinorUnits();
        payment.Status = payment.Unallocated == payment.Amount ? PaymentStatus.Unmatched : payment.Unallocated == 0 ? PaymentStatus.Matched : PaymentStatus.PartlyMatched;
        if (made.Count > 0 && payment.Status == PaymentStatus.Unmatched) payment.Status = PaymentStatus.Matched;
        if (payment.Unallocated > 0)
            Event(customerId, null, "credit_balance", $"{Dto.Amount(payment.Unallocated, payment.Currency)} {payment.Currency} of payment {Ref(payment)} kept as credit balance");
        return made;
    }

    /// <summary>
    /// Allocates what is unallocated of a payment: to <paramref name="targets"/> in the order given (each as far as it
    /// is open), then to the customer's other open invoices oldest first; the rest is the customer's credit balance.
    /// The payment belongs to the customer afterwards (status matched, even when it all became credit).
    /// </summary>
    public async Task<IReadOnlyList<Allocation>> AllocatePaymentAsync(Payment payment, long customerId, IReadOnlyList<Invoice> targets, CancellationToken ct)
    {
        payment.CustomerId = customerId;
        var currency = Currency.Parse(payment.Currency);
        var open = (await OpenInvoicesAsync(customerId, ct)).Where(i => i.Currency == payment.Currency).ToList();
        var made = new List<Allocation>();
        // A written-off target stays closed: the money is booked as a recovery on it first.
        foreach (var writtenOff in targets.Where(t => t is { Open: 0, SettledBy: WriteOffKinds.WrittenOff } && t.Currency == payment.Currency))
            await RecoverAsync(payment, writtenOff, ct);
        var left = Money.FromMinorUnits(payment.Unallocated, currency);
        foreach (var target in targets)
        {
            if (!left.IsPositive) break;
            if (Position(open, target) is not { } at) continue;
            var r = AllocationRules.Apply(left, ToOpen(open), at, onlyPreferred: true);
            made.AddRange(PostPayment(r, open, payment));
            left = r.Remainder;
        }
        if (left.IsPositive)
        {
            var rest = AllocationRules.Apply(left, ToOpen(open));
            made.AddRange(PostPayment(rest, open, payment));
            left = rest.Remainder;
        }
        payment.Unallocated = left.ToMinorUnits();
        payment.Status = payment.Unallocated == 0 ? PaymentStatus.Matched : made.Count > 0 ? PaymentStatus.PartlyMatched : PaymentStatus.Matched;
        if (payment.Unallocated > 0)
            Event(customerId, null, "credit_balance", $"{Dto.Amount(payment.Unallocated, payment.Currency)} {payment.Currency} of payment {Ref(payment)} kept as credit balance");
        return made;
    }

    /// <summary>
    /// Moves <paramref name="amount"/> (minor units; at most what is unallocated and what is open) of a payment onto one
    /// invoice, by hand. The payment becomes the invoice's customer's.
    /// </summary>
    public async Task<Allocation?> AllocateToInvoiceAsync(Payment payment, Invoice invoice, long amount, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        payment.CustomerId = invoice.CustomerId;
        var currency = Currency.Parse(payment.Currency);
        var open = (await OpenInvoicesAsync(invoice.CustomerId, ct)).Where(i => i.Currency == payment.Currency).ToList();
        if (Position(open, invoice) is not { } at) return null;
        var take = Math.Min(amount, payment.Unallocated);
        var r = AllocationRules.Apply(Money.FromMinorUnits(take, currency), ToOpen(open), at, onlyPreferred: true);
        var made = PostPayment(r, open, payment);
        payment.Unallocated -= take - r.Remainder.ToMinorUnits();
        payment.Status = payment.Unallocated == 0 ? PaymentStatus.Matched : PaymentStatus.PartlyMatched;
        return made.SingleOrDefault();
    }

    private List<Allocation> PostPayment(AllocationResult result, List<Invoice> open, Payment payment) =>
        Post(result, open, payment.PaymentDate, "paid", inv => new Allocation
        {
            CreditorId = creditor.Id, Invoice = inv, Payment = payment, Date = payment.PaymentDate, CreatedAt = now,
        }, payment, null);

    /// <summary>Sets a credit note off against the invoice it credits (or the oldest open ones); the rest stays as credit.</summary>
    public async Task<IReadOnlyList<Allocation>> ApplyCreditNoteAsync(Invoice creditNote, Invoice? credits, CancellationToken ct)
    {
        var currency = Currency.Parse(creditNote.Currency);
        var open = (await OpenInvoicesAsync(creditNote.CustomerId, ct)).Where(i => i.Currency == creditNote.Currency).ToList();
        var result = AllocationRules.Apply(Money.FromMinorUnits(creditNote.Open, currency), ToOpen(open), Position(open, credits));
        var made = Post(result, open, creditNote.IssueDate, "credited", inv => new Allocation
        {
            CreditorId = creditor.Id, Invoice = inv, CreditNote = creditNote, Date = creditNote.IssueDate, CreatedAt = now,
        }, null, creditNote);
        creditNote.Open = result.Remainder.ToMinorUnits();
        if (creditNote.Open == 0) { creditNote.SettledOn = creditNote.IssueDate; creditNote.SettledBy = "used"; }
        return made;
    }

    /// <summary>Undoes every allocation of a payment; the invoices it paid are open again (and returned).</summary>
    public async Task<IReadOnlyList<Invoice>> ReversePaymentAsync(Payment payment, string reason, CancellationToken ct)
    {
        await Recoveries.ReverseAsync(db, creditor.Id, actor, now, payment, reason, ct);
        var allocations = await db.Allocations.Where(a => a.PaymentId == payment.Id && !a.Reversed).ToListAsync(ct);
        var invoices = new Dictionary<long, Invoice>();
        foreach (var a in allocations)
            if (!invoices.ContainsKey(a.InvoiceId)) invoices[a.InvoiceId] = await db.Invoices.SingleAsync(i => i.Id == a.InvoiceId, ct);
        return await ReverseAllocationsAsync(payment, allocations, a => invoices[a.InvoiceId], reason, ct);
    }

    /// <summary>
    /// Undoes the given allocations of a payment (the caller found them: its own untracked rows); the invoices are open
    /// again (and returned), the payment is reversed.
    /// </summary>
    public async Task<IReadOnlyList<Invoice>> ReverseAllocationsAsync(Payment payment, IEnumerable<Allocation> allocations, Func<Allocation, Invoice> invoiceOf,
        string reason, CancellationToken ct)
    {
        var reopened = new List<Invoice>();
        foreach (var a in allocations.Where(a => !a.Reversed))
        {
            var inv = invoiceOf(a);
            inv.Open += a.Amount;
            inv.SettledOn = null;
            inv.SettledBy = null;
            a.Reversed = true;
            if (!(await OpenInvoicesAsync(inv.CustomerId, ct)).Contains(inv)) _openByCustomer[inv.CustomerId].Add(inv);
            if (!reopened.Contains(inv)) reopened.Add(inv);
            Event(inv, "payment_reversed", $"{Dto.Amount(a.Amount, inv.Currency)} {inv.Currency} of payment {Ref(payment)} reversed: {reason}");
        }
        payment.Unallocated = 0;
        payment.Status = PaymentStatus.Reversed;
        return reopened;
    }

    /// <summary>Adds a claim-history line for an invoice (saved or not).</summary>
    public void Event(Invoice invoice, string kind, string text) =>
        _add(new ClaimEvent
        {
            CreditorId = creditor.Id, CustomerId = invoice.CustomerId == 0 ? null : invoice.CustomerId, Customer = invoice.Customer,
            Invoice = invoice, At = now, Actor = actor.Name, Kind = kind, Text = text,
        });

    /// <summary>Adds a claim-history line.</summary>
    public void Event(long? customerId, long? invoiceId, string kind, string text) =>
        _add(new ClaimEvent
        {
            CreditorId = creditor.Id, CustomerId = customerId, InvoiceId = invoiceId, At = now, Actor = actor.Name, Kind = kind, Text = text,
        });

    private List<Allocation> Post(AllocationResult result, List<Invoice> open, DateOnly date, string settledBy,
        Func<Invoice, Allocation> make, Payment? payment, Invoice? creditNote)
    {
        var made = new List<Allocation>();
        foreach (var line in result.Lines)
        {
            var inv = open[(int)line.InvoiceId];
            var minor = line.Amount.ToMinorUnits();
            inv.Open -= minor;
            if (inv.Open == 0) { inv.SettledOn = date; inv.SettledBy = settledBy; }
            var a = make(inv);
            a.Amount = minor;
            _add(a);
            made.Add(a);
            var by = payment is not null ? $"payment {Ref(payment)}" : $"credit note {creditNote!.Number}";
            Event(inv, payment is not null ? "payment_allocated" : "credited",
                $"{line.Amount.ToDecimalString()} {inv.Currency} from {by}; open {Dto.Amount(inv.Open, inv.Currency)}");
        }
        return made;
    }

    private static string Ref(Payment p) => p.BankReference ?? p.Kid ?? $"of {p.PaymentDate:yyyy-MM-dd}";

    // Allocation lines are keyed by position in the list: new invoices have no database id until saved.
    private static long? Position(List<Invoice> open, Invoice? target) => target is null ? null : open.IndexOf(target) is var i and >= 0 ? i : null;

    private static IEnumerable<OpenInvoice> ToOpen(List<Invoice> open) =>
        open.Select((i, index) => new OpenInvoice(index, i.Number, i.IssueDate, i.DueDate, Money.FromMinorUnits(i.Open, Currency.Parse(i.Currency))));
}
