using System.Collections;
using System.Globalization;
using System.Text;

namespace Purr.Core.Formats.OcrGiro;

/// <summary>
/// Streaming reader for Nets OCR giro files (incoming KID payments): 80-character records in ISO-8859-1,
/// transmission start 10 → (assignment start 20 → amount items 30/31[/32] … → assignment end 88)* → transmission end 89.
/// </summary>
/// <remarks>
/// <para>Source: Nets "System specification OCR giro" v2.0 and the AvtaleGiro system specification v3.3
/// (shipped in otovo/python-netsgiro); NORWAY-RULES §5. Positions below are 1-based.</para>
/// <para><b>Amounts and sign.</b> Amount item 1 positions 33-49 hold the amount in øre. Reversal types 18 and
/// 20 are negative payments; an amount signed '-' (position 32, credit notes) is negative too; every other
/// transaction is positive. The control totals of records 88 and 89 add the amounts as written (the Nets rule:
/// reversals are added, not subtracted), so they are checked against the sum of the unsigned amounts.</para>
/// <para><b>Checks</b> (each a located error, the reader never throws): every record is exactly 80 characters;
/// records come in the documented order; numeric fields are digits; dates are valid DDMMYY (years 69-99 are
/// 19xx, 00-68 20xx, as python-netsgiro); amount item 2 follows item 1 with the same transaction number and type;
/// amount item 3 only for types 20/21; transaction numbers are unique in an assignment; transaction count, record
/// count and amount sum of every 88 and of the 89 equal what the file holds; nothing follows the 89; the file
/// does not end before it. Control totals of an assignment with a broken record are not checked (the broken
/// record is the error).</para>
/// <para><b>Bank reference</b>: <c>ocr:{agreement id}:{assignment number}:{transaction number}</c>, unique
/// because transaction numbers are unique per assignment and an assignment number is not repeated in a file.</para>
/// <para><b>AvtaleGiro</b> (service code 21) is recognised but yields no transactions: payment claims (assignment
/// type 00) and deletion requests (36) are files a payee sends to Nets, so reading one as incoming payments is
/// a located error at its assignment start; agreement notifications (24) carry no money: they are a located error
/// when the file has nothing else, and a warning when they come alongside OCR giro assignments.</para>
/// <para>Encoding: ISO-8859-1 without a byte order mark. A UTF-16 file is refused; a UTF-8 byte order mark is
/// ignored with a warning; a line made longer by UTF-8 encoded letters is reported as such.</para>
/// </remarks>
public static class OcrGiroReader
{
    /// <summary>Length of every record.</summary>
    public const int RecordLength = 80;

    /// <summary>Reads an OCR giro file. Enumerate the result once; see <see cref="BankFileReading"/>.</summary>
    public static BankFileReading Read(Stream stream, string fileName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        return new BankFileReading(fileName, BankFileFormat.OcrGiro, builder => new OcrParser(stream, fileName, builder).Parse());
    }

    /// <summary>True when the bytes start with "NY", also after a UTF-8 or UTF-16 byte order mark (which the reader then reports).</summary>
    internal static bool LooksLikeNets(ReadOnlySpan<byte> head)
    {
        ReadOnlySpan<byte> utf8 = [0xEF, 0xBB, 0xBF, (byte)'N', (byte)'Y'];
        ReadOnlySpan<byte> utf16Le = [0xFF, 0xFE, (byte)'N', 0, (byte)'Y', 0];
        ReadOnlySpan<byte> utf16Be = [0xFE, 0xFF, 0, (byte)'N', 0, (byte)'Y'];
        return head.StartsWith("NY"u8) || head.StartsWith(utf8) || head.StartsWith(utf16Le) || head.StartsWith(utf16Be);
    }

    /// <summary>OcrGiro or AvtaleGiro for a Nets transmission (first record NY000010), else Unknown.</summary>
    internal static BankFileFormat DetectKind(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) head = head[3..];
        if (!head.StartsWith("NY000010"u8)) return BankFileFormat.Unknown;
        var end = head.IndexOfAny((byte)'\n', (byte)'\r');
        if (end < 0) return BankFileFormat.OcrGiro;
        var rest = head[end..];
        while (rest.Length > 0 && rest[0] is (byte)'\n' or (byte)'\r') rest = rest[1..];
        // The first assignment start tells the service: 09 OCR giro, 21 AvtaleGiro.
        return rest.Length >= 8 && rest[..2].SequenceEqual("NY"u8) && rest.Slice(6, 2).SequenceEqual("20"u8) && rest.Slice(2, 2).SequenceEqual("21"u8)
            ? BankFileFormat.AvtaleGiro
            : BankFileFormat.OcrGiro;
    }
}

