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
    /// <summary>Orders open invoices oldest first (a stable order: equal invoices keep their order).</summary>
    public static IEnumerable<OpenInvoice> OldestFirst(IEnumerable<OpenInvoice> invoices)
    {
        ArgumentNullException.ThrowIfNull(invoices);
        return Sorted([.. invoices]);
    }

    /// <summary>Oldest first: due date (else issue date), issue date, number (ordinal), id.</summary>
    public static int CompareAge(OpenInvoice a, OpenInvoice b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var c = (a.DueDate ?? a.IssueDate).CompareTo(b.DueDate ?? b.IssueDate);
        if (c != 0) return c;
        c = a.IssueDate.CompareTo(b.IssueDate);
        if (c != 0) return c;
        c = string.CompareOrdinal(a.Number, b.Number);
        return c != 0 ? c : a.Id.CompareTo(b.Id);
    }

    // Sorts in place and returns the list. Runs for every payment of a bank file, so no LINQ chain: a stable sort keyed
    // by the original position (List.Sort alone is not stable).
    private static List<OpenInvoice> Sorted(List<OpenInvoice> list)
    {
        var sorted = true;
        for (var k = 1; k < list.Count && sorted; k++) sorted = CompareAge(list[k - 1], list[k]) <= 0;
        if (sorted) return list;   // usually: a customer's open invoices keep their order as payments shrink them
        var keyed = new (OpenInvoice Invoice, int Position)[list.Count];
        for (var k = 0; k < keyed.Length; k++) keyed[k] = (list[k], k);
        Array.Sort(keyed, static (l, r) => CompareAge(l.Invoice, r.Invoice) is var c and not 0 ? c : l.Position.CompareTo(r.Position));
        for (var k = 0; k < keyed.Length; k++) list[k] = keyed[k].Invoice;
        return list;
    }

    /// <summary>
    /// Applies <paramref name="amount"/> to the open invoices: first to <paramref name="preferred"/> (the invoice the
    /// payment or credit note names, when any), then to the others oldest first.
    /// </summary>
    public static AllocationResult Apply(Money amount, IEnumerable<OpenInvoice> openInvoices, long? preferred = null, bool onlyPreferred = false)
    {
        if (amount.IsNegative) throw new ArgumentOutOfRangeException(nameof(amount), "only a positive amount can be allocated");
        ArgumentNullException.ThrowIfNull(openInvoices);
        var open = new List<OpenInvoice>();
        foreach (var i in openInvoices) if (i.Open.IsPositive) open.Add(i);
        var ordered = Sorted(open);
        if (preferred is { } p)
        {
            var first = -1;
            for (var k = 0; k < ordered.Count && first < 0; k++) if (ordered[k].Id == p) first = k;
            if (first > 0) { var item = ordered[first]; ordered.RemoveAt(first); ordered.Insert(0, item); }
            if (onlyPreferred) ordered.RemoveAll(i => i.Id != p);
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
