namespace Purr.Core.Formats.OcrGiro;

/// <summary>OCR giro transaction types (record 30/31/32 positions 5-6, service code 09).</summary>
/// <remarks>Source: Nets "System specification OCR giro", transaction types; NORWAY-RULES §5.2.</remarks>
public enum OcrTransactionType
{
    /// <summary>10: giro debited account.</summary>
    GiroDebitedAccount = 10,
    /// <summary>11: standing order (fast oppdrag).</summary>
    StandingOrder = 11,
    /// <summary>12: direct remittance.</summary>
    DirectRemittance = 12,
    /// <summary>13: BTG (business terminal giro).</summary>
    BusinessTerminalGiro = 13,
    /// <summary>14: counter giro.</summary>
    CounterGiro = 14,
    /// <summary>15: AvtaleGiro.</summary>
    AvtaleGiro = 15,
    /// <summary>16: telegiro.</summary>
    TeleGiro = 16,
    /// <summary>17: giro paid in cash.</summary>
    CashGiro = 17,
    /// <summary>18: reversal with KID (a negative payment).</summary>
    ReversalWithKid = 18,
    /// <summary>19: purchase with KID.</summary>
    PurchaseWithKid = 19,
    /// <summary>20: reversal with free text (a negative payment).</summary>
    ReversalWithText = 20,
    /// <summary>21: purchase with free text.</summary>
    PurchaseWithText = 21,
}

/// <summary>The fields of an OCR giro transaction (amount items 1, 2 and 3) and of its assignment.</summary>
/// <remarks>
/// <para>Positions are 1-based, as in the Nets specification.</para>
/// <para>A view of the transaction it belongs to, made by <see cref="BankTransaction.Ocr"/> (one reference wide: no
/// object or copy of its own per transaction): <see cref="DebitAccount"/>, <see cref="Text"/> and
/// <see cref="AssignmentAccount"/> are the transaction's <see cref="BankTransaction.PayerAccount"/>,
/// <see cref="BankTransaction.FreeText"/> and <see cref="BankTransaction.Account"/>, <see cref="NetsDate"/> its booking
/// and value date. Two details are equal when all their fields are.</para>
/// </remarks>
public readonly struct OcrGiroDetails : IEquatable<OcrGiroDetails>
{
    private readonly OcrBankTransaction _t;

    internal OcrGiroDetails(OcrBankTransaction transaction) => _t = transaction;

    /// <summary>Transaction type (positions 5-6).</summary>
    public OcrTransactionType TransactionType => _t.TransactionType;
    /// <summary>Transaction number (9-15), unique in its assignment.</summary>
    public int TransactionNumber => _t.TransactionNumber;
    /// <summary>Nets date (16-21): the settlement date.</summary>
    public DateOnly NetsDate => _t.Settlement.NetsDate;
    /// <summary>Centre id (22-23).</summary>
    public string CentreId => _t.Settlement.CentreId;
    /// <summary>Day code (24-25).</summary>
    public int DayCode => _t.Settlement.DayCode;
    /// <summary>Partial settlement number (26).</summary>
    public int PartialSettlementNumber => _t.Settlement.PartialSettlementNumber;
    /// <summary>Partial settlement serial number (27-31).</summary>
    public string SerialNumber => _t.Settlement.SerialNumber;
    /// <summary>Sign (32): '0', or '-' for a negative amount (a credit note).</summary>
    public char Sign => _t.Sign;
    /// <summary>The unsigned amount in øre as written (33-49).</summary>
    public long AmountInOre => _t.AmountInOre;
    /// <summary>Form number (record 31, 16-25); null when zero.</summary>
    public string? FormNumber => _t.FormNumber;
    /// <summary>Agreement id / archive reference (record 31, 26-34; for types 18-21 bax number + session number); null when zero.</summary>
    public string? ArchiveReference => _t.ArchiveReference;
    /// <summary>Record 31 positions 35-41, documented as filler but carrying data in real files; null when zero.</summary>
    public string? Filler => _t.Filler;
    /// <summary>Bank date (record 31, 42-47): when the payer's bank took the payment; null when "000000".</summary>
    public DateOnly? BankDate => _t.BankDate;
    /// <summary>Debit account (record 31, 48-58): the payer's account when known, else null.</summary>
    public string? DebitAccount => _t.DebitAccount;
    /// <summary>Free text of amount item 3 (record 32, 16-55), types 20 and 21 only.</summary>
    public string? Text => _t.Text;
    /// <summary>Agreement id of the assignment (record 20, 9-17).</summary>
    public string AgreementId => _t.Settlement.AgreementId;
    /// <summary>Assignment number (record 20, 18-24).</summary>
    public string AssignmentNumber => _t.Settlement.AssignmentNumber;
    /// <summary>Assignment account: the payee's account (record 20, 25-35).</summary>
    public string AssignmentAccount => _t.Settlement.AssignmentAccount;
    /// <summary>Transmission number (record 10, 17-23).</summary>
    public string TransmissionNumber => _t.Settlement.TransmissionNumber;
    /// <summary>Line of amount item 2 (record 31).</summary>
    public int AmountItem2Line => _t.AmountItem2Line;
    /// <summary>Line of amount item 3 (record 32), or null.</summary>
    public int? AmountItem3Line => _t.AmountItem3Line == 0 ? null : _t.AmountItem3Line;

    // Every field, for equality and printing.
    private (OcrTransactionType, int, char, long, string?, string?, string?, DateOnly?, string?, string?, int, int?, OcrSettlement) Fields =>
        (TransactionType, TransactionNumber, Sign, AmountInOre, FormNumber, ArchiveReference, Filler, BankDate, DebitAccount, Text,
            AmountItem2Line, AmountItem3Line, _t.Settlement);

    /// <inheritdoc/>
    public bool Equals(OcrGiroDetails other) => _t is null || other._t is null ? _t is null && other._t is null : Fields.Equals(other.Fields);
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is OcrGiroDetails other && Equals(other);
    /// <inheritdoc/>
    public override int GetHashCode() => _t is null ? 0 : Fields.GetHashCode();
    /// <summary>Equal when all fields are.</summary>
    public static bool operator ==(OcrGiroDetails left, OcrGiroDetails right) => left.Equals(right);
    /// <summary>Not equal when a field differs.</summary>
    public static bool operator !=(OcrGiroDetails left, OcrGiroDetails right) => !left.Equals(right);
    /// <inheritdoc/>
    public override string ToString() => _t is null ? "" : $"OCR giro transaction {TransactionNumber:0000000} type {(int)TransactionType} of assignment {AssignmentNumber}";
}