/// <summary>The record-by-record state machine behind <see cref="OcrGiroReader"/>.</summary>
internal sealed class OcrParser(Stream stream, string file, BankFileSummaryBuilder summary)
{
    private enum State { ExpectTransmissionStart, BetweenAssignments, InAssignment, Ended }

    private State _state = State.ExpectTransmissionStart;
    private int _lastLine;
    private int _sequence;

    // Transmission (record 10 / 89)
    private string? _transmitter, _transmissionNumber, _recipient;
    private int _transmissionRecords;
    private long _transmissionTransactions, _transmissionAmount;
    private bool _transmissionDamaged;
    private readonly List<OcrAssignmentSummary> _assignments = [];
    private readonly HashSet<string> _assignmentKeys = new(StringComparer.Ordinal);
    private long? _declaredTransactions, _declaredRecords;
    private Money? _declaredTotal;
    private DateOnly? _transmissionDate;
    private int _ocrAssignments;
    private readonly List<int> _agreementAssignmentLines = [];

    // Current assignment (record 20 / 88)
    private Assignment? _assignment;

    // Current transaction (records 30 / 31 / 32)
    private PendingTransaction? _pending;
    private bool _previousBroken;

    public IEnumerable<BankRecord> Parse()
    {
        var lines = new LineReader(stream);
        var blankLines = new List<int>();
        if (lines.Encoding is { } encodingProblem)
        {
            if (encodingProblem.Fatal)
            {
                yield return Error(1, null, encodingProblem.Raw, encodingProblem.Message);
                yield break;
            }
            summary.AddWarning(new InputError(file, 1, null, null, encodingProblem.Message));
        }

        while (lines.Next() is { } line)
        {
            _lastLine = line.Number;
            if (line.Text.Length == 0)
            {
                blankLines.Add(line.Number);
                continue;
            }
            // A blank line is harmless only at the very end of the file.
            foreach (var blank in blankLines)
                yield return Error(blank, null, "", "an 80-character record, not an empty line");
            blankLines.Clear();

            foreach (var record in OnLine(line)) yield return record;
        }

        foreach (var record in Flush()) yield return record;
        if (_state != State.Ended)
        {
            var expected = _state == State.ExpectTransmissionStart
                ? "an OCR giro file: a transmission start record (NY000010); the file is empty"
                : _state == State.InAssignment
                    ? $"an assignment end record (NY..88) and a transmission end record (NY000089); the file ends after line {_lastLine}"
                    : $"a transmission end record (NY000089); the file ends after line {_lastLine}";
            yield return Error(Math.Max(_lastLine, 1), null, null, expected);
        }
        foreach (var record in AgreementOnlyCheck()) yield return record;

        if (_transmissionNumber is not null)
        {
            summary.Ocr = new OcrTransmissionSummary(_transmitter!, _transmissionNumber, _recipient!,
                _declaredTransactions, _declaredRecords, _declaredTotal, _transmissionDate, _assignments.ToList());
            summary.MessageId = _transmissionNumber;
        }
        var avtaleGiroOnly = _ocrAssignments == 0 && _assignments.Any(a => a.ServiceCode == "21");
        summary.Format = avtaleGiroOnly ? BankFileFormat.AvtaleGiro : BankFileFormat.OcrGiro;
        summary.Version = avtaleGiroOnly ? "Nets AvtaleGiro" : "Nets OCR giro";
    }

    private IEnumerable<BankRecord> OnLine(Line line)
    {
        var text = line.Text;
        if (_state != State.ExpectTransmissionStart && _state != State.Ended) _transmissionRecords++;
        if (_state == State.InAssignment) _assignment!.Records++;

        if (text.Length != OcrGiroReader.RecordLength)
        {
            var hint = line.LooksLikeUtf8 ? " (it holds UTF-8 encoded letters; OCR giro files are ISO-8859-1)" : "";
            foreach (var r in BrokenLine(line.Number, text.Length >= 8 ? text.Substring(6, 2) : null, "1-80", Clip(text),
                $"a record of exactly 80 characters; this line has {line.Length}{hint}"))
                yield return r;
            yield break;
        }
        if (!text.StartsWith("NY", StringComparison.Ordinal) || !AllDigits(text.AsSpan(2, 6)))
        {
            foreach (var r in BrokenLine(line.Number, null, "1-8", text[..8],
                "a record starting with the format code NY, then service code, transmission/transaction type and record type as digits"))
                yield return r;
            yield break;
        }

        var service = text.Substring(2, 2);
        var type = text.Substring(4, 2);
        var recordType = text.Substring(6, 2);

        if (_state == State.Ended)
        {
            yield return Error(line.Number, "7-8", recordType, "nothing after the transmission end record (89)");
            yield break;
        }
        if (_state == State.ExpectTransmissionStart && recordType != "10")
        {
            yield return Error(line.Number, "7-8", recordType, "a transmission start record (record type 10) first");
            _state = State.BetweenAssignments; // report once, then read on
            _transmissionDamaged = true;
            _transmissionRecords++;
        }

        IEnumerable<BankRecord> result = recordType switch
        {
            "10" => TransmissionStart(line, service, type),
            "20" => AssignmentStart(line, service, type),
            "30" or "31" or "32" or "49" or "70" => TransactionRecord(line, service, type, recordType),
            "88" => AssignmentEnd(line, service, type),
            "89" => TransmissionEnd(line, service, type),
            _ => BrokenLine(line.Number, null, "7-8", recordType, "a record type 10, 20, 30, 31, 32, 88 or 89"),
        };
        foreach (var record in result) yield return record;
    }

