using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Purr.Core;
using Purr.Core.Formats;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Payments;

namespace Purr.Features.Imports;

/// <summary>
/// Imports a payment file — camt.054, camt.053, Nets OCR giro or a payments CSV — and allocates the payments.
/// </summary>
/// <remarks>
/// <para>All-or-nothing: the file is read whole first; any located error rejects it and nothing is written. The same
/// content imported twice (SHA-256 per creditor) changes nothing; a bank reference already in the ledger is a duplicate
/// and is skipped. Everything else is posted in one transaction with one SaveChanges.</para>
/// <para>Money in is matched against an in-memory view of the creditor's open invoices (<see cref="LedgerOpenItems"/>,
/// loaded once): explicit CSV columns first (invoice_number, then customer_number), then <c>PaymentMatcher</c>: a valid
/// KID, an invoice number in the references or the text, amount + payer. Matched money goes to the matched invoices,
/// then the customer's other open invoices oldest first; the rest is credit. Unmatched money waits in the unmatched
/// queue (<c>purr payments unmatched</c>). Debits are skipped, except reversals of customer payments: the original is
/// found and reversed; a reversal whose original is not found is stored as a negative unmatched item.</para>
/// <para>camt.053 statements are kept (<see cref="BankStatement"/>) with their transactions for <c>purr reconcile</c>;
/// with <see cref="Command.StatementOnly"/> only the statement is kept (when the payments come in through camt.054 or
/// OCR giro files, so a statement's lump entries are not posted twice).</para>
/// </remarks>
public static class ImportPayments
{
    /// <summary>A payment file: <paramref name="Content"/>, or the file at <see cref="Path"/> (streamed, for large files).</summary>
    /// <param name="Format">auto, camt054, camt053, ocr or csv (see <see cref="PaymentFile.Formats"/>).</param>
    /// <param name="StatementOnly">camt.053 only: keep the statement for reconciliation, post no payments.</param>
    public sealed record Command(string FileName, byte[]? Content, long? CreditorId, string Format = "auto", bool StatementOnly = false)
    {
        /// <summary>Read this file (streamed) instead of <see cref="Content"/>.</summary>
        public string? Path { get; init; }

