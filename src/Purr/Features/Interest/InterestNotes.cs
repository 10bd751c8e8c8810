using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Purr.Core;
using Purr.Core.Identifiers;
using Purr.Core.Interest;
using Purr.Data;
using Purr.Features.Common;

namespace Purr.Features.Interest;

/// <summary>One invoice paid late whose interest an interest note (rentenota) can claim.</summary>
/// <param name="InvoiceNumber">The invoice.</param>
/// <param name="DueDate">Its due date.</param>
/// <param name="EffectiveDueDate">The due date moved to a banking day (C1).</param>
/// <param name="SettledOn">The day it was paid in full.</param>
/// <param name="From">First interest day claimed.</param>
/// <param name="To">Last interest day claimed (the payment day).</param>
/// <param name="Interest">The interest, or null when a rate is missing (then it waits).</param>
/// <param name="Periods">The periods of the calculation.</param>
/// <param name="Missing">Periods without a known rate.</param>
public sealed record InterestNoteCandidateDto(string InvoiceNumber, DateOnly? DueDate, DateOnly? EffectiveDueDate, DateOnly? SettledOn, DateOnly From, DateOnly To,
    string? Interest, IReadOnlyList<InterestPeriodDto> Periods, IReadOnlyList<MissingRateDto> Missing);

/// <summary>A customer's candidates: the total of the complete ones and whether it reaches the creditor's threshold.</summary>
public sealed record InterestNoteGroupDto(string CustomerNumber, string CustomerName, string Currency, string Total, bool ThresholdReached,
    IReadOnlyList<InterestNoteCandidateDto> Invoices);

/// <summary>
/// The interest-note candidates: invoices paid in full after their (C1) due date with positive interest accrued up to the
/// payment day that no interest note covers yet. Summed per customer; only a customer whose total reaches the
/// creditor's threshold (<see cref="Creditor.InterestNoteThreshold"/>) gets an interest note; the others wait and add up.
/// Interest notes themselves are never candidates (no interest on interest).
/// </summary>
public static class ListInterestNoteCandidates
{
    public sealed record Query(long? CreditorId, string? CustomerNumber = null);

    /// <param name="Threshold">The creditor's threshold.</param>
    /// <param name="Customers">One group per customer and currency.</param>
    /// <param name="Warnings">Invoices left out because a rate is missing.</param>
    public sealed record Result(string Threshold, string Currency, IReadOnlyList<InterestNoteGroupDto> Customers, IReadOnlyList<string> Warnings);

    public static async Task<Result> HandleAsync(PurrDbContext db, Query q, TimeProvider clock, CancellationToken ct)
    {
        var creditor = await CreditorScope.ResolveAsync(db, q.CreditorId, ct);
        var rates = await LoadRateTable.HandleAsync(db, ct);
        var groups = await InterestNoteCandidates.FindAsync(db, creditor, rates, q.CustomerNumber, ct);
        return new Result(Dto.Amount(creditor.InterestNoteThreshold, creditor.DefaultCurrency), creditor.DefaultCurrency,
            groups.Select(g => g.ToDto()).ToList(), InterestNoteCandidates.Warnings(groups));
    }
}

/// <summary>
/// Turns candidates into interest notes: one new claim (kind InterestNote) per customer whose total reaches the
/// threshold, covering all its complete candidates; own number (R + sequence), own KID, issued today, due in 14 days,
/// with a text listing the invoices and periods, and a line in the claim history of the note and of every invoice it
/// covers. An invoice is covered once, so running it again creates nothing new.
/// </summary>
public static class CreateInterestNotes
{
    /// <summary>Days from issue to due date of an interest note (practice, not law: NORWAY-RULES §2.5).</summary>
    public const int DueDays = 14;

    /// <param name="CustomerNumber">Only this customer.</param>
    /// <param name="All">Every customer that reached the threshold.</param>
    public sealed record Command(long? CreditorId, string? CustomerNumber = null, bool All = false);

