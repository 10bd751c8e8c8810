using Purr.Core;
using Purr.Core.Dunning;
using Purr.Data;
using Purr.Features.Common;

namespace Purr.Features.Dunning;

/// <summary>
/// The status lists known from Norwegian systems — Liste → Purring 1 → Purring 2 → Inkassovarsel → (Betalingsoppfordring)
/// → Til overføring → Hos inkasso, plus Purrestopp, Tvist, Utsatt, Rentenota and Lukket — computed from each claim's
/// state exactly as the run computes them.
/// </summary>
public static class Lists
{
    public sealed record ListCount(string List, string Name, int Claims, string Open);
    public sealed record Summary(DateOnly Today, string Currency, IReadOnlyList<ListCount> Lists);
    public sealed record ClaimDto(long InvoiceId, string InvoiceNumber, string CustomerNumber, string CustomerName, DateOnly DueDate, string Open,
        int DaysOverdue, int StepsTaken, string? LastStep, DateOnly? LastSentOn, DateOnly? Deadline, string Plan, string NextAction, string? Detail, DateOnly? NextReviewOn);
    public sealed record Query(long? CreditorId, string List, string? CustomerNumber = null, decimal? MinAmount = null, int Page = 1, int PageSize = 50);

    public static async Task<Summary> SummaryAsync(PurrDbContext db, long? creditorId, DateOnly? today, TimeProvider clock, CancellationToken ct)
    {
        var creditor = await CreditorScope.ResolveAsync(db, creditorId, ct);
        var day = today ?? clock.Today();
        var decided = await DecideAllAsync(db, creditor, day, null, ct);
        var cur = Currency.Parse(creditor.DefaultCurrency);
        var notes = await InterestNoteItemsAsync(db, creditor, null, ct);
        var noted = notes.Select(n => n.Invoice.Id).ToHashSet();
        var counts = Enum.GetValues<DunningList>().Where(l => l != DunningList.NotDue)
            .Select(l =>
            {
                if (l == DunningList.InterestNote)
                    return new ListCount(ListCodes.Of(l), l.NorwegianName(), notes.Count,
                        notes.Where(n => n.Invoice.Currency == cur.Code).Aggregate(Money.Zero(cur), (s, n) => s + (n.Interest ?? Money.Zero(cur))).ToDecimalString());
                var inList = decided.Where(d => d.List == l && d.Claim.Currency == cur.Code && !noted.Contains(d.Claim.State.ClaimId.Value)).ToList();
                return new ListCount(ListCodes.Of(l), l.NorwegianName(), inList.Count,
                    inList.Aggregate(Money.Zero(cur), (s, d) => s + d.Claim.State.OpenPrincipal).ToDecimalString());
            }).ToList();
        return new Summary(day, cur.Code, counts);
    }

