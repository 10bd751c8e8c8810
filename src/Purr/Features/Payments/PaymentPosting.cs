using Microsoft.EntityFrameworkCore;
using Purr.Core;
using Purr.Core.Formats;
using Purr.Core.Matching;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Ledger;
using Purr.Features.WriteOffs;

namespace Purr.Features.Payments;

/// <summary>What happened to one transaction of a payment file.</summary>
public static class Outcomes
{
    /// <summary>Matched by a valid KID.</summary>
    public const string Kid = "kid";
    /// <summary>Matched by an invoice number: named in a CSV column, a referred document number or found in the text.</summary>
    public const string InvoiceNumber = "invoice_number";
    /// <summary>Matched by amount and payer (name or account).</summary>
    public const string AmountPayer = "amount_payer";
    /// <summary>CSV: the row names the customer; oldest invoices first.</summary>
    public const string Customer = "customer";
    /// <summary>Money in that matched nothing: in the unmatched queue.</summary>
    public const string Unmatched = "unmatched";
    /// <summary>The bank reference is already in the ledger: skipped.</summary>
    public const string Duplicate = "duplicate";
    /// <summary>Money out that is not a reversal of a customer payment (or a reversal of a debit): skipped.</summary>
    public const string DebitSkipped = "debit_skipped";
    /// <summary>A pending or information-only camt entry: not money on the account yet, skipped.</summary>
    public const string NotBooked = "not_booked";
    /// <summary>A reversal whose original payment was found and reversed.</summary>
    public const string Reversal = "reversal";
    /// <summary>A reversal whose original was not found: stored as a negative item in the unmatched queue.</summary>
    public const string UnmatchedReversal = "unmatched_reversal";

    /// <summary>Every outcome, in the order summaries list them.</summary>
    public static readonly string[] All = [Kid, InvoiceNumber, AmountPayer, Customer, Unmatched, Duplicate, Reversal, UnmatchedReversal, DebitSkipped, NotBooked];
}

/// <summary>Count and sum of the transactions with one outcome, per currency.</summary>
public sealed record OutcomeTotal(string Outcome, int Count, string Amount, string Currency);

/// <summary>How one transaction of a file was handled.</summary>
/// <param name="Outcome">One of <see cref="Outcomes"/>.</param>
/// <param name="PaymentId">The payment row created (or, for a duplicate, the one already there).</param>
/// <param name="Invoices">Invoice numbers the payment was put on (allocations made).</param>
/// <param name="Reason">How it was matched, or why not.</param>
public sealed record PaymentLine(int Sequence, int Line, string? Reference, DateOnly? Date, string Amount, string Currency, string Outcome,
    long? PaymentId, string? CustomerNumber, IReadOnlyList<string> Invoices, string? Unallocated, string Reason);

/// <summary>
/// Posts the transactions of one payment file into the ledger, chunk by chunk: duplicates by bank reference, debits,
/// reversals, and money in through the matcher (explicit CSV columns first, then <see cref="PaymentMatcher"/>: KID,
/// invoice number, amount + payer) and the <see cref="LedgerSession"/> allocation rules.
/// </summary>
/// <remarks>
/// Set-based and streaming: nothing is tracked by the context. Each chunk looks up what it needs — bank references
/// already in the ledger (earlier chunks' rows included, as they are written in the same transaction), named customers
/// and invoices, written-off invoices by KID, and the open invoices its KIDs, invoice numbers and amounts can reach with
/// their customers' other open invoices (<see cref="LedgerOpenItems"/>, untracked; a fresh <see cref="LedgerSession"/>
/// works on those objects) — is posted, and its new and changed rows are written with the <see cref="BulkWriter"/> in
/// the caller's transaction and dropped. What stays in memory is bounded by the chunk, not by the file or the ledger:
/// besides it only the result's lines (at most <see cref="MaxLines"/>) and the totals per outcome.
/// </remarks>
internal sealed class PaymentPosting
{
    private readonly PurrDbContext _db;
    private readonly Creditor _creditor;
    private readonly Actor _actor;
    private readonly DateTimeOffset _now;
    private readonly DateOnly _today;
    private LedgerSession _session;
    private LedgerOpenItems _items;
    private Dictionary<string, KnownReference> _knownReferences = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Payment> _newByReference = new(StringComparer.Ordinal);
    // References of earlier chunks of this file that made no payment row of this import (debits, entries not booked,
    // duplicates of earlier imports), with their lines: a repeat of one is found here, compactly.
    private readonly UniqueReferences _unwritten = new();
    private readonly Dictionary<string, Customer> _customersByNumber = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Invoice> _namedInvoices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Invoice> _writtenOffByKid = new(StringComparer.Ordinal);
    private readonly string _source;
    private readonly string _fileName;
    private readonly long _importId;
    private readonly MatchOptions _options = MatchOptions.Default;

