namespace Purr.Core.Formats.Camt;

/// <summary>A transaction read by <see cref="CamtReader"/>: every normalized field stored, and the camt details.</summary>
internal sealed record CamtBankTransaction : BankTransaction
{
    internal CamtBankTransaction(BankFileFormat format, int sequence, SourceLocation source, Money amount, DateOnly? bookingDate,
        DateOnly? valueDate, string bankReference, string? endToEndId, string? kid, IReadOnlyList<string> references,
        IReadOnlyList<string> documentNumbers, string? freeText, string? payerName, string? payerAccount, string? account,
        bool isReversal, bool isBooked, CamtEntryDetails camt)
    {
        Format = format;
        Sequence = sequence;
        Source = source;
        Amount = amount;
        BookingDate = bookingDate;
        ValueDate = valueDate;
        BankReference = bankReference;
        EndToEndId = endToEndId;
        Kid = kid;
        References = references;
        DocumentNumbers = documentNumbers;
        FreeText = freeText;
        PayerName = payerName;
        PayerAccount = payerAccount;
        Account = account;
        IsReversal = isReversal;
        IsBooked = isBooked;
        Camt = camt;
    }

    /// <inheritdoc/>
    public override BankFileFormat Format { get; }
    /// <inheritdoc/>
    public override int Sequence { get; }
    /// <inheritdoc/>
    public override SourceLocation Source { get; }
    /// <inheritdoc/>
    public override Money Amount { get; }
    /// <inheritdoc/>
    public override DateOnly? BookingDate { get; }
    /// <inheritdoc/>
    public override DateOnly? ValueDate { get; }
    /// <inheritdoc/>
    public override string BankReference { get; }
    /// <inheritdoc/>
    public override string? EndToEndId { get; }
    /// <inheritdoc/>
    public override string? Kid { get; }
    /// <inheritdoc/>
    public override IReadOnlyList<string> References { get; }
    /// <inheritdoc/>
    public override IReadOnlyList<string> DocumentNumbers { get; }
    /// <inheritdoc/>
    public override string? FreeText { get; }
    /// <inheritdoc/>
    public override string? PayerName { get; }
    /// <inheritdoc/>
    public override string? PayerAccount { get; }
    /// <inheritdoc/>
    public override string? Account { get; }
    /// <inheritdoc/>
    public override bool IsReversal { get; }
    /// <inheritdoc/>
    public override bool IsBooked { get; }
    /// <inheritdoc/>
    public override CamtEntryDetails Camt { get; }
}
