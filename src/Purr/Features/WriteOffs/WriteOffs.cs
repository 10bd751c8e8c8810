using Microsoft.EntityFrameworkCore;
using Purr.Core;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Interest;

namespace Purr.Features.WriteOffs;

/// <summary>
/// The accounts of the Norwegian standard chart of accounts (NS 4102) that write-offs and recoveries are booked on.
/// Kept in one place; docs/rules.md lists them.
/// </summary>
public static class LedgerAccounts
{
    /// <summary>1500 Kundefordringer (accounts receivable).</summary>
    public const string AccountsReceivable = "1500";
    /// <summary>1920 Bankinnskudd (bank deposits).</summary>
    public const string Bank = "1920";
    /// <summary>7830 Tap på fordringer (loss on receivables).</summary>
    public const string LossOnReceivables = "7830";
}

/// <summary>Accounting event kinds and the invoice status of a write-off.</summary>
public static class WriteOffKinds
{
    /// <summary><see cref="Invoice.SettledBy"/> of a written-off invoice.</summary>
    public const string WrittenOff = "written_off";
    public const string WriteOff = "write_off", Recovery = "recovery", RecoveryReversed = "recovery_reversed";
    /// <summary><see cref="Payment.MatchMethod"/> of a payment booked as a recovery.</summary>
    public const string RecoveryMatch = "recovery";
}

/// <summary>
/// Writes off (tapsfører) what remains of an invoice: its open amount goes to 0 with status written_off, it leaves
/// dunning, open fees and interest on it are waived, the claim history says who, when and why, and an accounting event
/// debits 7830 Tap på fordringer and credits 1500 Kundefordringer. A later payment for it is a recovery
/// (<see cref="Recoveries"/>).
/// </summary>
public static class WriteOffInvoice
{
    /// <param name="Number">The invoice (or interest note) number.</param>
    /// <param name="Reason">Why (required; kept in the history and the accounting text).</param>
    /// <param name="Date">The write-off date YYYY-MM-DD; default today; not after today nor before the issue date.</param>
    public sealed record Command(long? CreditorId, string Number, string? Reason, string? Date = null);

    public sealed record Result(string InvoiceNumber, string CustomerNumber, string Amount, string Currency, DateOnly Date, string Reason,
        string DebitAccount, string CreditAccount, string ChargesWaived, long AccountingEventId);

