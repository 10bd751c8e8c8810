using Microsoft.EntityFrameworkCore;
using Purr.Core;
using Purr.Core.Matching;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Ledger;

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
/// Posts the transactions of one payment file into the ledger: duplicates by bank reference, debits, reversals, and
/// money in through the matcher (explicit CSV columns first, then <see cref="PaymentMatcher"/>: KID, invoice number,
/// amount + payer) and the <see cref="LedgerSession"/> allocation rules.
/// </summary>
/// <remarks>
/// Set-based: nothing is tracked by the context. Open invoices are loaded once (untracked, <see cref="LedgerOpenItems"/>),
/// the session works on those objects and hands its new rows here, and <see cref="WriteAsync"/> writes every new and
/// changed row with the <see cref="BulkWriter"/> in the caller's transaction.
/// </remarks>
internal sealed class PaymentPosting
{
    private readonly PurrDbContext _db;
    private readonly Creditor _creditor;
    private readonly Actor _actor;
    private readonly DateTimeOffset _now;
    private readonly DateOnly _today;
    private readonly LedgerSession _session;
    private readonly LedgerOpenItems _items;
    private readonly Dictionary<string, long> _knownReferences;
    private readonly Dictionary<string, Payment> _newByReference = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Customer> _customersByNumber;
    private readonly Dictionary<string, Invoice> _namedInvoices;
    private readonly string _source;
    private readonly string _fileName;
    private readonly long _importId;
    private readonly MatchOptions _options = MatchOptions.Default;

    // What the write holds: new rows, and rows from before that this import changed.
    private readonly List<Payment> _payments = [];
    private readonly List<Allocation> _allocations = [];
    private readonly List<ClaimEvent> _claimEvents = [];
    private readonly List<AccountingEvent> _accountingEvents = [];
    private readonly List<PaymentEvent> _paymentEvents = [];
    private readonly List<BankStatement> _statements = [];
    private readonly List<BankStatementEntry> _entries = [];
    private readonly List<(Payment Reversal, Payment Original)> _reversals = [];
    private readonly HashSet<Invoice> _changedInvoices = [];
    private readonly Dictionary<long, Payment> _storedPayments = [];
    private readonly HashSet<Payment> _changedPayments = [];
    private readonly List<Allocation> _changedAllocations = [];

    private PaymentPosting(PurrDbContext db, Creditor creditor, Actor actor, DateTimeOffset now, DateOnly today, LedgerOpenItems items,
        Dictionary<string, long> knownReferences, Dictionary<string, Customer> customersByNumber, Dictionary<string, Invoice> namedInvoices,
        string source, string fileName, long importId)
    {
        (_db, _creditor, _actor, _now, _today, _items) = (db, creditor, actor, now, today, items);
        (_knownReferences, _customersByNumber, _namedInvoices, _source, _fileName, _importId) = (knownReferences, customersByNumber, namedInvoices, source, fileName, importId);
        _session = new LedgerSession(db, creditor, actor, now, AddRow);
        _session.Preload(items.Invoices, complete: true);
    }

    /// <summary>The lines, in file order, with the payment rows behind them (ids are known after writing).</summary>
    public List<(PaymentLine Line, Payment? Payment, Money Amount)> Lines { get; } = [];

    /// <summary>Loads what posting needs in a few queries: open items, existing bank references of the file, named customers and invoices.</summary>
    public static async Task<PaymentPosting> CreateAsync(PurrDbContext db, Creditor creditor, Actor actor, TimeProvider clock, IReadOnlyList<IncomingPayment> transactions,
        string source, string fileName, long importId, CancellationToken ct)
    {
        var items = await LedgerOpenItems.LoadAsync(db, ct);
        var references = await KnownReferencesAsync(db, transactions.Select(t => t.BankReference).OfType<string>().ToList(), ct);
        var customerNumbers = transactions.Select(t => t.CustomerNumber).OfType<string>().Distinct().ToList();
        var customers = customerNumbers.Count == 0 ? [] : await db.Customers.AsNoTracking().Where(c => EF.Parameter(customerNumbers).Contains(c.CustomerNumber)).ToDictionaryAsync(c => c.CustomerNumber, ct);
        var invoiceNumbers = transactions.Select(t => t.InvoiceNumber).OfType<string>().Distinct().ToList();
        var named = new Dictionary<string, Invoice>(StringComparer.Ordinal);
        foreach (var chunk in invoiceNumbers.Chunk(20000))
            foreach (var inv in await db.Invoices.AsNoTracking().Where(i => EF.Parameter(chunk).Contains(i.Number) && i.Kind != DocumentKind.CreditNote).OrderBy(i => i.Kind).ToListAsync(ct))
                named.TryAdd(inv.Number, items.Find(inv.Id) ?? inv);       // an open one is the object the session works on
        // Written-off invoices a payment names by KID: such a payment is a recovery, not an unmatched item.
        var kids = transactions.Select(t => t.Kid).OfType<string>().Distinct().ToList();
        foreach (var chunk in kids.Chunk(20000))
            foreach (var inv in await db.Invoices.AsNoTracking().Where(i => i.SettledBy == "written_off" && i.Kid != null && EF.Parameter(chunk).Contains(i.Kid)).ToListAsync(ct))
                named.TryAdd("kid:" + inv.Kid, inv);
        return new PaymentPosting(db, creditor, actor, clock.GetUtcNow(), clock.Today(), items, references, customers, named, source, fileName, importId);
    }

