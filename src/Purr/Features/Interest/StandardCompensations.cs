using Microsoft.EntityFrameworkCore;
using Purr.Core;
using Purr.Core.Calendar;
using Purr.Core.Interest;
using Purr.Data;
using Purr.Features.Common;

namespace Purr.Features.Interest;

/// <summary>
/// Adds the § 3a standard compensation (forsinkelsesrenteloven § 3a) to claims, once per claim, for creditors that
/// claim it (<see cref="Creditor.ClaimsStandardCompensation"/>): business and public debtors only, never consumers; the
/// NOK amount of the half-year containing the first day of default (the C1 due date + 1), less the reminder fees
/// already charged on the claim, never below 0 (C12). Not added where an inkassovarsel or betalingsoppfordring fee
/// has been charged (whether those count as purregebyr to deduct is not settled), nor when the amount for the
/// half-year is not known (never guessed).
/// </summary>
public static class ApplyStandardCompensation
{
    /// <summary>Why a claim got no compensation.</summary>
    public static class Reasons
    {
        public const string NotClaimed = "not_claimed", Consumer = "consumer", InterestNote = "interest_note", NotInDefault = "not_in_default",
            NoDueDate = "no_due_date", Settled = "settled", AlreadyCharged = "already_charged", CollectionFeeCharged = "collection_fee_charged",
            Missing = "missing", NotInForce = "not_in_force", CoveredByReminderFees = "covered_by_reminder_fees";
    }

    /// <param name="InvoiceNumber">One invoice; null for every overdue invoice of the creditor.</param>
    public sealed record Command(long? CreditorId, string? InvoiceNumber = null);

    public sealed record AppliedDto(string InvoiceNumber, string CustomerNumber, DateOnly FirstDayOfDefault, DateOnly HalfYear, string HalfYearAmount,
        string ReminderFees, string Amount, string Currency, long ChargeId);

    public sealed record SkippedDto(string InvoiceNumber, string CustomerNumber, string Reason);

    /// <param name="ClaimsStandardCompensation">The creditor's setting; nothing is added when off.</param>
    public sealed record Result(bool ClaimsStandardCompensation, IReadOnlyList<AppliedDto> Applied, IReadOnlyList<SkippedDto> Skipped);

    public static async Task<Result> HandleAsync(PurrDbContext db, Command cmd, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var creditor = await CreditorScope.ResolveAsync(db, cmd.CreditorId, ct);
        var today = clock.Today();
        List<Invoice> invoices;
        if (cmd.InvoiceNumber is not null)
        {
            invoices = [await InvoiceLookup.ClaimAsync(db, cmd.InvoiceNumber, ct)];
        }
        else
        {
            if (!creditor.ClaimsStandardCompensation) return new Result(false, [], []);
            // Overdue business and public claims without a compensation yet; the rest is decided per claim below.
            invoices = await db.Invoices.Include(i => i.Customer)
                .Where(i => i.Kind == DocumentKind.Invoice && i.Open > 0 && i.DueDate != null && i.DueDate < today && i.Customer!.Kind != CustomerKind.Private)
                .Where(i => !db.Charges.Any(c => c.InvoiceId == i.Id && c.Kind == ChargeKind.StandardCompensation))
                .OrderBy(i => i.DueDate).ThenBy(i => i.Number).ToListAsync(ct);
        }
        var ids = invoices.Select(i => i.Id).ToList();
        var charges = new List<Charge>();
        foreach (var chunk in ids.Chunk(500))
            charges.AddRange(await db.Charges.AsNoTracking().Where(c => chunk.Contains(c.InvoiceId)).ToListAsync(ct));
        var chargesOf = charges.ToLookup(c => c.InvoiceId);
        var rates = await LoadRateTable.HandleAsync(db, ct);
        var now = clock.GetUtcNow();
        var applied = new List<(AppliedDto Dto, Charge Charge)>();
        var skipped = new List<SkippedDto>();

        foreach (var inv in invoices)
        {
            var (reason, result, firstDay, fees) = Decide(creditor, inv, chargesOf[inv.Id].ToList(), today, rates);
            if (reason is not null) { skipped.Add(new SkippedDto(inv.Number, inv.Customer!.CustomerNumber, reason)); continue; }
            var amount = result!.Amount!.Value;
            var minor = amount.ToMinorUnits();
            var half = result.HalfYearStart.Month == 1 ? 1 : 2;
            var text = $"Standardkompensasjon etter forsinkelsesrenteloven § 3a: {AmountText.Nb(result.HalfYearAmount!.Value)} NOK ({half}. halvår {result.HalfYearStart.Year})"
                + (fees.IsPositive ? $" − purregebyr {AmountText.Nb(fees)} NOK = {AmountText.Nb(amount)} NOK" : "");
            var charge = new Charge
            {
                CreditorId = creditor.Id, InvoiceId = inv.Id, Kind = ChargeKind.StandardCompensation, Amount = minor, Open = minor, Currency = "NOK",
                Date = today, Text = text, Actor = actor.Name, CreatedAt = now,
            };
            db.Charges.Add(charge);
            db.ClaimEvents.Add(new ClaimEvent
            {
                CreditorId = creditor.Id, CustomerId = inv.CustomerId, InvoiceId = inv.Id, At = now, Actor = actor.Name, Kind = "standard_compensation",
                Text = $"standard compensation (§ 3a) {amount.ToDecimalString()} NOK charged: {result.HalfYearAmount.Value.ToDecimalString()} for H{half} {result.HalfYearStart.Year}"
                    + (fees.IsPositive ? $" less reminder fees {fees.ToDecimalString()}" : ""),
            });
            applied.Add((new AppliedDto(inv.Number, inv.Customer!.CustomerNumber, firstDay, result.HalfYearStart, result.HalfYearAmount.Value.ToDecimalString(),
                fees.ToDecimalString(), amount.ToDecimalString(), "NOK", 0), charge));
        }
        await db.SaveChangesAsync(ct);
        return new Result(creditor.ClaimsStandardCompensation, applied.Select(a => a.Dto with { ChargeId = a.Charge.Id }).ToList(), skipped);
    }