        internal Stream Open() => Path is not null
            ? new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan)
            : new MemoryStream(Content ?? throw new ArgumentException("a payment file needs Content or Path"), writable: false);
    }

    /// <summary>Imports the file; the short result every import gives (see <see cref="ImportAsync"/> for the details).</summary>
    public static async Task<ImportResult> HandleAsync(PurrDbContext db, Command cmd, Actor actor, TimeProvider clock, CancellationToken ct, IProgress<(int Done, int Total)>? progress = null) =>
        (await ImportAsync(db, cmd, actor, clock, ct, progress)).ToImportResult();

    /// <summary>Imports the file and tells what happened to every transaction.</summary>
    public static async Task<PaymentImportResult> ImportAsync(PurrDbContext db, Command cmd, Actor actor, TimeProvider clock, CancellationToken ct, IProgress<(int Done, int Total)>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        var creditor = await CreditorScope.ResolveAsync(db, cmd.CreditorId, ct);
        if (!PaymentFile.Formats.Contains(cmd.Format))
            throw RejectedInputException.Argument("--format", cmd.Format, "one of " + string.Join(", ", PaymentFile.Formats));

        PaymentFile file;
        await using (var stream = cmd.Open())
            file = PaymentFile.Read(cmd.FileName, stream, cmd.Format, Currency.Parse(creditor.DefaultCurrency));
        if (!file.Ok) throw new RejectedInputException(file.Errors);
        if (cmd.StatementOnly && file.Format != "camt053")
            throw RejectedInputException.Argument("--statement-only", file.Format, "a camt.053 statement: only statements have balances to keep");
        if (await ImportFiles.FindAsync(db, "payments", file.Sha256, ct) is { } previous)
            return PaymentImportResult.Already(ImportFiles.Already(previous, cmd.FileName));
        await CheckAgainstLedgerAsync(db, file, ct);

        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var import = new ImportRecord
        {
            CreditorId = creditor.Id, Kind = "payments", Format = file.Format, FileName = System.IO.Path.GetFileName(cmd.FileName), Sha256 = file.Sha256,
            Records = file.Transactions.Count, ImportedAt = now,
        };
        db.Imports.Add(import);
        await db.SaveChangesAsync(ct);
        var source = file.Format.StartsWith("csv", StringComparison.Ordinal) ? "csv" : file.Format;
        var posting = await PaymentPosting.CreateAsync(db, creditor, actor, clock, file.Transactions, source, System.IO.Path.GetFileName(cmd.FileName), import.Id, ct);
        var done = 0;
        if (!cmd.StatementOnly)
        {
            foreach (var t in file.Transactions)
            {
                await posting.PostAsync(t, ct);
                if (++done % 1000 == 0 || done == file.Transactions.Count) progress?.Report((done, file.Transactions.Count));
            }
        }
        var notes = file.Warnings.Select(w => "warning: " + w).ToList();
        var statements = file.Format == "camt053"
            ? await AddStatementsAsync(db, creditor, import.Id, file, posting, notes, now, ct)
            : [];
        await posting.WriteAsync(ct);
        await tx.CommitAsync(ct);

        return PaymentImportResult.From(cmd.FileName, file, posting.Finish(), posting.Summary(), statements, notes);
    }

    // CSV rows may name a customer: it must exist (bank files never do).
    private static async Task CheckAgainstLedgerAsync(PurrDbContext db, PaymentFile file, CancellationToken ct)
    {
        var named = file.Transactions.Where(t => t.CustomerNumber is not null).ToList();
        if (named.Count == 0) return;
        var numbers = named.Select(t => t.CustomerNumber!).Distinct().ToList();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in numbers.Chunk(20000))
            known.UnionWith(await db.Customers.Where(c => EF.Parameter(chunk).Contains(c.CustomerNumber)).Select(c => c.CustomerNumber).ToListAsync(ct));
        var errors = named.Where(t => !known.Contains(t.CustomerNumber!))
            .Select(t => new InputError(file.FileName, t.Line, "customer_number", t.CustomerNumber, "expected a known customer number")).ToList();
        if (errors.Count > 0) throw new RejectedInputException(errors);
    }

    private static async Task<List<StatementDto>> AddStatementsAsync(PurrDbContext db, Creditor creditor, long importId, PaymentFile file, PaymentPosting posting,
        List<string> notes, DateTimeOffset now, CancellationToken ct)
    {
        var result = new List<StatementDto>();
        foreach (var s in file.Bank!.Statements)
        {
            var prefix = s.XPath + "/";
            var own = file.Transactions.Where(t => t.XPath is { } x && x.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            var currency = s.Opening?.Currency.Code ?? s.Closing?.Currency.Code ?? s.AccountCurrency ?? own.FirstOrDefault()?.Amount.Currency.Code ?? creditor.DefaultCurrency;
            var dates = own.Select(t => t.Date).OfType<DateOnly>().ToList();
            var opening = s.Balances.FirstOrDefault(b => b.Type is "OPBD") ?? s.Balances.FirstOrDefault(b => b.Type is "PRCD");
            var closing = s.Balances.FirstOrDefault(b => b.Type is "CLBD");
            var from = opening?.Date ?? (dates.Count > 0 ? dates.Min() : closing?.Date) ?? DateOnly.FromDateTime(now.UtcDateTime);
            var to = closing?.Date ?? (dates.Count > 0 ? dates.Max() : from);
            var account = s.Account ?? "(no account)";
            var booked = own.Where(t => t.IsBooked && t.Amount.Currency.Code == currency).ToList();
            var row = new BankStatement
            {
                CreditorId = creditor.Id, ImportId = importId, Account = account, StatementId = s.Id, MessageId = file.Bank.MessageId, Currency = currency,
                FromDate = from, ToDate = to, OpeningBalance = Minor(s.Opening), ClosingBalance = Minor(s.Closing),
                Credits = booked.Where(t => t.Amount.IsPositive).Sum(t => t.Amount.ToMinorUnits()),
                Debits = -booked.Where(t => t.Amount.IsNegative).Sum(t => t.Amount.ToMinorUnits()),
                Entries = own.Count, Reconciles = s.Reconciles, CreatedAt = now,
            };
            var duplicate = await db.BankStatements.AnyAsync(b => b.Account == account && b.StatementId == s.Id && b.FromDate == from && b.ToDate == to, ct);
            if (duplicate)
            {
                notes.Add($"statement {s.Id} of account {account} ({from:yyyy-MM-dd}..{to:yyyy-MM-dd}) was imported before: not stored again");
            }
            else
            {
                posting.AddStatement(row, own.Select(t => new BankStatementEntry
                {
                    CreditorId = creditor.Id, Statement = row, BankReference = t.BankReference!, BookingDate = t.BookingDate, ValueDate = t.ValueDate,
                    Amount = t.Amount.ToMinorUnits(), Currency = t.Amount.Currency.Code, IsReversal = t.IsReversal, IsBooked = t.IsBooked,
                    Kid = t.Kid, PayerName = t.PayerName, Text = t.FreeText, Line = t.Line,
                    Payment = posting.NewPaymentOf(t.BankReference!), PaymentId = posting.KnownPaymentIdOf(t.BankReference!),
                }));
            }
            result.Add(new StatementDto(account, s.Id, from, to, currency, Amount(row.OpeningBalance, currency), Amount(row.ClosingBalance, currency),
                Dto.Amount(row.Credits, currency), Dto.Amount(row.Debits, currency), own.Count, s.Reconciles, duplicate));
        }
        return result;
    }

    private static long? Minor(Money? m) => m?.ToMinorUnits();

    private static string? Amount(long? minor, string currency) => minor is { } m ? Dto.Amount(m, currency) : null;
}

