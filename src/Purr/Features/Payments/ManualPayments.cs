using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Purr.Core;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Ledger;

namespace Purr.Features.Payments;

/// <summary>
/// Allocates a payment by hand: onto one invoice (all that fits, or a given amount), or onto a customer (oldest
/// invoices first, the rest credit). Works on unmatched payments and on what is left unallocated (credit) of matched
/// ones. Recorded in the payment's and the invoice's history with who and when.
/// </summary>
public static class AllocatePayment
{
    /// <param name="Amount">Major units ("1250.00"); null: as much as fits.</param>
    public sealed record Command(long? CreditorId, long PaymentId, string? InvoiceNumber, string? CustomerNumber = null, string? Amount = null);

    public sealed record Result(PaymentRowDto Payment, IReadOnlyList<AllocationDto> Allocations);

    public static async Task<Result> HandleAsync(PurrDbContext db, Command cmd, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var creditor = await CreditorScope.ResolveAsync(db, cmd.CreditorId, ct);
        if ((cmd.InvoiceNumber is null) == (cmd.CustomerNumber is null))
            throw RejectedInputException.Argument("--invoice", cmd.InvoiceNumber, "either --invoice NUMBER or --customer NUMBER");
        if (cmd.CustomerNumber is not null && cmd.Amount is not null)
            throw RejectedInputException.Argument("--amount", cmd.Amount, "--amount with --invoice only (a customer gets everything, oldest invoices first)");
        var p = await ManualSteps.LoadPaymentAsync(db, cmd.PaymentId, ct);
        if (p.Amount <= 0) throw RejectedInputException.Argument("payment", P(p), "money in: a reversal is paired with 'purr payments reverse'");
        if (p.Status is PaymentStatus.Reversed or PaymentStatus.Refunded)
            throw RejectedInputException.Argument("payment", P(p), $"a payment that is not {ListPayments.StatusCode(p.Status)}");
        if (p.Unallocated <= 0) throw RejectedInputException.Argument("payment", P(p), "a payment with money left to allocate (this one is fully allocated)");

        var now = clock.GetUtcNow();
        var session = new LedgerSession(db, creditor, actor, now);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        IReadOnlyList<Allocation> made;
        string text;
        if (cmd.InvoiceNumber is { } number)
        {
            var invoice = await db.Invoices.Where(i => i.Number == number && i.Kind != DocumentKind.CreditNote).OrderBy(i => i.Kind).FirstOrDefaultAsync(ct)
                ?? throw new NotFoundException($"no invoice with number {number}");
            if (invoice.Currency != p.Currency) throw RejectedInputException.Argument("--invoice", number, $"an invoice in {p.Currency} (it is in {invoice.Currency})");
            if (invoice.Open <= 0) throw RejectedInputException.Argument("--invoice", number, "an open invoice (it is settled)");
            if (p.CustomerId is { } owner && owner != invoice.CustomerId)
                throw RejectedInputException.Argument("--invoice", number, $"an invoice of the payment's customer {await NumberOfAsync(db, owner, ct)}");
            var amount = Math.Min(p.Unallocated, invoice.Open);
            if (cmd.Amount is { } raw)
            {
                amount = ParseAmount(raw, p.Currency);
                if (amount > p.Unallocated) throw RejectedInputException.Argument("--amount", raw, $"at most what is unallocated, {Dto.Amount(p.Unallocated, p.Currency)}");
                if (amount > invoice.Open) throw RejectedInputException.Argument("--amount", raw, $"at most what is open on invoice {number}, {Dto.Amount(invoice.Open, invoice.Currency)}");
            }
            var a = await session.AllocateToInvoiceAsync(p, invoice, amount, ct);
            made = a is null ? [] : [a];
            text = $"{Dto.Amount(amount, p.Currency)} {p.Currency} allocated to invoice {number} by hand";
        }
        else
        {
            var customer = await db.Customers.SingleOrDefaultAsync(c => c.CustomerNumber == cmd.CustomerNumber, ct)
                ?? throw new NotFoundException($"no customer with number {cmd.CustomerNumber}");
            if (p.CustomerId is { } owner && owner != customer.Id)
                throw RejectedInputException.Argument("--customer", cmd.CustomerNumber, $"the payment's customer {await NumberOfAsync(db, owner, ct)}");
            made = await session.AllocatePaymentAsync(p, customer.Id, [], ct);
            text = $"put on customer {customer.CustomerNumber} by hand: " + (made.Count == 0 ? "no open invoices, all credit" :
                string.Join(", ", made.Select(x => $"{Dto.Amount(x.Amount, p.Currency)} to {x.Invoice!.Number}")));
        }
        p.MatchMethod ??= "manual";
        ManualSteps.Event(db, creditor, p, actor, now, "allocated", text + $"; {Dto.Amount(p.Unallocated, p.Currency)} left unallocated");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var shown = await ShowPayment.HandleAsync(db, new ShowPayment.Query(creditor.Id, p.Id), ct);
        return new Result(shown.Payment, shown.Allocations);
    }