    // ---------------------------------------------------------------------------------------------------
    // Transmission

    private IEnumerable<BankRecord> TransmissionStart(Line line, string service, string type)
    {
        var t = line.Text;
        if (_state != State.ExpectTransmissionStart)
        {
            yield return Error(line.Number, "7-8", "10", "one transmission per file: a second transmission start record (10) is not allowed");
            _transmissionDamaged = true;
            yield break;
        }
        _state = State.BetweenAssignments;
        _transmissionRecords = 1;
        if (service != "00" || type != "00")
            yield return Error(line.Number, "3-6", t.Substring(2, 4), "service code 00 and transmission type 00 in the transmission start record");
        foreach (var e in Digits(line, 9, 31, "data transmitter, transmission number and data recipient")) yield return e;
        _transmitter = t.Substring(8, 8);
        _transmissionNumber = t.Substring(16, 7);
        _recipient = t.Substring(23, 8);
    }

    private IEnumerable<BankRecord> TransmissionEnd(Line line, string service, string type)
    {
        foreach (var r in Flush()) yield return r;
        if (_state == State.InAssignment)
        {
            yield return Error(line.Number, "7-8", "89", $"an assignment end record (88) for the assignment started at line {_assignment!.Line}, before the transmission end");
            CloseAssignment(null);
            _transmissionDamaged = true;
        }
        _state = State.Ended;
        var t = line.Text;
        if (service != "00" || type != "00")
            yield return Error(line.Number, "3-6", t.Substring(2, 4), "service code 00 and transmission type 00 in the transmission end record");
        var errors = Digits(line, 9, 47, "number of transactions, number of records, total amount and date").ToList();
        foreach (var e in errors) yield return e;
        if (errors.Count > 0) yield break;
        var transactions = long.Parse(t.AsSpan(8, 8), CultureInfo.InvariantCulture);
        var records = long.Parse(t.AsSpan(16, 8), CultureInfo.InvariantCulture);
        var amount = long.Parse(t.AsSpan(24, 17), CultureInfo.InvariantCulture);
        _declaredTransactions = transactions;
        _declaredRecords = records;
        _declaredTotal = Money.FromMinorUnits(amount, Currency.Nok);
        if (ParseDate(t.Substring(41, 6), allowZero: true, out var date)) _transmissionDate = date == default ? null : date;
        else yield return Error(line.Number, "42-47", t.Substring(41, 6), "the Nets date as DDMMYY");
        if (_transmissionDamaged) yield break;
        if (transactions != _transmissionTransactions)
            yield return Error(line.Number, "9-16", t.Substring(8, 8), $"the number of transactions in the transmission, {_transmissionTransactions}");
        if (records != _transmissionRecords)
            yield return Error(line.Number, "17-24", t.Substring(16, 8), $"the number of records in the transmission including records 10 and 89, {_transmissionRecords}");
        if (amount != _transmissionAmount)
            yield return Error(line.Number, "25-41", t.Substring(24, 17), $"the sum of the amounts in the transmission, {_transmissionAmount} øre (NOK {Nok(_transmissionAmount)})");
    }

    // ---------------------------------------------------------------------------------------------------
    // Assignment

