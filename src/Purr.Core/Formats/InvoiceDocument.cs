namespace Purr.Core.Formats;

/// <summary>Whether an imported document raises or lowers what the customer owes.</summary>
public enum InvoiceKind
{
    /// <summary>An invoice (UBL 380 and the other invoice type codes), including a negative correction invoice.</summary>
    Invoice,
    /// <summary>A credit note (UBL CreditNote root, or type code 381 and the other credit-note codes).</summary>
    CreditNote,
}


/// <summary>The customer (buyer, debtor) of an imported invoice, normalised across formats.</summary>
public sealed record InvoiceCustomer
{
    /// <summary>The creditor's own customer number for this debtor, when the file has one (SAF-T CustomerID; UBL PartyIdentification/ID without a scheme).</summary>
    public string? CustomerNumber { get; init; }

    /// <summary>The debtor's (legal) name. UBL: PartyLegalEntity/RegistrationName, else PartyName/Name.</summary>
    public required string Name { get; init; }

    /// <summary>The Norwegian organisation number, 9 digits with a valid MOD11 check digit; null when there is none.</summary>
    public string? OrgNumber { get; init; }

    /// <summary>The legal registration identifier as written, prefixed by its ISO 6523 scheme when given (e.g. "0183:39937423947").</summary>
    public string? LegalId { get; init; }

    /// <summary>The VAT number as written (e.g. "NO987654325MVA").</summary>
    public string? VatNumber { get; init; }

    /// <summary>The PEPPOL electronic address, "scheme:id", e.g. "0192:987654325" (legacy EHF scheme NO:ORGNR is written 0192).</summary>
    public string? PeppolId { get; init; }

    /// <summary>An e-mail address for the debtor, where the file gives one.</summary>
    public string? Email { get; init; }

    /// <summary>Street and additional address lines, in order, without postal code and city.</summary>
    public IReadOnlyList<string> AddressLines { get; init; } = [];

    /// <summary>Postal code.</summary>
    public string? PostalCode { get; init; }

    /// <summary>City / post town.</summary>
    public string? City { get; init; }

    /// <summary>ISO 3166-1 alpha-2 country code.</summary>
    public string? Country { get; init; }

    /// <summary>
    /// Business, public or private, as far as the file can tell (a guess, see <see cref="GuessKind"/>; the credit
    /// controller confirms it); null when the file gives nothing to go on.
    /// </summary>
    public CustomerKind? Kind { get; init; }

    private static readonly string[] PublicSectorWords =
    [
        "kommune", "departement", "direktorat", "statens ", "statsforvalter", "etaten", "tilsynet", "universitet",
        "høgskole", "helseforetak", "sykehus", "politidistrikt", "forsvarsbygg",
    ];

    /// <summary>
    /// Guesses the debtor kind: a public-sector name (kommune, direktorat, statens …) gives <see cref="CustomerKind.Public"/>;
    /// otherwise any company identifier (organisation number, legal id, VAT number) gives <see cref="CustomerKind.Business"/>;
    /// otherwise <see cref="CustomerKind.Private"/> for a named buyer, and null (unknown) for one without a name.
    /// </summary>
    /// <remarks>A heuristic only. The consumer/business distinction matters for fees and compensation
    /// (inkassoforskriften, forsinkelsesrenteloven § 3a), so the shell must let a person confirm it.</remarks>
    public static CustomerKind? GuessKind(string? name, bool hasCompanyIdentifier)
    {
        var n = " " + (name ?? "").ToLowerInvariant() + " ";
        if (PublicSectorWords.Any(w => n.Contains(w, StringComparison.Ordinal)) || n.EndsWith(" hf ", StringComparison.Ordinal))
            return CustomerKind.Public;
        if (hasCompanyIdentifier) return CustomerKind.Business;
        return string.IsNullOrWhiteSpace(name) ? null : CustomerKind.Private;
    }
}

/// <summary>
/// One imported invoice or credit note, normalised across formats (EHF/PEPPOL UBL, SAF-T, CSV).
/// </summary>
/// <remarks>
/// <para><b>Sign convention.</b> <see cref="Amount"/> is signed from the creditor's ledger: positive means the customer
/// owes more (an invoice), negative means the customer owes less (a credit note). A credit note whose stated payable
/// amount is 100 therefore has Amount −100. A negative invoice (a correction made as an invoice with negative totals,
/// PEPPOL BIS 3.0 allows it) keeps its sign: Kind stays <see cref="InvoiceKind.Invoice"/>, Amount is negative, and it
/// acts like a credit note (<see cref="ActsAsCredit"/>). <see cref="PayableAmount"/> is the amount as written in the
/// document (UBL PayableAmount, BT-115).</para>
/// <para><b>KID.</b> <see cref="PaymentReference"/> is the remittance reference as written (UBL PaymentMeans/PaymentID,
/// BT-83; SAF-T Line/CID). <see cref="Kid"/> is the same value only when it is a valid KID (MOD10 or MOD11,
/// NORWAY-RULES §4.1), else null: many example files carry references that are not KIDs.</para>
/// </remarks>
public sealed record InvoiceDocument
{
    /// <summary>The invoice or credit-note number (UBL cbc:ID, BT-1; SAF-T ReferenceNumber). The natural key per creditor.</summary>
    public required string Number { get; init; }

    /// <summary>Invoice or credit note.</summary>
    public required InvoiceKind Kind { get; init; }