    /// <summary>Parses an amount in major units ("1250.00", "1250,50", "1 250") to minor units; positive, within the currency's decimals.</summary>
    internal static long ParseAmount(string raw, string currency)
    {
        var text = raw.Replace(" ", "", StringComparison.Ordinal).Replace('\u00A0'.ToString(), "", StringComparison.Ordinal).Replace(',', '.');
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value <= 0)
            throw RejectedInputException.Argument("--amount", raw, "a positive amount like 1250.00");
        var money = new Money(value, Currency.Parse(currency));
        if (money.RoundToMinorUnit() != money) throw RejectedInputException.Argument("--amount", raw, $"an amount in whole {currency} minor units");
        return money.ToMinorUnits();
    }

    private static string P(Payment p) => p.Id.ToString(CultureInfo.InvariantCulture);

    private static async Task<string> NumberOfAsync(PurrDbContext db, long customerId, CancellationToken ct) =>
        await db.Customers.Where(c => c.Id == customerId).Select(c => c.CustomerNumber).SingleAsync(ct);
}

/// <summary>
/// Refunds what is unallocated of a payment (money sent back): the payment becomes refunded and a negative refund row
/// records the money out, so the customer's credit balance and the ledger's "paid" both drop by the refunded amount.
/// </summary>
public static class RefundPayment
{
    public sealed record Command(long? CreditorId, long PaymentId, string? Reason = null);

    public sealed record Result(PaymentRowDto Payment, PaymentRowDto Refund);

    public static async Task<Result> HandleAsync(PurrDbContext db, Command cmd, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var creditor = await CreditorScope.ResolveAsync(db, cmd.CreditorId, ct);
        var p = await ManualSteps.LoadPaymentAsync(db, cmd.PaymentId, ct);
        var id = p.Id.ToString(CultureInfo.InvariantCulture);
        if (p.Amount <= 0) throw RejectedInputException.Argument("payment", id, "money in (this is a reversal or a refund)");
        if (p.Status is PaymentStatus.Reversed or PaymentStatus.Refunded)
            throw RejectedInputException.Argument("payment", id, $"a payment that is not {ListPayments.StatusCode(p.Status)}");
        if (p.Unallocated <= 0) throw RejectedInputException.Argument("payment", id, "a payment with an unallocated part to refund (this one is fully allocated)");

        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var amount = p.Unallocated;
        var refund = new Payment
        {
            CreditorId = creditor.Id, CustomerId = p.CustomerId, PaymentDate = clock.Today(), Amount = -amount, Unallocated = 0, Currency = p.Currency,
            PayerName = p.PayerName, PayerAccount = p.PayerAccount, Text = cmd.Reason, Source = "refund", Status = PaymentStatus.Refunded,
            MatchMethod = "refund", ReversesPaymentId = p.Id, CreatedAt = now,
        };
        db.Payments.Add(refund);
        p.Unallocated = 0;
        p.Status = PaymentStatus.Refunded;
        var text = $"{Dto.Amount(amount, p.Currency)} {p.Currency} refunded" + (cmd.Reason is { } r ? $": {r}" : "");
        ManualSteps.Event(db, creditor, p, actor, now, "refunded", text);
        ManualSteps.Event(db, creditor, refund, actor, now, "refund", $"refund of payment {id}" + (cmd.Reason is { } r2 ? $": {r2}" : ""));
        if (p.CustomerId is { } c)
            db.ClaimEvents.Add(new ClaimEvent { CreditorId = creditor.Id, CustomerId = c, At = now, Actor = actor.Name, Kind = "credit_refunded", Text = $"{text} (payment {id})" });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var rows = await ListPayments.ToDtosAsync(db, [p, refund], ct);
        return new Result(rows[0], rows[1]);
    }
}

