using Microsoft.EntityFrameworkCore;
using Purr.Core;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Payments;

namespace Purr.Features.Imports;

/// <summary>
/// Stores the statements of a camt.053 file and their entries while the file is posted, so that memory does not grow
/// with the file: each chunk's entries are written at once, and each statement keeps only running sums.
/// </summary>
/// <remarks>
/// A statement's row is written when its first entry is (with provisional values: the reader tells its balances, account
/// and dates when the statement ends), so that the entries can name it; <see cref="FinishAsync"/> fills it in from the
/// reader's summary. A statement imported before (same account, statement id and period) is not stored again: its
/// provisional row and entries are deleted. All of it happens in the import's transaction: a rejected file leaves nothing.
/// Rows are written with the <see cref="BulkWriter"/>, as the payments are, not through the change tracker.
/// </remarks>
internal sealed class StatementWriter(PurrDbContext db, Creditor creditor, long importId, DateTimeOffset now)
{
    private readonly Dictionary<string, Pending> _byStatement = new(StringComparer.Ordinal);
    private readonly DateOnly _today = DateOnly.FromDateTime(now.UtcDateTime);
    private readonly BulkWriter _writer = new(db);
    private long _lastStatementId;

    // What FinishAsync fills in.
    private static readonly string[] Filled =
    [
        nameof(BankStatement.Account), nameof(BankStatement.StatementId), nameof(BankStatement.MessageId), nameof(BankStatement.Currency),
        nameof(BankStatement.FromDate), nameof(BankStatement.ToDate), nameof(BankStatement.OpeningBalance), nameof(BankStatement.ClosingBalance),
        nameof(BankStatement.Credits), nameof(BankStatement.Debits), nameof(BankStatement.Entries), nameof(BankStatement.Reconciles),
    ];

    /// <summary>A statement being stored: its row and sums over its entries.</summary>
    private sealed class Pending(BankStatement row)
    {
        public BankStatement Row { get; } = row;
        public int Entries;
        public DateOnly? First, Last;
        public Dictionary<string, (long Credits, long Debits)> Booked { get; } = new(StringComparer.Ordinal);
        public string? FirstCurrency;
    }

    /// <summary>Writes the entries of a posted chunk (file order), with the payment each became (or null).</summary>
    public async Task AddAsync(IReadOnlyList<IncomingPayment> chunk, IReadOnlyList<long?> paymentIds, CancellationToken ct)
    {
        var entries = new List<BankStatementEntry>(chunk.Count);
        for (var i = 0; i < chunk.Count; i++)
        {
            var t = chunk[i];
            var pending = await StatementOfAsync(StatementXPath(t.XPath), ct);
            var entry = new BankStatementEntry
            {
                CreditorId = creditor.Id, StatementId = pending.Row.Id, BankReference = t.BankReference!, BookingDate = t.BookingDate,
                ValueDate = t.ValueDate, Amount = t.Amount.ToMinorUnits(), Currency = t.Amount.Currency.Code, IsReversal = t.IsReversal,
                IsBooked = t.IsBooked, Kid = t.Kid, PayerName = t.PayerName, Text = t.FreeText, Line = t.Line, PaymentId = paymentIds[i],
            };
            entries.Add(entry);
            pending.Entries++;
            pending.FirstCurrency ??= entry.Currency;
            if ((entry.BookingDate ?? entry.ValueDate) is { } date)
            {
                if (pending.First is not { } first || date < first) pending.First = date;
                if (pending.Last is not { } last || date > last) pending.Last = date;
            }
            if (entry.IsBooked)
            {
                var (credits, debits) = pending.Booked.GetValueOrDefault(entry.Currency);
                pending.Booked[entry.Currency] = entry.Amount > 0 ? (credits + entry.Amount, debits) : (credits, debits - entry.Amount);
            }
        }
        await _writer.InsertAsync(entries, ct);
    }

