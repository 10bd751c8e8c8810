using Microsoft.EntityFrameworkCore;
using Purr.Core.Matching;
using Purr.Data;
using Purr.Features.Common;

namespace Purr.Features.Payments;

/// <summary>
/// Compares the bank's camt.053 statements of a period with the ledger's payments and lists every difference.
/// </summary>
/// <remarks>
/// <para>Bank side, per statement: opening + booked entries = closing (<c>statement_unbalanced</c>), and each
/// statement's opening equals the closing of the account's previous statement (<c>balance_break</c>, money booked
/// between statements that no statement shows).</para>
/// <para>Entries against the ledger: every booked credit entry (and every reversal of a customer payment) in the
/// period must be a ledger payment — the same bank reference, else a group of payments from one import on the entry's
/// date that add up to it (an OCR giro or camt.054 batch the statement shows as one lump entry). Otherwise it is
/// <c>missing_in_ledger</c>; the same reference with another amount is <c>amount_differs</c>. Other debits are not
/// customer payments and are not compared.</para>
/// <para>Ledger against the entries: every payment from a bank file (camt.053, camt.054, OCR giro) on a statement's
/// account and within its dates that no entry accounts for is <c>missing_on_statement</c>. CSV payments carry no
/// account and are not compared.</para>
/// </remarks>
public static class Reconcile
{
    public sealed record Query(long? CreditorId, DateOnly From, DateOnly To, string? Account = null);

    public sealed record StatementLine(long Id, string Account, string? StatementId, DateOnly FromDate, DateOnly ToDate, string Currency,
        string? Opening, string? Closing, string Credits, string Debits, int Entries, int MatchedEntries);

    public sealed record Difference(string Kind, string Account, DateOnly? Date, string Amount, string Currency, string? BankReference,
        long? PaymentId, string? StatementId, string Text);

    public sealed record Result(DateOnly From, DateOnly To, IReadOnlyList<StatementLine> Statements, int MatchedEntries, int MatchedPayments,
        IReadOnlyList<Difference> Differences)
    {
        /// <summary>True when the bank and the ledger agree for the period.</summary>
        public bool Ok => Differences.Count == 0;
    }

    private static readonly string[] BankSources = ["camt053", "camt054", "ocr"];

