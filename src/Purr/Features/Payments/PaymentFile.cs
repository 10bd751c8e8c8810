using System.Security.Cryptography;
using Purr.Core;
using Purr.Core.Formats;
using Purr.Core.Formats.Csv;
using Purr.Core.Matching;

namespace Purr.Features.Payments;

/// <summary>
/// One money movement from a payment file, normalized over the formats (camt.053/054, OCR giro, payments CSV): what
/// the import posts and what <c>purr inspect</c> prints.
/// </summary>
public sealed record IncomingPayment
{
    /// <summary>1-based position in the file.</summary>
    public required int Sequence { get; init; }
    /// <summary>Line where the transaction starts, and the XPath for XML.</summary>
    public required int Line { get; init; }
    public string? XPath { get; init; }
    /// <summary>Signed: money in positive, money out negative.</summary>
    public required Money Amount { get; init; }
    public DateOnly? BookingDate { get; init; }
    public DateOnly? ValueDate { get; init; }
    /// <summary>The per-creditor idempotency key; null only for CSV rows without a reference column.</summary>
    public string? BankReference { get; init; }
    public string? EndToEndId { get; init; }
    public string? Kid { get; init; }
    public IReadOnlyList<string> References { get; init; } = [];
    public IReadOnlyList<string> DocumentNumbers { get; init; } = [];
    public string? FreeText { get; init; }
    public string? PayerName { get; init; }
    public string? PayerAccount { get; init; }
    /// <summary>The creditor's account the money moved on.</summary>
    public string? Account { get; init; }
    public bool IsReversal { get; init; }
    public bool IsBooked { get; init; } = true;
    /// <summary>CSV only: the invoice the row names explicitly (an explicit target, stronger than any match).</summary>
    public string? InvoiceNumber { get; init; }
    /// <summary>CSV only: the customer the row names explicitly.</summary>
    public string? CustomerNumber { get; init; }
    /// <summary>The bank transaction as read (null for CSV rows).</summary>
    public BankTransaction? Bank { get; init; }

    /// <summary>The date the payment counts from: booking date, else value date.</summary>
    public DateOnly? Date => BookingDate ?? ValueDate;

    /// <summary>The facts the matcher uses.</summary>
    public PaymentToMatch ToMatch() => new(Amount)
    {
        Kid = Kid, References = References, DocumentNumbers = DocumentNumbers, FreeText = FreeText,
        PayerName = PayerName, PayerAccount = PayerAccount, IsReversal = IsReversal,
    };

    /// <summary>Normalizes a bank transaction.</summary>
    public static IncomingPayment From(BankTransaction t) => new()
    {
        Sequence = t.Sequence, Line = t.Source.Line, XPath = t.Source.XPath, Amount = t.Amount, BookingDate = t.BookingDate,
        ValueDate = t.ValueDate, BankReference = t.BankReference, EndToEndId = t.EndToEndId, Kid = t.Kid, References = t.References,
        DocumentNumbers = t.DocumentNumbers, FreeText = t.FreeText, PayerName = t.PayerName, PayerAccount = t.PayerAccount,
        Account = t.Account, IsReversal = t.IsReversal, IsBooked = t.IsBooked, Bank = t,
    };

    /// <summary>Normalizes a payments CSV row (always money in).</summary>
    public static IncomingPayment From(PaymentRecord r, int sequence) => new()
    {
        Sequence = sequence, Line = r.Line, Amount = r.Amount, BookingDate = r.Date, BankReference = r.Reference, Kid = r.Kid,
        References = r.Kid is null ? [] : [r.Kid], DocumentNumbers = r.InvoiceNumber is null ? [] : [r.InvoiceNumber], FreeText = r.Text,
        PayerName = r.PayerName, PayerAccount = r.PayerAccount, InvoiceNumber = r.InvoiceNumber, CustomerNumber = r.CustomerNumber,
    };
}

/// <summary>One item of a payment file: a transaction, or a located error.</summary>
public readonly record struct PaymentItem(IncomingPayment? Transaction, InputError? Error);

