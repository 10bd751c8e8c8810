using System.Collections;
using Purr.Core.Formats.Camt;
using Purr.Core.Formats.OcrGiro;

namespace Purr.Core.Formats;

// The normalized record every bank-file reader yields, the result/summary types the readers share, and the
// format-detecting entry point. Rules for each format are documented on CamtReader and OcrGiroReader and in
// the README.md next to them.

/// <summary>The kind of bank file.</summary>
public enum BankFileFormat
{
    /// <summary>Not a bank file this system reads.</summary>
    Unknown,
    /// <summary>ISO 20022 camt.053 BankToCustomerStatement (account statement with balances).</summary>
    Camt053,
    /// <summary>ISO 20022 camt.054 BankToCustomerDebitCreditNotification (no balances).</summary>
    Camt054,
    /// <summary>Nets OCR giro (service code 09): incoming KID payments, 80-character records.</summary>
    OcrGiro,
    /// <summary>Nets AvtaleGiro (service code 21): payment claims or agreement notifications, not incoming payments.</summary>
    AvtaleGiro,
}

/// <summary>Helpers for <see cref="BankFileFormat"/>.</summary>
public static class BankFileFormats
{
    /// <summary>The code stored as a payment's source: "camt053", "camt054", "ocr", "avtalegiro" or "unknown".</summary>
    public static string ToSourceCode(this BankFileFormat format) => format switch
    {
        BankFileFormat.Camt053 => "camt053",
        BankFileFormat.Camt054 => "camt054",
        BankFileFormat.OcrGiro => "ocr",
        BankFileFormat.AvtaleGiro => "avtalegiro",
        _ => "unknown",
    };
}

/// <summary>Where a record came from: file, line (1-based) and, for XML, the XPath of the element.</summary>
public readonly record struct SourceLocation(string File, int Line, string? XPath = null)
{
    /// <inheritdoc/>
    public override string ToString() => XPath is null ? $"{File}:{Line}" : $"{File}:{Line}: {XPath}";
}

/// <summary>
/// One money movement on the creditor's bank account, normalized from a camt.053/camt.054 transaction or an
/// OCR giro transaction.
/// </summary>
/// <remarks>
/// <para><b>Sign</b>: <see cref="Amount"/> is positive for money in (credit) and negative for money out (debit).
/// camt: the sign is the entry's (or, in a batch, the transaction's) <c>CdtDbtInd</c>, also for reversals
/// (<c>RvslInd</c> marks the entry as a reversal but does not flip it: ISO 20022 defines a reversal as an entry
/// in the opposite direction of the original, e.g. CRDT + RvslInd = a debit taken back). OCR giro: reversal
/// types 18 and 20, and amounts signed '-', are negative; every other transaction is positive.</para>
/// <para><b>Bank reference</b>: a key unique within the file and stable across re-reads of the same file,
/// meant as the per-creditor idempotency key (see <see cref="BankReference"/>).</para>
/// <para>Made only by the readers of this assembly, each with its own storage: a camt transaction keeps every field, an
/// OCR giro transaction keeps the fields of its records and gives the rest from them (the format, its location, the
/// booking and value date and account of its settlement, the bank reference), so that a file of a million records
/// makes small objects. Two transactions are equal when they come from the same format and all their fields are.</para>
/// </remarks>
public abstract record BankTransaction
{
    private protected BankTransaction() { }

    /// <summary>The file format the transaction was read from.</summary>
    public abstract BankFileFormat Format { get; }

    /// <summary>1-based position of this transaction among the transactions of the file.</summary>
    public abstract int Sequence { get; }

    /// <summary>Where it starts: the TxDtls (or Ntry) element, or the OCR amount item 1 record.</summary>
    public abstract SourceLocation Source { get; }

    /// <summary>Signed amount: credit (money in) positive, debit (money out) negative.</summary>
    public abstract Money Amount { get; }