    private IEnumerable<BankRecord> AssignmentStart(Line line, string service, string type)
    {
        foreach (var r in Flush()) yield return r;
        var t = line.Text;
        if (_state == State.InAssignment)
        {
            yield return Error(line.Number, "7-8", "20", $"an assignment end record (88) for the assignment started at line {_assignment!.Line}");
            CloseAssignment(null);
            _transmissionDamaged = true;
        }
        _state = State.InAssignment;
        var assignment = new Assignment
        {
            Line = line.Number,
            Service = service,
            Type = type,
            AgreementId = t.Substring(8, 9),
            Number = t.Substring(17, 7),
            Account = t.Substring(24, 11),
            Records = 1,
        };
        _assignment = assignment;
        var digitErrors = Digits(line, 9, 35, "agreement id, assignment number and assignment account").ToList();
        foreach (var e in digitErrors) yield return e;
        if (digitErrors.Count > 0) assignment.Damaged = true;
        if (service == "09")
        {
            _ocrAssignments++;
            if (type != "00")
            {
                assignment.Damaged = true;
                yield return Error(line.Number, "5-6", type, "assignment type 00 for an OCR giro assignment (service code 09)");
            }
        }
        else if (service == "21")
        {
            assignment.IsAvtaleGiro = true;
            switch (type)
            {
                case "24":
                    _agreementAssignmentLines.Add(line.Number);
                    break;
                case "00":
                    yield return Error(line.Number, "3-6", service + type,
                        "OCR giro payments (service code 09); this is an AvtaleGiro assignment of payment claims (service code 21, assignment type 00), which a payee sends to Nets: it holds no incoming payments");
                    break;
                case "36":
                    yield return Error(line.Number, "3-6", service + type,
                        "OCR giro payments (service code 09); this is an AvtaleGiro assignment of deletion requests (service code 21, assignment type 36), which a payee sends to Nets: it holds no incoming payments");
                    break;
                default:
                    assignment.Damaged = true;
                    yield return Error(line.Number, "5-6", type, "an AvtaleGiro assignment type 00, 24 or 36");
                    break;
            }
        }
        else
        {
            assignment.Damaged = true;
            yield return Error(line.Number, "3-4", service, "service code 09 (OCR giro) or 21 (AvtaleGiro)");
        }
        if (!_assignmentKeys.Add(assignment.AgreementId + ":" + assignment.Number))
        {
            assignment.Damaged = true;
            yield return Error(line.Number, "18-24", assignment.Number, "an assignment number used once per agreement in the file");
        }
    }

    private IEnumerable<BankRecord> AssignmentEnd(Line line, string service, string type)
    {
        foreach (var r in Flush()) yield return r;
        var t = line.Text;
        if (_state != State.InAssignment)
        {
            yield return Error(line.Number, "7-8", "88", "an assignment start record (20) before the assignment end record");
            _transmissionDamaged = true;
            yield break;
        }
        var a = _assignment!;
        if (service != a.Service || type != a.Type)
            yield return Error(line.Number, "3-6", service + type, $"service code and assignment type {a.Service}{a.Type}, as in the assignment start at line {a.Line}");
        var errors = Digits(line, 9, 41, "number of transactions, number of records and total amount").ToList();
        foreach (var e in errors) yield return e;
        if (errors.Count > 0)
        {
            a.Damaged = true;
            CloseAssignment(null);
            yield break;
        }
        var transactions = long.Parse(t.AsSpan(8, 8), CultureInfo.InvariantCulture);
        var records = long.Parse(t.AsSpan(16, 8), CultureInfo.InvariantCulture);
        var amount = long.Parse(t.AsSpan(24, 17), CultureInfo.InvariantCulture);
        DateOnly? netsDate = null;
        if (a.Service == "09")
        {
            if (ParseDate(t.Substring(41, 6), allowZero: true, out var d)) netsDate = d == default ? null : d;
            else yield return Error(line.Number, "42-47", t.Substring(41, 6), "the Nets date as DDMMYY");
        }
        CloseAssignment((transactions, records, amount, netsDate));
        if (a.Damaged) yield break;
        if (transactions != a.Transactions)
            yield return Error(line.Number, "9-16", t.Substring(8, 8), $"the number of transactions in the assignment started at line {a.Line}, {a.Transactions}");
        if (records != a.Records)
            yield return Error(line.Number, "17-24", t.Substring(16, 8), $"the number of records in the assignment including records 20 and 88, {a.Records}");
        if (amount != a.Amount)
            yield return Error(line.Number, "25-41", t.Substring(24, 17), $"the sum of the amounts in the assignment, {a.Amount} øre (NOK {Nok(a.Amount)}); reversals count as added");
    }

    private void CloseAssignment((long Transactions, long Records, long Amount, DateOnly? Date)? declared)
    {
        var a = _assignment!;
        _transmissionTransactions += a.Transactions;
        _transmissionAmount += a.Amount;
        if (a.Damaged) _transmissionDamaged = true;
        _assignments.Add(new OcrAssignmentSummary(a.Service, a.Type, a.AgreementId, a.Number, a.Account, a.Line,
            declared?.Transactions, declared?.Records, declared is { } d ? Money.FromMinorUnits(d.Amount, Currency.Nok) : null,
            declared?.Date, IsPayments: a.Service == "09"));
        _assignment = null;
        _state = State.BetweenAssignments;
    }

