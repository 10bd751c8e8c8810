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
    // One array per key (most keys have one item): a lookup touches the entry, the array and the item, nothing more.
    private readonly Dictionary<string, OpenItem[]> _byKid;
    private readonly Dictionary<string, OpenItem[]> _byNumber;
    private readonly Dictionary<(string Currency, decimal Amount), OpenItem[]> _byAmount;

    /// <summary>Indexes the items.</summary>
    public OpenItemIndex(IEnumerable<OpenItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var byKid = new Dictionary<string, List<OpenItem>>(StringComparer.Ordinal);
        var byNumber = new Dictionary<string, List<OpenItem>>(StringComparer.Ordinal);
        var byAmount = new Dictionary<(string Currency, decimal Amount), List<OpenItem>>();
        foreach (var item in items)
        {
            Count++;
            if (item.Kid is { } kid && Checksums.Compact(kid) is { Length: > 0 } k) Add(byKid, k, item);
            if (NumberKey(item.InvoiceNumber) is { } key) Add(byNumber, key, item);
            Add(byAmount, (item.OpenAmount.Currency.Code, item.OpenAmount.Amount), item);
        }
        _byKid = Frozen(byKid, StringComparer.Ordinal);
        _byNumber = Frozen(byNumber, StringComparer.Ordinal);
        _byAmount = Frozen(byAmount, null);
    }

    private static Dictionary<TKey, OpenItem[]> Frozen<TKey>(Dictionary<TKey, List<OpenItem>> lists, IEqualityComparer<TKey>? comparer) where TKey : notnull
    {
        var arrays = new Dictionary<TKey, OpenItem[]>(lists.Count, comparer);
        foreach (var (key, list) in lists) arrays[key] = [.. list];
        return arrays;
    }

    /// <summary>Number of items indexed.</summary>
    public int Count { get; }

    /// <inheritdoc/>
    public IReadOnlyList<OpenItem> WithKid(string kid) =>
        _byKid.TryGetValue(Checksums.Compact(kid ?? ""), out var list) ? list : [];

    /// <inheritdoc/>
    public IReadOnlyList<OpenItem> WithInvoiceNumber(string number) =>
        NumberKey(number) is { } key && _byNumber.TryGetValue(key, out var list) ? list : [];

    /// <summary>
    /// The key under which an invoice number is looked up: two numbers are the same invoice number exactly when their
    /// keys are equal (<see cref="IOpenItemView.WithInvoiceNumber"/>). An all-digit number is "#" and its digits without
    /// leading zeros ("000123" and "123" are one number); any other is "=" and the number trimmed and upper-cased.
    /// Null for a blank number. The ledger stores the key of every invoice, so a database can look numbers up by it.
    /// </summary>
    public static string? NumberKey(string? number)
    {
        var n = number?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(n)) return null;
        return Checksums.AllDigits(n) ? "#" + n.TrimStart('0') : "=" + n;
    }

    /// <inheritdoc/>
    public IReadOnlyList<OpenItem> WithOpenAmount(Money amount) =>
        _byAmount.TryGetValue((amount.Currency.Code, amount.Amount), out var list) ? list : [];

    private static void Add<TKey>(Dictionary<TKey, List<OpenItem>> map, TKey key, OpenItem item) where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = new List<OpenItem>(1);
        list.Add(item);
    }
}