/// <summary>
/// An OCR giro transaction as the reader yields it: the fields of its records (amount items 1, 2 and 3), and its
/// settlement, shared with the transactions before and after it. The normalized fields that follow from these are made
/// on access: the amount from the øre and sign, the location from the line, the dates and account from the settlement,
/// the bank reference from the settlement and the transaction number.
/// </summary>
internal sealed record OcrBankTransaction : BankTransaction
{
    /// <summary>The fields that repeat from one transaction to the next: shared by the transactions of a settlement.</summary>
    internal required OcrSettlement Settlement { get; init; }
    internal required int Line { get; init; }
    internal OcrTransactionType TransactionType { get; init; }
    internal int TransactionNumber { get; init; }
    internal char Sign { get; init; }
    internal long AmountInOre { get; init; }
    internal string? KidField { get; init; }
    // Set by the reader as amount items 2 and 3 are read and when the transaction is emitted; never changed after that.
    internal int Position { get; set; }
    internal string? Text { get; set; }
    internal string? DebitAccount { get; set; }
    internal string? FormNumber { get; set; }
    internal string? ArchiveReference { get; set; }
    internal string? Filler { get; set; }
    internal DateOnly? BankDate { get; set; }
    internal int AmountItem2Line { get; set; } // 0: not read yet
    internal int AmountItem3Line { get; set; } // 0: none

    /// <summary>True for a negative amount: a reversal (types 18 and 20), or the sign '-'.</summary>
    internal bool IsNegative => IsReversal || Sign == '-';

    /// <summary>The scale of <see cref="Amount"/>.</summary>
    internal int AmountScale => OcrParser.ScaleOfOre(AmountInOre);