    public sealed record NoteDto(string Number, string CustomerNumber, string CustomerName, string Amount, string Currency, DateOnly IssueDate, DateOnly DueDate,
        string? Kid, IReadOnlyList<string> Invoices);

    /// <param name="Reason">"below_threshold".</param>
    public sealed record SkippedDto(string CustomerNumber, string Total, string Currency, string Reason);

    public sealed record Result(IReadOnlyList<NoteDto> Created, IReadOnlyList<SkippedDto> Skipped, IReadOnlyList<string> Warnings);

    public static async Task<Result> HandleAsync(PurrDbContext db, Command cmd, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        if (cmd.CustomerNumber is null && !cmd.All) throw RejectedInputException.Argument("--all", null, "expected --customer NUMBER or --all");
        var creditor = await CreditorScope.ResolveAsync(db, cmd.CreditorId, ct);
        var rates = await LoadRateTable.HandleAsync(db, ct);
        var groups = await InterestNoteCandidates.FindAsync(db, creditor, rates, cmd.CustomerNumber, ct);
        var today = clock.Today();
        var now = clock.GetUtcNow();
        var created = new List<NoteDto>();
        var skipped = new List<SkippedDto>();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var sequence = await NextSequenceAsync(db, ct);
        foreach (var g in groups)
        {
            var complete = g.Items.Where(i => i.Interest is not null).ToList();
            if (complete.Count == 0) continue;
            if (!g.ThresholdReached)
            {
                skipped.Add(new SkippedDto(g.Customer.CustomerNumber, g.Total.ToDecimalString(), g.Currency, "below_threshold"));
                continue;
            }
            var number = "R" + sequence.ToString(CultureInfo.InvariantCulture);
            var kid = await KidAsync(db, creditor, g.Customer.CustomerNumber, sequence, ct);
            sequence++;
            var minor = g.Total.ToMinorUnits();
            var note = new Invoice
            {
                CreditorId = creditor.Id, CustomerId = g.Customer.Id, Number = number, Kind = DocumentKind.InterestNote, IssueDate = today,
                DueDate = today.AddDays(DueDays), Amount = minor, Open = minor, Currency = g.Currency, Kid = kid, Text = Text(g, complete), CreatedAt = now,
            };
            db.Invoices.Add(note);
            await db.SaveChangesAsync(ct);
            foreach (var c in complete)
            {
                db.InterestNoteItems.Add(new InterestNoteItem
                {
                    CreditorId = creditor.Id, InterestNoteId = note.Id, InvoiceId = c.Invoice.Id, Amount = c.Interest!.Value.ToMinorUnits(),
                    PeriodFrom = c.Detail.From, PeriodTo = c.Detail.To,
                });
                db.ClaimEvents.Add(new ClaimEvent
                {
                    CreditorId = creditor.Id, CustomerId = g.Customer.Id, InvoiceId = c.Invoice.Id, At = now, Actor = actor.Name, Kind = "interest_note",
                    Text = $"interest {c.Interest.Value.ToDecimalString()} {g.Currency} for {c.Detail.From:yyyy-MM-dd} to {c.Detail.To:yyyy-MM-dd} claimed in interest note {number}",
                });
            }
            db.ClaimEvents.Add(new ClaimEvent
            {
                CreditorId = creditor.Id, CustomerId = g.Customer.Id, InvoiceId = note.Id, At = now, Actor = actor.Name, Kind = "interest_note_created",
                Text = $"interest note {number} of {g.Total.ToDecimalString()} {g.Currency} for invoice(s) {string.Join(", ", complete.Select(c => c.Invoice.Number))}; due {note.DueDate:yyyy-MM-dd}",
            });
            await db.SaveChangesAsync(ct);
            created.Add(new NoteDto(number, g.Customer.CustomerNumber, g.Customer.Name, g.Total.ToDecimalString(), g.Currency, today, note.DueDate.Value, kid,
                complete.Select(c => c.Invoice.Number).ToList()));
        }
        await tx.CommitAsync(ct);
        return new Result(created, skipped, InterestNoteCandidates.Warnings(groups));
    }

