using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Purr.Core;
using Purr.Core.Matching;
using Purr.Data;

namespace Purr.Features.Payments;

/// <summary>
/// The open invoices one chunk of a payment file can reach, as the matcher sees them: every open invoice whose KID,
/// invoice number or open amount a transaction of the chunk names, and every open invoice of those invoices' customers
/// (a payment may spill over onto them), loaded untracked with one query per kind of key. The objects stay live while
/// the chunk is posted: the <c>LedgerSession</c> changes their open amounts and <see cref="Refresh"/> keeps the amount
/// lookup current.
/// </summary>
/// <remarks>
/// Loading per chunk, instead of the whole ledger once per import, keeps an import's memory independent of the size of
/// the ledger as well as of the file. The lookups give the same answers as a view of the whole ledger: an invoice
/// not loaded can be neither found (its keys are not the chunk's) nor changed (only loaded invoices are allocated to;
/// a reversal loads what it reopens, with <see cref="AddCustomersAsync"/> for the payment's customer).
/// </remarks>
public sealed class LedgerOpenItems : IOpenItemView
{
    private readonly PurrDbContext _db;
    private readonly long _creditorId;
    private readonly Dictionary<long, Invoice> _byId = [];
    private readonly Dictionary<string, List<Invoice>> _byKid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Invoice>> _byNumber = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Currency, long Open), List<Invoice>> _byOpen = [];
    private readonly Dictionary<long, long> _indexedOpen = [];
    private readonly Dictionary<long, (string Number, string Name)> _customers = [];
    private readonly Dictionary<long, IReadOnlyList<string>> _accounts = [];
    private readonly Dictionary<string, Currency> _currencies = new(StringComparer.Ordinal);

    private LedgerOpenItems(PurrDbContext db, long creditorId) => (_db, _creditorId) = (db, creditorId);

    /// <summary>The loaded open invoices (hand them to <c>LedgerSession.Preload</c>: every open invoice of each loaded customer).</summary>
    public IReadOnlyCollection<Invoice> Invoices => _byId.Values;

    /// <summary>
    /// Loads the open invoices (not credit notes) of the creditor with one of the <paramref name="kids"/>,
    /// invoice number keys (<see cref="OpenItemIndex.NumberKey"/>) or open <paramref name="amounts"/> (minor units, per currency),
    /// then every open invoice of their customers and of <paramref name="customers"/>, with the customers' numbers,
    /// names and the payer accounts seen on their earlier payments.
    /// </summary>
    public static async Task<LedgerOpenItems> LoadAsync(PurrDbContext db, long creditorId, IReadOnlyCollection<string> kids, IReadOnlyCollection<string> numberKeys,
        IReadOnlyDictionary<string, HashSet<long>> amounts, IEnumerable<long> customers, CancellationToken ct)
    {
        var view = new LedgerOpenItems(db, creditorId);
        var found = new HashSet<long>(customers);
        // Each look-up is an equality on its own index; "open > 0" is checked on the rows, so that SQLite (which has no
        // statistics) never takes it for a range scan over every open invoice.
        async Task CustomersOfAsync(Expression<Func<Invoice, bool>> where)
        {
            foreach (var r in await db.OwnedBy<Invoice>(creditorId).Where(where).Select(i => new { i.CustomerId, i.Open, i.Kind }).ToListAsync(ct))
                if (r.Open > 0 && r.Kind != DocumentKind.CreditNote) found.Add(r.CustomerId);
        }
        if (kids.Count > 0) await CustomersOfAsync(i => EF.Parameter(kids).Contains(i.Kid!));
        if (numberKeys.Count > 0) await CustomersOfAsync(i => EF.Parameter(numberKeys).Contains(i.NumberKey));
        foreach (var (currency, set) in amounts)
        {
            var values = set.ToList();
            await CustomersOfAsync(i => i.Currency == currency && EF.Parameter(values).Contains(i.Open));
        }
        await view.AddCustomersAsync(found, ct);
        return view;
    }

    /// <summary>
    /// Loads every open invoice of these customers (those not loaded yet), with their numbers, names and payer accounts.
    /// Returns the invoices added.
    /// </summary>
    public async Task<List<Invoice>> AddCustomersAsync(IEnumerable<long> customerIds, CancellationToken ct)
    {
        var added = new List<Invoice>();
        var ids = customerIds.Where(id => !_customers.ContainsKey(id)).Distinct().ToList();
        if (ids.Count == 0) return added;
        foreach (var c in await _db.OwnedBy<Customer>(_creditorId).Where(c => EF.Parameter(ids).Contains(c.Id))
                     .Select(c => new { c.Id, c.CustomerNumber, c.Name }).ToListAsync(ct))
            _customers[c.Id] = (c.CustomerNumber, c.Name);
        foreach (var g in (await _db.OwnedBy<Payment>(_creditorId)
                     .Where(p => EF.Parameter(ids).Contains(p.CustomerId!.Value) && p.PayerAccount != null && p.Amount > 0 && p.Status != PaymentStatus.Reversed)
                     .Select(p => new { CustomerId = p.CustomerId!.Value, Account = p.PayerAccount! }).Distinct().ToListAsync(ct))
                 .GroupBy(a => a.CustomerId))
            _accounts[g.Key] = g.Select(a => a.Account).ToList();
        foreach (var inv in await _db.OwnedBy<Invoice>(_creditorId)
                     .Where(i => EF.Parameter(ids).Contains(i.CustomerId) && i.Open > 0 && i.Kind != DocumentKind.CreditNote)
                     .OrderBy(i => i.Id).ToListAsync(ct))
            if (!_byId.ContainsKey(inv.Id))      // one object per invoice: the view's, once it has one
            {
                Refresh(inv);
                added.Add(inv);
            }
        return added;
    }

    /// <summary>The invoice behind an open item.</summary>
    public Invoice Invoice(InvoiceId id) => _byId[id.Value];

    /// <summary>The invoice object with this database id, when the view holds it.</summary>
    public Invoice? Find(long id) => _byId.GetValueOrDefault(id);

    /// <summary>The customer number of a loaded customer (else the id).</summary>
    public string CustomerNumber(long customerId) => _customers.TryGetValue(customerId, out var c) ? c.Number : customerId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Adds an invoice to the view, or takes note of a changed open amount (an allocation or a reversal). An invoice
    /// that was not open when the view was loaded (reopened by a reversal) becomes findable too.
    /// </summary>
    public void Refresh(Invoice invoice)
    {
        if (_byId.TryAdd(invoice.Id, invoice))
        {
            if (invoice.Kid is { Length: > 0 } kid) Add(_byKid, kid, invoice);
            if (invoice.NumberKey.Length > 0) Add(_byNumber, invoice.NumberKey, invoice);
        }
        if (_indexedOpen.TryGetValue(invoice.Id, out var before))
        {
            if (before == invoice.Open) return;
            _byOpen[(invoice.Currency, before)].Remove(invoice);
            _indexedOpen.Remove(invoice.Id);
        }
        if (invoice.Open <= 0) return;
        Add(_byOpen, (invoice.Currency, invoice.Open), invoice);
        _indexedOpen[invoice.Id] = invoice.Open;
    }

    /// <inheritdoc/>
    public IReadOnlyList<OpenItem> WithKid(string kid) =>
        _byKid.TryGetValue(Core.Identifiers.Checksums.Compact(kid ?? ""), out var list) ? Live(list) : [];

    /// <inheritdoc/>
    public IReadOnlyList<OpenItem> WithInvoiceNumber(string number) =>
        OpenItemIndex.NumberKey(number) is { } key && _byNumber.TryGetValue(key, out var list) ? Live(list) : [];

    /// <inheritdoc/>
    public IReadOnlyList<OpenItem> WithOpenAmount(Money amount)
    {
        var minor = amount.RoundToMinorUnit() == amount ? amount.ToMinorUnits() : -1;
        return _byOpen.TryGetValue((amount.Currency.Code, minor), out var list) ? Live(list) : [];
    }

    private List<OpenItem> Live(List<Invoice> invoices)
    {
        var result = new List<OpenItem>(invoices.Count);
        foreach (var inv in invoices) if (inv.Open > 0) result.Add(Snapshot(inv));
        return result;
    }

    private OpenItem Snapshot(Invoice i)
    {
        if (!_currencies.TryGetValue(i.Currency, out var currency)) _currencies[i.Currency] = currency = Currency.Parse(i.Currency);
        var customer = _customers.TryGetValue(i.CustomerId, out var c) ? c.Name : null;
        return new OpenItem(new InvoiceId(i.Id), i.Number, new CustomerId(i.CustomerId), Money.FromMinorUnits(i.Open, currency), i.IssueDate, i.DueDate)
        {
            Kid = i.Kid,
            CustomerName = customer,
            CustomerAccounts = _accounts.TryGetValue(i.CustomerId, out var a) ? a : [],
        };
    }

    private static void Add<TKey>(Dictionary<TKey, List<Invoice>> map, TKey key, Invoice invoice) where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = new List<Invoice>(1);
        list.Add(invoice);
    }
}
