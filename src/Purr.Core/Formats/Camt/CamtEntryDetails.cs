namespace Purr.Core.Formats.Camt;

/// <summary>camt-specific facts about a transaction: its statement, its entry (Ntry) and its details (TxDtls).</summary>
public sealed record CamtEntryDetails
{
    /// <summary>GrpHdr/MsgId.</summary>
    public string? MessageId { get; init; }

    /// <summary>Stmt/Id (camt.053) or Ntfctn/Id (camt.054).</summary>
    public string? StatementId { get; init; }

    /// <summary>1-based position of the entry (Ntry) in its statement.</summary>
    public int EntrySequence { get; init; }

    /// <summary>1-based position of the TxDtls in its entry; 0 when the transaction is the entry itself (no or merged TxDtls).</summary>
    public int DetailSequence { get; init; }

    /// <summary>The entry's signed amount (Ntry/Amt with Ntry/CdtDbtInd).</summary>
    public required Money EntryAmount { get; init; }

    /// <summary>Ntry/AcctSvcrRef.</summary>
    public string? EntryAccountServicerReference { get; init; }

    /// <summary>Refs/AcctSvcrRef of the TxDtls.</summary>
    public string? AccountServicerReference { get; init; }

    /// <summary>Ntry/NtryRef (not unique in practice; not used as a key).</summary>
    public string? EntryReference { get; init; }

    /// <summary>Entry status code: BOOK, PDNG, INFO, ... (Sts, or Sts/Cd from version 8).</summary>
    public string? Status { get; init; }

    /// <summary>Bank transaction code "Domain/Family/SubFamily" (e.g. PMNT/RCDT/DMCT), else the proprietary code.</summary>
    public string? BankTransactionCode { get; init; }

    /// <summary>Refs/InstrId.</summary>
    public string? InstructionId { get; init; }

    /// <summary>Refs/TxId.</summary>
    public string? TransactionId { get; init; }

    /// <summary>TxDtls/AddtlTxInf, else Ntry/AddtlNtryInf (the latter only when the transaction is the whole entry).</summary>
    public string? AdditionalInfo { get; init; }

    /// <summary>RtrInf/Rsn/Cd (or Prtry) of a returned payment.</summary>
    public string? ReturnReason { get; init; }

    /// <summary>
    /// True when the entry had several TxDtls that could not be taken one by one (a detail without an amount, or
    /// with an amount in another currency than the entry): the transaction is the whole entry and its references
    /// and texts are those of all details.
    /// </summary>
    public bool IsMergedBatch { get; init; }
}