    /// <summary>
    /// Fills in every statement of the file from the reader's summary (read to the end), drops those imported before
    /// (with a note) and the entries of no statement, and tells what was kept.
    /// </summary>
    public async Task<List<StatementDto>> FinishAsync(PaymentReading file, List<string> notes, CancellationToken ct)
    {
        var result = new List<StatementDto>();
        var c = creditor.Id;
        foreach (var s in file.Bank!.Statements)
        {
            var pending = _byStatement.Remove(s.XPath, out var p) ? p : null;
            var currency = s.Opening?.Currency.Code ?? s.Closing?.Currency.Code ?? s.AccountCurrency ?? pending?.FirstCurrency ?? creditor.DefaultCurrency;
            var opening = s.Balances.FirstOrDefault(b => b.Type is "OPBD") ?? s.Balances.FirstOrDefault(b => b.Type is "PRCD");
            var closing = s.Balances.FirstOrDefault(b => b.Type is "CLBD");
            var from = opening?.Date ?? pending?.First ?? closing?.Date ?? _today;
            var to = closing?.Date ?? pending?.Last ?? from;
            var account = s.Account ?? "(no account)";
            var (credits, debits) = pending?.Booked.GetValueOrDefault(currency) ?? (0, 0);
            var entries = pending?.Entries ?? 0;
            var duplicate = await db.OwnedBy<BankStatement>(c)
                .AnyAsync(b => b.ImportId != importId && b.Account == account && b.StatementId == s.Id && b.FromDate == from && b.ToDate == to, ct);
            if (duplicate)
            {
                notes.Add($"statement {s.Id} of account {account} ({from:yyyy-MM-dd}..{to:yyyy-MM-dd}) was imported before: not stored again");
                if (pending is not null) await DeleteAsync(pending.Row, ct);
            }
            else
            {
                var row = pending?.Row ?? Provisional();
                row.Account = account;
                row.StatementId = s.Id;
                row.MessageId = file.Bank.MessageId;
                row.Currency = currency;
                row.FromDate = from;
                row.ToDate = to;
                row.OpeningBalance = s.Opening?.ToMinorUnits();
                row.ClosingBalance = s.Closing?.ToMinorUnits();
                row.Credits = credits;
                row.Debits = debits;
                row.Entries = entries;
                row.Reconciles = s.Reconciles;
                if (pending is null) await InsertAsync(row, ct);
                else await _writer.UpdateAsync([row], Filled, ct);
            }
            result.Add(new StatementDto(account, s.Id, from, to, currency, Amount(s.Opening?.ToMinorUnits(), currency), Amount(s.Closing?.ToMinorUnits(), currency),
                Dto.Amount(credits, currency), Dto.Amount(debits, currency), entries, s.Reconciles, duplicate));
        }
        // Entries outside every statement the reader reports (none in a well-formed file) are not kept.
        foreach (var orphan in _byStatement.Values) await DeleteAsync(orphan.Row, ct);
        _byStatement.Clear();
        return result;
    }

    // The statement (Stmt element) an entry's XPath lies in: "/Document/BkToCstmrStmt/Stmt[2]" of ".../Stmt[2]/Ntry[5]/...".
    private static string StatementXPath(string? xpath)
    {
        if (xpath is null) return "";
        var end = xpath.IndexOf("/Ntry[", StringComparison.Ordinal);
        return end < 0 ? xpath : xpath[..end];
    }

    private async Task<Pending> StatementOfAsync(string xpath, CancellationToken ct)
    {
        if (_byStatement.TryGetValue(xpath, out var pending)) return pending;
        var row = Provisional();
        await InsertAsync(row, ct);
        return _byStatement[xpath] = new Pending(row);
    }

    private async Task InsertAsync(BankStatement row, CancellationToken ct)
    {
        await _writer.InsertAsync([row], ct);
        await _writer.LoadIdsAsync([row], nameof(BankStatement.ImportId), importId, ct, afterId: _lastStatementId);
        _lastStatementId = row.Id;
    }

    private BankStatement Provisional() => new()
    {
        CreditorId = creditor.Id, ImportId = importId, Account = "(pending)", Currency = creditor.DefaultCurrency, FromDate = _today, ToDate = _today,
        CreatedAt = now,
    };

    private async Task DeleteAsync(BankStatement row, CancellationToken ct)
    {
        var id = row.Id;
        await db.BankStatementEntries.IgnoreQueryFilters().Where(e => e.StatementId == id).ExecuteDeleteAsync(ct);
        await db.BankStatements.IgnoreQueryFilters().Where(b => b.Id == id).ExecuteDeleteAsync(ct);
    }

    private static string? Amount(long? minor, string currency) => minor is { } m ? Dto.Amount(m, currency) : null;
}
