namespace Purr.Core.Formats.SafT;

/// <summary>The SAF-T Header: who the file is about and which period it covers.</summary>
public sealed record SafTHeader
{
    /// <summary>AuditFileVersion as written, e.g. "1.30" (the Tax Administration accepts 1.20 and 1.30; older files say 1.0 or 1.10).</summary>
    public string? AuditFileVersion { get; init; }

    /// <summary>False when the root element has no namespace (as in XMLSpy-generated files); tolerated.</summary>
    public bool HasNamespace { get; init; }

    /// <summary>The company's name.</summary>
    public string? CompanyName { get; init; }

    /// <summary>The company's organisation number when it is valid (9 digits, MOD11).</summary>
    public string? CompanyOrgNumber { get; init; }

    /// <summary>The ledger currency (DefaultCurrencyCode): every Amount in the file is in it. NOK when missing or unreadable (an error is listed).</summary>
    public Currency DefaultCurrency { get; init; } = Currency.Nok;

    /// <summary>AuditFileDateCreated.</summary>
    public DateOnly? DateCreated { get; init; }

    /// <summary>SoftwareCompanyName, SoftwareID and SoftwareVersion joined, e.g. "Sluttbrukersystemet AS Regnskapssystemet 3.14".</summary>
    public string? Software { get; init; }

    /// <summary>SelectionCriteria/SelectionStartDate (1.20+), when the selection is by dates.</summary>
    public DateOnly? SelectionStartDate { get; init; }

    /// <summary>SelectionCriteria/SelectionEndDate.</summary>
    public DateOnly? SelectionEndDate { get; init; }

    /// <summary>SelectionCriteria/PeriodStart (accounting period number), when the selection is by periods.</summary>
    public int? PeriodStart { get; init; }

    /// <summary>SelectionCriteria/PeriodStartYear.</summary>
    public int? PeriodStartYear { get; init; }

    /// <summary>SelectionCriteria/PeriodEnd.</summary>
    public int? PeriodEnd { get; init; }

    /// <summary>SelectionCriteria/PeriodEndYear.</summary>
    public int? PeriodEndYear { get; init; }

    /// <summary>Where the Header element is.</summary>
    public required SourceLocation Source { get; init; }
}

/// <summary>A customer's opening and closing balance on one accounts-receivable account, signed debit − credit.</summary>
/// <param name="AccountId">The AR control account (1.30 BalanceAccount/AccountID; 1.10 Customer/AccountID); may be absent.</param>
/// <param name="Opening">OpeningDebitBalance − OpeningCreditBalance.</param>
/// <param name="Closing">ClosingDebitBalance − ClosingCreditBalance.</param>
/// <param name="Source">Where the balance is written.</param>
public sealed record SafTBalance(string? AccountId, Money Opening, Money Closing, SourceLocation Source);

/// <summary>A customer from MasterFiles/Customers.</summary>
public sealed record SafTCustomer
{
    /// <summary>CustomerID: the key that GL lines use.</summary>
    public required string CustomerId { get; init; }

    /// <summary>The customer as a debtor (CustomerNumber = CustomerID).</summary>
    public required InvoiceCustomer Party { get; init; }

    /// <summary>Balances per AR account (1.30: one per BalanceAccount; 1.10/1.20: the one on the Customer element).</summary>
    public IReadOnlyList<SafTBalance> Balances { get; init; } = [];

    /// <summary>PartyInfo/PaymentTerms/Days, when given.</summary>
    public int? PaymentTermsDays { get; init; }

    /// <summary>Where the Customer element is.</summary>
    public required SourceLocation Source { get; init; }
}

/// <summary>What an open item is.</summary>
public enum OpenItemKind
{
    /// <summary>A debit on the customer: an invoice (ReferenceNumber = its number), or a debit without reference.</summary>
    Invoice,
    /// <summary>A credit posted together with VAT or revenue lines (or named a credit note in SalesInvoices).</summary>
    CreditNote,
    /// <summary>A credit without VAT: a payment. Unapplied when it has no reference or pays nothing in the file.</summary>
    Payment,
    /// <summary>The customer's opening balance, which the file does not itemise.</summary>
    OpeningBalance,
}

/// <summary>
/// An item on a customer's account derived from SAF-T GL lines, with what is left of it at the end of the period.
/// Amounts are in the ledger currency, signed debit − credit (positive: the customer owes).
/// </summary>
public sealed record OpenItem
{
    /// <summary>The customer.</summary>
    public required string CustomerId { get; init; }

    /// <summary>Invoice, credit note, payment or opening balance.</summary>
    public required OpenItemKind Kind { get; init; }