    /// <summary>The decision for one claim: a reason to skip, or the compensation.</summary>
    internal static (string? Reason, StandardCompensationResult? Result, DateOnly FirstDay, Money ReminderFees) Decide(
        Creditor creditor, Invoice inv, IReadOnlyList<Charge> charges, DateOnly today, InterestRateTable rates)
    {
        var fees = Money.FromMinorUnits(charges.Where(c => c.Kind == ChargeKind.ReminderFee && c.Currency == "NOK").Sum(c => c.Amount), Currency.Nok);
        if (!creditor.ClaimsStandardCompensation) return (Reasons.NotClaimed, null, default, fees);
        if (inv.Kind == DocumentKind.InterestNote) return (Reasons.InterestNote, null, default, fees);
        if (inv.Customer!.Kind == CustomerKind.Private) return (Reasons.Consumer, null, default, fees);
        if (inv.DueDate is not { } due) return (Reasons.NoDueDate, null, default, fees);
        var firstDay = NorwegianCalendar.Default.MoveToBankingDay(due).AddDays(1);
        // In default: still open after the due date, or paid in full only after it (interest was payable then too).
        var defaultEnds = inv.Open > 0 ? today : inv.SettledBy == "paid" && inv.SettledOn is { } paid ? paid : (DateOnly?)null;
        if (defaultEnds is null) return (Reasons.Settled, null, firstDay, fees);
        if (firstDay > defaultEnds) return (Reasons.NotInDefault, null, firstDay, fees);
        if (charges.Any(c => c.Kind == ChargeKind.StandardCompensation)) return (Reasons.AlreadyCharged, null, firstDay, fees);
        if (charges.Any(c => c.Kind is ChargeKind.CollectionNoticeFee or ChargeKind.PaymentDemandFee)) return (Reasons.CollectionFeeCharged, null, firstDay, fees);
        var result = StandardCompensation.Calculate(inv.Customer.Kind, firstDay, fees, rates);
        return result.Status switch
        {
            StandardCompensationStatus.Missing => (Reasons.Missing, result, firstDay, fees),
            StandardCompensationStatus.NotInForce => (Reasons.NotInForce, result, firstDay, fees),
            _ when result.Amount is not { IsPositive: true } => (Reasons.CoveredByReminderFees, result, firstDay, fees),
            _ => (null, result, firstDay, fees),
        };
    }
}

/// <summary>Shows and changes a creditor's interest settings: the interest-note threshold, § 3a compensation, interest from the due date.</summary>
public static class InterestSettings
{
    /// <param name="Threshold">The interest-note threshold as an amount ("100", "250,00"); null keeps it.</param>
    /// <param name="StandardCompensation">Claim § 3a standard compensation from business and public debtors; null keeps it.</param>
    /// <param name="FromDueDate">Interest from the due date itself instead of the day after; null keeps it.</param>
    public sealed record Command(long? CreditorId, string? Threshold = null, bool? StandardCompensation = null, bool? FromDueDate = null);

    public sealed record Result(long CreditorId, string Threshold, string Currency, bool StandardCompensation, bool InterestFromDueDate, IReadOnlyList<string> Changed);

    public static async Task<Result> HandleAsync(PurrDbContext db, Command cmd, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var creditor = await CreditorScope.ResolveAsync(db, cmd.CreditorId, ct);
        var currency = Currency.Parse(creditor.DefaultCurrency);
        long? threshold = null;
        if (cmd.Threshold is not null)
        {
            if (AmountText.TryParse(cmd.Threshold, out var t) && t >= 0m && t <= 1_000_000m && decimal.Round(t, currency.MinorUnits) == t)
                threshold = new Money(t, currency).ToMinorUnits();
            else throw RejectedInputException.Argument("--threshold", cmd.Threshold, $"expected an amount in {currency.Code} from 0 to 1 000 000, e.g. 100 or 250,00");
        }
        var changed = new List<string>();
        if (threshold is { } th && th != creditor.InterestNoteThreshold)
        {
            changed.Add($"interest-note threshold {Dto.Amount(creditor.InterestNoteThreshold, currency.Code)} → {Dto.Amount(th, currency.Code)} {currency.Code}");
            creditor.InterestNoteThreshold = th;
        }
        if (cmd.StandardCompensation is { } sc && sc != creditor.ClaimsStandardCompensation)
        {
            changed.Add($"standard compensation (§ 3a) {(sc ? "on" : "off")}");
            creditor.ClaimsStandardCompensation = sc;
        }
        if (cmd.FromDueDate is { } fd && fd != creditor.InterestFromDueDate)
        {
            changed.Add($"interest from the due date {(fd ? "on" : "off")}");
            creditor.InterestFromDueDate = fd;
        }
        if (changed.Count > 0)
        {
            db.ClaimEvents.Add(new ClaimEvent
            {
                CreditorId = creditor.Id, At = clock.GetUtcNow(), Actor = actor.Name, Kind = "interest_settings_changed", Text = string.Join("; ", changed),
            });
            await db.SaveChangesAsync(ct);
        }
        return new Result(creditor.Id, Dto.Amount(creditor.InterestNoteThreshold, currency.Code), currency.Code, creditor.ClaimsStandardCompensation,
            creditor.InterestFromDueDate, changed);
    }
}