    /// <summary>Booking date (camt BookgDt; OCR: the Nets settlement date). Null when the file has none.</summary>
    public abstract DateOnly? BookingDate { get; }

    /// <summary>Value date (camt ValDt; OCR: the Nets settlement date).</summary>
    public abstract DateOnly? ValueDate { get; }

    /// <summary>
    /// The bank's reference, unique within the file: camt <c>AcctSvcrRef</c> (of the transaction in a batch entry,
    /// else of the entry), else a derived key; OCR <c>ocr:{agreement}:{assignment}:{transaction}</c>.
    /// </summary>
    /// <remarks>See <see cref="CamtReader"/> and <see cref="OcrGiroReader"/> for the exact derivation. An OCR giro
    /// transaction makes the string on each call: read it once.</remarks>
    public abstract string BankReference { get; }

    /// <summary>The payer's end-to-end id (camt <c>Refs/EndToEndId</c>; "NOTPROVIDED" is given as null).</summary>
    public abstract string? EndToEndId { get; }

    /// <summary>
    /// The structured creditor reference, spaces removed: the KID for Norwegian payments (OCR KID field; camt
    /// the first <c>Strd/CdtrRefInf/Ref</c>, whether typed SCOR, proprietary or untyped). It is not validated here:
    /// it may be an RF or foreign reference; check it with <see cref="Identifiers.Kid.TryParse"/>.
    /// </summary>
    public abstract string? Kid { get; }

    /// <summary>Every structured creditor reference of the transaction (spaces removed), in document order.</summary>
    public abstract IReadOnlyList<string> References { get; }

    /// <summary>Referred document numbers (camt <c>Strd/RfrdDocInf/Nb</c>), typically invoice numbers.</summary>
    public abstract IReadOnlyList<string> DocumentNumbers { get; }

    /// <summary>Free text: camt <c>Ustrd</c> lines joined with a space; OCR amount item 3 text.</summary>
    public abstract string? FreeText { get; }

    /// <summary>The debtor's name (camt <c>RltdPties/Dbtr</c>): the payer of a credit.</summary>
    public abstract string? PayerName { get; }

    /// <summary>The debtor's account (camt <c>DbtrAcct</c> IBAN or other id; OCR debit account), as given.</summary>
    public abstract string? PayerAccount { get; }

    /// <summary>The creditor's own account the money moved on (camt <c>Acct/Id</c>; OCR assignment account).</summary>
    public abstract string? Account { get; }

    /// <summary>True for a reversal (camt <c>RvslInd</c>; OCR transaction types 18 and 20).</summary>
    public abstract bool IsReversal { get; }

    /// <summary>False for camt entries not booked (status PDNG, INFO, ...): not money on the account yet.</summary>
    public abstract bool IsBooked { get; }

    /// <summary>camt-specific details, or null.</summary>
    public virtual CamtEntryDetails? Camt => null;

    /// <summary>OCR-giro-specific details (a view of the transaction's fields), or null.</summary>
    public virtual OcrGiroDetails? Ocr => null;
}

/// <summary>One item read from a bank file: a transaction, or a located error.</summary>
public readonly record struct BankRecord
{
    private BankRecord(BankTransaction? transaction, InputError? error)
    {
        Transaction = transaction;
        Error = error;
    }

    /// <summary>The transaction, when this is not an error.</summary>
    public BankTransaction? Transaction { get; }

    /// <summary>The error, when this is one.</summary>
    public InputError? Error { get; }

    /// <summary>True when this item is an error.</summary>
    public bool IsError => Error is not null;

    /// <summary>A transaction item.</summary>
    public static BankRecord Of(BankTransaction transaction) => new(transaction ?? throw new ArgumentNullException(nameof(transaction)), null);

    /// <summary>An error item.</summary>
    public static BankRecord Of(InputError error) => new(null, error ?? throw new ArgumentNullException(nameof(error)));

    /// <inheritdoc/>
    public override string ToString() => Error?.ToString() ?? Transaction?.ToString() ?? "";
}

