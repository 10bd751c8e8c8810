namespace Purr.Data;

// Bank-side rows: camt.053 statements with their entries (for `purr reconcile`) and the history of each payment
// (imported and how it matched, allocated by hand, refunded, reversed). Amounts are signed minor units.

/// <summary>One camt.053 account statement (Stmt): its balances, kept to reconcile the bank against the ledger.</summary>
public sealed class BankStatement : ICreditorOwned
{
    public long Id { get; set; }
    public long CreditorId { get; set; }
    /// <summary>The import (file) that brought the statement.</summary>
    public long ImportId { get; set; }
    /// <summary>The account as given (IBAN or BBAN); compare with PaymentMatcher.NormalizeAccount.</summary>
    public required string Account { get; set; }
    /// <summary>Stmt/Id.</summary>
    public string? StatementId { get; set; }
    public string? MessageId { get; set; }
    /// <summary>The balance currency (else the account currency, else the entries' currency).</summary>
    public string Currency { get; set; } = "NOK";
    /// <summary>First and last day the statement covers: the opening and closing balance dates (else the entries' booking dates).</summary>
    public DateOnly FromDate { get; set; }
    public DateOnly ToDate { get; set; }
    /// <summary>Opening booked balance (OPBD, else PRCD), signed; null when the statement has none.</summary>
    public long? OpeningBalance { get; set; }
    /// <summary>Closing booked balance (CLBD), signed; null when the statement has none.</summary>
    public long? ClosingBalance { get; set; }
    /// <summary>Booked credits and debits (positive sums) in the statement currency.</summary>
    public long Credits { get; set; }
    public long Debits { get; set; }
    public int Entries { get; set; }
    /// <summary>Opening + booked entries = closing, as the reader found it (null when it cannot be checked).</summary>
    public bool? Reconciles { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One transaction of a bank statement, and the ledger payment it became (or was already, or none for debits).</summary>
public sealed class BankStatementEntry : ICreditorOwned
{
    public long Id { get; set; }
    public long CreditorId { get; set; }
    public long StatementId { get; set; }
    public BankStatement? Statement { get; set; }
    public required string BankReference { get; set; }
    public DateOnly? BookingDate { get; set; }
    public DateOnly? ValueDate { get; set; }
    /// <summary>Signed: credit (money in) positive, debit negative.</summary>
    public long Amount { get; set; }
    public string Currency { get; set; } = "NOK";
    public bool IsReversal { get; set; }
    /// <summary>Status BOOK; pending and information-only entries are kept but are not money on the account.</summary>
    public bool IsBooked { get; set; } = true;
    public string? Kid { get; set; }
    public string? PayerName { get; set; }
    public string? Text { get; set; }
    /// <summary>Line of the transaction in the file.</summary>
    public int Line { get; set; }
    /// <summary>The ledger payment for this entry (created by the import, or found as a duplicate); null for skipped debits.</summary>
    public long? PaymentId { get; set; }
    public Payment? Payment { get; set; }
}

/// <summary>The history of one payment: who did what, when (imported and matched, allocated, refunded, reversed).</summary>
public sealed class PaymentEvent : ICreditorOwned
{
    public long Id { get; set; }
    public long CreditorId { get; set; }
    public long PaymentId { get; set; }
    public Payment? Payment { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    /// <summary>Stable snake_case code: "imported", "matched", "unmatched", "allocated", "refunded", "reversed", "reversal".</summary>
    public required string Kind { get; set; }
    public required string Text { get; set; }
}