    public static async Task<Result> HandleAsync(PurrDbContext db, Query q, CancellationToken ct)
    {
        await CreditorScope.ResolveAsync(db, q.CreditorId, ct);
        if (q.To < q.From) throw RejectedInputException.Argument("--to", q.To.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "a date on or after --from");
        var wanted = q.Account is null ? null : Norm(q.Account);

        var all = await db.BankStatements.AsNoTracking().OrderBy(s => s.ToDate).ThenBy(s => s.FromDate).ThenBy(s => s.Id).ToListAsync(ct);
        if (wanted is not null) all = all.Where(s => Norm(s.Account) == wanted).ToList();
        var inPeriod = all.Where(s => s.ToDate >= q.From && s.FromDate <= q.To).ToList();
        var differences = new List<Difference>();
        if (inPeriod.Count == 0)
        {
            differences.Add(new Difference("no_statement", q.Account ?? "", null, "0.00", "", null, null, null,
                $"no bank statement (camt.053) covers {q.From:yyyy-MM-dd}..{q.To:yyyy-MM-dd}: import one with 'purr import payments FILE'"));
            return new Result(q.From, q.To, [], 0, 0, differences);
        }

        // Bank side: each statement adds up, and follows on from the account's previous one.
        foreach (var s in inPeriod)
        {
            if (s.OpeningBalance is { } open && s.ClosingBalance is { } close && open + s.Credits - s.Debits != close)
                differences.Add(new Difference("statement_unbalanced", s.Account, s.ToDate, Dto.Amount(close - (open + s.Credits - s.Debits), s.Currency), s.Currency,
                    null, null, s.StatementId, $"opening {Dto.Amount(open, s.Currency)} + credits {Dto.Amount(s.Credits, s.Currency)} − debits {Dto.Amount(s.Debits, s.Currency)} ≠ closing {Dto.Amount(close, s.Currency)}"));
            var previous = all.Where(x => Norm(x.Account) == Norm(s.Account) && x.Currency == s.Currency && x.Id != s.Id
                                          && (x.ToDate < s.ToDate || (x.ToDate == s.ToDate && x.Id < s.Id)) && x.ToDate <= s.FromDate)
                .OrderBy(x => x.ToDate).ThenBy(x => x.Id).LastOrDefault();
            if (previous is { ClosingBalance: { } prevClose } && s.OpeningBalance is { } opening && prevClose != opening)
                differences.Add(new Difference("balance_break", s.Account, s.FromDate, Dto.Amount(opening - prevClose, s.Currency), s.Currency, null, null, s.StatementId,
                    $"opening {Dto.Amount(opening, s.Currency)} ≠ closing {Dto.Amount(prevClose, s.Currency)} of the previous statement {previous.StatementId} ({previous.ToDate:yyyy-MM-dd})"));
        }

        // Entries and payments in the period.
        var ids = inPeriod.Select(s => s.Id).ToList();
        var entries = await db.BankStatementEntries.AsNoTracking().Where(e => EF.Parameter(ids).Contains(e.StatementId)).OrderBy(e => e.Id).ToListAsync(ct);
        entries = entries.Where(e => (e.BookingDate ?? e.ValueDate) is not { } d || (d >= q.From && d <= q.To)).ToList();
        var accounts = inPeriod.Select(s => Norm(s.Account)).Distinct().ToList();
        var payments = await db.Payments.AsNoTracking()
            .Where(p => BankSources.Contains(p.Source) && p.PaymentDate >= q.From && p.PaymentDate <= q.To).OrderBy(p => p.Id).ToListAsync(ct);
        // Only payments on a statement's account and within its dates can be expected on it.
        var statementOf = new Dictionary<long, BankStatement>();
        foreach (var p in payments)
        {
            var account = p.Account is null ? (accounts.Count == 1 ? accounts[0] : null) : Norm(p.Account);
            var s = inPeriod.FirstOrDefault(x => Norm(x.Account) == account && x.Currency == p.Currency && p.PaymentDate >= x.FromDate && p.PaymentDate <= x.ToDate);
            if (s is not null) statementOf[p.Id] = s;
        }
        var expected = payments.Where(p => statementOf.ContainsKey(p.Id)).ToDictionary(p => p.Id);
        var byReference = payments.Where(p => p.BankReference is not null).GroupBy(p => p.BankReference!).ToDictionary(g => g.Key, g => g.First());
        var stmtById = inPeriod.ToDictionary(s => s.Id);
        var paymentsById = payments.ToDictionary(p => p.Id);
        var linked = entries.Select(e => e.PaymentId).OfType<long>().Where(id => !paymentsById.ContainsKey(id)).Distinct().ToList();
        foreach (var chunk in linked.Chunk(5000))
            foreach (var p in await db.Payments.AsNoTracking().Where(p => EF.Parameter(chunk).Contains(p.Id)).ToListAsync(ct))
                paymentsById[p.Id] = p;
        var matchedPayments = new HashSet<long>();
        var matchedEntries = new HashSet<long>();
        var unexplained = new List<BankStatementEntry>();

        foreach (var e in entries.Where(e => e.IsBooked && (e.Amount > 0 && !e.IsReversal || e.Amount < 0 && e.IsReversal)))
        {
            var s = stmtById[e.StatementId];
            var p = (e.PaymentId is { } pid ? paymentsById.GetValueOrDefault(pid) : null) ?? byReference.GetValueOrDefault(e.BankReference);
            if (p is null) { unexplained.Add(e); continue; }
            matchedEntries.Add(e.Id);
            matchedPayments.Add(p.Id);
            if (p.Amount != e.Amount || p.Currency != e.Currency)
                differences.Add(new Difference("amount_differs", s.Account, e.BookingDate ?? e.ValueDate, Dto.Amount(e.Amount - p.Amount, e.Currency), e.Currency, e.BankReference, p.Id, s.StatementId,
                    $"the statement says {Dto.Amount(e.Amount, e.Currency)} {e.Currency}, payment {p.Id} in the ledger {Dto.Amount(p.Amount, p.Currency)} {p.Currency}"));
        }

        // Lump entries: one statement entry for a whole batch the ledger holds payment by payment.
        var batches = expected.Values.Where(p => !matchedPayments.Contains(p.Id) && p.ImportId is not null)
            .GroupBy(p => (Statement: statementOf[p.Id].Id, p.Currency, p.ImportId, p.PaymentDate))
            .Select(g => (g.Key, Sum: g.Sum(p => p.Amount), Payments: g.ToList()))
            .ToLookup(g => (g.Key.Statement, g.Key.Currency, g.Key.PaymentDate, g.Sum));
        foreach (var e in unexplained)
        {
            var s = stmtById[e.StatementId];
            var batch = new[] { e.BookingDate, e.ValueDate }.OfType<DateOnly>().Distinct()
                .SelectMany(d => batches[(s.Id, e.Currency, d, e.Amount)])
                .FirstOrDefault(b => b.Payments.All(p => !matchedPayments.Contains(p.Id)));
            if (batch.Payments is not null)
            {
                matchedEntries.Add(e.Id);
                foreach (var p in batch.Payments) matchedPayments.Add(p.Id);
                continue;
            }
            differences.Add(new Difference("missing_in_ledger", s.Account, e.BookingDate ?? e.ValueDate, Dto.Amount(e.Amount, e.Currency), e.Currency, e.BankReference, null, s.StatementId,
                (e.IsReversal ? "a reversal of a customer payment" : "money in") + $" on the statement (line {e.Line}" + (e.PayerName is { } n ? $", from {n}" : "") +
                (e.Kid is { } k ? $", KID {k}" : "") + ") that is not in the ledger"));
        }

        foreach (var p in expected.Values.Where(p => !matchedPayments.Contains(p.Id)))
        {
            var s = statementOf[p.Id];
            differences.Add(new Difference("missing_on_statement", s.Account, p.PaymentDate, Dto.Amount(p.Amount, p.Currency), p.Currency, p.BankReference, p.Id, s.StatementId,
                $"payment {p.Id} ({p.Source}" + (p.PayerName is { } n ? $", from {n}" : "") + $") is in the ledger but on no statement entry of {s.Account}"));
        }

        var lines = inPeriod.Select(s => new StatementLine(s.Id, s.Account, s.StatementId, s.FromDate, s.ToDate, s.Currency,
            s.OpeningBalance is { } o ? Dto.Amount(o, s.Currency) : null, s.ClosingBalance is { } c ? Dto.Amount(c, s.Currency) : null,
            Dto.Amount(s.Credits, s.Currency), Dto.Amount(s.Debits, s.Currency), s.Entries, entries.Count(e => e.StatementId == s.Id && matchedEntries.Contains(e.Id)))).ToList();
        var ordered = differences.OrderBy(d => d.Date ?? DateOnly.MinValue).ThenBy(d => d.Kind, StringComparer.Ordinal).ThenBy(d => d.BankReference, StringComparer.Ordinal).ToList();
        return new Result(q.From, q.To, lines, matchedEntries.Count, matchedPayments.Count, ordered);
    }

    private static string Norm(string account) => PaymentMatcher.NormalizeAccount(account);
}