/// <summary>Credit and debit totals of one currency.</summary>
/// <param name="Currency">The currency.</param>
/// <param name="CreditCount">Number of credits (money in).</param>
/// <param name="CreditTotal">Sum of credits (positive).</param>
/// <param name="DebitCount">Number of debits (money out).</param>
/// <param name="DebitTotal">Sum of debits as a positive amount.</param>
public sealed record CurrencyTotal(Currency Currency, int CreditCount, Money CreditTotal, int DebitCount, Money DebitTotal)
{
    /// <summary>Credits minus debits.</summary>
    public Money Net => CreditTotal - DebitTotal;
}

/// <summary>A balance of a camt.053 statement.</summary>
/// <param name="Type">The balance type code (OPBD, PRCD, CLBD, OPAV, CLAV, ITBD, ...) or the proprietary type.</param>
/// <param name="Amount">Signed: CRDT positive, DBIT negative.</param>
/// <param name="Date">The balance date.</param>
/// <param name="Line">The line of the Bal element.</param>
/// <param name="XPath">The XPath of the Bal element.</param>
public sealed record StatementBalance(string Type, Money Amount, DateOnly? Date, int Line, string XPath);

/// <summary>One camt statement (Stmt) or notification (Ntfctn): account, entry totals and, for camt.053, balances.</summary>
/// <remarks>
/// Totals are over entries (Ntry) by their CdtDbtInd, all statuses included. <see cref="Reconciles"/> checks
/// opening (OPBD, else PRCD) + booked entries of the balance currency = closing (CLBD); a statement that does
/// not reconcile is reported as a warning, not an error, because paginated statements and entries in other
/// currencies legitimately break the equation.
/// </remarks>
public sealed record StatementSummary
{
    /// <summary>Stmt/Id or Ntfctn/Id.</summary>
    public string? Id { get; init; }
    /// <summary>The account (IBAN or other id).</summary>
    public string? Account { get; init; }
    /// <summary>The account currency when given (Acct/Ccy).</summary>
    public string? AccountCurrency { get; init; }
    /// <summary>Line of the Stmt/Ntfctn element.</summary>
    public int Line { get; init; }
    /// <summary>XPath of the Stmt/Ntfctn element.</summary>
    public required string XPath { get; init; }
    /// <summary>Number of Ntry elements.</summary>
    public int EntryCount { get; init; }
    /// <summary>Number of TxDtls elements.</summary>
    public int DetailCount { get; init; }
    /// <summary>Number of transactions yielded for this statement.</summary>
    public int TransactionCount { get; init; }
    /// <summary>Entry totals per currency.</summary>
    public IReadOnlyList<CurrencyTotal> Totals { get; init; } = [];
    /// <summary>All balances, in document order.</summary>
    public IReadOnlyList<StatementBalance> Balances { get; init; } = [];
    /// <summary>Opening booked balance (OPBD, else PRCD), signed.</summary>
    public Money? Opening { get; init; }
    /// <summary>Closing booked balance (CLBD), signed.</summary>
    public Money? Closing { get; init; }
    /// <summary>Opening + booked entries = closing; null when it cannot be checked (a balance is missing or they differ in currency).</summary>
    public bool? Reconciles { get; init; }
}

/// <summary>What a bank file held, known once it has been read to the end.</summary>
public sealed record BankFileSummary
{
    /// <summary>The file name given to the reader.</summary>
    public required string File { get; init; }
    /// <summary>The format read.</summary>
    public BankFileFormat Format { get; init; }
    /// <summary>The XML namespace version, e.g. "camt.054.001.02", or "OCR giro".</summary>
    public string? Version { get; init; }
    /// <summary>camt GrpHdr/MsgId; OCR transmission number.</summary>
    public string? MessageId { get; init; }
    /// <summary>Transactions yielded.</summary>
    public int TransactionCount { get; init; }
    /// <summary>Errors yielded. A file with any error must be rejected whole.</summary>
    public int ErrorCount { get; init; }
    /// <summary>Totals of the yielded transactions per currency.</summary>
    public IReadOnlyList<CurrencyTotal> Totals { get; init; } = [];
    /// <summary>camt statements / notifications.</summary>
    public IReadOnlyList<StatementSummary> Statements { get; init; } = [];
    /// <summary>OCR giro transmission facts, or null.</summary>
    public OcrTransmissionSummary? Ocr { get; init; }
    /// <summary>Located notes that do not reject the file (e.g. a statement that does not reconcile).</summary>
    public IReadOnlyList<InputError> Warnings { get; init; } = [];
}

