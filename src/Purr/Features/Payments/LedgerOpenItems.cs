using Microsoft.EntityFrameworkCore;
using Purr.Core;
using Purr.Core.Matching;
using Purr.Data;

namespace Purr.Features.Payments;

/// <summary>
/// The creditor's open invoices as the matcher sees them, loaded once per import and kept live while the import
/// allocates: KID and invoice-number lookups go through a <see cref="OpenItemIndex"/> built once, while open amounts
/// (and so "still open" and the amount lookup) are read from the invoice objects the <c>LedgerSession</c> changes.
/// </summary>
public sealed class LedgerOpenItems : IOpenItemView
{
    private readonly Dictionary<long, Invoice> _byId = [];
    private readonly Dictionary<long, (string Number, string Name)> _customers;
    private readonly Dictionary<long, IReadOnlyList<string>> _accounts;
    private readonly OpenItemIndex _index;
    private readonly List<OpenItem> _late = [];
    private OpenItemIndex? _lateIndex;
    private readonly Dictionary<(string Currency, long Open), List<Invoice>> _byOpen = [];
    private readonly Dictionary<long, long> _indexedOpen = [];
    private readonly Dictionary<string, Currency> _currencies = new(StringComparer.Ordinal);

    private LedgerOpenItems(List<Invoice> invoices, Dictionary<long, (string, string)> customers, Dictionary<long, IReadOnlyList<string>> accounts)
    {
        _customers = customers;
        _accounts = accounts;
        foreach (var inv in invoices)
        {
            _byId[inv.Id] = inv;
            Refresh(inv);
        }
        _index = new OpenItemIndex(invoices.Select(Snapshot));
    }

    /// <summary>The open invoices (hand them to <c>LedgerSession.Preload</c>).</summary>
    public IReadOnlyCollection<Invoice> Invoices => _byId.Values;

    /// <summary>
    /// Loads every open invoice of the scoped creditor (untracked: the import writes the ones it changes), the customers' names and
    /// numbers, and the payer accounts seen on earlier payments matched to each customer.
    /// </summary>
    public static async Task<LedgerOpenItems> LoadAsync(PurrDbContext db, CancellationToken ct)
    {
        var invoices = await db.Invoices.AsNoTracking().Where(i => i.Open > 0 && i.Kind != DocumentKind.CreditNote).ToListAsync(ct);
        var customers = await db.Customers.AsNoTracking().Select(c => new { c.Id, c.CustomerNumber, c.Name }).ToListAsync(ct);
        var accounts = await db.Payments.AsNoTracking()
            .Where(p => p.CustomerId != null && p.PayerAccount != null && p.Amount > 0 && p.Status != PaymentStatus.Reversed)
            .Select(p => new { CustomerId = p.CustomerId!.Value, Account = p.PayerAccount! }).Distinct().ToListAsync(ct);
        return new LedgerOpenItems(invoices,
            customers.ToDictionary(c => c.Id, c => (c.CustomerNumber, c.Name)),
            accounts.GroupBy(a => a.CustomerId).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(a => a.Account).ToList()));
    }

    /// <summary>The invoice behind an open item.</summary>
    public Invoice Invoice(InvoiceId id) => _byId[id.Value];

    /// <summary>The invoice object with this database id, when the view holds it.</summary>
    public Invoice? Find(long id) => _byId.GetValueOrDefault(id);

    /// <summary>The customer number of a customer id.</summary>
    public string CustomerNumber(long customerId) => _customers.TryGetValue(customerId, out var c) ? c.Number : customerId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Call after an invoice's open amount changed (an allocation or a reversal). An invoice that was not open when
    /// the view was loaded (reopened by a reversal) becomes findable too.
    /// </summary>
    public void Refresh(Invoice invoice)
    {
        if (!_byId.ContainsKey(invoice.Id))
        {
            _byId[invoice.Id] = invoice;
            _late.Add(Snapshot(invoice));
            _lateIndex = null;
        }
        if (_indexedOpen.TryGetValue(invoice.Id, out var before))
        {
            if (before == invoice.Open) return;
            _byOpen[(invoice.Currency, before)].Remove(invoice);
            _indexedOpen.Remove(invoice.Id);
        }
        if (invoice.Open <= 0) return;
        var key = (invoice.Currency, invoice.Open);
        if (!_byOpen.TryGetValue(key, out var list)) _byOpen[key] = list = [];
        list.Add(invoice);
        _indexedOpen[invoice.Id] = invoice.Open;
    }

    /// <inheritdoc/>
    public IReadOnlyList<OpenItem> WithKid(string kid) => Live(_index.WithKid(kid), (_lateIndex ??= new OpenItemIndex(_late)).WithKid(kid));

    /// <inheritdoc/>
    public IReadOnlyList<OpenItem> WithInvoiceNumber(string number) =>
        Live(_index.WithInvoiceNumber(number), (_lateIndex ??= new OpenItemIndex(_late)).WithInvoiceNumber(number));

    /// <inheritdoc/>
    public IReadOnlyList<OpenItem> WithOpenAmount(Money amount)
    {
        var minor = amount.RoundToMinorUnit() == amount ? amount.ToMinorUnits() : -1;
        return _byOpen.TryGetValue((amount.Currency.Code, minor), out var list) ? list.Select(Snapshot).ToList() : [];
    }

    private List<OpenItem> Live(IReadOnlyList<OpenItem> found, IReadOnlyList<OpenItem> late)
    {
        var result = new List<OpenItem>(found.Count + late.Count);
        foreach (var item in found.Concat(late))
        {
            var inv = _byId[item.InvoiceId.Value];
            if (inv.Open > 0 && !result.Any(r => r.InvoiceId == item.InvoiceId)) result.Add(Snapshot(inv));
        }
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
}