    // What one chunk's write holds: new rows, and rows from before that this chunk changed.
    private readonly List<Payment> _payments = [];
    private readonly List<Allocation> _allocations = [];
    private readonly List<ClaimEvent> _claimEvents = [];
    private readonly List<AccountingEvent> _accountingEvents = [];
    private readonly List<PaymentEvent> _paymentEvents = [];
    private readonly List<(Payment Reversal, Payment Original)> _reversals = [];
    private readonly HashSet<Invoice> _changedInvoices = [];
    private readonly Dictionary<long, Payment> _storedPayments = [];
    private readonly HashSet<Payment> _changedPayments = [];
    private readonly List<Allocation> _changedAllocations = [];
    private readonly List<(PaymentLine Line, Payment? Payment, Money Amount)> _chunkLines = [];
    private long _lastPaymentId;

    // What the whole import keeps: the first lines, and count and sum per outcome and currency.
    private readonly List<PaymentLine> _lines = [];
    private readonly Dictionary<(string Outcome, Currency Currency), (int Count, Money Sum)> _totals = [];

    private PaymentPosting(PurrDbContext db, Creditor creditor, Actor actor, DateTimeOffset now, DateOnly today, LedgerOpenItems items,
        string source, string fileName, long importId)
    {
        (_db, _creditor, _actor, _now, _today, _items) = (db, creditor, actor, now, today, items);
        (_source, _fileName, _importId) = (source, fileName, importId);
        _session = new LedgerSession(db, creditor, actor, now, AddRow);
    }

    /// <summary>How many lines <see cref="Finish"/> lists at most (the totals always cover every transaction).</summary>
    public int MaxLines { get; init; } = 10_000;

    /// <summary>Payment rows written so far.</summary>
    public int Created { get; private set; }

    /// <summary>Starts posting one file; the ledger is read chunk by chunk (<see cref="PostChunkAsync"/>).</summary>
    public static async Task<PaymentPosting> CreateAsync(PurrDbContext db, Creditor creditor, Actor actor, TimeProvider clock,
        string source, string fileName, long importId, CancellationToken ct, int maxLines = 10_000) =>
        new(db, creditor, actor, clock.GetUtcNow(), clock.Today(), await LedgerOpenItems.LoadAsync(db, creditor.Id, [], [], new Dictionary<string, HashSet<long>>(), [], ct), source, fileName, importId) { MaxLines = maxLines };