/// <summary>The transactions, errors and summary of a bank file read to the end (small files, tests).</summary>
public sealed record BankFileContent(IReadOnlyList<BankTransaction> Transactions, IReadOnlyList<InputError> Errors, BankFileSummary Summary);

/// <summary>
/// A bank file being read: enumerate it once to stream its records (transactions and located errors); after
/// the enumeration has completed, <see cref="Summary"/> holds counts, totals, balances and warnings.
/// </summary>
/// <remarks>
/// Single use: the underlying stream is consumed. After <see cref="MaxErrors"/> errors reading stops with a
/// final error. The reader never throws on bad data; it throws only on misuse (a second enumeration) and on
/// I/O failures of the stream itself.
/// </remarks>
public sealed class BankFileReading : IEnumerable<BankRecord>
{
    /// <summary>Reading stops after this many errors.</summary>
    public const int MaxErrors = 200;

    private Func<BankFileSummaryBuilder, IEnumerable<BankRecord>>? _producer;
    private readonly BankFileSummaryBuilder _builder;
    private readonly bool _producerCounts;

    /// <summary>A reading of the records <paramref name="producer"/> yields.</summary>
    /// <param name="file">The file name.</param>
    /// <param name="format">The format as far as known.</param>
    /// <param name="producer">Yields the records; it may refine the format and add statements and warnings to the builder.</param>
    /// <param name="producerCounts">
    /// True when the producer itself passes every record it yields through <see cref="BankFileSummaryBuilder.Count(BankRecord, out BankRecord)"/> (and
    /// stops as that says) and calls <see cref="BankFileSummaryBuilder.Finish"/> at its end: its records are then handed
    /// out without a second enumeration layer (the OCR giro reader, a million records a file). Otherwise this reading counts them.
    /// </param>
    internal BankFileReading(string file, BankFileFormat format, Func<BankFileSummaryBuilder, IEnumerable<BankRecord>> producer,
        bool producerCounts = false)
    {
        _builder = new BankFileSummaryBuilder(file, format);
        _producer = producer;
        _producerCounts = producerCounts;
    }

    /// <summary>The file name.</summary>
    public string File => _builder.File;

    /// <summary>The format as far as known: what the reader chose, refined once it has read the document's start (camt.053 or camt.054).</summary>
    public BankFileFormat Format => _builder.Format;

    /// <summary>The summary, or null until the records have been enumerated to the end.</summary>
    public BankFileSummary? Summary => _builder.Result;

    /// <summary>
    /// What a repeated bank reference is expected to be, for the reader's error and for a caller that takes over the
    /// check (<see cref="ForgetCheckedReferences"/>).
    /// </summary>
    public static string DuplicateReference(int firstLine) => $"a bank reference (AcctSvcrRef) used once in the file; it is also used at line {firstLine}";

    /// <summary>
    /// Lets the reader forget the bank references of the transactions read so far. A caller that checks every later
    /// reference against those itself calls this (the payment import, after each written chunk: the ledger's rows of
    /// this import and its own set of the rest hold them, and its per-chunk check reports a repeat with
    /// <see cref="DuplicateReference"/>), so that the reader's memory does not grow with the file. The reader goes on
    /// reporting a repeat among the references it reads after the call.
    /// </summary>
    public void ForgetCheckedReferences() => _builder.References?.Clear();