/// <summary>
/// A payment file being read, front to back and once: <see cref="Items"/> streams the transactions (and located
/// errors) of a file of any size; <see cref="Format"/> is known from the start, the bank summary at the end.
/// </summary>
public sealed class PaymentReading
{
    private readonly string _requested;
    private readonly BankFileReading? _bank;
    private readonly string? _csvFormat;
    private IEnumerable<PaymentItem>? _items;

    internal PaymentReading(string fileName, string requested, BankFileReading bank)
    {
        (FileName, _requested, _bank) = (fileName, requested, bank);
        _items = FromBank(bank);
    }

    internal PaymentReading(string fileName, string requested, string csvFormat, IEnumerable<PaymentItem> rows)
    {
        (FileName, _requested, _csvFormat, _items) = (fileName, requested, csvFormat, rows);
    }

    /// <summary>The file name.</summary>
    public string FileName { get; }

    /// <summary>"camt054", "camt053", "ocr", "avtalegiro", "csv-&lt;dialect&gt;" (or "unknown" for a file that is none of them).</summary>
    public string Format => _csvFormat ?? _bank!.Format.ToSourceCode();

    /// <summary>The bank reader's summary (balances, control totals) once <see cref="Items"/> has been read to the end; null for CSV.</summary>
    public BankFileSummary? Bank => _bank?.Summary;

    /// <summary>The reader's warnings (known at the end).</summary>
    public IReadOnlyList<InputError> Warnings => Bank?.Warnings ?? [];

    /// <summary>See <see cref="BankFileReading.ForgetCheckedReferences"/> (nothing to forget for CSV).</summary>
    public void ForgetCheckedReferences() => _bank?.ForgetCheckedReferences();

    /// <summary>The transactions and located errors, in file order. Enumerate once.</summary>
    public IEnumerable<PaymentItem> Items => Interlocked.Exchange(ref _items, null)
        ?? throw new InvalidOperationException($"{FileName} has already been read: a payment file is read once");

    /// <summary>
    /// What is wrong with the file as a whole, known once reading has started (after the first item, or at the end of a
    /// file without items): a named <c>--format</c> the file is not, or an AvtaleGiro file (no payments in it).
    /// </summary>
    public InputError? FileError()
    {
        if (_bank is null) return null;
        var code = Format;
        if (_requested != "auto" && code != _requested)
            return new InputError(FileName, 1, null, code, $"a {PaymentFile.Describe(_requested)} file (--format {_requested}); this file is {PaymentFile.Describe(code)}");
        if (_bank.Format == BankFileFormat.AvtaleGiro)
            return new InputError(FileName, 1, null, "avtalegiro", "a file of incoming payments: this AvtaleGiro file holds no payments");
        return null;
    }

    private static IEnumerable<PaymentItem> FromBank(BankFileReading reading)
    {
        foreach (var record in reading)
            yield return record.Error is { } e ? new PaymentItem(null, e) : new PaymentItem(IncomingPayment.From(record.Transaction!), null);
    }
}