    private static string Text(InterestNoteCandidates.Group g, List<InterestNoteCandidates.Item> items)
    {
        var sb = new StringBuilder("Rentenota: forsinkelsesrente etter forsinkelsesrenteloven for fakturaer betalt etter forfall.");
        foreach (var c in items)
        {
            var days = c.Detail.To.DayNumber - c.Detail.From.DayNumber + 1;
            sb.Append(CultureInfo.InvariantCulture, $" Faktura {c.Invoice.Number}, forfall {c.Invoice.DueDate:dd.MM.yyyy}, betalt {c.Invoice.SettledOn:dd.MM.yyyy}: ");
            sb.Append(CultureInfo.InvariantCulture, $"{days} dager ({c.Detail.From:dd.MM.yyyy}–{c.Detail.To:dd.MM.yyyy}), {AmountText.Nb(c.Interest!.Value)} {g.Currency}.");
        }
        sb.Append(CultureInfo.InvariantCulture, $" Sum {AmountText.Nb(g.Total)} {g.Currency}. Ingen renter beregnes av renter.");
        return sb.ToString();
    }

    private static async Task<long> NextSequenceAsync(PurrDbContext db, CancellationToken ct)
    {
        var numbers = await db.Invoices.Where(i => i.Kind == DocumentKind.InterestNote).Select(i => i.Number).ToListAsync(ct);
        long max = 0;
        foreach (var n in numbers)
            if (n.Length > 1 && n[0] == 'R' && long.TryParse(n.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var seq)) max = Math.Max(max, seq);
        return max + 1;
    }

    /// <summary>
    /// A KID for the note with the creditor's method and length, from the customer number's digits and the note's sequence
    /// (zero-padded to at least four digits so that different splits never give the same base). When that base is taken by
    /// another claim, or MOD11 cannot complete it, a filler digit 9, 8, … goes between the two. Null when nothing fits.
    /// </summary>
    private static async Task<string?> KidAsync(PurrDbContext db, Creditor creditor, string customerNumber, long sequence, CancellationToken ct)
    {
        var method = Enum.TryParse<KidMethod>(creditor.KidMethod, true, out var m) ? m : KidMethod.Mod10;
        var room = creditor.KidLength - 1;
        var seq = sequence.ToString("D4", CultureInfo.InvariantCulture);
        var customerDigits = new string(customerNumber.Where(char.IsAsciiDigit).ToArray());
        foreach (var filler in new[] { "", "9", "8", "7", "6", "5", "4", "3", "2", "1" })
        {
            var left = room - seq.Length - filler.Length;
            if (left < 0) break;
            var prefix = customerDigits.Length > left ? customerDigits[^left..] : customerDigits;
            if (left == 0) prefix = "";
            var baseDigits = prefix + filler + seq;
            if (Kid.Create(baseDigits, creditor.KidLength, method) is not { } kid) continue;
            if (await db.Invoices.AnyAsync(i => i.Kid == kid.Value, ct)) continue;
            return kid.Value;
        }
        return null;
    }
}

/// <summary>Finds and groups interest-note candidates (shared by list and create).</summary>
public static class InterestNoteCandidates
{
    public sealed record Item(Invoice Invoice, AccruedInterest.Detail Detail)
    {
        public Money? Interest => Detail.Result.Total;
    }

    public sealed record Group(Customer Customer, string Currency, Money Total, bool ThresholdReached, IReadOnlyList<Item> Items)
    {
        public InterestNoteGroupDto ToDto() => new(Customer.CustomerNumber, Customer.Name, Currency, Total.ToDecimalString(), ThresholdReached,
            Items.Select(i => new InterestNoteCandidateDto(i.Invoice.Number, i.Invoice.DueDate, i.Detail.EffectiveDueDate, i.Invoice.SettledOn, i.Detail.From, i.Detail.To,
                i.Interest?.ToDecimalString(), InterestDtos.Periods(i.Detail.Result), InterestDtos.Missing(i.Detail.Result))).ToList());
    }

