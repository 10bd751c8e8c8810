using Microsoft.EntityFrameworkCore;
using Purr.Core;
using Purr.Core.Calendar;
using Purr.Core.Interest;
using Purr.Data;
using Purr.Features.Common;

namespace Purr.Features.Interest;

/// <summary>
/// Forsinkelsesrente accrued on one invoice: from its due date (moved to a banking day, C1; the day after it, or the
/// due date itself when the creditor says so) to a date, on the principal still unpaid each day. Payments and credit
/// notes allocated to the invoice reduce the principal from the day after their date (C11). Fees and interest charged
/// earlier bear no interest (no rentes rente), and an interest note or credit note never accrues interest.
/// </summary>
public static class AccruedInterest
{
    /// <summary>Why an invoice accrues no interest at all.</summary>
    public static class Reasons
    {
        public const string InterestNote = "interest_note", CreditNote = "credit_note", NoDueDate = "no_due_date";
    }

    /// <summary>The interest on one invoice with what it was computed from.</summary>
    /// <param name="Invoice">The invoice (not tracked).</param>
    /// <param name="EffectiveDueDate">The due date moved to a banking day (C1); null without a due date.</param>
    /// <param name="From">The first interest day considered.</param>
    /// <param name="To">The last interest day considered: the date asked for, or the day the invoice was settled when earlier.</param>
    /// <param name="Result">The core result: total (null when a rate is missing), periods, missing periods.</param>
    /// <param name="NoInterestReason">Set when the invoice cannot accrue interest (see <see cref="Reasons"/>).</param>
    public sealed record Detail(Invoice Invoice, DateOnly? EffectiveDueDate, DateOnly From, DateOnly To, LateInterestResult Result, string? NoInterestReason);

    /// <summary>
    /// The interest accrued on invoice <paramref name="invoiceId"/> from its due date up to <paramref name="asOf"/>
    /// (or the day it was settled, when earlier). For a letter that claims interest: call with the send date.
    /// </summary>
    /// <exception cref="NotFoundException">No such invoice (for the creditor in scope).</exception>
    public static async Task<LateInterestResult> ForInvoiceAsync(PurrDbContext db, long invoiceId, DateOnly asOf, InterestRateTable rates, CancellationToken ct) =>
        (await DetailAsync(db, invoiceId, asOf, rates, sinceLastInterestCharge: false, ct)).Result;

    /// <summary>
    /// Like <see cref="ForInvoiceAsync"/>, with the context; with <paramref name="sinceLastInterestCharge"/> only the
    /// days after the last interest already charged on the invoice (<see cref="Charge.PeriodTo"/>) count.
    /// </summary>
    public static async Task<Detail> DetailAsync(PurrDbContext db, long invoiceId, DateOnly asOf, InterestRateTable rates, bool sinceLastInterestCharge, CancellationToken ct)
    {
        var invoice = await db.Invoices.AsNoTracking().Include(i => i.Customer).SingleOrDefaultAsync(i => i.Id == invoiceId, ct)
            ?? throw new NotFoundException($"no invoice with id {invoiceId}");
        var creditor = await db.Creditors.AsNoTracking().SingleAsync(c => c.Id == invoice.CreditorId, ct);
        var allocations = await db.Allocations.AsNoTracking().Where(a => a.InvoiceId == invoiceId && !a.Reversed).ToListAsync(ct);
        DateOnly? chargedThrough = null;
        if (sinceLastInterestCharge)
            chargedThrough = await db.Charges.AsNoTracking().Where(c => c.InvoiceId == invoiceId && c.Kind == ChargeKind.Interest && c.PeriodTo != null)
                .MaxAsync(c => c.PeriodTo, ct);
        return Compute(invoice, invoice.Customer!.Kind, creditor.InterestFromDueDate, allocations, chargedThrough, asOf, rates);
    }

    /// <summary>The computation itself, for callers that load many invoices at once.</summary>
    /// <param name="invoice">The invoice.</param>
    /// <param name="customerKind">Its customer's kind (consumers never pay above the statutory rate).</param>
    /// <param name="fromDueDate">The creditor's choice: interest from the due date itself.</param>
    /// <param name="allocations">The invoice's allocations; reversed ones are ignored.</param>
    /// <param name="chargedThrough">The last day interest was already charged for, or null.</param>
    /// <param name="asOf">The last interest day asked for.</param>
    /// <param name="rates">The effective rate table (<see cref="LoadRateTable"/>).</param>
    public static Detail Compute(Invoice invoice, CustomerKind customerKind, bool fromDueDate, IEnumerable<Allocation> allocations,
        DateOnly? chargedThrough, DateOnly asOf, InterestRateTable rates)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(rates);
        var currency = Currency.Parse(invoice.Currency);
        var none = new LateInterestResult(Money.Zero(currency), Money.Zero(currency), [], []);
        if (invoice.Kind == DocumentKind.InterestNote) return new(invoice, null, asOf, asOf, none, Reasons.InterestNote);
        if (invoice.Kind == DocumentKind.CreditNote) return new(invoice, null, asOf, asOf, none, Reasons.CreditNote);
        if (invoice.DueDate is not { } due) return new(invoice, null, asOf, asOf, none, Reasons.NoDueDate);

        var effective = NorwegianCalendar.Default.MoveToBankingDay(due);
        var to = invoice is { Open: <= 0, SettledOn: { } settled } && settled < asOf ? settled : asOf;
        var payments = allocations.Where(a => !a.Reversed && a.InvoiceId == invoice.Id)
            .Select(a => new InterestPayment(a.Date, Money.FromMinorUnits(a.Amount, currency))).ToList();
        var principal = Money.FromMinorUnits(invoice.Amount, currency);

        // Interest already charged up to a day: continue from the day after it, on the principal still unpaid then.
        var start = fromDueDate ? effective : effective.AddDays(1);
        LateInterestResult result;
        if (chargedThrough is { } through && through >= start)
        {
            start = through.AddDays(1);
            result = LateInterest.Calculate(principal, through, to, customerKind, rates, payments);
        }
        else
        {
            result = LateInterest.Calculate(principal, effective, to, customerKind, rates, payments,
                new LateInterestOptions { Start = fromDueDate ? InterestStart.DueDate : InterestStart.DayAfterDueDate });
        }
        return new(invoice, effective, start, to, result, null);
    }
}