/// <summary>A payment file read whole: its transactions, or the located errors that reject it, and its SHA-256.</summary>
/// <param name="Format">"camt054", "camt053", "ocr" or "csv-&lt;dialect&gt;".</param>
/// <param name="Bank">The bank reader's summary (balances, control totals), null for CSV.</param>
public sealed record PaymentFile(
    string FileName, string Format, string Sha256, IReadOnlyList<IncomingPayment> Transactions, IReadOnlyList<InputError> Errors,
    IReadOnlyList<InputError> Warnings, BankFileSummary? Bank)
{
    /// <summary>The formats <c>--format</c> accepts.</summary>
    public static readonly string[] Formats = ["auto", "camt054", "camt053", "ocr", "csv"];

    /// <summary>True when nothing is wrong with the file.</summary>
    public bool Ok => Errors.Count == 0;

    /// <summary>
    /// Opens a payment file for one streaming pass. <paramref name="format"/> "auto" detects camt XML and Nets OCR giro by
    /// their first bytes (a name ending in .xml counts as XML) and takes anything else as a payments CSV; a named format
    /// that does not fit the file is a located error (<see cref="PaymentReading.FileError"/>). Bank files stream; a CSV
    /// file is read into memory (payments CSV files are small).
    /// </summary>
    public static PaymentReading Open(string fileName, Stream stream, string format, Currency defaultCurrency)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!Formats.Contains(format)) throw new ArgumentException($"unknown payment file format '{format}'", nameof(format));
        var head = ReadHead(stream);
        var detected = BankFileReader.Detect(head);
        var looksLikeBank = detected != BankFileFormat.Unknown || LooksLikeXmlOrNets(head) || fileName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase);
        if (format == "csv" || (format == "auto" && !looksLikeBank))
        {
            var csv = LedgerCsv.ReadPayments(fileName, ReadRest(head, stream), defaultCurrency);
            var items = csv.Errors.Count > 0
                ? csv.Errors.Select(e => new PaymentItem(null, e))
                : csv.Records.Select((r, i) => new PaymentItem(IncomingPayment.From(r, i + 1), null));
            return new PaymentReading(fileName, format, "csv-" + csv.Dialect, items);
        }
        return new PaymentReading(fileName, format, BankFileReader.Read(new PrefixedStream(head, stream), fileName));
    }

    /// <summary>Reads a payment file whole from a stream (read once, front to back), hashing it.</summary>
    public static PaymentFile Read(string fileName, Stream stream, string format, Currency defaultCurrency)
    {
        using var hashing = new HashingStream(stream);
        var reading = Open(fileName, hashing, format, defaultCurrency);
        var transactions = new List<IncomingPayment>();
        var errors = new List<InputError>();
        foreach (var item in reading.Items)
        {
            if (item.Error is { } e) errors.Add(e);
            else transactions.Add(item.Transaction!);
        }
        if (errors.Count == 0 && reading.FileError() is { } fileError) errors.Add(fileError);
        return new PaymentFile(fileName, reading.Format, hashing.Finish(), transactions, errors, reading.Warnings, reading.Bank);
    }

    /// <summary>Reads a payment file from bytes.</summary>
    public static PaymentFile Read(string fileName, byte[] content, string format, Currency defaultCurrency)
    {
        using var ms = new MemoryStream(content, writable: false);
        return Read(fileName, ms, format, defaultCurrency);
    }

    internal static string Describe(string code) => code switch
    {
        "camt054" => "camt.054 (debit/credit notification)",
        "camt053" => "camt.053 (account statement)",
        "ocr" => "Nets OCR giro",
        "avtalegiro" => "Nets AvtaleGiro",
        _ => "unknown",
    };

    private static bool LooksLikeXmlOrNets(byte[] head)
    {
        var i = 0;
        if (head.Length >= 2 && (head[0], head[1]) is (0xFF, 0xFE) or (0xFE, 0xFF)) return true; // UTF-16: XML or a broken OCR file, never our CSV
        if (head.Length >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) i = 3;
        while (i < head.Length && head[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') i++;
        if (i < head.Length && head[i] == (byte)'<') return true;
        return head.AsSpan(i).StartsWith("NY"u8);
    }

    private static byte[] ReadHead(Stream s)
    {
        var buffer = new byte[BankFileReader.DetectionWindow];
        var n = 0;
        while (n < buffer.Length)
        {
            var read = s.Read(buffer, n, buffer.Length - n);
            if (read == 0) break;
            n += read;
        }
        return n == buffer.Length ? buffer : buffer[..n];
    }

    private static byte[] ReadRest(byte[] head, Stream s)
    {
        using var ms = new MemoryStream();
        ms.Write(head);
        s.CopyTo(ms);
        return ms.ToArray();
    }

    /// <summary>Hashes (SHA-256) every byte read through it; <see cref="Finish"/> reads what is left and returns the hex digest.</summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            _hash.AppendData(buffer[..n]);
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        // A reader may stop before the end (an error, or nothing after the root element): the hash covers the whole file.
        public string Finish()
        {
            var buffer = new byte[81920];
            while (Read(buffer, 0, buffer.Length) > 0) { }
            return Convert.ToHexStringLower(_hash.GetHashAndReset());
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _hash.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>Bytes already read, then the rest of a stream.</summary>
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
