namespace Purr.Data;

/// <summary>
/// A forsinkelsesrente row entered by a user (<c>purr rates add|import</c>). Global, not per creditor: the rate is the
/// law's. The effective table is the one shipped with Purr overlaid with these rows; a row for a half-year the shipped
/// table already has replaces it (see docs/rules.md, "Interest").
/// </summary>
public sealed class InterestRate
{
    public long Id { get; set; }
    /// <summary>First day of the half-year: yyyy-01-01 or yyyy-07-01. Unique.</summary>
    public DateOnly From { get; set; }
    /// <summary>Annual rate in percent, e.g. 12.25.</summary>
    public decimal RatePercent { get; set; }
    /// <summary>§ 3a standard compensation in NOK for the half-year; null when not known.</summary>
    public decimal? StandardCompensationNok { get; set; }
    /// <summary>"verified", "secondary", "derived" or "unverified" (NORWAY-RULES markers).</summary>
    public required string Certainty { get; set; }
    /// <summary>Where the values come from: a regulation reference or URL.</summary>
    public required string Source { get; set; }
    public string? Note { get; set; }
    public required string AddedBy { get; set; }
    public DateTimeOffset AddedAt { get; set; }
}

/// <summary>
/// One invoice covered by an interest note (rentenota): the interest claimed for it and the days it covers. An invoice
/// is covered at most once (unique), which makes creating interest notes idempotent.
/// </summary>
public sealed class InterestNoteItem : ICreditorOwned
{
    public long Id { get; set; }
    public long CreditorId { get; set; }
    /// <summary>The interest note (an <see cref="Invoice"/> of kind <see cref="DocumentKind.InterestNote"/>).</summary>
    public long InterestNoteId { get; set; }
    public Invoice? InterestNote { get; set; }
    /// <summary>The invoice that was paid late.</summary>
    public long InvoiceId { get; set; }
    public Invoice? Invoice { get; set; }
    /// <summary>Interest in minor units.</summary>
    public long Amount { get; set; }
    public DateOnly PeriodFrom { get; set; }
    public DateOnly PeriodTo { get; set; }
}

/// <summary>
/// A booking for the creditor's accounts: a write-off (tapsføring) or a recovery on a written-off invoice. Amounts in
/// minor units; the accounts are the standard Norwegian ones in <see cref="Purr.Features.WriteOffs.LedgerAccounts"/>.
/// </summary>
public sealed class AccountingEvent : ICreditorOwned
{
    public long Id { get; set; }
    public long CreditorId { get; set; }
    public DateOnly Date { get; set; }
    /// <summary>"write_off", "recovery" or "recovery_reversed".</summary>
    public required string Kind { get; set; }
    public long? InvoiceId { get; set; }
    public Invoice? Invoice { get; set; }
    public long? PaymentId { get; set; }
    public Payment? Payment { get; set; }
    public long Amount { get; set; }
    public string Currency { get; set; } = "NOK";
    public required string DebitAccount { get; set; }
    public required string CreditAccount { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string Actor { get; set; }
}