    private IEnumerable<BankRecord> AgreementOnlyCheck()
    {
        if (_agreementAssignmentLines.Count == 0) yield break;
        const string what = "AvtaleGiro agreement notifications (service code 21, assignment type 24) register payers' standing orders and carry no payments";
        if (_ocrAssignments == 0)
        {
            yield return Error(_agreementAssignmentLines[0], "3-6", "2124", $"OCR giro payments (service code 09); {what}");
        }
        else
        {
            foreach (var line in _agreementAssignmentLines)
                summary.AddWarning(new InputError(file, line, "3-6", "2124", $"OCR giro payments; {what}, so this assignment is skipped"));
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Transactions

    private IEnumerable<BankRecord> TransactionRecord(Line line, string service, string type, string recordType)
    {
        var t = line.Text;
        if (_state != State.InAssignment)
        {
            _transmissionDamaged = true;
            yield return Error(line.Number, "7-8", recordType, "a transaction record inside an assignment (after an assignment start record 20)");
            yield break;
        }
        var a = _assignment!;
        if (service != a.Service)
        {
            a.Damaged = true;
            yield return Error(line.Number, "3-4", service, $"service code {a.Service}, as in the assignment start at line {a.Line}");
            yield break;
        }
        if (a.IsAvtaleGiro)
        {
            // Only counted for the control totals: AvtaleGiro records are not payments.
            if (recordType is "30" or "70") a.Transactions++;
            if (recordType == "30")
            {
                if (AllDigits(t.AsSpan(32, 17))) a.Amount += long.Parse(t.AsSpan(32, 17), CultureInfo.InvariantCulture);
                else a.Damaged = true;
            }
            yield break;
        }
        switch (recordType)
        {
            case "30":
                foreach (var r in Flush()) yield return r;
                a.Transactions++;
                foreach (var r in AmountItem1(line, type, a)) yield return r;
                break;
            case "31":
                foreach (var r in AmountItem2(line, type)) yield return r;
                break;
            case "32":
                foreach (var r in AmountItem3(line, type)) yield return r;
                break;
            default:
                a.Damaged = true;
                yield return Error(line.Number, "7-8", recordType, "an OCR giro transaction record 30, 31 or 32 (records 49 and 70 belong to AvtaleGiro)");
                break;
        }
    }

    private IEnumerable<BankRecord> AmountItem1(Line line, string type, Assignment a)
    {
        var t = line.Text;
        var errors = new List<BankRecord>();
        if (!int.TryParse(type, NumberStyles.None, CultureInfo.InvariantCulture, out var typeCode) || !Enum.IsDefined(typeof(OcrTransactionType), typeCode))
            errors.Add(Error(line.Number, "5-6", type, "an OCR giro transaction type 10 to 21"));
        errors.AddRange(Digits(line, 9, 31, "transaction number, Nets date, centre id, day code, partial settlement number and serial number"));
        var sign = t[31];
        if (sign is not ('0' or '-')) errors.Add(Error(line.Number, "32", sign.ToString(), "the sign '0', or '-' for a negative amount"));
        if (!AllDigits(t.AsSpan(32, 17))) errors.Add(Error(line.Number, "33-49", t.Substring(32, 17), "the amount in øre: 17 digits"));
        var kidField = t.Substring(49, 25);
        var kid = kidField.Trim();
        if (kid.Length > 0 && !IsKidText(kid))
            errors.Add(Error(line.Number, "50-74", kidField, "a KID: digits, right-aligned and blank-padded, the last may be '-' (MOD11)"));
        DateOnly netsDate = default;
        if (AllDigits(t.AsSpan(15, 6)) && !ParseDate(t.Substring(15, 6), allowZero: false, out netsDate))
            errors.Add(Error(line.Number, "16-21", t.Substring(15, 6), "the Nets date as DDMMYY"));

        if (errors.Count > 0)
        {
            a.Damaged = true;
            _previousBroken = true;
            foreach (var e in errors) yield return e;
            yield break;
        }
        var amount = long.Parse(t.AsSpan(32, 17), CultureInfo.InvariantCulture);
        a.Amount += amount;
        _previousBroken = false;
        _pending = new PendingTransaction
        {
            Line = line.Number,
            Type = (OcrTransactionType)typeCode,
            TypeText = type,
            Number = int.Parse(t.AsSpan(8, 7), CultureInfo.InvariantCulture),
            NetsDate = netsDate,
            CentreId = t.Substring(21, 2),
            DayCode = int.Parse(t.AsSpan(23, 2), CultureInfo.InvariantCulture),
            PartialSettlement = t[25] - '0',
            Serial = t.Substring(26, 5),
            Sign = sign,
            AmountInOre = amount,
            Kid = kid.Length == 0 ? null : kid,
            Assignment = a,
        };
    }

    private IEnumerable<BankRecord> AmountItem2(Line line, string type)
    {
        var t = line.Text;
        var p = _pending;
        if (p is null || p.Item2Line is not null)
        {
            if (!_previousBroken)
            {
                _assignment!.Damaged = true;
                yield return Error(line.Number, "7-8", "31", "amount item 2 (31) right after its amount item 1 (30)");
            }
            yield break;
        }
        var errors = new List<BankRecord>();
        if (type != p.TypeText) errors.Add(Error(line.Number, "5-6", type, $"transaction type {p.TypeText}, as in amount item 1 at line {p.Line}"));
        errors.AddRange(Digits(line, 9, 34, "transaction number, form number and archive reference"));
        errors.AddRange(Digits(line, 42, 58, "bank date and debit account"));
        if (errors.Count == 0 && int.Parse(t.AsSpan(8, 7), CultureInfo.InvariantCulture) != p.Number)
            errors.Add(Error(line.Number, "9-15", t.Substring(8, 7), $"transaction number {p.Number:0000000}, as in amount item 1 at line {p.Line}"));
        DateOnly? bankDate = null;
        if (errors.Count == 0)
        {
            if (ParseDate(t.Substring(41, 6), allowZero: true, out var d)) bankDate = d == default ? null : d;
            else errors.Add(Error(line.Number, "42-47", t.Substring(41, 6), "the bank date as DDMMYY, or 000000"));
        }
        if (errors.Count > 0)
        {
            _assignment!.Damaged = true;
            _pending = null;
            _previousBroken = true;
            foreach (var e in errors) yield return e;
            yield break;
        }
        p.Item2Line = line.Number;
        p.FormNumber = NonZero(t.Substring(15, 10));
        p.ArchiveReference = NonZero(t.Substring(25, 9));
        p.Filler = NonZero(t.Substring(34, 7));
        p.BankDate = bankDate;
        p.DebitAccount = NonZero(t.Substring(47, 11));
        _previousBroken = false;
        if (p.Type is not (OcrTransactionType.ReversalWithText or OcrTransactionType.PurchaseWithText))
            foreach (var r in Flush()) yield return r;
    }

    private IEnumerable<BankRecord> AmountItem3(Line line, string type)
    {
        var t = line.Text;
        var p = _pending;
        if (p is null || p.Item2Line is null)
        {
            if (!_previousBroken)
            {
                _assignment!.Damaged = true;
                yield return Error(line.Number, "7-8", "32", "amount item 3 (32) right after amount items 1 and 2 (30, 31) of a transaction of type 20 or 21");
            }
            yield break;
        }
        var errors = new List<BankRecord>();
        if (type != p.TypeText) errors.Add(Error(line.Number, "5-6", type, $"transaction type {p.TypeText}, as in amount item 1 at line {p.Line}"));
        errors.AddRange(Digits(line, 9, 15, "transaction number"));
        if (errors.Count == 0 && int.Parse(t.AsSpan(8, 7), CultureInfo.InvariantCulture) != p.Number)
            errors.Add(Error(line.Number, "9-15", t.Substring(8, 7), $"transaction number {p.Number:0000000}, as in amount item 1 at line {p.Line}"));
        if (errors.Count > 0)
        {
            _assignment!.Damaged = true;
            _pending = null;
            _previousBroken = true;
            foreach (var e in errors) yield return e;
            yield break;
        }
        p.Item3Line = line.Number;
        var text = t.Substring(15, 40).Trim();
        p.Text = text.Length == 0 ? null : text;
        _previousBroken = false;
        foreach (var r in Flush()) yield return r;
    }

    /// <summary>Emits the pending transaction, if any.</summary>
    private IEnumerable<BankRecord> Flush()
    {
        var p = _pending;
        if (p is null) yield break;
        _pending = null;
        var a = p.Assignment;
        if (p.Item2Line is null)
        {
            a.Damaged = true;
            yield return Error(p.Line, "7-8", "30", $"amount item 1 (30) of transaction {p.Number:0000000} followed by its amount item 2 (31)");
            yield break;
        }
        if (!a.ClaimTransactionNumber(p.Number))
        {
            a.Damaged = true;
            yield return Error(p.Line, "9-15", p.Number.ToString("0000000", CultureInfo.InvariantCulture), "a transaction number used once in the assignment");
            yield break;
        }
        var negative = p.Type is OcrTransactionType.ReversalWithKid or OcrTransactionType.ReversalWithText || p.Sign == '-';
        var amount = Money.FromMinorUnits(negative ? -p.AmountInOre : p.AmountInOre, Currency.Nok);
        _sequence++;
        yield return BankRecord.Of(new BankTransaction
        {
            Format = BankFileFormat.OcrGiro,
            Sequence = _sequence,
            Source = new SourceLocation(file, p.Line),
            Amount = amount,
            BookingDate = p.NetsDate,
            ValueDate = p.NetsDate,
            BankReference = $"ocr:{a.AgreementId}:{a.Number}:{p.Number:0000000}",
            Kid = p.Kid,
            References = p.Kid is null ? [] : [p.Kid],
            FreeText = p.Text,
            PayerAccount = p.DebitAccount,
            Account = a.Account,
            IsReversal = p.Type is OcrTransactionType.ReversalWithKid or OcrTransactionType.ReversalWithText,
            Ocr = new OcrGiroDetails
            {
                TransactionType = p.Type,
                TransactionNumber = p.Number,
                NetsDate = p.NetsDate,
                CentreId = p.CentreId,
                DayCode = p.DayCode,
                PartialSettlementNumber = p.PartialSettlement,
                SerialNumber = p.Serial,
                Sign = p.Sign,
                AmountInOre = p.AmountInOre,
                FormNumber = p.FormNumber,
                ArchiveReference = p.ArchiveReference,
                Filler = p.Filler,
                BankDate = p.BankDate,
                DebitAccount = p.DebitAccount,
                Text = p.Text,
                AgreementId = a.AgreementId,
                AssignmentNumber = a.Number,
                AssignmentAccount = a.Account,
                TransmissionNumber = _transmissionNumber ?? "",
                AmountItem2Line = p.Item2Line.Value,
                AmountItem3Line = p.Item3Line,
            },
        });
    }

    // ---------------------------------------------------------------------------------------------------
    // Helpers

    /// <summary>
    /// A record that cannot be read: its error only. A pending transaction still waiting for amount item 2 is
    /// dropped silently (the broken line is most likely that item); a complete one is emitted. The control totals
    /// of the assignment and transmission are not checked afterwards, so one broken line gives one error.
    /// </summary>
    private IEnumerable<BankRecord> BrokenLine(int line, string? recordType, string column, string raw, string expected)
    {
        if (_pending is { Item2Line: null }) _pending = null;
        else foreach (var r in Flush()) yield return r;
        _previousBroken = true;
        _transmissionDamaged = true;
        if (_assignment is { } a)
        {
            a.Damaged = true;
            if (recordType is "30" or "70") a.Transactions++;
        }
        yield return Error(line, column, raw, expected);
    }

    /// <summary>Errors for non-digits in positions <paramref name="from"/>..<paramref name="to"/> (1-based, inclusive).</summary>
    private IEnumerable<BankRecord> Digits(Line line, int from, int to, string what)
    {
        var field = line.Text.Substring(from - 1, to - from + 1);
        if (!AllDigits(field)) yield return Error(line.Number, $"{from}-{to}", field, $"digits only in the {what}");
    }

    private BankRecord Error(int line, string? column, string? raw, string expected) =>
        BankRecord.Of(new InputError(file, line, column, raw, expected));

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s) if (c is < '0' or > '9') return false;
        return true;
    }