/// <summary>
/// Pairs a reversal from the bank that the import could not place (a negative unmatched item) with the payment it takes
/// back: the payment's allocations are undone (its invoices are open again) and both rows become reversed.
/// </summary>
public static class ReversePayment
{
    public sealed record Command(long? CreditorId, long ReversalId, long OriginalId);

    public sealed record Result(PaymentRowDto Reversal, PaymentRowDto Original, IReadOnlyList<string> ReopenedInvoices);

    public static async Task<Result> HandleAsync(PurrDbContext db, Command cmd, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var creditor = await CreditorScope.ResolveAsync(db, cmd.CreditorId, ct);
        var reversal = await ManualSteps.LoadPaymentAsync(db, cmd.ReversalId, ct);
        var original = await ManualSteps.LoadPaymentAsync(db, cmd.OriginalId, ct);
        var rid = reversal.Id.ToString(CultureInfo.InvariantCulture);
        var oid = original.Id.ToString(CultureInfo.InvariantCulture);
        if (reversal.Amount >= 0 || reversal.Status != PaymentStatus.Unmatched)
            throw RejectedInputException.Argument("reversal", rid, "an unmatched reversal (a negative item in 'purr payments unmatched')");
        if (original.Amount <= 0 || original.Status is PaymentStatus.Reversed or PaymentStatus.Refunded)
            throw RejectedInputException.Argument("--original", oid, "a payment (money in) that is not reversed or refunded");
        if (original.Amount != -reversal.Amount || original.Currency != reversal.Currency)
            throw RejectedInputException.Argument("--original", oid,
                $"a payment of {Dto.Amount(-reversal.Amount, reversal.Currency)} {reversal.Currency}, the reversed amount (it is {Dto.Amount(original.Amount, original.Currency)} {original.Currency})");

        var now = clock.GetUtcNow();
        var session = new LedgerSession(db, creditor, actor, now);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var reopened = await session.ReversePaymentAsync(original, $"reversed by payment {rid} (by hand)", ct);
        reversal.Status = PaymentStatus.Reversed;
        reversal.ReversesPaymentId = original.Id;
        reversal.CustomerId = original.CustomerId;
        reversal.MatchMethod = "reversal";
        ManualSteps.Event(db, creditor, reversal, actor, now, "reversal", $"paired by hand with payment {oid}, which it reverses");
        ManualSteps.Event(db, creditor, original, actor, now, "reversed",
            $"reversed by payment {rid} (paired by hand); allocations undone" + (reopened.Count > 0 ? ": " + string.Join(", ", reopened.Select(i => i.Number)) + " open again" : ""));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var rows = await ListPayments.ToDtosAsync(db, [reversal, original], ct);
        return new Result(rows[0], rows[1], reopened.Select(i => i.Number).ToList());
    }
}

internal static class ManualSteps
{
    public static async Task<Payment> LoadPaymentAsync(PurrDbContext db, long id, CancellationToken ct) =>
        await db.Payments.SingleOrDefaultAsync(p => p.Id == id, ct) ?? throw new NotFoundException($"no payment with id {id} (see: purr payments list)");

    public static void Event(PurrDbContext db, Creditor creditor, Payment p, Actor actor, DateTimeOffset at, string kind, string text) =>
        db.PaymentEvents.Add(new PaymentEvent { CreditorId = creditor.Id, Payment = p, At = at, Actor = actor.Name, Kind = kind, Text = text });
}