/// <summary>A camt.053 statement as imported.</summary>
public sealed record StatementDto(string Account, string? StatementId, DateOnly FromDate, DateOnly ToDate, string Currency, string? Opening, string? Closing,
    string Credits, string Debits, int Transactions, bool? Reconciles, bool AlreadyImported);

/// <summary>
/// What a payment import did: the common import fields, a summary (count and sum per outcome: matched by KID, by
/// invoice number, by amount + payer, unmatched, duplicates, reversals, skipped debits), the statements kept, and every
/// transaction with how it was matched.
/// </summary>
public sealed record PaymentImportResult(
    string Kind, string File, string Format, string Sha256, bool AlreadyImported, int Records, int Created, int Updated, int Unchanged,
    IReadOnlyDictionary<string, string> Totals, IReadOnlyList<string> Notes, IReadOnlyList<OutcomeTotal> Summary,
    IReadOnlyList<StatementDto> Statements, IReadOnlyList<PaymentLine> Transactions)
{
    /// <summary>The short form every import returns.</summary>
    public ImportResult ToImportResult() => new(Kind, File, Format, Sha256, AlreadyImported, Records, Created, Updated, Unchanged, Totals, Notes);

    internal static PaymentImportResult Already(ImportResult r) =>
        new(r.Kind, r.File, r.Format, r.Sha256, true, r.Records, 0, 0, r.Unchanged, r.Totals ?? new Dictionary<string, string>(), r.Notes ?? [], [], [], []);

    internal static PaymentImportResult From(string fileName, PaymentFile file, IReadOnlyList<PaymentLine> lines, IReadOnlyList<OutcomeTotal> summary,
        IReadOnlyList<StatementDto> statements, IReadOnlyList<string> notes)
    {
        var inv = CultureInfo.InvariantCulture;
        var totals = new Dictionary<string, string>(StringComparer.Ordinal) { ["transactions"] = file.Transactions.Count.ToString(inv) };
        foreach (var outcome in Outcomes.All)
        {
            var key = outcome switch
            {
                Outcomes.Duplicate => "duplicates",
                Outcomes.Reversal => "reversals",
                Outcomes.UnmatchedReversal => "unmatched_reversals",
                Outcomes.DebitSkipped => "debits_skipped",
                _ => outcome,
            };
            totals[key] = summary.Where(s => s.Outcome == outcome).Sum(s => s.Count).ToString(inv);
            foreach (var s in summary.Where(s => s.Outcome == outcome)) totals[$"{key}_{s.Currency.ToLowerInvariant()}"] = s.Amount;
        }
        foreach (var g in file.Transactions.GroupBy(t => t.Amount.Currency).OrderBy(g => g.Key.Code, StringComparer.Ordinal))
        {
            totals["credit_total_" + g.Key.Code.ToLowerInvariant()] = g.Where(t => t.Amount.IsPositive).Aggregate(Money.Zero(g.Key), (s, t) => s + t.Amount).ToDecimalString();
            totals["debit_total_" + g.Key.Code.ToLowerInvariant()] = g.Where(t => t.Amount.IsNegative).Aggregate(Money.Zero(g.Key), (s, t) => s - t.Amount).ToDecimalString();
            totals["total_" + g.Key.Code.ToLowerInvariant()] = g.Aggregate(Money.Zero(g.Key), (s, t) => s + t.Amount).ToDecimalString();
        }
        var created = lines.Count(l => l.PaymentId is not null && l.Outcome != Outcomes.Duplicate);
        return new PaymentImportResult("payments", fileName, file.Format, file.Sha256, false, file.Transactions.Count, created, 0,
            file.Transactions.Count - created, totals, notes, summary, statements, lines);
    }
}
