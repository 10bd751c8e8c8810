using Purr.Core;

namespace Purr.Data;

// EF entities are plain persistence rows ("anemic" on purpose): the rules live in Purr.Core.
// Amounts are whole minor units (øre) in 64-bit columns; business dates are DateOnly; instants are UTC DateTimeOffset.

/// <summary>Implemented by every tenant-owned row: the global query filter keeps creditors apart.</summary>
public interface ICreditorOwned
{
    long CreditorId { get; set; }
}

public enum DocumentKind { Invoice, CreditNote, InterestNote }
public enum PaymentStatus { Unmatched, Matched, PartlyMatched, Refunded, Reversed }
public enum DunningMode { Automatic, Manual }
public enum ChargeKind { ReminderFee, CollectionNoticeFee, PaymentDemandFee, Interest, StandardCompensation }

public sealed class Creditor
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public string? OrganizationNumber { get; set; }
    public string? AccountNumber { get; set; }
    public string? AddressLine1 { get; set; }
    public string? AddressLine2 { get; set; }
    public string? PostalCode { get; set; }
    public string? City { get; set; }
    public string Country { get; set; } = "NO";
    public string? Email { get; set; }
    public string? Phone { get; set; }
    /// <summary>Logo image (PNG/JPEG) shown on letters.</summary>
    public byte[]? Logo { get; set; }
    public string DefaultCurrency { get; set; } = "NOK";
    /// <summary>MOD10 or MOD11: the KID definition agreed for the creditor's account.</summary>
    public string KidMethod { get; set; } = "Mod10";
    public int KidLength { get; set; } = 10;
    public DunningMode DunningMode { get; set; } = DunningMode.Automatic;
    /// <summary>Off when the creditor may not send its own inkassovarsel (the proposed new inkassolov).</summary>
    public bool OwnCollectionNoticeAllowed { get; set; } = true;
    /// <summary>Collected late interest per customer must reach this (minor units) before an interest note is made.</summary>
    public long InterestNoteThreshold { get; set; } = 10000;
    /// <summary>Claims forsinkelsesrenteloven § 3a standard compensation from business and public debtors.</summary>
    public bool ClaimsStandardCompensation { get; set; }
    /// <summary>Interest from the due date itself instead of the day after.</summary>
    public bool InterestFromDueDate { get; set; }
    /// <summary>Pre-notice: days the creditor gets to hold items before a run's letters go out (0 = off).</summary>
    public int PreNoticeDays { get; set; }
    /// <summary>Local time (Europe/Oslo) of the scheduled daily run, "HH:mm".</summary>
    public string RunAt { get; set; } = "06:00";
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class Customer : ICreditorOwned
{
    public long Id { get; set; }
    public long CreditorId { get; set; }
    public required string CustomerNumber { get; set; }
    public required string Name { get; set; }
    public CustomerKind Kind { get; set; } = CustomerKind.Private;
    public string? Category { get; set; }
    public int Priority { get; set; }
    /// <summary>"nb" or "en".</summary>
    public string Language { get; set; } = "nb";
    /// <summary>"email", "letter" or "ehf".</summary>
    public string PreferredChannel { get; set; } = "email";
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? AddressLine1 { get; set; }
    public string? AddressLine2 { get; set; }
    public string? PostalCode { get; set; }
    public string? City { get; set; }
    public string Country { get; set; } = "NO";
    public string? OrganizationNumber { get; set; }
    /// <summary>PEPPOL endpoint id (e.g. 0192:987654325): where an EHF Reminder can be sent.</summary>
    public string? PeppolId { get; set; }
    /// <summary>Agreed payment terms in days (used by plan rules).</summary>
    public int? PaymentTermsDays { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>An invoice, credit note or interest note: a document on the customer's account.</summary>
public sealed class Invoice : ICreditorOwned
{
    public long Id { get; set; }
    public long CreditorId { get; set; }
    public long CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public required string Number
    {
        get;
        set
        {
            field = value;
            NumberKey = Core.Matching.OpenItemIndex.NumberKey(value) ?? "";
        }
    }
    /// <summary>
    /// The number as payments refer to it (<see cref="Core.Matching.OpenItemIndex.NumberKey"/>: case and leading zeros
    /// ignored), kept with the number so the payment import looks invoice numbers up by an index.
    /// </summary>
    public string NumberKey { get; set; } = "";
    public DocumentKind Kind { get; set; } = DocumentKind.Invoice;
    public DateOnly IssueDate { get; set; }
    public DateOnly? DueDate { get; set; }
    /// <summary>Document total in minor units; positive for invoices, positive for credit notes too (the kind gives the sign).</summary>
    public long Amount { get; set; }
    /// <summary>What is still open in minor units: unpaid for invoices, unused credit for credit notes.</summary>
    public long Open { get; set; }
    public string Currency { get; set; } = "NOK";
    public string? Kid { get; set; }
    public string? Text { get; set; }
    /// <summary>For a credit note: the number of the invoice it credits.</summary>
    public string? CreditsNumber { get; set; }
    /// <summary>The day the open amount reached zero, and how ("paid", "credited", "written_off").</summary>
    public DateOnly? SettledOn { get; set; }
    public string? SettledBy { get; set; }
    public long? ImportId { get; set; }
    /// <summary>The status list the claim is in (liste, purring1, …, lukket); null before it is overdue.</summary>
    public string? DunningList { get; set; }
    public DateOnly? ListEnteredOn { get; set; }
    public DateOnly? HandedOverOn { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class Payment : ICreditorOwned
{
    public long Id { get; set; }
    public long CreditorId { get; set; }
    public long? CustomerId { get; set; }
    public DateOnly PaymentDate { get; set; }
    public DateOnly? ValueDate { get; set; }
    /// <summary>Amount in minor units; positive money in.</summary>
    public long Amount { get; set; }
    /// <summary>Part not allocated to invoices (a credit balance once the payment is matched to a customer).</summary>
    public long Unallocated { get; set; }
    public string Currency { get; set; } = "NOK";
    public string? Kid { get; set; }
    /// <summary>Invoice number given with the payment (CSV) or found in the text.</summary>
    public string? InvoiceNumber { get; set; }
    /// <summary>The bank's unique reference (AcctSvcrRef, OCR serial) or the CSV reference: unique per creditor.</summary>
    public string? BankReference { get; set; }
    public string? PayerName { get; set; }
    public string? PayerAccount { get; set; }
    /// <summary>The creditor's own account the money came in on (bank files), as given.</summary>
    public string? Account { get; set; }
    /// <summary>The payer's end-to-end id (camt), used to find the original of a returned payment.</summary>
    public string? EndToEndId { get; set; }
    public string? Text { get; set; }
    /// <summary>"csv", "camt054", "camt053", "ocr", "manual", "refund".</summary>
    public string Source { get; set; } = "manual";
    public PaymentStatus Status { get; set; } = PaymentStatus.Unmatched;
    /// <summary>"kid", "invoice_number", "text", "amount_payer", "manual", "customer", "reversal".</summary>
    public string? MatchMethod { get; set; }
    public long? ReversesPaymentId { get; set; }
    public long? ImportId { get; set; }
    /// <summary>The line of the import's file where the transaction starts (null for payments not imported).</summary>
    public int? Line { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Money moved onto an invoice from a payment or from a credit note.</summary>
public sealed class Allocation : ICreditorOwned
{
    public long Id { get; set; }
    public long CreditorId { get; set; }
    public long InvoiceId { get; set; }
    public Invoice? Invoice { get; set; }
    public long? PaymentId { get; set; }
    public Payment? Payment { get; set; }
    public long? CreditNoteId { get; set; }
    public Invoice? CreditNote { get; set; }
    public long Amount { get; set; }
    public DateOnly Date { get; set; }
    public bool Reversed { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The claim history: who did what, when, on an invoice or a customer.</summary>
public sealed class ClaimEvent : ICreditorOwned
{
    public long Id { get; set; }
    public long CreditorId { get; set; }
    public long? CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public long? InvoiceId { get; set; }
    public Invoice? Invoice { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    /// <summary>Stable snake_case code, e.g. "imported", "payment_allocated", "credited", "stopped".</summary>
    public required string Kind { get; set; }
    public required string Text { get; set; }
}

/// <summary>One imported file, recognised again by its SHA-256.</summary>
public sealed class ImportRecord : ICreditorOwned
{
    public long Id { get; set; }
    public long CreditorId { get; set; }
    /// <summary>"customers", "invoices", "payments".</summary>
    public required string Kind { get; set; }
    public required string Format { get; set; }
    public required string FileName { get; set; }
    public required string Sha256 { get; set; }
    public int Records { get; set; }
    public DateTimeOffset ImportedAt { get; set; }
}

/// <summary>
/// Something charged on a claim besides its principal: a reminder or notice fee, late interest or § 3a standard
/// compensation. Kept apart from the invoice principal (C9): plans dun the principal; charges are shown and claimed.
/// </summary>
public sealed class Charge : ICreditorOwned
{
    public long Id { get; set; }
    public long CreditorId { get; set; }
    public long InvoiceId { get; set; }
    public Invoice? Invoice { get; set; }
    public ChargeKind Kind { get; set; }
    /// <summary>Amount in minor units.</summary>
    public long Amount { get; set; }
    /// <summary>What is still unpaid of the charge, in minor units.</summary>
    public long Open { get; set; }
    public string Currency { get; set; } = "NOK";
    /// <summary>The day it was charged (a notice's send date).</summary>
    public DateOnly Date { get; set; }
    /// <summary>For interest: the first and last day covered.</summary>
    public DateOnly? PeriodFrom { get; set; }
    public DateOnly? PeriodTo { get; set; }
    /// <summary>The letter (notice) that charged it, when one did.</summary>
    public long? LetterId { get; set; }
    public string? Text { get; set; }
    public required string Actor { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