    /// <summary>Reads everything into memory: fine for small files and tests; stream large files instead.</summary>
    public BankFileContent ReadAll()
    {
        var transactions = new List<BankTransaction>();
        var errors = new List<InputError>();
        foreach (var record in this)
        {
            if (record.Error is { } e) errors.Add(e);
            else transactions.Add(record.Transaction!);
        }
        return new BankFileContent(transactions, errors, Summary!);
    }

    /// <inheritdoc/>
    public IEnumerator<BankRecord> GetEnumerator()
    {
        var producer = Interlocked.Exchange(ref _producer, null)
            ?? throw new InvalidOperationException($"{_builder.File} has already been read: a bank file can be enumerated once");
        return (_producerCounts ? producer(_builder) : Run(producer)).GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IEnumerable<BankRecord> Run(Func<BankFileSummaryBuilder, IEnumerable<BankRecord>> producer)
    {
        foreach (var record in producer(_builder))
        {
            if (!_builder.Count(record, out var stop))
            {
                yield return stop;
                break;
            }
            yield return record;
        }
        _builder.Finish();
    }
}

/// <summary>Collects the summary while a reader runs. Readers set format-specific parts; totals are counted from the records.</summary>
internal sealed class BankFileSummaryBuilder
{
    private readonly Dictionary<string, TotalAccumulator> _totals = new(StringComparer.Ordinal);
    private readonly List<StatementSummary> _statements = [];
    private readonly List<InputError> _warnings = [];
    private int _transactions;
    private int _errors;
    private string? _lastCurrency;
    private TotalAccumulator? _last;

    internal BankFileSummaryBuilder(string file, BankFileFormat format)
    {
        File = file;
        Format = format;
    }

    /// <summary>The file name.</summary>
    public string File { get; }
    /// <summary>The format; a reader may refine it (camt.053 vs camt.054).</summary>
    public BankFileFormat Format { get; set; }
    /// <summary>See <see cref="BankFileSummary.Version"/>.</summary>
    public string? Version { get; set; }
    /// <summary>See <see cref="BankFileSummary.MessageId"/>.</summary>
    public string? MessageId { get; set; }
    /// <summary>See <see cref="BankFileSummary.Ocr"/>.</summary>
    public OcrTransmissionSummary? Ocr { get; set; }
    /// <summary>The reader's in-file bank-reference check, when it keeps one (camt).</summary>
    public UniqueReferences? References { get; set; }

    /// <summary>Adds a finished statement.</summary>
    public void AddStatement(StatementSummary statement) => _statements.Add(statement);

    /// <summary>Adds a warning.</summary>
    public void AddWarning(InputError warning) => _warnings.Add(warning);

    /// <summary>The summary, once <see cref="Finish"/> has been called.</summary>
    internal BankFileSummary? Result { get; private set; }

    /// <summary>
    /// Counts a record about to be yielded. False for an error beyond <see cref="BankFileReading.MaxErrors"/>: that error is
    /// not counted, and the reader yields <paramref name="stop"/> (counted) in its place and reads no further.
    /// </summary>
    internal bool Count(BankRecord record, out BankRecord stop)
    {
        if (record.Error is { } error)
        {
            if (_errors >= BankFileReading.MaxErrors)
            {
                stop = BankRecord.Of(new InputError(File, error.Line, null, null,
                    $"at most {BankFileReading.MaxErrors} errors are reported; reading stopped here"));
                _errors++;
                return false;
            }
            _errors++;
        }
        else Count(record.Transaction!);
        stop = default;
        return true;
    }

    /// <summary>Ends the reading: the summary is built from what was counted.</summary>
    internal void Finish() => Result = Build();

    /// <summary>Counts a transaction about to be yielded.</summary>
    internal void Count(BankTransaction t)
    {
        _transactions++;
        // OCR giro amounts are whole øre: added as integers, which is the same sum without a decimal addition.
        if (t is OcrBankTransaction o)
        {
            AccumulatorOf(Currency.Nok).AddOre(o.AmountInOre, o.IsNegative && o.AmountInOre != 0, o.AmountScale);
            return;
        }
        var amount = t.Amount;
        AccumulatorOf(amount.Currency).Add(amount);
    }

