namespace Purr.Core.Ledger;

/// <summary>An open invoice as the allocation rules see it.</summary>
/// <param name="Id">The invoice's database id (or any stable key).</param>
/// <param name="Number">Invoice number (natural key, tie-breaker for ordering).</param>
/// <param name="IssueDate">Issue date.</param>
/// <param name="DueDate">Due date, when the invoice has one.</param>
/// <param name="Open">Unpaid amount; never negative.</param>
public sealed record OpenInvoice(long Id, string Number, DateOnly IssueDate, DateOnly? DueDate, Money Open);

/// <summary>One amount moved onto one invoice.</summary>
public sealed record AllocationLine(long InvoiceId, Money Amount);

/// <summary>The result of applying money to open invoices: the lines and what is left as credit.</summary>
public sealed record AllocationResult(IReadOnlyList<AllocationLine> Lines, Money Remainder);

/// <summary>
/// How payments and credit notes settle invoices. Pure: the shell loads the open items, calls these rules
/// and writes the resulting allocations.
/// </summary>
/// <remarks>
/// Oldest first means: earliest due date (an invoice without one counts by its issue date), then issue date, then number.
/// An invoice never goes below zero: what does not fit is the remainder, which becomes the customer's credit balance.
/// </remarks>
public static class AllocationRules
{
    /// <summary>Orders open invoices oldest first.</summary>
    public static IEnumerable<OpenInvoice> OldestFirst(IEnumerable<OpenInvoice> invoices) =>
        invoices.OrderBy(i => i.DueDate ?? i.IssueDate).ThenBy(i => i.IssueDate)
            .ThenBy(i => i.Number, StringComparer.Ordinal).ThenBy(i => i.Id);

    /// <summary>
    /// Applies <paramref name="amount"/> to the open invoices: first to <paramref name="preferred"/> (the invoice the
    /// payment or credit note names, when any), then to the others oldest first.
    /// </summary>
    public static AllocationResult Apply(Money amount, IEnumerable<OpenInvoice> openInvoices, long? preferred = null, bool onlyPreferred = false)
    {
        if (amount.IsNegative) throw new ArgumentOutOfRangeException(nameof(amount), "only a positive amount can be allocated");
        var ordered = OldestFirst(openInvoices.Where(i => i.Open.IsPositive)).ToList();
        if (preferred is { } p)
        {
            var first = ordered.FindIndex(i => i.Id == p);
            if (first > 0) { var item = ordered[first]; ordered.RemoveAt(first); ordered.Insert(0, item); }
            if (onlyPreferred) ordered = ordered.Where(i => i.Id == p).ToList();
        }
        var lines = new List<AllocationLine>();
        var left = amount;
        foreach (var inv in ordered)
        {
            if (!left.IsPositive) break;
            var take = Money.Min(left, inv.Open);
            lines.Add(new AllocationLine(inv.Id, take));
            left -= take;
        }
        return new AllocationResult(lines, left);
    }
}