    private static bool IsKidText(string kid)
    {
        var body = kid[^1] == '-' ? kid.AsSpan(0, kid.Length - 1) : kid.AsSpan();
        return body.Length > 0 && AllDigits(body);
    }

    private static string? NonZero(string s) => s.All(c => c == '0') ? null : s.Trim() is { Length: > 0 } t ? t : null;

    /// <summary>DDMMYY with the python-netsgiro pivot (69-99 → 19xx, 00-68 → 20xx); "000000" is default when allowed.</summary>
    private static bool ParseDate(string ddmmyy, bool allowZero, out DateOnly date)
    {
        date = default;
        if (ddmmyy == "000000") return allowZero;
        if (ddmmyy.Length != 6 || !AllDigits(ddmmyy)) return false;
        var day = int.Parse(ddmmyy.AsSpan(0, 2), CultureInfo.InvariantCulture);
        var month = int.Parse(ddmmyy.AsSpan(2, 2), CultureInfo.InvariantCulture);
        var yy = int.Parse(ddmmyy.AsSpan(4, 2), CultureInfo.InvariantCulture);
        var year = yy >= 69 ? 1900 + yy : 2000 + yy;
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        date = new DateOnly(year, month, day);
        return true;
    }

    private static string Nok(long ore) => Money.FromMinorUnits(ore, Currency.Nok).ToDecimalString();