    public static async Task<Result> HandleAsync(PurrDbContext db, Command cmd, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var creditor = await CreditorScope.ResolveAsync(db, cmd.CreditorId, ct);
        var today = clock.Today();
        var date = today;
        if (cmd.Date is not null && !CalculateInterest.TryDate(cmd.Date, out date))
            throw RejectedInputException.Argument("--date", cmd.Date, "expected a date YYYY-MM-DD");
        if (string.IsNullOrWhiteSpace(cmd.Reason))
            throw RejectedInputException.Argument("--reason", cmd.Reason, "expected why the invoice is written off, e.g. \"konkurs, ingen dividende\"");
        var invoice = await InvoiceLookup.ClaimAsync(db, cmd.Number, ct);
        if (invoice.Open <= 0)
            throw RejectedInputException.Argument("number", cmd.Number, $"expected an invoice with an open amount: {invoice.Number} is {invoice.SettledBy ?? "settled"}");
        if (date > today) throw RejectedInputException.Argument("--date", cmd.Date, $"expected a date not after today ({today:yyyy-MM-dd})");
        if (date < invoice.IssueDate) throw RejectedInputException.Argument("--date", cmd.Date, $"expected a date on or after the issue date {invoice.IssueDate:yyyy-MM-dd}");

        var reason = cmd.Reason.Trim();
        var now = clock.GetUtcNow();
        var amount = invoice.Open;
        var openCharges = await db.Charges.Where(c => c.InvoiceId == invoice.Id && c.Open > 0).ToListAsync(ct);
        var waived = openCharges.Where(c => c.Currency == invoice.Currency).Sum(c => c.Open);
        foreach (var c in openCharges) c.Open = 0;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        invoice.Open = 0;
        invoice.SettledOn = date;
        invoice.SettledBy = WriteOffKinds.WrittenOff;
        var text = $"Tapsført faktura {invoice.Number}: {Dto.Amount(amount, invoice.Currency)} {invoice.Currency}. Årsak: {reason}";
        var ev = new AccountingEvent
        {
            CreditorId = creditor.Id, Date = date, Kind = WriteOffKinds.WriteOff, InvoiceId = invoice.Id, Amount = amount, Currency = invoice.Currency,
            DebitAccount = LedgerAccounts.LossOnReceivables, CreditAccount = LedgerAccounts.AccountsReceivable, Text = text, CreatedAt = now, Actor = actor.Name,
        };
        db.AccountingEvents.Add(ev);
        db.ClaimEvents.Add(new ClaimEvent
        {
            CreditorId = creditor.Id, CustomerId = invoice.CustomerId, InvoiceId = invoice.Id, At = now, Actor = actor.Name, Kind = "written_off",
            Text = $"written off {Dto.Amount(amount, invoice.Currency)} {invoice.Currency} as of {date:yyyy-MM-dd}: {reason}"
                + (waived > 0 ? $"; open fees and interest {Dto.Amount(waived, invoice.Currency)} {invoice.Currency} waived" : "")
                + $"; booked debit {LedgerAccounts.LossOnReceivables} credit {LedgerAccounts.AccountsReceivable}",
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new Result(invoice.Number, invoice.Customer!.CustomerNumber, Dto.Amount(amount, invoice.Currency), invoice.Currency, date, reason,
            LedgerAccounts.LossOnReceivables, LedgerAccounts.AccountsReceivable, Dto.Amount(waived, invoice.Currency), ev.Id);
    }
}

/// <summary>
/// Money that comes in for a written-off invoice: the invoice stays closed and the money is booked as a recovery
/// (debit 1920 Bankinnskudd, credit 7830 Tap på fordringer), at most what was written off and not yet recovered.
/// Called by <see cref="Ledger.LedgerSession"/> when a payment names a written-off invoice.
/// </summary>
public static class Recoveries
{
    /// <summary>What was written off on the invoice and not yet recovered, in minor units (counting unsaved events too).</summary>
    public static async Task<long> OutstandingAsync(PurrDbContext db, Invoice invoice, CancellationToken ct, IEnumerable<AccountingEvent>? pending = null)
    {
        if (invoice.Id != 0) await db.AccountingEvents.Where(e => e.InvoiceId == invoice.Id).LoadAsync(ct);
        return db.AccountingEvents.Local.Concat(pending ?? []).Where(e => e.Invoice == invoice || (invoice.Id != 0 && e.InvoiceId == invoice.Id))
            .Sum(e => e.Kind switch
            {
                WriteOffKinds.WriteOff => e.Amount,
                WriteOffKinds.Recovery => -e.Amount,
                WriteOffKinds.RecoveryReversed => e.Amount,
                _ => 0,
            });
    }

    /// <summary>
    /// Books up to the payment's unallocated amount as a recovery on the written-off invoice; returns the amount booked
    /// (0 when the invoice is fully recovered already). Allocates nothing to invoices.
    /// </summary>
    /// <remarks>
    /// <paramref name="add"/> receives the new rows when the caller writes them itself (the set-based payment import);
    /// <paramref name="pending"/> are recoveries it has not written yet, so one file never recovers more than was written off.
    /// </remarks>
    public static async Task<long> RecoverAsync(PurrDbContext db, long creditorId, Actor actor, DateTimeOffset now, Payment payment, Invoice invoice, CancellationToken ct,
        Action<object>? add = null, IEnumerable<AccountingEvent>? pending = null)
    {
        add ??= row => db.Add(row);
        var amount = Math.Min(payment.Unallocated, await OutstandingAsync(db, invoice, ct, pending));
        if (amount <= 0) return 0;
        payment.Unallocated -= amount;
        payment.MatchMethod = WriteOffKinds.RecoveryMatch;
        var reference = payment.BankReference ?? payment.Kid ?? $"of {payment.PaymentDate:yyyy-MM-dd}";
        add(new AccountingEvent
        {
            CreditorId = creditorId, Date = payment.PaymentDate, Kind = WriteOffKinds.Recovery, Invoice = invoice, Payment = payment, Amount = amount,
            Currency = payment.Currency, DebitAccount = LedgerAccounts.Bank, CreditAccount = LedgerAccounts.LossOnReceivables,
            Text = $"Inngått på tapsført faktura {invoice.Number}: {Dto.Amount(amount, payment.Currency)} {payment.Currency} (innbetaling {reference})",
            CreatedAt = now, Actor = actor.Name,
        });
        add(new ClaimEvent
        {
            CreditorId = creditorId, CustomerId = invoice.CustomerId, Invoice = invoice, At = now, Actor = actor.Name, Kind = "recovery",
            Text = $"{Dto.Amount(amount, payment.Currency)} {payment.Currency} from payment {reference} booked as recovery on the written-off invoice; it stays closed",
        });
        return amount;
    }

    /// <summary>Reverses the recoveries booked from a payment that is itself reversed (contra entries; the invoice stays written off).</summary>
    public static async Task ReverseAsync(PurrDbContext db, long creditorId, Actor actor, DateTimeOffset now, Payment payment, string reason, CancellationToken ct)
    {
        if (payment.Id == 0) return;
        var booked = await db.AccountingEvents.Include(e => e.Invoice).Where(e => e.PaymentId == payment.Id).ToListAsync(ct);
        foreach (var g in booked.Where(e => e.InvoiceId != null).GroupBy(e => e.InvoiceId))
        {
            var net = g.Sum(e => e.Kind == WriteOffKinds.Recovery ? e.Amount : e.Kind == WriteOffKinds.RecoveryReversed ? -e.Amount : 0);
            if (net <= 0) continue;
            var invoice = g.First().Invoice!;
            db.AccountingEvents.Add(new AccountingEvent
            {
                CreditorId = creditorId, Date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, BusinessClock.Oslo).DateTime), Kind = WriteOffKinds.RecoveryReversed, Invoice = invoice, Payment = payment,
                Amount = net, Currency = payment.Currency, DebitAccount = LedgerAccounts.LossOnReceivables, CreditAccount = LedgerAccounts.Bank,
                Text = $"Tilbakeført inngang på tapsført faktura {invoice.Number}: {Dto.Amount(net, payment.Currency)} {payment.Currency}. {reason}",
                CreatedAt = now, Actor = actor.Name,
            });
            db.ClaimEvents.Add(new ClaimEvent
            {
                CreditorId = creditorId, CustomerId = invoice.CustomerId, Invoice = invoice, At = now, Actor = actor.Name, Kind = "recovery_reversed",
                Text = $"{Dto.Amount(net, payment.Currency)} {payment.Currency} recovery reversed: {reason}",
            });
        }
    }
}