    /// <summary>Candidates of the creditor in scope (optionally one customer), grouped per customer and currency.</summary>
    public static async Task<IReadOnlyList<Group>> FindAsync(PurrDbContext db, Creditor creditor, InterestRateTable rates, string? customerNumber, CancellationToken ct)
    {
        long? customerId = null;
        if (customerNumber is not null)
            customerId = (await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.CustomerNumber == customerNumber, ct)
                ?? throw new NotFoundException($"no customer with number {customerNumber}")).Id;
        var invoices = await db.Invoices.AsNoTracking().Include(i => i.Customer)
            .Where(i => i.Kind == DocumentKind.Invoice && i.Open == 0 && i.SettledBy == "paid" && i.DueDate != null && i.SettledOn != null && i.SettledOn > i.DueDate)
            .Where(i => customerId == null || i.CustomerId == customerId)
            .Where(i => !db.InterestNoteItems.Any(n => n.InvoiceId == i.Id))
            .OrderBy(i => i.CustomerId).ThenBy(i => i.DueDate).ThenBy(i => i.Number)
            .ToListAsync(ct);
        var ids = invoices.Select(i => i.Id).ToList();
        var allocations = new List<Allocation>();
        var chargedThrough = new Dictionary<long, DateOnly>();
        foreach (var chunk in ids.Chunk(500))
        {
            allocations.AddRange(await db.Allocations.AsNoTracking().Where(a => chunk.Contains(a.InvoiceId) && !a.Reversed).ToListAsync(ct));
            foreach (var c in await db.Charges.AsNoTracking().Where(c => chunk.Contains(c.InvoiceId) && c.Kind == ChargeKind.Interest && c.PeriodTo != null)
                         .GroupBy(c => c.InvoiceId).Select(g => new { g.Key, To = g.Max(c => c.PeriodTo) }).ToListAsync(ct))
                chargedThrough[c.Key] = c.To!.Value;
        }
        var byInvoice = allocations.ToLookup(a => a.InvoiceId);
        var items = new List<Item>();
        foreach (var inv in invoices)
        {
            var detail = AccruedInterest.Compute(inv, inv.Customer!.Kind, creditor.InterestFromDueDate, byInvoice[inv.Id],
                chargedThrough.TryGetValue(inv.Id, out var t) ? t : null, inv.SettledOn!.Value, rates);
            var r = detail.Result;
            if (detail.NoInterestReason is not null) continue;
            if (r.IsComplete && r.Total is not { IsPositive: true }) continue; // paid on time after C1, or nothing left after earlier charges
            if (!r.IsComplete && r.Lines.Count == 0 && r.MissingRates.Count == 0) continue;
            items.Add(new Item(inv, detail));
        }
        return items.GroupBy(i => (i.Invoice.CustomerId, i.Invoice.Currency)).Select(g =>
        {
            var currency = Currency.Parse(g.Key.Currency);
            var total = g.Where(i => i.Interest is not null).Aggregate(Money.Zero(currency), (s, i) => s + i.Interest!.Value);
            var reached = total.IsPositive && total.ToMinorUnits() >= creditor.InterestNoteThreshold;
            return new Group(g.First().Invoice.Customer!, g.Key.Currency, total, reached, g.ToList());
        }).OrderBy(g => g.Customer.CustomerNumber, StringComparer.Ordinal).ToList();
    }

    public static IReadOnlyList<string> Warnings(IReadOnlyList<Group> groups) =>
        groups.SelectMany(g => g.Items).Where(i => i.Interest is null)
            .Select(i => $"invoice {i.Invoice.Number}: no forsinkelsesrente is known for " +
                string.Join(", ", i.Detail.Result.MissingRates.Select(m => $"{m.From:yyyy-MM-dd} to {m.To:yyyy-MM-dd}")) +
                "; it waits until the half-year is added (purr rates add)").ToList();
}