    /// <summary>The type code as written (UBL InvoiceTypeCode / CreditNoteTypeCode, e.g. 380, 381), if any.</summary>
    public string? TypeCode { get; init; }

    /// <summary>Issue date (BT-2; SAF-T TransactionDate of the posting).</summary>
    public required DateOnly IssueDate { get; init; }

    /// <summary>Due date (BT-9: cbc:DueDate, else PaymentMeans/PaymentDueDate; SAF-T Line/DueDate), if given.</summary>
    public DateOnly? DueDate { get; init; }

    /// <summary>The signed amount (see remarks): positive for invoices, negative for credit notes and negative invoices.</summary>
    public required Money Amount { get; init; }

    /// <summary>The amount as written in the document (UBL PayableAmount; SAF-T the posted amount, unsigned).</summary>
    public required Money PayableAmount { get; init; }

    /// <summary>For SAF-T: what is still open on this document at the end of the file's period (signed like <see cref="Amount"/>). Null when the source cannot tell (UBL).</summary>
    public Money? OpenAmount { get; init; }

    /// <summary>The amount in the invoice's own currency when it differs from the ledger currency (SAF-T CurrencyCode/CurrencyAmount), signed like <see cref="Amount"/>.</summary>
    public Money? ForeignAmount { get; init; }

    /// <summary>The document currency (BT-5), the currency of <see cref="Amount"/>.</summary>
    public Currency Currency => Amount.Currency;

    /// <summary>The KID, when <see cref="PaymentReference"/> is a valid KID (see remarks).</summary>
    public string? Kid { get; init; }

    /// <summary>The payment reference as written (BT-83 PaymentID, SAF-T CID).</summary>
    public string? PaymentReference { get; init; }

    /// <summary>The account to pay to (BT-84 PayeeFinancialAccount/ID: BBAN or IBAN, as written).</summary>
    public string? PayeeAccount { get; init; }

    /// <summary>UNCL4461 payment means code (BT-81), e.g. 30, 31, 58.</summary>
    public string? PaymentMeansCode { get; init; }

    /// <summary>Payment terms as text (BT-20 PaymentTerms/Note).</summary>
    public string? PaymentTerms { get; init; }

    /// <summary>Free text: document notes (BT-22) or the posting description.</summary>
    public string? Text { get; init; }

    /// <summary>The number of the invoice this document credits or corrects (BT-25 BillingReference/InvoiceDocumentReference/ID).</summary>
    public string? CreditsNumber { get; init; }

    /// <summary>The buyer's reference (BT-10), which the debtor expects to see on reminders.</summary>
    public string? BuyerReference { get; init; }

    /// <summary>The customer (debtor).</summary>
    public required InvoiceCustomer Customer { get; init; }

    /// <summary>The seller's (creditor's) name as written in the file.</summary>
    public string? SellerName { get; init; }

    /// <summary>The seller's Norwegian organisation number, when present and valid.</summary>
    public string? SellerOrgNumber { get; init; }

    /// <summary>Where the document was read from.</summary>
    public required SourceLocation Source { get; init; }

    /// <summary>True for a credit note, and for a negative invoice (a correction that lowers what is owed).</summary>
    public bool ActsAsCredit => Amount.IsNegative;
}

/// <summary>Count and signed sum of documents in one currency.</summary>
/// <param name="Currency">The currency.</param>
/// <param name="Count">How many documents are in it.</param>
/// <param name="Sum">The sum of their signed <see cref="InvoiceDocument.Amount"/>.</param>
public sealed record InvoiceTotal(Currency Currency, int Count, Money Sum);

/// <summary>A named input the shell hands to a reader: a file in a folder, an upload. The reader opens and disposes the stream.</summary>
/// <param name="Name">The name used in error locations, e.g. the file name.</param>
/// <param name="Open">Opens the content for reading.</param>
public sealed record InvoiceSource(string Name, Func<Stream> Open);

/// <summary>
/// The outcome of reading invoice files: the documents that could be read, every problem found, and control totals.
/// Suitable for <c>purr inspect --json</c>.
/// </summary>
/// <remarks>
/// Readers never throw on bad data. A document with an error in a mandatory field is left out of
/// <see cref="Documents"/>; a document whose totals do not add up is kept but its error is listed. The importer
/// rejects the whole input when <see cref="IsValid"/> is false (ARCHITECTURE "Input files").
/// </remarks>
/// <param name="Documents">The documents read, in input order.</param>
/// <param name="Errors">Every problem found, located; empty when the input may be imported.</param>
public sealed record InvoiceReadResult(IReadOnlyList<InvoiceDocument> Documents, IReadOnlyList<InputError> Errors)
{
    /// <summary>Entries of a zip archive that were not read because they are not XML (attachments and the like).</summary>
    public IReadOnlyList<string> SkippedEntries { get; init; } = [];

    /// <summary>True when there are no errors: the input may be imported.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>The number of documents read.</summary>
    public int Count => Documents.Count;

    /// <summary>Count and signed sum per currency, in order of first appearance.</summary>
    public IReadOnlyList<InvoiceTotal> Totals => TotalsOf(Documents);

    /// <summary>Count and signed sum of <paramref name="documents"/> per currency, in order of first appearance.</summary>
    public static IReadOnlyList<InvoiceTotal> TotalsOf(IEnumerable<InvoiceDocument> documents) =>
        documents.GroupBy(d => d.Currency)
            .Select(g => new InvoiceTotal(g.Key, g.Count(), g.Aggregate(Money.Zero(g.Key), (s, d) => s + d.Amount)))
            .ToList();
}
