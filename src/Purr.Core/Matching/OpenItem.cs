using Purr.Core.Identifiers;

namespace Purr.Core.Matching;

/// <summary>An open invoice as the matcher sees it: what is still unpaid, and how a payment can point at it.</summary>
/// <param name="InvoiceId">The invoice.</param>
/// <param name="InvoiceNumber">The invoice number as issued (a string: leading zeros and letters matter).</param>
/// <param name="CustomerId">The customer (debtor).</param>
/// <param name="OpenAmount">What is still open; only positive amounts can receive a payment.</param>
/// <param name="IssueDate">Issue date.</param>
/// <param name="DueDate">Due date; when null the issue date stands in for ordering.</param>
public sealed record OpenItem(InvoiceId InvoiceId, string InvoiceNumber, CustomerId CustomerId, Money OpenAmount, DateOnly IssueDate, DateOnly? DueDate)
{
    /// <summary>The KID printed on the invoice, or null.</summary>
    public string? Kid { get; init; }

    /// <summary>The customer's name, for amount + payer matching.</summary>
    public string? CustomerName { get; init; }

    /// <summary>The customer's known bank accounts (BBAN or IBAN, any spacing), for amount + payer matching.</summary>
    public IReadOnlyList<string> CustomerAccounts { get; init; } = [];
}

/// <summary>
/// A read-only view of a creditor's open items with the three lookups the matcher needs. The shell can implement
/// it over the database; <see cref="OpenItemIndex"/> implements it in memory.
/// </summary>
public interface IOpenItemView
{
    /// <summary>Open items whose KID equals <paramref name="kid"/> (spaces removed).</summary>
    IReadOnlyList<OpenItem> WithKid(string kid);

    /// <summary>
    /// Open items whose invoice number equals <paramref name="number"/>, ignoring case; an all-digit number also
    /// matches when only leading zeros differ ("123" finds "000123").
    /// </summary>
    IReadOnlyList<OpenItem> WithInvoiceNumber(string number);

    /// <summary>Open items whose open amount equals <paramref name="amount"/> (same currency).</summary>
    IReadOnlyList<OpenItem> WithOpenAmount(Money amount);
}

/// <summary>An in-memory <see cref="IOpenItemView"/> with hash lookups, built once per matching run.</summary>
public sealed class OpenItemIndex : IOpenItemView
{
    private readonly Dictionary<string, List<OpenItem>> _byKid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<OpenItem>> _byNumber = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Currency, decimal Amount), List<OpenItem>> _byAmount = [];

    /// <summary>Indexes the items.</summary>
    public OpenItemIndex(IEnumerable<OpenItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            Count++;
            if (item.Kid is { } kid && Checksums.Compact(kid) is { Length: > 0 } k) Add(_byKid, k, item);
            foreach (var key in NumberKeys(item.InvoiceNumber)) Add(_byNumber, key, item);
            Add(_byAmount, (item.OpenAmount.Currency.Code, item.OpenAmount.Amount), item);
        }
    }

    /// <summary>Number of items indexed.</summary>
    public int Count { get; }

    /// <inheritdoc/>
    public IReadOnlyList<OpenItem> WithKid(string kid) =>
        _byKid.TryGetValue(Checksums.Compact(kid ?? ""), out var list) ? list : [];

    /// <inheritdoc/>
    public IReadOnlyList<OpenItem> WithInvoiceNumber(string number)
    {
        var found = new List<OpenItem>();
        foreach (var key in NumberKeys(number))
            if (_byNumber.TryGetValue(key, out var list))
                foreach (var item in list)
                    if (!found.Exists(f => f.InvoiceId == item.InvoiceId)) found.Add(item);
        return found;
    }

    /// <inheritdoc/>
    public IReadOnlyList<OpenItem> WithOpenAmount(Money amount) =>
        _byAmount.TryGetValue((amount.Currency.Code, amount.Amount), out var list) ? list : [];

    // "=" + the number upper-cased, and for an all-digit number also "#" + the digits without leading zeros.
    private static IEnumerable<string> NumberKeys(string? number)
    {
        var n = number?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(n)) yield break;
        yield return "=" + n;
        if (Checksums.AllDigits(n)) yield return "#" + n.TrimStart('0');
    }

    private static void Add<TKey>(Dictionary<TKey, List<OpenItem>> map, TKey key, OpenItem item) where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(item);
    }
}