    private static string Clip(string s) => s.Length <= 100 ? s : s[..100] + "…";

    // ---------------------------------------------------------------------------------------------------
    // State types

    private sealed class Assignment
    {
        private BitArray? _numbers;
        public int Line { get; init; }
        public required string Service { get; init; }
        public required string Type { get; init; }
        public required string AgreementId { get; init; }
        public required string Number { get; init; }
        public required string Account { get; init; }
        public int Records { get; set; }
        public long Transactions { get; set; }
        public long Amount { get; set; }
        public bool Damaged { get; set; }
        public bool IsAvtaleGiro { get; set; }

        /// <summary>Transaction numbers have 7 digits: a fixed 1.25 MB bit set keeps the uniqueness check exact and flat.</summary>
        public bool ClaimTransactionNumber(int number)
        {
            _numbers ??= new BitArray(10_000_000);
            if (_numbers[number]) return false;
            _numbers[number] = true;
            return true;
        }
    }

    private sealed class PendingTransaction
    {
        public int Line { get; init; }
        public OcrTransactionType Type { get; init; }
        public required string TypeText { get; init; }
        public int Number { get; init; }
        public DateOnly NetsDate { get; init; }
        public required string CentreId { get; init; }
        public int DayCode { get; init; }
        public int PartialSettlement { get; init; }
        public required string Serial { get; init; }
        public char Sign { get; init; }
        public long AmountInOre { get; init; }
        public string? Kid { get; init; }
        public required Assignment Assignment { get; init; }
        public int? Item2Line { get; set; }
        public int? Item3Line { get; set; }
        public string? FormNumber { get; set; }
        public string? ArchiveReference { get; set; }
        public string? Filler { get; set; }
        public DateOnly? BankDate { get; set; }
        public string? DebitAccount { get; set; }
        public string? Text { get; set; }
    }