    /// <summary>ReferenceNumber (invoice or credit-note number); null for unreferenced lines and the opening balance.</summary>
    public string? Reference { get; init; }

    /// <summary>The invoice date (TransactionDate) or payment date (ValueDate, else TransactionDate).</summary>
    public DateOnly? Date { get; init; }

    /// <summary>Line/DueDate of the invoice.</summary>
    public DateOnly? DueDate { get; init; }

    /// <summary>The CID when it is a valid KID.</summary>
    public string? Kid { get; init; }

    /// <summary>The CID as written.</summary>
    public string? PaymentReference { get; init; }

    /// <summary>The originating amount: the invoice's debits, the credit note's or payment's credits (negative), the opening balance.</summary>
    public required Money Original { get; init; }

    /// <summary>What was applied against it (payments and credit notes with the same reference; negative for an invoice).</summary>
    public required Money Settled { get; init; }

    /// <summary>What is still open: Original + Settled.</summary>
    public required Money Open { get; init; }

    /// <summary>The description of the originating line.</summary>
    public string? Text { get; init; }

    /// <summary>The originating line (for the opening balance: the customer's balance element).</summary>
    public required SourceLocation Source { get; init; }

    /// <summary>Transaction/TransactionID of the originating line, when given.</summary>
    public string? TransactionId { get; init; }

    /// <summary>Line/RecordID of the originating line, when given.</summary>
    public string? RecordId { get; init; }
}

/// <summary>Whether a <see cref="SafTSettlement"/> is money received or a credit posted by the creditor.</summary>
public enum SettlementKind
{
    /// <summary>Money received: a credit on the customer in a transaction without VAT or revenue lines.</summary>
    Payment,
    /// <summary>A credit posted with VAT or revenue lines (a credit note) that has no document of its own: it is booked under an invoice's reference, or without a reference.</summary>
    Credit,
}

/// <summary>What the reader applied a <see cref="SafTSettlement"/> to when it derived the open items.</summary>
public enum SettlementTarget
{
    /// <summary>The invoice with the same ReferenceNumber for the same customer in the file.</summary>
    Invoice,
    /// <summary>The customer's opening balance: a payment whose reference names no invoice in the file.</summary>
    OpeningBalance,
    /// <summary>Nothing: an unapplied payment or credit (the customer's credit balance).</summary>
    None,
}

/// <summary>
/// A credit on a customer's account that is not a credit-note document of its own: a payment, or a credit posted under
/// an invoice's reference or without a reference. One per GL line, in file order.
/// </summary>
/// <remarks>
/// Together with <see cref="SafTReadResult.Documents"/> (invoices and credit notes), the unreferenced debits in
/// <see cref="SafTReadResult.OpenItems"/> (kind Invoice without a reference) and the customers' opening balances,
/// the settlements are every movement on the customers' accounts in the file, so an importer can rebuild the
/// ledger with the payments already made as allocations and end at the customers' closing balances.
/// </remarks>
public sealed record SafTSettlement
{
    /// <summary>The customer.</summary>
    public required string CustomerId { get; init; }

    /// <summary>Payment or credit.</summary>
    public required SettlementKind Kind { get; init; }

    /// <summary>What the open-item derivation applied it to.</summary>
    public required SettlementTarget AppliesTo { get; init; }

    /// <summary>ReferenceNumber as written (the invoice it pays or credits); null when the line has none.</summary>
    public string? Reference { get; init; }

    /// <summary>For a payment the ValueDate, else the TransactionDate; for a credit the TransactionDate.</summary>
    public required DateOnly Date { get; init; }

    /// <summary>The amount credited to the customer, positive, in the ledger currency.</summary>
    public required Money Amount { get; init; }

    /// <summary>The CID when it is a valid KID.</summary>
    public string? Kid { get; init; }

    /// <summary>The CID as written.</summary>
    public string? PaymentReference { get; init; }

    /// <summary>The line's description, else the transaction's.</summary>
    public string? Text { get; init; }

    /// <summary>Transaction/TransactionID, when given.</summary>
    public string? TransactionId { get; init; }

    /// <summary>Line/RecordID, when given.</summary>
    public string? RecordId { get; init; }

    /// <summary>The GL line.</summary>
    public required SourceLocation Source { get; init; }
}

/// <summary>Which reconciliation a <see cref="BalanceDifference"/> failed.</summary>
public enum BalanceCheck
{
    /// <summary>Closing balance = opening balance + the customer's AR movements in the file (per AR account when the file names them).</summary>
    Movements,
    /// <summary>Closing balance = the sum of the derived open items (the opening balance counted as an item).</summary>
    OpenItems,
}