    /// <inheritdoc/>
    public override BankFileFormat Format => BankFileFormat.OcrGiro;
    /// <inheritdoc/>
    public override int Sequence => Position;
    /// <inheritdoc/>
    public override SourceLocation Source => new(Settlement.File, Line);
    /// <inheritdoc/>
    public override Money Amount => OcrParser.NokFromOre(IsNegative ? -AmountInOre : AmountInOre);
    /// <inheritdoc/>
    public override DateOnly? BookingDate => Settlement.NetsDate;
    /// <inheritdoc/>
    public override DateOnly? ValueDate => Settlement.NetsDate;
    /// <inheritdoc/>
    public override string BankReference => Settlement.Reference(TransactionNumber);
    /// <inheritdoc/>
    public override string? EndToEndId => null;
    /// <inheritdoc/>
    public override string? Kid => KidField;
    /// <inheritdoc/>
    public override IReadOnlyList<string> References => Kid is null ? [] : [Kid];
    /// <inheritdoc/>
    public override IReadOnlyList<string> DocumentNumbers => [];
    /// <inheritdoc/>
    public override string? FreeText => Text;
    /// <inheritdoc/>
    public override string? PayerName => null;
    /// <inheritdoc/>
    public override string? PayerAccount => DebitAccount;
    /// <inheritdoc/>
    public override string? Account => Settlement.AssignmentAccount;
    /// <inheritdoc/>
    public override bool IsReversal => TransactionType is OcrTransactionType.ReversalWithKid or OcrTransactionType.ReversalWithText;
    /// <inheritdoc/>
    public override bool IsBooked => true;
    /// <inheritdoc/>
    public override OcrGiroDetails? Ocr => new OcrGiroDetails(this);
}

/// <summary>
/// The OCR fields shared by consecutive transactions of one partial settlement of one assignment, and the name of the
/// file given to the reader.
/// </summary>
internal sealed record OcrSettlement(
    DateOnly NetsDate, string CentreId, int DayCode, int PartialSettlementNumber, string SerialNumber,
    string AgreementId, string AssignmentNumber, string AssignmentAccount, string TransmissionNumber, string File)
{
    /// <summary>"ocr:{agreement id}:{assignment number}:", the start of the bank references of the assignment.</summary>
    private string ReferencePrefix { get; } = $"ocr:{AgreementId}:{AssignmentNumber}:";

    /// <summary>The bank reference of a transaction of the assignment: "ocr:{agreement id}:{assignment number}:{transaction number, 7 digits}".</summary>
    public string Reference(int transaction) =>
        string.Create(ReferencePrefix.Length + 7, (ReferencePrefix, transaction), static (span, state) =>
        {
            state.ReferencePrefix.CopyTo(span);
            // The seven digits of a transaction number (0-9 999 999), written from the last.
            var n = (uint)state.transaction;
            for (var i = span.Length - 1; i >= state.ReferencePrefix.Length; i--)
            {
                (n, var digit) = Math.DivRem(n, 10u);
                span[i] = (char)('0' + digit);
            }
        });
}

/// <summary>One assignment of an OCR giro transmission, with the control totals of its end record (88).</summary>
/// <param name="ServiceCode">"09" OCR giro, "21" AvtaleGiro.</param>
/// <param name="AssignmentType">"00" transactions / payment claims, "24" AvtaleGiro agreements, "36" AvtaleGiro deletions.</param>
/// <param name="AgreementId">Record 20, 9-17.</param>
/// <param name="AssignmentNumber">Record 20, 18-24.</param>
/// <param name="AssignmentAccount">Record 20, 25-35.</param>
/// <param name="Line">Line of the assignment start record.</param>
/// <param name="TransactionCount">Declared in record 88 (null when the end record is missing or unreadable).</param>
/// <param name="RecordCount">Declared in record 88, including the 20 and 88 records.</param>
/// <param name="Total">Declared in record 88: the sum of the amounts as written (reversals added, not subtracted).</param>
/// <param name="NetsDate">Record 88, 42-47.</param>
/// <param name="IsPayments">True for an OCR giro (service 09) assignment, whose transactions were yielded.</param>
public sealed record OcrAssignmentSummary(
    string ServiceCode, string AssignmentType, string AgreementId, string AssignmentNumber, string AssignmentAccount, int Line,
    long? TransactionCount, long? RecordCount, Money? Total, DateOnly? NetsDate, bool IsPayments);

/// <summary>An OCR giro transmission: start record (10), control totals of the end record (89) and its assignments.</summary>
/// <param name="DataTransmitter">Record 10, 9-16 (Nets is 00008080).</param>
/// <param name="TransmissionNumber">Record 10, 17-23.</param>
/// <param name="DataRecipient">Record 10, 24-31.</param>
/// <param name="TransactionCount">Declared in record 89.</param>
/// <param name="RecordCount">Declared in record 89, including the 10 and 89 records.</param>
/// <param name="Total">Declared in record 89.</param>
/// <param name="NetsDate">Record 89, 42-47.</param>
/// <param name="Assignments">The assignments in file order.</param>
public sealed record OcrTransmissionSummary(
    string DataTransmitter, string TransmissionNumber, string DataRecipient,
    long? TransactionCount, long? RecordCount, Money? Total, DateOnly? NetsDate,
    IReadOnlyList<OcrAssignmentSummary> Assignments);
