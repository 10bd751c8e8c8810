using Microsoft.EntityFrameworkCore;
using Purr.Core;
using Purr.Core.Formats;
using Purr.Data;
using Purr.Features.Common;

namespace Purr.Features.Interest;

/// <summary>
/// Charges the interest accrued on an open invoice by hand: from the due date (or the day after the last interest
/// charge) to a date, as a <see cref="Charge"/> of kind Interest with its period, and a line in the claim history
/// saying who and when. Refused, with the reason, when there is nothing to charge or a rate is missing.
/// </summary>
public static class AddInterest
{
    /// <param name="InvoiceNumber">The invoice.</param>
    /// <param name="AsOf">The last interest day, YYYY-MM-DD; default today. Not after today.</param>
    public sealed record Command(long? CreditorId, string InvoiceNumber, string? AsOf = null);

    public sealed record Result(long ChargeId, string InvoiceNumber, string CustomerNumber, DateOnly From, DateOnly To, string Amount, string Currency,
        IReadOnlyList<InterestPeriodDto> Periods, IReadOnlyList<string> Warnings);

    public static async Task<Result> HandleAsync(PurrDbContext db, Command cmd, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var creditor = await CreditorScope.ResolveAsync(db, cmd.CreditorId, ct);
        var today = clock.Today();
        var asOf = today;
        if (cmd.AsOf is not null && !CalculateInterest.TryDate(cmd.AsOf, out asOf))
            throw RejectedInputException.Argument("--as-of", cmd.AsOf, "expected a date YYYY-MM-DD");
        if (asOf > today) throw RejectedInputException.Argument("--as-of", cmd.AsOf, $"expected a date not after today ({today:yyyy-MM-dd}): interest is charged for days that have passed");
        var invoice = await InvoiceLookup.ClaimAsync(db, cmd.InvoiceNumber, ct);
        InputError Refuse(string expected) => new("(command)", 0, "invoice", cmd.InvoiceNumber, expected);
        if (invoice.Open <= 0)
            throw new RejectedInputException([Refuse($"expected an open invoice: {invoice.Number} is {invoice.SettledBy ?? "settled"}")]);

        var rates = await LoadRateTable.HandleAsync(db, ct);
        var detail = await AccruedInterest.DetailAsync(db, invoice.Id, asOf, rates, sinceLastInterestCharge: true, ct);
        var r = detail.Result;
        if (detail.NoInterestReason is { } why)
            throw new RejectedInputException([Refuse(why switch
            {
                AccruedInterest.Reasons.InterestNote => "expected an invoice: an interest note bears no interest (no interest on interest)",
                AccruedInterest.Reasons.NoDueDate => "expected an invoice with a due date",
                _ => "expected an invoice",
            })]);
        if (!r.IsComplete)
            throw new RejectedInputException([Refuse("expected known rates for every day: " + string.Join("; ", InterestDtos.Warnings(r).Where(w => w.StartsWith("no forsinkelsesrente", StringComparison.Ordinal))))]);
        if (r.Total is not { IsPositive: true } total)
            throw new RejectedInputException([Refuse(detail.From > detail.To
                ? $"expected interest to charge: none has accrued by {detail.To:yyyy-MM-dd} (the first interest day is {detail.From:yyyy-MM-dd})"
                : $"expected interest to charge: the interest from {detail.From:yyyy-MM-dd} to {detail.To:yyyy-MM-dd} rounds to 0")]);

        var now = clock.GetUtcNow();
        var minor = total.ToMinorUnits();
        var text = $"Forsinkelsesrente {detail.From:dd.MM.yyyy}–{detail.To:dd.MM.yyyy}: {AmountText.Nb(total)} {invoice.Currency}";
        var charge = new Charge
        {
            CreditorId = creditor.Id, InvoiceId = invoice.Id, Kind = ChargeKind.Interest, Amount = minor, Open = minor, Currency = invoice.Currency,
            Date = today, PeriodFrom = detail.From, PeriodTo = detail.To, Text = text, Actor = actor.Name, CreatedAt = now,
        };
        db.Charges.Add(charge);
        db.ClaimEvents.Add(new ClaimEvent
        {
            CreditorId = creditor.Id, CustomerId = invoice.CustomerId, InvoiceId = invoice.Id, At = now, Actor = actor.Name, Kind = "interest_charged",
            Text = $"interest {detail.From:yyyy-MM-dd} to {detail.To:yyyy-MM-dd} ({total.ToDecimalString()} {invoice.Currency}) charged by hand",
        });
        await db.SaveChangesAsync(ct);
        return new Result(charge.Id, invoice.Number, invoice.Customer!.CustomerNumber, detail.From, detail.To, total.ToDecimalString(), invoice.Currency,
            InterestDtos.Periods(r), InterestDtos.Warnings(r));
    }
}

/// <summary>Finds an invoice or interest note by number for the creditor in scope.</summary>
internal static class InvoiceLookup
{
    /// <summary>An invoice (preferred) or interest note with the number; never a credit note.</summary>
    public static async Task<Invoice> ClaimAsync(PurrDbContext db, string number, CancellationToken ct)
    {
        var matches = await db.Invoices.Include(i => i.Customer).Where(i => i.Number == number && i.Kind != DocumentKind.CreditNote).ToListAsync(ct);
        return matches.OrderBy(i => i.Kind).FirstOrDefault() ?? throw new NotFoundException($"no invoice with number {number}");
    }
}