/// <summary>A customer whose closing balance does not agree with what the file's lines say.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="AccountId">The AR account for a per-account check; null for a check over the customer's total.</param>
/// <param name="Check">Which check.</param>
/// <param name="Expected">The closing balance the file states.</param>
/// <param name="Derived">What the lines give (opening + movements, or the sum of open items).</param>
/// <param name="Source">Where the customer's balance is written.</param>
public sealed record BalanceDifference(string CustomerId, string? AccountId, BalanceCheck Check, Money Expected, Money Derived, SourceLocation Source)
{
    /// <summary>Expected − Derived.</summary>
    public Money Difference => Expected - Derived;
}

/// <summary>
/// The outcome of reading a SAF-T Financial file: header, customers, the invoices and credit notes found on the
/// accounts-receivable side, open items per customer, balance reconciliation and every problem found.
/// </summary>
/// <remarks>
/// <see cref="Errors"/> are problems with the file (malformed XML, invalid values, control totals that disagree);
/// the importer rejects the file when there are any. <see cref="BalanceDifferences"/> are reconciliation findings:
/// the file is readable, but its customer balances are not explained by its lines (for example a selection that
/// starts mid-year with an opening balance the lines do not itemise is explained, a missing line is not).
/// </remarks>
public sealed record SafTReadResult
{
    /// <summary>The header; null when the file has none or is not SAF-T.</summary>
    public SafTHeader? Header { get; init; }

    /// <summary>Customers in file order.</summary>
    public IReadOnlyList<SafTCustomer> Customers { get; init; } = [];

    /// <summary>Invoices and credit notes (every AR reference, settled or not, plus SalesInvoices without GL lines), with their open amounts.</summary>
    public IReadOnlyList<InvoiceDocument> Documents { get; init; } = [];

    /// <summary>Items still open at the end of the period (Open ≠ 0), per customer in customer order, oldest first.</summary>
    public IReadOnlyList<OpenItem> OpenItems { get; init; } = [];

    /// <summary>Payments and credits without a document of their own, one per GL line, in file order (see <see cref="SafTSettlement"/>).</summary>
    public IReadOnlyList<SafTSettlement> Settlements { get; init; } = [];

    /// <summary>Customers whose closing balance disagrees with the lines.</summary>
    public IReadOnlyList<BalanceDifference> BalanceDifferences { get; init; } = [];

    /// <summary>Every problem found, located.</summary>
    public IReadOnlyList<InputError> Errors { get; init; } = [];

    /// <summary>GeneralLedgerEntries/Journal/Transaction elements read.</summary>
    public int TransactionCount { get; init; }

    /// <summary>Transaction lines read.</summary>
    public int LineCount { get; init; }

    /// <summary>Lines with a CustomerID (the accounts-receivable side).</summary>
    public int ReceivableLineCount { get; init; }

    /// <summary>True when there are no errors.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>True when every customer's balance agrees with the lines.</summary>
    public bool IsReconciled => BalanceDifferences.Count == 0;

    /// <summary>Count and signed sum of <see cref="Documents"/> per currency.</summary>
    public IReadOnlyList<InvoiceTotal> Totals => InvoiceReadResult.TotalsOf(Documents);

    /// <summary>The documents and errors in the shape every invoice reader returns.</summary>
    public InvoiceReadResult ToInvoiceReadResult() => new(Documents, Errors);
}

/// <summary>
/// What one accounts-receivable GL line originates, from the second pass over a SAF-T file
/// (<see cref="SafTScan.Entries"/>), in file order. An entry has at least one of <see cref="Document"/>,
/// <see cref="Item"/> and <see cref="Settlement"/>.
/// </summary>
public sealed record SafTEntry
{
    /// <summary>The line's position among the file's accounts-receivable lines (0-based).</summary>
    public int Ordinal { get; init; }

    /// <summary>The invoice or credit note this line describes (with its open amount), as in <see cref="SafTReadResult.Documents"/>.</summary>
    public InvoiceDocument? Document { get; init; }

    /// <summary>The item this line originates when it is still open at the end of the period, as in <see cref="SafTReadResult.OpenItems"/>.</summary>
    public OpenItem? Item { get; init; }

    /// <summary>The payment or credit this line is, when it is not part of a credit note of its own, as in <see cref="SafTReadResult.Settlements"/>.</summary>
    public SafTSettlement? Settlement { get; init; }

    /// <summary>
    /// On the first credit with VAT booked under an invoice's reference (a credit note without a number of its own):
    /// the total of such credits on that invoice.
    /// </summary>
    public Money? CreditNoteTotal { get; init; }

    /// <summary>The order of the item among its customer's items on the same date (the first pass's aggregate order).</summary>
    internal int Sequence { get; init; }
}