    /// <summary>The totals of a currency. The last one is kept at hand: a file has one or two currencies.</summary>
    private TotalAccumulator AccumulatorOf(Currency currency)
    {
        var code = currency.Code;
        if (ReferenceEquals(code, _lastCurrency) && _last is not null) return _last;
        if (!_totals.TryGetValue(code, out _last)) _totals[code] = _last = new TotalAccumulator(currency);
        _lastCurrency = code;
        return _last;
    }

    internal static void Accumulate(Dictionary<string, TotalAccumulator> totals, Money signed)
    {
        if (!totals.TryGetValue(signed.Currency.Code, out var acc))
            totals[signed.Currency.Code] = acc = new TotalAccumulator(signed.Currency);
        acc.Add(signed);
    }

    internal static IReadOnlyList<CurrencyTotal> ToTotals(Dictionary<string, TotalAccumulator> totals) =>
        totals.Values.OrderBy(t => t.Currency.Code, StringComparer.Ordinal).Select(t => t.ToTotal()).ToList();

    internal BankFileSummary Build() => new()
    {
        File = File,
        Format = Format,
        Version = Version,
        MessageId = MessageId,
        TransactionCount = _transactions,
        ErrorCount = _errors,
        Totals = ToTotals(_totals),
        Statements = _statements.ToList(),
        Ocr = Ocr,
        Warnings = _warnings.ToList(),
    };
}

internal sealed class TotalAccumulator(Currency currency)
{
    public Currency Currency { get; } = currency;
    private int _creditCount, _debitCount;
    private decimal _credit, _debit;
    // Amounts given in minor units (AddOre): sums and the largest scale of the decimal amounts they stand for.
    private Int128 _creditMinor, _debitMinor;
    private int _creditScale, _debitScale;

    public void Add(Money signed)
    {
        if (!decimal.IsNegative(signed.Amount) || signed.Amount == 0m) { _creditCount++; _credit += signed.Amount; }
        else { _debitCount++; _debit -= signed.Amount; }
    }

    /// <summary>
    /// Adds an amount of two decimals given as unsigned minor units (øre), <paramref name="scale"/> being the scale of
    /// its decimal value: the totals are those <see cref="Add"/> gives, scale included (a decimal sum has the largest
    /// scale of its terms).
    /// </summary>
    public void AddOre(long minor, bool debit, int scale)
    {
        if (debit)
        {
            _debitCount++;
            _debitMinor += minor;
            if (scale > _debitScale) _debitScale = scale;
        }
        else
        {
            _creditCount++;
            _creditMinor += minor;
            if (scale > _creditScale) _creditScale = scale;
        }
    }

    private decimal Credit => _creditMinor == 0 && _creditScale == 0 ? _credit : _credit + FromMinor(_creditMinor, _creditScale);
    private decimal Debit => _debitMinor == 0 && _debitScale == 0 ? _debit : _debit + FromMinor(_debitMinor, _debitScale);

    /// <summary>minor / 100 at the given scale (0-2); exact, as every term had at most that scale.</summary>
    private static decimal FromMinor(Int128 minor, int scale)
    {
        for (var s = 2; s > scale; s--) minor /= 10;
        var magnitude = (UInt128)minor;
        if (magnitude >> 96 != 0) throw new OverflowException("the total is too large for a decimal");
        return unchecked(new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), (int)(uint)(magnitude >> 64), false, (byte)scale));
    }

    public decimal Net => Credit - Debit;

    public CurrencyTotal ToTotal() =>
        new(Currency, _creditCount, new Money(Credit, Currency), _debitCount, new Money(Debit, Currency));
}

