namespace Purr.Core.Ledger;

/// <summary>
/// An in-memory customer account (reskontro for one customer): invoices, credit notes, payments, reversals and the
/// allocations between them, kept consistent by <see cref="AllocationRules"/>.
/// </summary>
/// <remarks>
/// The invariant, for every sequence of operations: sum of open invoice amounts − credit balance
/// = invoiced − credited − paid (reversed payments count as not paid), and no invoice is ever below zero.
/// The database shell applies the same rules row by row; this class is the executable specification.
/// </remarks>
public sealed class CustomerAccount(Currency currency)
{
    private readonly Dictionary<long, Doc> _invoices = [];
    private readonly Dictionary<long, Source> _sources = [];
    private long _nextId = 1;

    /// <summary>Currency of the account.</summary>
    public Currency Currency { get; } = currency;

    /// <summary>Total of all invoices.</summary>
    public Money Invoiced => Sum(_invoices.Values.Select(d => d.Amount));
    /// <summary>Total of all credit notes.</summary>
    public Money Credited => Sum(_sources.Values.Where(s => s.IsCreditNote).Select(s => s.Amount));
    /// <summary>Total of payments that are not reversed.</summary>
    public Money Paid => Sum(_sources.Values.Where(s => !s.IsCreditNote && !s.Reversed).Select(s => s.Amount));
    /// <summary>Sum of what is open on invoices.</summary>
    public Money OpenTotal => Sum(_invoices.Values.Select(d => d.Open));
    /// <summary>Unused payments and credit notes (the customer's credit balance).</summary>
    public Money CreditBalance => Sum(_sources.Values.Where(s => !s.Reversed).Select(s => s.Unused));

    /// <summary>Open amount of one invoice.</summary>
    public Money OpenOf(long invoiceId) => _invoices[invoiceId].Open;

    /// <summary>All invoice ids.</summary>
    public IReadOnlyCollection<long> InvoiceIds => _invoices.Keys;

    /// <summary>Adds an invoice and returns its id. Existing credit balance is not applied automatically.</summary>
    public long AddInvoice(string number, DateOnly issue, DateOnly? due, Money amount)
    {
        if (!amount.IsPositive) throw new ArgumentOutOfRangeException(nameof(amount), "an invoice amount is positive");
        var id = _nextId++;
        _invoices[id] = new Doc(id, number, issue, due, amount) { Open = amount };
        return id;
    }

    /// <summary>Adds a credit note and sets it off against <paramref name="credits"/> (or the oldest open invoices).</summary>
    public long AddCreditNote(Money amount, long? credits = null) => AddSource(amount, credits, isCreditNote: true);

    /// <summary>Adds a payment, optionally aimed at one invoice, and allocates it (rest oldest first, then credit).</summary>
    public long AddPayment(Money amount, long? forInvoice = null) => AddSource(amount, forInvoice, isCreditNote: false);

    /// <summary>Reverses a payment: its allocations are undone and it no longer counts as paid.</summary>
    public void ReversePayment(long paymentId)
    {
        var s = _sources[paymentId];
        if (s.IsCreditNote) throw new InvalidOperationException("a credit note is not reversed as a payment");
        if (s.Reversed) return;
        foreach (var line in s.Lines) _invoices[line.InvoiceId].Open += line.Amount;
        s.Lines.Clear();
        s.Unused = Money.Zero(Currency);
        s.Reversed = true;
    }

    /// <summary>Applies the credit balance of one payment or credit note to the open invoices, oldest first.</summary>
    public void ApplyCreditBalance(long sourceId)
    {
        var s = _sources[sourceId];
        if (s.Reversed || !s.Unused.IsPositive) return;
        var r = AllocationRules.Apply(s.Unused, OpenItems());
        Book(s, r);
    }

    private long AddSource(Money amount, long? target, bool isCreditNote)
    {
        if (!amount.IsPositive) throw new ArgumentOutOfRangeException(nameof(amount), "a payment or credit note amount is positive");
        var id = _nextId++;
        var s = new Source(id, amount, isCreditNote) { Unused = amount };
        _sources[id] = s;
        Book(s, AllocationRules.Apply(amount, OpenItems(), target));
        return id;
    }

    private void Book(Source s, AllocationResult r)
    {
        foreach (var line in r.Lines)
        {
            _invoices[line.InvoiceId].Open -= line.Amount;
            s.Lines.Add(line);
        }
        s.Unused = r.Remainder;
    }

    private IEnumerable<OpenInvoice> OpenItems() =>
        _invoices.Values.Select(d => new OpenInvoice(d.Id, d.Number, d.Issue, d.Due, d.Open));

    private Money Sum(IEnumerable<Money> xs) => xs.Aggregate(Money.Zero(Currency), (a, b) => a + b);

    private sealed record Doc(long Id, string Number, DateOnly Issue, DateOnly? Due, Money Amount)
    {
        public Money Open { get; set; }
    }

    private sealed class Source(long id, Money amount, bool isCreditNote)
    {
        public long Id { get; } = id;
        public Money Amount { get; } = amount;
        public bool IsCreditNote { get; } = isCreditNote;
        public Money Unused { get; set; }
        public bool Reversed { get; set; }
        public List<AllocationLine> Lines { get; } = [];
    }
}