    /// <summary>Bank references already in the ledger (with their payment ids), looked up in large chunks.</summary>
    internal static async Task<Dictionary<string, long>> KnownReferencesAsync(PurrDbContext db, IReadOnlyList<string> references, CancellationToken ct)
    {
        var known = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var chunk in references.Distinct(StringComparer.Ordinal).Chunk(20000))
            foreach (var p in await db.Payments.AsNoTracking().Where(p => p.BankReference != null && EF.Parameter(chunk).Contains(p.BankReference))
                         .Select(p => new { p.Id, Reference = p.BankReference! }).ToListAsync(ct))
                known[p.Reference] = p.Id;
        return known;
    }

    /// <summary>Adds a bank statement and its entries to the write (an entry's payment: <see cref="NewPaymentOf"/> or an id).</summary>
    public void AddStatement(BankStatement statement, IEnumerable<BankStatementEntry> entries)
    {
        _statements.Add(statement);
        _entries.AddRange(entries);
    }

    /// <summary>The payment id of a bank reference from before this import, or null.</summary>
    public long? KnownPaymentIdOf(string reference) => _knownReferences.TryGetValue(reference, out var id) ? id : null;

    /// <summary>The payment row for a bank reference created by this import, else null.</summary>
    public Payment? NewPaymentOf(string reference) => _newByReference.GetValueOrDefault(reference);

    /// <summary>Posts one transaction.</summary>
    public async Task PostAsync(IncomingPayment t, CancellationToken ct)
    {
        if (!t.IsBooked)
        {
            Add(t, Outcomes.NotBooked, null, $"entry status {t.Bank?.Camt?.Status ?? "not booked"}: not money on the account yet");
            return;
        }
        if (t.BankReference is { } reference && (_knownReferences.TryGetValue(reference, out var existing) || _newByReference.ContainsKey(reference)))
        {
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
            if (t.Kid is { } kid && _namedInvoices.TryGetValue("kid:" + kid, out var writtenOff))
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
        var text = $"reverses payment {(original.Id == 0 ? "" : original.Id + " ")}({original.BankReference ?? original.Kid}) of {original.PaymentDate:yyyy-MM-dd}: {why}";
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
            EndToEndId = t.EndToEndId, Text = t.FreeText, Source = _source, ImportId = _importId, CreatedAt = _now,
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

    /// <summary>Writes every new and changed row, set-based, in the caller's transaction.</summary>
    public async Task WriteAsync(CancellationToken ct)
    {
        var w = new BulkWriter(_db);
        // Payments first: the rows below refer to them. The database numbers them; read the ids back (this import's rows).
        await w.InsertAsync(_payments, ct);
        await w.LoadIdsAsync(_payments, nameof(Payment.ImportId), _importId, ct);
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
        await w.InsertAsync(_statements, ct);
        await w.LoadIdsAsync(_statements, nameof(BankStatement.ImportId), _importId, ct);
        w.FixForeignKeys(_entries);
        await w.InsertAsync(_entries, ct);
        await w.UpdateAsync(_changedInvoices, [nameof(Invoice.Open), nameof(Invoice.SettledOn), nameof(Invoice.SettledBy)], ct);
        await w.UpdateAsync(_changedPayments, [nameof(Payment.Status), nameof(Payment.Unallocated)], ct);
        await w.UpdateAsync(_changedAllocations, [nameof(Allocation.Reversed)], ct);
    }

    /// <summary>The lines with the ids and balances known after writing.</summary>
    public List<PaymentLine> Finish() => Lines.Select(x => x.Payment is not { } p ? x.Line : x.Line with
    {
        PaymentId = p.Id,
        CustomerNumber = x.Line.CustomerNumber ?? (p.CustomerId is { } c ? _items.CustomerNumber(c) : null),
        Unallocated = Dto.Amount(p.Unallocated, p.Currency),
    }).ToList();

    /// <summary>Count and sum per outcome and currency, in the order of <see cref="Outcomes.All"/>.</summary>
    public List<OutcomeTotal> Summary()
    {
        var summary = new List<OutcomeTotal>();
        foreach (var outcome in Outcomes.All)
            foreach (var g in Lines.Where(l => l.Line.Outcome == outcome).GroupBy(l => l.Amount.Currency).OrderBy(g => g.Key.Code, StringComparer.Ordinal))
                summary.Add(new OutcomeTotal(outcome, g.Count(), g.Aggregate(Money.Zero(g.Key), (sum, l) => sum + l.Amount).ToDecimalString(), g.Key.Code));
        return summary;
    }

    private static string? NormalizedAccount(string? account) => PaymentMatcher.NormalizeAccount(account) is { Length: > 0 } a ? a : null;

    private void Event(Payment p, string kind, string text) =>
        _paymentEvents.Add(new PaymentEvent { CreditorId = _creditor.Id, Payment = p, At = _now, Actor = _actor.Name, Kind = kind, Text = text });

    private void Add(IncomingPayment t, string outcome, Payment? p, string reason, IReadOnlyList<string>? invoices = null, long? duplicateOf = null, long? customer = null)
    {
        var customerId = customer ?? p?.CustomerId;
        Lines.Add((new PaymentLine(t.Sequence, t.Line, t.BankReference, t.Date, t.Amount.ToDecimalString(), t.Amount.Currency.Code, outcome, duplicateOf,
            customerId is { } c ? _items.CustomerNumber(c) : null, invoices ?? [], null, reason), p, t.Amount));
    }
}