    internal sealed record Line(int Number, string Text, int Length, bool LooksLikeUtf8);

    internal sealed record EncodingProblem(bool Fatal, string? Raw, string Message);

    /// <summary>
    /// Reads ISO-8859-1 lines (LF, CRLF or CR endings) from a stream with a fixed buffer; a line is cut at
    /// 1,000 characters for the error message, but its full length is reported.
    /// </summary>
    internal sealed class LineReader
    {
        private const int MaxKept = 1000;
        private readonly Stream _stream;
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start, _end, _number;
        private bool _eof;

        public LineReader(Stream stream)
        {
            _stream = stream;
            Fill();
            if (_end - _start >= 2 && ((_buffer[0] == 0xFF && _buffer[1] == 0xFE) || (_buffer[0] == 0xFE && _buffer[1] == 0xFF)))
            {
                Encoding = new EncodingProblem(true, null, "an ISO-8859-1 text file; this file starts with a UTF-16 byte order mark");
                _eof = true;
                _start = _end;
            }
            else if (_end - _start >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
            {
                Encoding = new EncodingProblem(false, null, "no byte order mark: OCR giro files are ISO-8859-1; the UTF-8 byte order mark was ignored");
                _start = 3;
            }
        }

        public EncodingProblem? Encoding { get; }

        public Line? Next()
        {
            var kept = new List<byte>(82);
            var length = 0;
            var sawAny = false;
            while (true)
            {
                if (_start == _end)
                {
                    if (_eof || !Fill())
                    {
                        if (!sawAny) return null;
                        break;
                    }
                }
                var b = _buffer[_start++];
                sawAny = true;
                if (b == (byte)'\n') break;
                if (b == (byte)'\r')
                {
                    if (_start == _end) Fill();
                    if (_start < _end && _buffer[_start] == (byte)'\n') _start++;
                    break;
                }
                length++;
                if (kept.Count < MaxKept) kept.Add(b);
            }
            _number++;
            var bytes = kept.ToArray();
            return new Line(_number, System.Text.Encoding.Latin1.GetString(bytes), length, HasUtf8Sequence(bytes));
        }

        private bool Fill()
        {
            if (_eof) return false;
            _start = 0;
            _end = _stream.Read(_buffer, 0, _buffer.Length);
            if (_end == 0) _eof = true;
            return _end > 0;
        }

        private static bool HasUtf8Sequence(byte[] bytes)
        {
            for (var i = 0; i + 1 < bytes.Length; i++)
                if (bytes[i] is >= 0xC2 and <= 0xF4 && bytes[i + 1] is >= 0x80 and <= 0xBF) return true;
            return false;
        }
    }
}