    public static async Task<Page<ClaimDto>> ClaimsAsync(PurrDbContext db, Query q, DateOnly? today, TimeProvider clock, CancellationToken ct)
    {
        var creditor = await CreditorScope.ResolveAsync(db, q.CreditorId, ct);
        var list = Resolve(q.List);
        var day = today ?? clock.Today();
        if (list == DunningList.InterestNote)
        {
            // Rentenota: late-paid invoices whose customer's accrued interest has reached the creditor's threshold.
            var notes = (await InterestNoteItemsAsync(db, creditor, q.CustomerNumber, ct)).OrderBy(n => n.Invoice.DueDate).ThenBy(n => n.Invoice.Number, StringComparer.Ordinal).ToList();
            var rows = notes.Skip((Math.Max(q.Page, 1) - 1) * q.PageSize).Take(q.PageSize).Select(n => new ClaimDto(n.Invoice.Id, n.Invoice.Number,
                n.Invoice.Customer!.CustomerNumber, n.Invoice.Customer.Name, n.Invoice.DueDate!.Value, (n.Interest ?? Money.Zero(Currency.Parse(n.Invoice.Currency))).ToDecimalString(),
                0, 0, null, n.Invoice.SettledOn, null, "", "interest_note", n.Interest is null ? "interest rate missing for part of the period" : "purr interest-notes create", null)).ToList();
            return new Page<ClaimDto>(rows, q.Page, q.PageSize, notes.Count);
        }
        var decided = (await DecideAllAsync(db, creditor, day, q.CustomerNumber, ct)).Where(d => d.List == list);
        if (q.MinAmount is { } min) decided = decided.Where(d => d.Claim.State.OpenPrincipal.Amount >= min);
        var all = decided.OrderBy(d => d.Claim.State.DueDate).ThenBy(d => d.Claim.InvoiceNumber, StringComparer.Ordinal).ToList();
        var page = all.Skip((Math.Max(q.Page, 1) - 1) * q.PageSize).Take(q.PageSize).Select(d =>
        {
            var s = d.Claim.State;
            var last = s.LastStep;
            var (next, detail, review) = d.Decision switch
            {
                DunningDecision.TakeStep t => ($"{ListCodes.Of(t.Kind)} (step {t.StepNumber})", (string?)$"fee {t.Fee.ToDecimalString()}", (DateOnly?)day),
                DunningDecision.NoAction n => (n.Reason, n.Detail, n.NextReviewOn),
                _ => ("", null, null),
            };
            return new ClaimDto(s.ClaimId.Value, d.Claim.InvoiceNumber, d.Claim.CustomerNumber, d.Claim.CustomerName, s.DueDate, s.OpenPrincipal.ToDecimalString(),
                Math.Max(0, day.DayNumber - s.DueDate.DayNumber), s.StepsTaken.Count, last is null ? null : ListCodes.Of(last.Kind), last?.SentOn, last?.Deadline,
                d.Plan.Code, next, detail, review);
        }).ToList();
        return new Page<ClaimDto>(page, q.Page, q.PageSize, all.Count);
    }

    /// <summary>Accepts the code (reminder1), the Norwegian name (Purring1, "Til overføring") or a close spelling.</summary>
    public static DunningList Resolve(string name)
    {
        var key = Normalize(name);
        foreach (var l in Enum.GetValues<DunningList>())
            if (Normalize(ListCodes.Of(l)) == key || Normalize(l.NorwegianName()) == key) return l;
        var names = string.Join(", ", Enum.GetValues<DunningList>().Where(l => l != DunningList.NotDue).Select(l => $"{ListCodes.Of(l)} ({l.NorwegianName()})"));
        throw RejectedInputException.Argument("LIST", name, "one of " + names);
    }

    private static string Normalize(string s) => new(s.ToLowerInvariant().Replace("ø", "o", StringComparison.Ordinal).Where(char.IsAsciiLetterOrDigit).ToArray());

    private static async Task<List<Interest.InterestNoteCandidates.Item>> InterestNoteItemsAsync(PurrDbContext db, Creditor creditor, string? customerNumber, CancellationToken ct)
    {
        var rates = await Interest.LoadRateTable.HandleAsync(db, ct);
        var groups = await Interest.InterestNoteCandidates.FindAsync(db, creditor, rates, customerNumber, ct);
        return groups.Where(g => g.ThresholdReached).SelectMany(g => g.Items).ToList();
    }

    internal static async Task<List<RunDunning.Decided>> DecideAllAsync(PurrDbContext db, Creditor creditor, DateOnly today, string? customerNumber, CancellationToken ct)
    {
        var claims = await ClaimStateReader.ReadAsync(db, today, ct, customerNumber: customerNumber);
        var rules = PlanStore.RulesFor(creditor);
        // The list a claim is in now (a step that is due but not yet taken does not move it).
        return RunDunning.Decide(claims, await PlanStore.LoadAsync(db, ct), rules, today)
            .Select(d => d with { List = DunningLists.Compute(d.Claim.State, d.Plan, rules, today) }).ToList();
    }
}