    /// <summary>
    /// Checks a chunk against the ledger: a CSV row that names a customer needs a known customer (bank files never name
    /// one). Returns the located errors; nothing is written.
    /// </summary>
    public async Task<List<InputError>> CheckAsync(IReadOnlyList<IncomingPayment> chunk, CancellationToken ct)
    {
        await LoadCustomersAsync(chunk, ct);
        var errors = chunk.Where(t => t.CustomerNumber is { } n && !_customersByNumber.ContainsKey(n))
            .Select(t => new InputError(_fileName, t.Line, "customer_number", t.CustomerNumber, "expected a known customer number")).ToList();
        // A bank reference repeated in the file. The reader checks the references it still holds; those of earlier
        // chunks (it forgets them, see BankFileReading.ForgetCheckedReferences) are this import's rows or in _unwritten.
        _knownReferences = await KnownReferencesAsync(_db, _creditor.Id, chunk.Select(t => t.BankReference).OfType<string>().ToList(), ct);
        var firstInChunk = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in chunk)
        {
            if (t.BankReference is not { } r) continue;
            int? first = !firstInChunk.TryAdd(r, t.Line) ? firstInChunk[r]
                : _knownReferences.TryGetValue(r, out var known) && known.ImportId == _importId ? known.Line ?? 0
                : _unwritten.Contains(r, out var earlier) ? earlier : null;
            if (first is { } line) errors.Add(new InputError(_fileName, t.Line, null, r, BankFileReading.DuplicateReference(line), t.XPath));
        }
        return errors;
    }

    private async Task LoadCustomersAsync(IReadOnlyList<IncomingPayment> chunk, CancellationToken ct)
    {
        var numbers = chunk.Select(t => t.CustomerNumber).OfType<string>().Where(n => !_customersByNumber.ContainsKey(n)).Distinct().ToList();
        if (numbers.Count == 0) return;
        foreach (var c in await _db.OwnedBy<Customer>(_creditor.Id).Where(c => EF.Parameter(numbers).Contains(c.CustomerNumber)).ToListAsync(ct))
            _customersByNumber[c.CustomerNumber] = c;
    }

    /// <summary>
    /// Posts a chunk (file order) that <see cref="CheckAsync"/> found without errors, and writes it. Returns, per
    /// transaction, the payment row behind it (created now, or the one already in the ledger for a duplicate), or null.
    /// With <paramref name="post"/> false (a statement kept for reconciliation only) nothing is posted and only payments
    /// already in the ledger are named.
    /// </summary>
    public async Task<long?[]> PostChunkAsync(IReadOnlyList<IncomingPayment> chunk, bool post, CancellationToken ct)
    {
        if (post)
        {
            await LoadCustomersAsync(chunk, ct);
            await LoadLedgerAsync(chunk, ct);
            foreach (var t in chunk) await PostAsync(t, ct);
            await WriteAsync(ct);
        }
        var ids = chunk.Select(t => t.BankReference is not { } r ? null
            : _newByReference.TryGetValue(r, out var p) ? p.Id : _knownReferences.TryGetValue(r, out var known) ? known.Id : (long?)null).ToArray();
        if (post)
            foreach (var t in chunk)
                if (t.BankReference is { } r && !_newByReference.ContainsKey(r)) _unwritten.Add(r, t.Line, out _);
        FinishChunk();
        return ids;
    }

    /// <summary>A payment already in the ledger with a given bank reference: its id, import and line in that import's file.</summary>
    internal readonly record struct KnownReference(long Id, long? ImportId, int? Line);

    /// <summary>
    /// Loads what the chunk can reach: the invoices CSV rows name, the written-off invoices whose KID a transaction
    /// gives (a payment naming one is a recovery, not an unmatched item), and the open items the matcher may find for
    /// the chunk's KIDs, invoice numbers and amounts, with every open invoice of the customers involved. A new ledger
    /// session works on those objects.
    /// </summary>
    private async Task LoadLedgerAsync(IReadOnlyList<IncomingPayment> chunk, CancellationToken ct)
    {
        var kids = new HashSet<string>(StringComparer.Ordinal);
        var numberKeys = new HashSet<string>(StringComparer.Ordinal);
        var amounts = new Dictionary<string, HashSet<long>>(StringComparer.Ordinal);
        var structuredKids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in chunk)
        {
            if (t.Kid is { } kid && Core.Identifiers.Checksums.Compact(kid) is { Length: > 0 } k) { kids.Add(k); structuredKids.Add(k); }
            foreach (var r in t.References) if (Core.Identifiers.Checksums.Compact(r) is { Length: > 0 } c) kids.Add(c);
            foreach (var n in t.DocumentNumbers) if (OpenItemIndex.NumberKey(n) is { } key) numberKeys.Add(key);
            foreach (var token in PaymentMatcher.Tokens(t.FreeText, _options.MinimumTokenLength))
            {
                kids.Add(token);
                if (OpenItemIndex.NumberKey(token) is { } key) numberKeys.Add(key);
            }
            if (t.Amount.IsPositive && t.Amount.RoundToMinorUnit() == t.Amount)
            {
                if (!amounts.TryGetValue(t.Amount.Currency.Code, out var set)) amounts[t.Amount.Currency.Code] = set = [];
                set.Add(t.Amount.ToMinorUnits());
            }
        }

        _namedInvoices.Clear();
        var invoiceNumbers = chunk.Select(t => t.InvoiceNumber).OfType<string>().Distinct().ToList();
        if (invoiceNumbers.Count > 0)
            foreach (var inv in await _db.OwnedBy<Invoice>(_creditor.Id).Where(i => EF.Parameter(invoiceNumbers).Contains(i.Number) && i.Kind != DocumentKind.CreditNote).OrderBy(i => i.Kind).ToListAsync(ct))
                _namedInvoices.TryAdd(inv.Number, inv);
        _writtenOffByKid.Clear();
        if (structuredKids.Count > 0)
        {
            var written = structuredKids.ToList();
            foreach (var inv in await _db.OwnedBy<Invoice>(_creditor.Id).Where(i => EF.Parameter(written).Contains(i.Kid!) && i.SettledBy == WriteOffKinds.WrittenOff)
                         .OrderBy(i => i.Id).ToListAsync(ct))
                _writtenOffByKid.TryAdd(inv.Kid!, inv);
        }

        var named = chunk.Select(t => t.CustomerNumber is { } n && _customersByNumber.TryGetValue(n, out var c) ? c.Id : (long?)null).OfType<long>();
        var customers = named.Concat(_namedInvoices.Values.Select(i => i.CustomerId)).Concat(_writtenOffByKid.Values.Select(i => i.CustomerId));
        _items = await LedgerOpenItems.LoadAsync(_db, _creditor.Id, kids, numberKeys, amounts, customers, ct);
        // An open invoice is the object the session works on.
        foreach (var (number, inv) in _namedInvoices.ToList()) _namedInvoices[number] = _items.Find(inv.Id) ?? inv;
        foreach (var (kid, inv) in _writtenOffByKid.ToList()) _writtenOffByKid[kid] = _items.Find(inv.Id) ?? inv;
        _session = new LedgerSession(_db, _creditor, _actor, _now, AddRow);
        _session.Preload(_items.Invoices, complete: true);
    }

    /// <summary>Bank references already in the ledger (with their payment ids), looked up in large chunks.</summary>
    internal static async Task<Dictionary<string, KnownReference>> KnownReferencesAsync(PurrDbContext db, long creditorId, IReadOnlyList<string> references, CancellationToken ct)
    {
        var known = new Dictionary<string, KnownReference>(StringComparer.Ordinal);
        foreach (var chunk in references.Distinct(StringComparer.Ordinal).Chunk(20000))
            foreach (var p in await db.OwnedBy<Payment>(creditorId).Where(p => EF.Parameter(chunk).Contains(p.BankReference!))
                         .Select(p => new { p.Id, Reference = p.BankReference!, p.ImportId, p.Line }).ToListAsync(ct))
                known[p.Reference] = new KnownReference(p.Id, p.ImportId, p.Line);
        return known;
    }

    /// <summary>Posts one transaction.</summary>
    private async Task PostAsync(IncomingPayment t, CancellationToken ct)
    {
        if (!t.IsBooked)
        {
            Add(t, Outcomes.NotBooked, null, $"entry status {t.Bank?.Camt?.Status ?? "not booked"}: not money on the account yet");
            return;
        }
        if (t.BankReference is { } reference && (_knownReferences.TryGetValue(reference, out var known) || _newByReference.ContainsKey(reference)))
        {
            var existing = known.Id;
            Add(t, Outcomes.Duplicate, null, $"bank reference {reference} is already in the ledger (payment {existing}): skipped", duplicateOf: existing);
            return;
        }
        if (t.Amount.IsNegative)
        {
            if (t.IsReversal) await ReverseAsync(t, ct);
            else Add(t, Outcomes.DebitSkipped, null, "money out: not a customer payment");
            return;
        }
        if (t.IsReversal)
        {
            Add(t, Outcomes.DebitSkipped, null, "a reversal of a debit (money back from an outgoing payment): not a customer payment");
            return;
        }
        if (t.Amount.IsZero)
        {
            Add(t, Outcomes.DebitSkipped, null, "a zero amount: nothing to post");
            return;
        }
        await ReceiveAsync(t, ct);
    }

    private async Task ReceiveAsync(IncomingPayment t, CancellationToken ct)
    {
        var p = NewPayment(t);
        var (method, customerId, targets, why) = Explicit(t) ?? Propose(t);
        if (customerId is null)
        {
            Event(p, Outcomes.Unmatched, $"imported from {_fileName} line {t.Line}, not matched: {why}");
            Add(t, Outcomes.Unmatched, p, why);
            return;
        }
        p.MatchMethod = method;
        if (method == Outcomes.InvoiceNumber) p.InvoiceNumber ??= targets.FirstOrDefault()?.Number;
        var made = await _session.AllocatePaymentAsync(p, customerId.Value, targets, ct);
        foreach (var a in made) Changed(a.Invoice!);
        Event(p, "matched", $"imported from {_fileName} line {t.Line}: {why}");
        Add(t, method, p, why, made.Select(a => a.Invoice!.Number).Distinct().ToList());
    }

    // CSV columns name the invoice or the customer explicitly; they win over anything the matcher could infer.
    private Match? Explicit(IncomingPayment t)
    {
        if (t.InvoiceNumber is { } number && _namedInvoices.TryGetValue(number, out var named))
            return new Match(Outcomes.InvoiceNumber, named.CustomerId, [named],
                $"invoice {named.Number} named in the file (customer {_items.CustomerNumber(named.CustomerId)})");
        if (t.CustomerNumber is { } customerNumber && _customersByNumber.TryGetValue(customerNumber, out var customer))
        {
            var proposal = Propose(t);
            if (proposal is { Customer: { } c } && c == customer.Id) return proposal;
            return new Match(Outcomes.Customer, customer.Id, [], $"customer {customer.CustomerNumber} named in the file: oldest invoices first");
        }
        return null;
    }

    private Match Propose(IncomingPayment t)
    {
        var proposal = PaymentMatcher.Propose(t.ToMatch(), _items, _options);
        var named = t.InvoiceNumber is { } n ? $"invoice {n} named in the file is not in the ledger; " : "";
        if (!proposal.IsMatched)
        {
            if (t.Kid is { } kid && _writtenOffByKid.TryGetValue(Core.Identifiers.Checksums.Compact(kid), out var writtenOff))
                return new Match(Outcomes.Kid, writtenOff.CustomerId, [writtenOff], $"KID {kid} belongs to written-off invoice {writtenOff.Number}: booked as a recovery");
            return new Match(Outcomes.Unmatched, null, [], named + proposal.Reason);
        }
        var customer = proposal.Customer!.Value.Value;
        var reason = proposal.Reason.Replace($"of customer {proposal.Customer}", $"of customer {_items.CustomerNumber(customer)}", StringComparison.Ordinal);
        return new Match(proposal.MethodCode!, customer, proposal.Invoices.Select(i => _items.Invoice(i.InvoiceId)).ToList(), named + reason);
    }

    private sealed record Match(string Method, long? Customer, IReadOnlyList<Invoice> Targets, string Reason);

    private async Task ReverseAsync(IncomingPayment t, CancellationToken ct)
    {
        var row = NewPayment(t);
        row.Unallocated = 0;
        var (original, why) = await FindOriginalAsync(t, ct);
        if (original is null)
        {
            Event(row, Outcomes.UnmatchedReversal, $"imported from {_fileName} line {t.Line}: a reversal whose original payment was not found ({why}); review it with 'purr payments reverse'");
            Add(t, Outcomes.UnmatchedReversal, row, $"original payment not found: {why}");
            return;
        }
        // Its allocations: rows of this import, or rows from before (loaded untracked, written back as reversed).
        List<Allocation> allocations;
        if (original.Id == 0) allocations = _allocations.Where(a => a.Payment == original).ToList();
        else
        {
            allocations = await _db.Allocations.AsNoTracking().Where(a => a.PaymentId == original.Id && !a.Reversed).ToListAsync(ct);
            // The customer's open invoices join the chunk's view, so what the reversal reopens sits among them.
            if (original.CustomerId is { } owner) _session.Preload(await _items.AddCustomersAsync([owner], ct), complete: true);
            _changedAllocations.AddRange(allocations);
            _changedPayments.Add(original);
            foreach (var id in allocations.Select(a => a.InvoiceId).Distinct().Where(id => _items.Find(id) is null).ToList())
                _items.Refresh(await _db.Invoices.AsNoTracking().SingleAsync(i => i.Id == id, ct));
        }
        var reopened = await _session.ReverseAllocationsAsync(original, allocations, a => a.Invoice ?? _items.Find(a.InvoiceId)!,
            $"reversed by {t.BankReference} ({_fileName} line {t.Line})", ct);
        foreach (var inv in reopened) Changed(inv);
        row.Status = PaymentStatus.Reversed;
        row.CustomerId = original.CustomerId;
        row.MatchMethod = "reversal";
        _reversals.Add((row, original));
        // Named by what the bank file says (not the row id), so the text does not depend on which chunk wrote the original.
        var named = original.BankReference ?? original.Kid ?? (original.Id > 0 ? $"id {original.Id}" : $"of {_fileName}");
        var text = $"reverses payment {named} of {original.PaymentDate:yyyy-MM-dd}: {why}";
        Event(row, Outcomes.Reversal, $"imported from {_fileName} line {t.Line}: {text}");
        Event(original, "reversed", $"reversed by {t.BankReference} from {_fileName} line {t.Line}; allocations undone{(reopened.Count > 0 ? ": " + string.Join(", ", reopened.Select(i => i.Number)) + " open again" : "")}");
        Add(t, Outcomes.Reversal, row, text, reopened.Select(i => i.Number).ToList(), customer: original.CustomerId);
    }

    /// <summary>
    /// The payment a reversal takes back: the same amount, not reversed or refunded, and the same end-to-end id, else
    /// a bank reference named by the reversal, else the same KID, else the same payer account. When several fit at the
    /// strongest level they must belong to one customer; the latest is taken.
    /// </summary>
    private async Task<(Payment? Original, string Why)> FindOriginalAsync(IncomingPayment t, CancellationToken ct)
    {
        var amount = (-t.Amount).ToMinorUnits();
        var currency = t.Amount.Currency.Code;
        var e2e = t.EndToEndId;
        var kid = t.Kid is { } k ? Core.Identifiers.Checksums.Compact(k) : null;
        var account = NormalizedAccount(t.PayerAccount);
        var refs = new[] { t.EndToEndId, t.Bank?.Camt?.TransactionId, t.Bank?.Camt?.InstructionId }.OfType<string>().Distinct().ToList();
        if (e2e is null && kid is null && account is null && refs.Count == 0) return (null, "the reversal names no end-to-end id, reference, KID or payer account");
        var stored = await _db.Payments.AsNoTracking()
            .Where(p => p.Amount == amount && p.Currency == currency && p.Status != PaymentStatus.Reversed && p.Status != PaymentStatus.Refunded)
            .Where(p => (e2e != null && p.EndToEndId == e2e) || (kid != null && p.Kid == kid) || (account != null && p.PayerAccount == account)
                        || (p.BankReference != null && refs.Contains(p.BankReference)))
            .ToListAsync(ct);
        // A payment loaded before in this import is the same object (it may be reversed by now).
        var candidates = stored.Select(p => _storedPayments.TryGetValue(p.Id, out var seen) ? seen : _storedPayments[p.Id] = p)
            .Concat(_payments.Where(p => p.Amount == amount && p.Currency == currency))
            .Where(p => p.Status is not (PaymentStatus.Reversed or PaymentStatus.Refunded))
            .Distinct().ToList();
        (Func<Payment, bool> Fits, string What)[] levels =
        [
            (p => e2e != null && p.EndToEndId == e2e, $"end-to-end id {e2e}"),
            (p => p.BankReference != null && refs.Contains(p.BankReference), "bank reference"),
            (p => kid != null && p.Kid == kid, $"KID {kid}"),
            (p => account != null && p.PayerAccount == account, $"payer account {account}"),
        ];
        foreach (var (fits, what) in levels)
        {
            var hits = candidates.Where(fits).ToList();
            if (hits.Count == 0) continue;
            if (hits.Select(h => h.CustomerId).Distinct().Count() > 1)
                return (null, $"{hits.Count} payments of {Dto.Amount(amount, currency)} with the same {what.Split(' ')[0]} belong to different customers");
            var latest = hits.OrderByDescending(h => h.PaymentDate).ThenByDescending(h => h.Id == 0 ? long.MaxValue : h.Id).First();
            return (latest, $"same amount and {what}" + (hits.Count > 1 ? $" (the latest of {hits.Count})" : ""));
        }
        return (null, $"no payment of {Dto.Amount(amount, currency)} {currency} with the same end-to-end id, reference, KID or payer account");
    }

    private Payment NewPayment(IncomingPayment t)
    {
        var minor = t.Amount.ToMinorUnits();
        var p = new Payment
        {
            CreditorId = _creditor.Id, PaymentDate = t.Date ?? _today, ValueDate = t.ValueDate, Amount = minor, Unallocated = minor,
            Currency = t.Amount.Currency.Code, Kid = t.Kid is { } k ? Core.Identifiers.Checksums.Compact(k) : null, InvoiceNumber = t.InvoiceNumber,
            BankReference = t.BankReference, PayerName = t.PayerName, PayerAccount = NormalizedAccount(t.PayerAccount), Account = t.Account,
            EndToEndId = t.EndToEndId, Text = t.FreeText, Source = _source, ImportId = _importId, Line = t.Line, CreatedAt = _now,
        };
        _payments.Add(p);
        if (t.BankReference is { } r) _newByReference[r] = p;
        return p;
    }

    private void AddRow(object row)
    {
        switch (row)
        {
            case Allocation a: _allocations.Add(a); break;
            case ClaimEvent e: _claimEvents.Add(e); break;
            case AccountingEvent e: _accountingEvents.Add(e); break;   // a recovery on a written-off invoice
            default: throw new InvalidOperationException($"the ledger session made a {row.GetType().Name} row the payment import does not write");
        }
    }

    private void Changed(Invoice invoice)
    {
        _changedInvoices.Add(invoice);
        _items.Refresh(invoice);
    }

    /// <summary>Writes the chunk's new and changed rows, set-based, in the caller's transaction.</summary>
    private async Task WriteAsync(CancellationToken ct)
    {
        var w = new BulkWriter(_db);
        // Payments first: the rows below refer to them. The database numbers them; read the ids back (this chunk's rows).
        await w.InsertAsync(_payments, ct);
        await w.LoadIdsAsync(_payments, nameof(Payment.ImportId), _importId, ct, afterId: _lastPaymentId);
        Created += _payments.Count;
        if (_payments.Count > 0) _lastPaymentId = _payments[^1].Id;
        foreach (var (reversal, original) in _reversals) reversal.ReversesPaymentId = original.Id;
        await w.UpdateAsync(_reversals.Select(r => r.Reversal).ToList(), [nameof(Payment.ReversesPaymentId)], ct);
        w.FixForeignKeys(_allocations);
        w.FixForeignKeys(_claimEvents);
        w.FixForeignKeys(_paymentEvents);
        w.FixForeignKeys(_accountingEvents);
        await w.InsertAsync(_allocations, ct);
        await w.InsertAsync(_accountingEvents, ct);
        await w.InsertAsync(_claimEvents, ct);
        await w.InsertAsync(_paymentEvents, ct);
        await w.UpdateAsync(_changedInvoices, [nameof(Invoice.Open), nameof(Invoice.SettledOn), nameof(Invoice.SettledBy)], ct);
        await w.UpdateAsync(_changedPayments, [nameof(Payment.Status), nameof(Payment.Unallocated)], ct);
        await w.UpdateAsync(_changedAllocations, [nameof(Allocation.Reversed)], ct);
    }

    // The chunk is written: keep its lines (up to MaxLines) and totals, drop its rows.
    private void FinishChunk()
    {
        foreach (var (line, p, amount) in _chunkLines)
        {
            var key = (line.Outcome, amount.Currency);
            var (count, sum) = _totals.TryGetValue(key, out var t) ? t : (0, Money.Zero(amount.Currency));
            _totals[key] = (count + 1, sum + amount);
            if (_lines.Count >= MaxLines) continue;
            _lines.Add(p is null ? line : line with
            {
                PaymentId = p.Id,
                CustomerNumber = line.CustomerNumber ?? (p.CustomerId is { } c ? _items.CustomerNumber(c) : null),
                Unallocated = Dto.Amount(p.Unallocated, p.Currency),
            });
        }
        _chunkLines.Clear();
        _payments.Clear();
        _allocations.Clear();
        _claimEvents.Clear();
        _accountingEvents.Clear();
        _paymentEvents.Clear();
        _reversals.Clear();
        _changedInvoices.Clear();
        _storedPayments.Clear();
        _changedPayments.Clear();
        _changedAllocations.Clear();
        _newByReference.Clear();
        _namedInvoices.Clear();
    }

    /// <summary>The lines in file order (at most <see cref="MaxLines"/>), with their payment ids and balances.</summary>
    public IReadOnlyList<PaymentLine> Finish() => _lines;

    /// <summary>Count and sum per outcome and currency over every transaction, in the order of <see cref="Outcomes.All"/>.</summary>
    public List<OutcomeTotal> Summary() =>
        Outcomes.All.SelectMany(outcome => _totals.Where(t => t.Key.Outcome == outcome).OrderBy(t => t.Key.Currency.Code, StringComparer.Ordinal)
            .Select(t => new OutcomeTotal(outcome, t.Value.Count, t.Value.Sum.ToDecimalString(), t.Key.Currency.Code))).ToList();

    private static string? NormalizedAccount(string? account) => PaymentMatcher.NormalizeAccount(account) is { Length: > 0 } a ? a : null;

    private void Event(Payment p, string kind, string text) =>
        _paymentEvents.Add(new PaymentEvent { CreditorId = _creditor.Id, Payment = p, At = _now, Actor = _actor.Name, Kind = kind, Text = text });

    private void Add(IncomingPayment t, string outcome, Payment? p, string reason, IReadOnlyList<string>? invoices = null, long? duplicateOf = null, long? customer = null)
    {
        var customerId = customer ?? p?.CustomerId;
        _chunkLines.Add((new PaymentLine(t.Sequence, t.Line, t.BankReference, t.Date, t.Amount.ToDecimalString(), t.Amount.Currency.Code, outcome, duplicateOf,
            customerId is { } c ? _items.CustomerNumber(c) : null, invoices ?? [], null, reason), p, t.Amount));
    }
}