/// <summary>
/// Entry point for bank files of any supported kind: detects the format from the first bytes and reads with
/// <see cref="CamtReader"/> or <see cref="OcrGiroReader"/>.
/// </summary>
public static class BankFileReader
{
    /// <summary>How many leading bytes <see cref="Detect(ReadOnlySpan{byte})"/> looks at (at most).</summary>
    public const int DetectionWindow = 64 * 1024;

    /// <summary>Detects the format from the first bytes of a file (up to <see cref="DetectionWindow"/> are used).</summary>
    /// <remarks>
    /// XML (a '&lt;' first, after an optional byte order mark and white space) is camt.053 or camt.054 when its first
    /// element in an ISO 20022 namespace is <c>urn:iso:std:iso:20022:tech:xsd:camt.053.001.*</c> / <c>camt.054.001.*</c>;
    /// a record starting "NY000010" is a Nets transmission: <see cref="BankFileFormat.AvtaleGiro"/> when its first
    /// assignment has service code 21, else <see cref="BankFileFormat.OcrGiro"/>.
    /// </remarks>
    public static BankFileFormat Detect(ReadOnlySpan<byte> head)
    {
        if (head.Length > DetectionWindow) head = head[..DetectionWindow];
        if (CamtReader.LooksLikeXml(head)) return CamtReader.DetectKind(head);
        return OcrGiroReader.DetectKind(head);
    }

    /// <summary>Detects the format of a seekable stream and restores its position.</summary>
    public static BankFileFormat Detect(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek) throw new ArgumentException("Detect(Stream) needs a seekable stream; use Read, which handles any stream", nameof(stream));
        var start = stream.Position;
        var head = ReadHead(stream);
        stream.Position = start;
        return Detect(head);
    }

    /// <summary>
    /// Detects the format and reads the file. Any stream works (it is not seeked). An unknown format yields a
    /// single located error; XML that is not camt is handed to <see cref="CamtReader"/> so the error names the
    /// namespace or the XML fault.
    /// </summary>
    public static BankFileReading Read(Stream stream, string fileName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        var head = ReadHead(stream);
        var whole = new PrefixedStream(head, stream);
        var format = Detect(head);
        if (format is BankFileFormat.Camt053 or BankFileFormat.Camt054 || CamtReader.LooksLikeXml(head))
            return CamtReader.Read(whole, fileName);
        if (format is BankFileFormat.OcrGiro or BankFileFormat.AvtaleGiro || OcrGiroReader.LooksLikeNets(head))
            return OcrGiroReader.Read(whole, fileName);
        var first = FirstLine(head);
        return new BankFileReading(fileName, BankFileFormat.Unknown, _ =>
        [
            BankRecord.Of(new InputError(fileName, 1, null, first,
                "a bank file: ISO 20022 camt.053 / camt.054 XML, or a Nets OCR giro file (80-character records starting \"NY000010\")")),
        ]);
    }

    private static byte[] ReadHead(Stream stream)
    {
        var buffer = new byte[DetectionWindow];
        var n = 0;
        while (n < buffer.Length)
        {
            var read = stream.Read(buffer, n, buffer.Length - n);
            if (read == 0) break;
            n += read;
        }
        return buffer.AsSpan(0, n).ToArray();
    }

    private static string? FirstLine(byte[] head)
    {
        if (head.Length == 0) return null;
        var end = Array.FindIndex(head, b => b is (byte)'\n' or (byte)'\r');
        var text = System.Text.Encoding.Latin1.GetString(head, 0, Math.Min(end < 0 ? head.Length : end, 80));
        return new string(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
    }

    /// <summary>A read-only stream of some already-read bytes followed by the rest of another stream.</summary>
    private sealed class PrefixedStream(byte[] prefix, Stream rest) : Stream
    {
        private int _offset;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer)
        {
            if (_offset < prefix.Length)
            {
                var n = Math.Min(buffer.Length, prefix.Length - _offset);
                prefix.AsSpan(_offset, n).CopyTo(buffer);
                _offset += n;
                return n;
            }
            return rest.Read(buffer);
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
