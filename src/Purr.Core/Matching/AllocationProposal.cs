namespace Purr.Core.Matching;

/// <summary>One invoice's share of a payment.</summary>
/// <param name="InvoiceId">The invoice.</param>
/// <param name="InvoiceNumber">Its number.</param>
/// <param name="Amount">The part of the payment put on the invoice.</param>
/// <param name="OpenBefore">The invoice's open amount before this payment.</param>
public sealed record AllocationLine(InvoiceId InvoiceId, string InvoiceNumber, Money Amount, Money OpenBefore)
{
    /// <summary>True when the allocation pays the invoice in full.</summary>
    public bool SettlesInvoice => Amount == OpenBefore;

    /// <summary>What stays open on the invoice.</summary>
    public Money OpenAfter => OpenBefore - Amount;
}

/// <summary>
/// How one payment is spread over open invoices of one customer: oldest first, each paid in full while money
/// lasts, the last one perhaps partly; money left over is an overpayment kept as the customer's credit.
/// </summary>
/// <remarks>
/// Oldest first means by due date (the issue date when there is none), then issue date, then invoice number
/// (all-digit numbers by value, otherwise ordinal), then invoice id. Items with nothing open (zero or negative:
/// credit notes) receive nothing; netting credit notes against invoices is the ledger's business.
/// </remarks>
/// <param name="Payment">The payment amount.</param>
/// <param name="Lines">Allocations in order, only invoices that receive money.</param>
/// <param name="Remainder">The overpayment left as credit on the customer (zero or positive).</param>
public sealed record AllocationProposal(Money Payment, IReadOnlyList<AllocationLine> Lines, Money Remainder)
{
    /// <summary>The part of the payment allocated to invoices.</summary>
    public Money Allocated => Payment - Remainder;

    /// <summary>True when money is left over as credit.</summary>
    public bool HasOverpayment => Remainder.IsPositive;

    /// <summary>Orders open items oldest first (see remarks).</summary>
    public static IComparer<OpenItem> OldestFirst { get; } = Comparer<OpenItem>.Create(CompareAge);

    /// <summary>Spreads <paramref name="payment"/> over <paramref name="invoices"/> of one customer, oldest first.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The payment is not positive.</exception>
    /// <exception cref="ArgumentException">The invoices belong to more than one customer, or are in another currency than the payment.</exception>
    public static AllocationProposal Allocate(Money payment, IEnumerable<OpenItem> invoices)
    {
        ArgumentNullException.ThrowIfNull(invoices);
        if (!payment.IsPositive) throw new ArgumentOutOfRangeException(nameof(payment), payment, "Only a positive payment can be allocated");
        var items = invoices.ToList();
        if (items.Select(i => i.CustomerId).Distinct().Count() > 1)
            throw new ArgumentException("A payment is allocated over the invoices of one customer", nameof(invoices));
        if (items.FirstOrDefault(i => i.OpenAmount.Currency != payment.Currency) is { } other)
            throw new ArgumentException($"Invoice {other.InvoiceNumber} is in {other.OpenAmount.Currency.Code}, the payment in {payment.Currency.Code}", nameof(invoices));

        var lines = new List<AllocationLine>();
        var left = payment;
        foreach (var item in items.Where(i => i.OpenAmount.IsPositive).OrderBy(i => i, OldestFirst))
        {
            if (!left.IsPositive) break;
            var amount = Money.Min(left, item.OpenAmount);
            lines.Add(new AllocationLine(item.InvoiceId, item.InvoiceNumber, amount, item.OpenAmount));
            left -= amount;
        }
        return new AllocationProposal(payment, lines, left);
    }

    private static int CompareAge(OpenItem? a, OpenItem? b)
    {
        if (ReferenceEquals(a, b)) return 0;
        if (a is null) return -1;
        if (b is null) return 1;
        var c = (a.DueDate ?? a.IssueDate).CompareTo(b.DueDate ?? b.IssueDate);
        if (c != 0) return c;
        c = a.IssueDate.CompareTo(b.IssueDate);
        if (c != 0) return c;
        c = CompareNumbers(a.InvoiceNumber, b.InvoiceNumber);
        return c != 0 ? c : a.InvoiceId.Value.CompareTo(b.InvoiceId.Value);
    }

    private static int CompareNumbers(string a, string b)
    {
        if (Identifiers.Checksums.AllDigits(a) && Identifiers.Checksums.AllDigits(b) && a.Length > 0 && b.Length > 0)
        {
            var x = a.TrimStart('0');
            var y = b.TrimStart('0');
            var c = x.Length.CompareTo(y.Length);
            if (c != 0) return c;
            c = string.CompareOrdinal(x, y);
            if (c != 0) return c;
        }
        return string.CompareOrdinal(a, b);
    }
}
