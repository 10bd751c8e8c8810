using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Runtime.Intrinsics;
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
    public static BankFileReading Read(Stream stream, string fileName) => Read(stream, fileName, shortcut: true);

    /// <summary>
    /// Reads an OCR giro file; without <paramref name="shortcut"/> every record takes the full checks (the tests compare
    /// the two readings).
    /// </summary>
    internal static BankFileReading Read(Stream stream, string fileName, bool shortcut)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        return new BankFileReading(fileName, BankFileFormat.OcrGiro, builder => new OcrParser(stream, fileName, builder, shortcut).Parse(), producerCounts: true);
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
/// <remarks>
/// The hot path allocates per transaction only what the transaction keeps: each line is decoded into a reused
/// character buffer, fields are checked and parsed from spans of it, and strings are made only for the values
/// a <see cref="BankTransaction"/> holds (KID, debit account, ...), for codes from small caches, and for errors.
/// Records are appended to an output list and yielded after each line (no iterator per record). A well-formed amount
/// item 1 or 2, nearly every line of a real file, is recognised by one test of its digit mask and read at once
/// (<see cref="WellFormedAmountItem"/>); every other record, and every record with an error, takes the full checks.
/// </remarks>
internal sealed class OcrParser(Stream stream, string file, BankFileSummaryBuilder summary, bool shortcut = true)
{
    private enum State { ExpectTransmissionStart, BetweenAssignments, InAssignment, Ended }

    // "00".."99": record, service and transaction type codes without a string per record.
    private static readonly string[] TwoDigitCodes = Enumerable.Range(0, 100).Select(i => i.ToString("00", CultureInfo.InvariantCulture)).ToArray();

    // The transaction types 00..99 that are OCR giro types.
    private static readonly bool[] DefinedTypes = Enumerable.Range(0, 100).Select(i => Enum.IsDefined((OcrTransactionType)i)).ToArray();

    private State _state = State.ExpectTransmissionStart;
    private int _lastLine;
    private int _sequence;
    private readonly List<BankRecord> _out = [];
    private BankTransaction? _ready; // a transaction emitted while _out was empty: it comes before _out's records

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
    // The transaction being read, made by its amount item 1 and filled in by items 2 and 3; it is emitted as it is
    // (numbered then), or dropped when it turns out broken. _hasPending says whether there is one.
    private OcrBankTransaction _p = null!;
    private Assignment _pAssignment = null!;
    private bool _hasPending;
    private OcrSettlement? _settlement;
    private Assignment? _settlementAssignment;
    private const int SettlementFieldsLength = 16;
    private readonly char[] _settlementFields = new char[SettlementFieldsLength]; // positions 16-31 of _settlement's first amount item 1
    private bool _previousBroken;

    // Values that repeat from one transaction to the next (serial number, form number, ...) share one string.
    private readonly FieldCache _serials = new(), _formNumbers = new(), _archiveReferences = new(), _fillers = new();
    private readonly DateCache _netsDates = new(), _bankDates = new();

    public IEnumerable<BankRecord> Parse()
    {
        // Every record passes summary.Count before it is yielded (BankFileReading leaves the counting to this reader:
        // producerCounts), and a reading stopped after too many errors ends with the summary of what was read.
        BankRecord stop;
        var lines = new LineReader(stream);
        var blankLines = new List<int>();
        if (lines.Encoding is { } encodingProblem)
        {
            if (encodingProblem.Fatal)
            {
                var fatal = Error(1, null, encodingProblem.Raw, encodingProblem.Message);
                summary.Count(fatal, out _);
                yield return fatal;
                summary.Finish();
                yield break;
            }
            summary.AddWarning(new InputError(file, 1, null, null, encodingProblem.Message));
        }

        var line = lines.Current;
        while (lines.Next())
        {
            _lastLine = line.Number;
            if (line.KeptLength == 0)
            {
                blankLines.Add(line.Number);
                continue;
            }
            // A blank line is harmless only at the very end of the file.
            if (blankLines.Count > 0)
            {
                foreach (var blank in blankLines)
                {
                    var error = Error(blank, null, "", "an 80-character record, not an empty line");
                    if (!summary.Count(error, out stop)) goto Stopped;
                    yield return error;
                }
                blankLines.Clear();
            }

            OnLine(line);
            if (_ready is { } ready)
            {
                _ready = null;
                summary.Count(ready);
                yield return BankRecord.Of(ready);
            }
            if (_out.Count == 0) continue;
            for (var i = 0; i < _out.Count; i++)
            {
                if (!summary.Count(_out[i], out stop)) goto Stopped;
                yield return _out[i];
            }
            _out.Clear();
        }

        Flush();
        if (_ready is { } last)
        {
            _ready = null;
            summary.Count(last);
            yield return BankRecord.Of(last);
        }
        if (_state != State.Ended)
        {
            var expected = _state == State.ExpectTransmissionStart
                ? "an OCR giro file: a transmission start record (NY000010); the file is empty"
                : _state == State.InAssignment
                    ? $"an assignment end record (NY..88) and a transmission end record (NY000089); the file ends after line {_lastLine}"
                    : $"a transmission end record (NY000089); the file ends after line {_lastLine}";
            _out.Add(Error(Math.Max(_lastLine, 1), null, null, expected));
        }
        AgreementOnlyCheck();
        for (var i = 0; i < _out.Count; i++)
        {
            if (!summary.Count(_out[i], out stop)) goto Stopped;
            yield return _out[i];
        }
        _out.Clear();

        if (_transmissionNumber is not null)
        {
            summary.Ocr = new OcrTransmissionSummary(_transmitter!, _transmissionNumber, _recipient!,
                _declaredTransactions, _declaredRecords, _declaredTotal, _transmissionDate, _assignments.ToList());
            summary.MessageId = _transmissionNumber;
        }
        var avtaleGiroOnly = _ocrAssignments == 0 && _assignments.Any(a => a.ServiceCode == "21");
        summary.Format = avtaleGiroOnly ? BankFileFormat.AvtaleGiro : BankFileFormat.OcrGiro;
        summary.Version = avtaleGiroOnly ? "Nets AvtaleGiro" : "Nets OCR giro";
        summary.Finish();
        yield break;

    Stopped:
        summary.Finish();
        yield return stop;
    }

    private void OnLine(Line line)
    {
        var text = line.Text;
        if (_state != State.ExpectTransmissionStart && _state != State.Ended) _transmissionRecords++;
        if (_state == State.InAssignment)
        {
            _assignment!.Records++;
            if (shortcut && WellFormedAmountItem(line)) return;
        }

        if (text.Length != OcrGiroReader.RecordLength)
        {
            var hint = line.LooksLikeUtf8 ? " (it holds UTF-8 encoded letters; OCR giro files are ISO-8859-1)" : "";
            BrokenLine(line.Number, text.Length >= 8 ? Code(text.Slice(6, 2)) : null, "1-80", Clip(text),
                $"a record of exactly 80 characters; this line has {line.Length}{hint}");
            return;
        }
        line.ComputeDigits();
        if (!text.StartsWith("NY") || !line.IsDigits(2, 6))
        {
            BrokenLine(line.Number, null, "1-8", new string(text[..8]),
                "a record starting with the format code NY, then service code, transmission/transaction type and record type as digits");
            return;
        }

        var service = Code(text.Slice(2, 2));
        var type = Code(text.Slice(4, 2));
        var recordType = Code(text.Slice(6, 2));
        var record = (text[6] - '0') * 10 + text[7] - '0';

        if (_state == State.Ended)
        {
            _out.Add(Error(line.Number, "7-8", recordType, "nothing after the transmission end record (89)"));
            return;
        }
        if (_state == State.ExpectTransmissionStart && record != 10)
        {
            _out.Add(Error(line.Number, "7-8", recordType, "a transmission start record (record type 10) first"));
            _state = State.BetweenAssignments; // report once, then read on
            _transmissionDamaged = true;
            _transmissionRecords++;
        }

        switch (record)
        {
            case 10: TransmissionStart(line, service, type); break;
            case 20: AssignmentStart(line, service, type); break;
            case 30 or 31 or 32 or 49 or 70: TransactionRecord(line, service, type, recordType, record); break;
            case 88: AssignmentEnd(line, service, type); break;
            case 89: TransmissionEnd(line, service, type); break;
            default: BrokenLine(line.Number, null, "7-8", recordType, "a record type 10, 20, 30, 31, 32, 88 or 89"); break;
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Transmission

    private void TransmissionStart(Line line, string service, string type)
    {
        var t = line.Text;
        if (_state != State.ExpectTransmissionStart)
        {
            _out.Add(Error(line.Number, "7-8", "10", "one transmission per file: a second transmission start record (10) is not allowed"));
            _transmissionDamaged = true;
            return;
        }
        _state = State.BetweenAssignments;
        _transmissionRecords = 1;
        if (service != "00" || type != "00")
            _out.Add(Error(line.Number, "3-6", new string(t.Slice(2, 4)), "service code 00 and transmission type 00 in the transmission start record"));
        Digits(line, 9, 31, "data transmitter, transmission number and data recipient");
        _transmitter = new string(t.Slice(8, 8));
        _transmissionNumber = new string(t.Slice(16, 7));
        _recipient = new string(t.Slice(23, 8));
    }

    private void TransmissionEnd(Line line, string service, string type)
    {
        Flush();
        if (_state == State.InAssignment)
        {
            _out.Add(Error(line.Number, "7-8", "89", $"an assignment end record (88) for the assignment started at line {_assignment!.Line}, before the transmission end"));
            CloseAssignment(null);
            _transmissionDamaged = true;
        }
        _state = State.Ended;
        var t = line.Text;
        if (service != "00" || type != "00")
            _out.Add(Error(line.Number, "3-6", new string(t.Slice(2, 4)), "service code 00 and transmission type 00 in the transmission end record"));
        if (!Digits(line, 9, 47, "number of transactions, number of records, total amount and date")) return;
        var transactions = ParseDigits(t.Slice(8, 8));
        var records = ParseDigits(t.Slice(16, 8));
        var amount = ParseDigits(t.Slice(24, 17));
        _declaredTransactions = transactions;
        _declaredRecords = records;
        _declaredTotal = Money.FromMinorUnits(amount, Currency.Nok);
        if (ParseDate(t.Slice(41, 6), allowZero: true, out var date)) _transmissionDate = date == default ? null : date;
        else _out.Add(Error(line.Number, "42-47", new string(t.Slice(41, 6)), "the Nets date as DDMMYY"));
        if (_transmissionDamaged) return;
        if (transactions != _transmissionTransactions)
            _out.Add(Error(line.Number, "9-16", new string(t.Slice(8, 8)), $"the number of transactions in the transmission, {_transmissionTransactions}"));
        if (records != _transmissionRecords)
            _out.Add(Error(line.Number, "17-24", new string(t.Slice(16, 8)), $"the number of records in the transmission including records 10 and 89, {_transmissionRecords}"));
        if (amount != _transmissionAmount)
            _out.Add(Error(line.Number, "25-41", new string(t.Slice(24, 17)), $"the sum of the amounts in the transmission, {_transmissionAmount} øre (NOK {Nok(_transmissionAmount)})"));
    }

    // ---------------------------------------------------------------------------------------------------
    // Assignment

    private void AssignmentStart(Line line, string service, string type)
    {
        Flush();
        var t = line.Text;
        if (_state == State.InAssignment)
        {
            _out.Add(Error(line.Number, "7-8", "20", $"an assignment end record (88) for the assignment started at line {_assignment!.Line}"));
            CloseAssignment(null);
            _transmissionDamaged = true;
        }
        _state = State.InAssignment;
        var assignment = new Assignment
        {
            Line = line.Number,
            Service = service,
            Type = type,
            AgreementId = new string(t.Slice(8, 9)),
            Number = new string(t.Slice(17, 7)),
            Account = new string(t.Slice(24, 11)),
            Records = 1,
        };
        _assignment = assignment;
        if (!Digits(line, 9, 35, "agreement id, assignment number and assignment account")) assignment.Damaged = true;
        if (service == "09")
        {
            _ocrAssignments++;
            if (type != "00")
            {
                assignment.Damaged = true;
                _out.Add(Error(line.Number, "5-6", type, "assignment type 00 for an OCR giro assignment (service code 09)"));
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
                    _out.Add(Error(line.Number, "3-6", service + type,
                        "OCR giro payments (service code 09); this is an AvtaleGiro assignment of payment claims (service code 21, assignment type 00), which a payee sends to Nets: it holds no incoming payments"));
                    break;
                case "36":
                    _out.Add(Error(line.Number, "3-6", service + type,
                        "OCR giro payments (service code 09); this is an AvtaleGiro assignment of deletion requests (service code 21, assignment type 36), which a payee sends to Nets: it holds no incoming payments"));
                    break;
                default:
                    assignment.Damaged = true;
                    _out.Add(Error(line.Number, "5-6", type, "an AvtaleGiro assignment type 00, 24 or 36"));
                    break;
            }
        }
        else
        {
            assignment.Damaged = true;
            _out.Add(Error(line.Number, "3-4", service, "service code 09 (OCR giro) or 21 (AvtaleGiro)"));
        }
        if (!_assignmentKeys.Add(assignment.AgreementId + ":" + assignment.Number))
        {
            assignment.Damaged = true;
            _out.Add(Error(line.Number, "18-24", assignment.Number, "an assignment number used once per agreement in the file"));
        }
    }

    private void AssignmentEnd(Line line, string service, string type)
    {
        Flush();
        var t = line.Text;
        if (_state != State.InAssignment)
        {
            _out.Add(Error(line.Number, "7-8", "88", "an assignment start record (20) before the assignment end record"));
            _transmissionDamaged = true;
            return;
        }
        var a = _assignment!;
        if (service != a.Service || type != a.Type)
            _out.Add(Error(line.Number, "3-6", service + type, $"service code and assignment type {a.Service}{a.Type}, as in the assignment start at line {a.Line}"));
        if (!Digits(line, 9, 41, "number of transactions, number of records and total amount"))
        {
            a.Damaged = true;
            CloseAssignment(null);
            return;
        }
        var transactions = ParseDigits(t.Slice(8, 8));
        var records = ParseDigits(t.Slice(16, 8));
        var amount = ParseDigits(t.Slice(24, 17));
        DateOnly? netsDate = null;
        if (a.Service == "09")
        {
            if (ParseDate(t.Slice(41, 6), allowZero: true, out var d)) netsDate = d == default ? null : d;
            else _out.Add(Error(line.Number, "42-47", new string(t.Slice(41, 6)), "the Nets date as DDMMYY"));
        }
        CloseAssignment((transactions, records, amount, netsDate));
        if (a.Damaged) return;
        if (transactions != a.Transactions)
            _out.Add(Error(line.Number, "9-16", new string(t.Slice(8, 8)), $"the number of transactions in the assignment started at line {a.Line}, {a.Transactions}"));
        if (records != a.Records)
            _out.Add(Error(line.Number, "17-24", new string(t.Slice(16, 8)), $"the number of records in the assignment including records 20 and 88, {a.Records}"));
        if (amount != a.Amount)
            _out.Add(Error(line.Number, "25-41", new string(t.Slice(24, 17)), $"the sum of the amounts in the assignment, {a.Amount} øre (NOK {Nok(a.Amount)}); reversals count as added"));
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

    private void AgreementOnlyCheck()
    {
        if (_agreementAssignmentLines.Count == 0) return;
        const string what = "AvtaleGiro agreement notifications (service code 21, assignment type 24) register payers' standing orders and carry no payments";
        if (_ocrAssignments == 0)
        {
            _out.Add(Error(_agreementAssignmentLines[0], "3-6", "2124", $"OCR giro payments (service code 09); {what}"));
        }
        else
        {
            foreach (var line in _agreementAssignmentLines)
                summary.AddWarning(new InputError(file, line, "3-6", "2124", $"OCR giro payments; {what}, so this assignment is skipped"));
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Transactions

    private void TransactionRecord(Line line, string service, string type, string recordType, int record)
    {
        var t = line.Text;
        if (_state != State.InAssignment)
        {
            _transmissionDamaged = true;
            _out.Add(Error(line.Number, "7-8", recordType, "a transaction record inside an assignment (after an assignment start record 20)"));
            return;
        }
        var a = _assignment!;
        if (service != a.Service)
        {
            a.Damaged = true;
            _out.Add(Error(line.Number, "3-4", service, $"service code {a.Service}, as in the assignment start at line {a.Line}"));
            return;
        }
        if (a.IsAvtaleGiro)
        {
            // Only counted for the control totals: AvtaleGiro records are not payments.
            if (record is 30 or 70) a.Transactions++;
            if (record == 30)
            {
                if (line.IsDigits(32, 17)) a.Amount += ParseDigits(t.Slice(32, 17));
                else a.Damaged = true;
            }
            return;
        }
        switch (record)
        {
            case 30:
                Flush();
                a.Transactions++;
                AmountItem1(line, type, a);
                break;
            case 31:
                AmountItem2(line, type);
                break;
            case 32:
                AmountItem3(line, type);
                break;
            default:
                a.Damaged = true;
                _out.Add(Error(line.Number, "7-8", recordType, "an OCR giro transaction record 30, 31 or 32 (records 49 and 70 belong to AvtaleGiro)"));
                break;
        }
    }

    private void AmountItem1(Line line, string type, Assignment a)
    {
        var t = line.Text;
        var before = _out.Count;
        var typeCode = type[0] * 10 + type[1] - 11 * '0'; // two digits: checked with the record's first eight characters
        if (!DefinedTypes[typeCode])
            _out.Add(Error(line.Number, "5-6", type, "an OCR giro transaction type 10 to 21"));
        var numbersOk = Digits(line, 9, 31, "transaction number, Nets date, centre id, day code, partial settlement number and serial number");
        var sign = t[31];
        if (sign is not ('0' or '-')) _out.Add(Error(line.Number, "32", sign.ToString(), "the sign '0', or '-' for a negative amount"));
        if (!line.IsDigits(32, 17)) _out.Add(Error(line.Number, "33-49", new string(t.Slice(32, 17)), "the amount in øre: 17 digits"));
        var kidField = t.Slice(49, 25);
        var kid = TrimField(kidField);
        if (kid.Length > 0 && !IsKidText(kid))
            _out.Add(Error(line.Number, "50-74", new string(kidField), "a KID: digits, right-aligned and blank-padded, the last may be '-' (MOD11)"));
        DateOnly netsDate = default;
        if ((numbersOk || line.IsDigits(15, 6)) && !_netsDates.TryParse(t.Slice(15, 6), allowZero: false, out netsDate))
            _out.Add(Error(line.Number, "16-21", new string(t.Slice(15, 6)), "the Nets date as DDMMYY"));

        if (_out.Count > before)
        {
            a.Damaged = true;
            _previousBroken = true;
            return;
        }
        NewTransaction(line, typeCode, kid, SameSettlement(t, a) ?? NewSettlement(t, netsDate, a), a);
    }

    /// <summary>Amount item 1 read and checked: the transaction it starts, pending until its amount item 2.</summary>
    private void NewTransaction(Line line, int typeCode, ReadOnlySpan<char> kid, OcrSettlement settlement, Assignment a)
    {
        var t = line.Text;
        var amount = ParseDigits(t.Slice(32, 17));
        a.Amount += amount;
        _previousBroken = false;
        _p = new OcrBankTransaction
        {
            Line = line.Number,
            TransactionType = (OcrTransactionType)typeCode,
            TransactionNumber = SevenDigitNumber(t),
            Sign = t[31],
            AmountInOre = amount,
            KidField = kid.Length == 0 ? null : new string(kid),
            Settlement = settlement,
        };
        _pAssignment = a;
        _hasPending = true;
    }

    /// <summary>
    /// The settlement of the previous transaction when amount item 1 <paramref name="t"/> repeats its settlement fields
    /// (positions 16-31: Nets date, centre id, day code, partial settlement number and serial number) in the same
    /// assignment, else null.
    /// </summary>
    private OcrSettlement? SameSettlement(ReadOnlySpan<char> t, Assignment a) =>
        _settlement is { } s && ReferenceEquals(_settlementAssignment, a) && t.Slice(15, SettlementFieldsLength).SequenceEqual(_settlementFields) ? s : null;

    /// <summary>The settlement of amount item 1 <paramref name="t"/>, its Nets date checked; shared by the transactions after it while they repeat it.</summary>
    private OcrSettlement NewSettlement(ReadOnlySpan<char> t, DateOnly netsDate, Assignment a)
    {
        t.Slice(15, SettlementFieldsLength).CopyTo(_settlementFields);
        _settlementAssignment = a;
        return _settlement = new OcrSettlement(netsDate, Code(t.Slice(21, 2)), (int)ParseDigits(t.Slice(23, 2)), t[25] - '0', _serials.Get(t.Slice(26, 5)),
            a.AgreementId, a.Number, a.Account, _transmissionNumber ?? "", file);
    }

    /// <summary>
    /// The transaction number (positions 9-15) of an amount item whose positions 8-15 are digits: the eight digits
    /// read in one step, less the record type's last digit in front.
    /// </summary>
    private static int SevenDigitNumber(ReadOnlySpan<char> t) => (int)(EightDigits(t.Slice(7, 8)) - (ulong)(t[7] - '0') * 10_000_000);

    // ---------------------------------------------------------------------------------------------------
    // The common case at once

    // Digit masks of well-formed amount items (bit i: 0-based position i is a digit), within the first 64 positions.
    // Amount item 1: codes 3-8, transaction number to serial number 9-31, amount 33-49 (the sign, 32, is '0' or '-').
    private const ulong Item1Digits = ((1UL << 49) - 1) & ~0b11UL & ~(1UL << 31);
    // Amount item 2: codes 3-8, transaction number, form number and archive reference 9-34, bank date and debit account 42-58.
    private const ulong Item2Digits = (((1UL << 34) - 1) & ~0b11UL) | (((1UL << 58) - 1) & ~((1UL << 41) - 1));

    /// <summary>
    /// Reads a well-formed amount item 1 or 2 of an OCR giro assignment, recognised by one test of its digit mask and a
    /// few characters, and returns true. Anything else, and every record with an error, is left untouched (false) to the
    /// full checks of <see cref="TransactionRecord"/>, which read the same record to the same result or report what is wrong.
    /// </summary>
    private bool WellFormedAmountItem(Line line)
    {
        var a = _assignment!;
        var t = line.Text;
        if (a.IsAvtaleGiro || line.Length != OcrGiroReader.RecordLength || !ReferenceEquals(a.Service, TwoDigitCodes[9])
            || t[0] != 'N' || t[1] != 'Y' || t[2] != '0' || t[3] != '9' || t[6] != '3')
            return false;
        line.ComputeDigits();
        var typeCode = (t[4] - '0') * 10 + t[5] - '0';
        switch (t[7])
        {
            case '0':
            {
                if (!line.HasDigits(Item1Digits) || !DefinedTypes[typeCode] || t[31] is not ('0' or '-') || !WellFormedKid(line, out var kid))
                    return false;
                var settlement = SameSettlement(t, a);
                if (settlement is null)
                {
                    if (!_netsDates.TryParse(t.Slice(15, 6), allowZero: false, out var netsDate)) return false;
                    settlement = NewSettlement(t, netsDate, a);
                }
                Flush();
                a.Transactions++;
                NewTransaction(line, typeCode, kid, settlement, a);
                return true;
            }
            case '1':
            {
                var p = _p;
                if (!_hasPending || p.AmountItem2Line != 0 || typeCode != (int)p.TransactionType || !line.HasDigits(Item2Digits)
                    || SevenDigitNumber(t) != p.TransactionNumber || !_bankDates.TryParse(t.Slice(41, 6), allowZero: true, out var bankDate))
                    return false;
                CompleteTransaction(line, bankDate);
                return true;
            }
            default:
                return false;
        }
    }

    /// <summary>
    /// The KID of a well-formed amount item 1 (positions 50-74): digits right-aligned after blanks, or blanks only
    /// (empty). False for anything else (a MOD11 '-', other characters), which the full checks read.
    /// </summary>
    private static bool WellFormedKid(Line line, out ReadOnlySpan<char> kid)
    {
        const int start = 49, length = 25;
        var digits = line.DigitBits(start, length);
        var blanks = digits == 0 ? length : BitOperations.TrailingZeroCount(digits);
        kid = line.Text.Slice(start + blanks, length - blanks);
        return digits >> blanks == (1UL << (length - blanks)) - 1 && !line.Text.Slice(start, blanks).ContainsAnyExcept(' ');
    }

    private void AmountItem2(Line line, string type)
    {
        var t = line.Text;
        var p = _p;
        if (!_hasPending || p.AmountItem2Line != 0)
        {
            if (!_previousBroken)
            {
                _assignment!.Damaged = true;
                _out.Add(Error(line.Number, "7-8", "31", "amount item 2 (31) right after its amount item 1 (30)"));
            }
            return;
        }
        var before = _out.Count;
        if (!IsType(type, p.TransactionType)) _out.Add(Error(line.Number, "5-6", type, $"transaction type {TwoDigitCodes[(int)p.TransactionType]}, as in amount item 1 at line {p.Line}"));
        Digits(line, 9, 34, "transaction number, form number and archive reference");
        Digits(line, 42, 58, "bank date and debit account");
        if (_out.Count == before && ParseDigits(t.Slice(8, 7)) != p.TransactionNumber)
            _out.Add(Error(line.Number, "9-15", new string(t.Slice(8, 7)), $"transaction number {p.TransactionNumber:0000000}, as in amount item 1 at line {p.Line}"));
        DateOnly bankDate = default;
        if (_out.Count == before && !_bankDates.TryParse(t.Slice(41, 6), allowZero: true, out bankDate))
            _out.Add(Error(line.Number, "42-47", new string(t.Slice(41, 6)), "the bank date as DDMMYY, or 000000"));
        if (_out.Count > before)
        {
            _assignment!.Damaged = true;
            _hasPending = false;
            _previousBroken = true;
            return;
        }
        CompleteTransaction(line, bankDate);
    }

    /// <summary>Amount item 2 read and checked: its fields added to the pending transaction, which is emitted unless an amount item 3 follows.</summary>
    private void CompleteTransaction(Line line, DateOnly bankDate)
    {
        var t = line.Text;
        var p = _p;
        p.AmountItem2Line = line.Number;
        p.FormNumber = NonZero(t.Slice(15, 10), _formNumbers);
        p.ArchiveReference = NonZero(t.Slice(25, 9), _archiveReferences);
        p.Filler = NonZero(t.Slice(34, 7), _fillers);
        p.BankDate = bankDate == default ? null : bankDate;
        p.DebitAccount = NonZero(t.Slice(47, 11), null);
        _previousBroken = false;
        if (p.TransactionType is not (OcrTransactionType.ReversalWithText or OcrTransactionType.PurchaseWithText))
            Flush();
    }

    private void AmountItem3(Line line, string type)
    {
        var t = line.Text;
        var p = _p;
        if (!_hasPending || p.AmountItem2Line == 0)
        {
            if (!_previousBroken)
            {
                _assignment!.Damaged = true;
                _out.Add(Error(line.Number, "7-8", "32", "amount item 3 (32) right after amount items 1 and 2 (30, 31) of a transaction of type 20 or 21"));
            }
            return;
        }
        var before = _out.Count;
        if (!IsType(type, p.TransactionType)) _out.Add(Error(line.Number, "5-6", type, $"transaction type {TwoDigitCodes[(int)p.TransactionType]}, as in amount item 1 at line {p.Line}"));
        Digits(line, 9, 15, "transaction number");
        if (_out.Count == before && ParseDigits(t.Slice(8, 7)) != p.TransactionNumber)
            _out.Add(Error(line.Number, "9-15", new string(t.Slice(8, 7)), $"transaction number {p.TransactionNumber:0000000}, as in amount item 1 at line {p.Line}"));
        if (_out.Count > before)
        {
            _assignment!.Damaged = true;
            _hasPending = false;
            _previousBroken = true;
            return;
        }
        p.AmountItem3Line = line.Number;
        var text = t.Slice(15, 40).Trim();
        if (text.Length > 0) p.Text = new string(text);
        _previousBroken = false;
        Flush();
    }

    /// <summary>Emits the pending transaction, if any.</summary>
    private void Flush()
    {
        if (!_hasPending) return;
        _hasPending = false;
        var p = _p;
        var a = _pAssignment;
        if (p.AmountItem2Line == 0)
        {
            a.Damaged = true;
            _out.Add(Error(p.Line, "7-8", "30", $"amount item 1 (30) of transaction {p.TransactionNumber:0000000} followed by its amount item 2 (31)"));
            return;
        }
        if (!a.ClaimTransactionNumber(p.TransactionNumber))
        {
            a.Damaged = true;
            _out.Add(Error(p.Line, "9-15", p.TransactionNumber.ToString("0000000", CultureInfo.InvariantCulture), "a transaction number used once in the assignment"));
            return;
        }
        p.Position = ++_sequence;
        if (_ready is null && _out.Count == 0) _ready = p;
        else _out.Add(BankRecord.Of(p));
    }

    // ---------------------------------------------------------------------------------------------------
    // Helpers

    /// <summary>
    /// A record that cannot be read: its error only. A pending transaction still waiting for amount item 2 is
    /// dropped silently (the broken line is most likely that item); a complete one is emitted. The control totals
    /// of the assignment and transmission are not checked afterwards, so one broken line gives one error.
    /// </summary>
    private void BrokenLine(int line, string? recordType, string column, string raw, string expected)
    {
        if (_hasPending && _p.AmountItem2Line == 0) _hasPending = false;
        else Flush();
        _previousBroken = true;
        _transmissionDamaged = true;
        if (_assignment is { } a)
        {
            a.Damaged = true;
            if (recordType is "30" or "70") a.Transactions++;
        }
        _out.Add(Error(line, column, raw, expected));
    }

    /// <summary>An error for non-digits in positions <paramref name="from"/>..<paramref name="to"/> (1-based, inclusive); false when there is one.</summary>
    private bool Digits(Line line, int from, int to, string what)
    {
        if (line.IsDigits(from - 1, to - from + 1)) return true;
        var field = line.Text.Slice(from - 1, to - from + 1);
        _out.Add(Error(line.Number, $"{from}-{to}", new string(field), $"digits only in the {what}"));
        return false;
    }

    private BankRecord Error(int line, string? column, string? raw, string expected) =>
        BankRecord.Of(new InputError(file, line, column, raw, expected));

    /// <summary>True when the two-digit code is the transaction type.</summary>
    private static bool IsType(string code, OcrTransactionType type) => ReferenceEquals(code, TwoDigitCodes[(int)type]);

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s) if (c is < '0' or > '9') return false;
        return true;
    }

    /// <summary>The value of a field already checked to be digits (at most 18: no overflow), eight digits at a time.</summary>
    internal static long ParseDigits(ReadOnlySpan<char> digits)
    {
        unchecked
        {
            long value = 0;
            while (BitConverter.IsLittleEndian && digits.Length >= 8)
            {
                value = value * 100_000_000 + (long)EightDigits(digits);
                digits = digits[8..];
            }
            foreach (var c in digits) value = value * 10 + (c - '0');
            return value;
        }
    }

    /// <summary>
    /// The value of the first eight characters, ASCII digits: packed into the bytes of one word (the first character in
    /// the lowest byte), then combined pairwise in three multiplications (the SWAR technique of simdjson and Lemire,
    /// "Faster integer parsing", 2018).
    /// </summary>
    private static ulong EightDigits(ReadOnlySpan<char> digits)
    {
        unchecked
        {
            var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(digits[..8]);
            var v = PackLanes(System.Runtime.InteropServices.MemoryMarshal.Read<ulong>(bytes))
                | PackLanes(System.Runtime.InteropServices.MemoryMarshal.Read<ulong>(bytes[8..])) << 32;
            v = (v & 0x0F0F0F0F0F0F0F0FUL) * 2561 >> 8;                 // pairs of digits
            v = (v & 0x00FF00FF00FF00FFUL) * 6553601 >> 16;             // groups of four
            return (v & 0x0000FFFF0000FFFFUL) * 42949672960001 >> 32;  // eight
        }

        // Four UTF-16 code units below 256 (a little-endian word) to their four low bytes.
        static ulong PackLanes(ulong x)
        {
            x = (x | x >> 8) & 0x0000FFFF0000FFFFUL;
            return (x | x >> 16) & 0xFFFFFFFFUL;
        }
    }

    /// <summary>A two-character code; digits share cached strings.</summary>
    private static string Code(ReadOnlySpan<char> two) =>
        two.Length == 2 && char.IsAsciiDigit(two[0]) && char.IsAsciiDigit(two[1]) ? TwoDigitCodes[(two[0] - '0') * 10 + two[1] - '0'] : new string(two);

    /// <summary>The field without leading and trailing white space (as string.Trim), quick for blank-padded fields.</summary>
    private static ReadOnlySpan<char> TrimField(ReadOnlySpan<char> field)
    {
        var start = field.IndexOfAnyExcept(' ');
        if (start < 0) return default;
        var end = field.Length - 1;
        while (field[end] == ' ') end--;
        var t = field[start..(end + 1)];
        return char.IsWhiteSpace(t[0]) || char.IsWhiteSpace(t[^1]) ? t.Trim() : t;
    }

    private static bool IsKidText(ReadOnlySpan<char> kid)
    {
        var body = kid[^1] == '-' ? kid[..^1] : kid;
        return body.Length > 0 && AllDigits(body);
    }

    /// <summary>Null for a field of zeros or blanks, else the field trimmed (from <paramref name="cache"/> when it repeats).</summary>
    private static string? NonZero(ReadOnlySpan<char> s, FieldCache? cache)
    {
        // The common case: a field that starts with a significant digit and ends without padding, as it is.
        if (s.Length > 0 && char.IsAsciiDigit(s[0]) && s[0] != '0' && char.IsAsciiDigit(s[^1]))
            return cache is null ? new string(s) : cache.Get(s);
        var zeros = 0;
        while (zeros < s.Length && s[zeros] == '0') zeros++;
        if (zeros == s.Length) return null;
        var t = s.Trim();
        if (t.Length == 0) return null;
        return cache is null ? new string(t) : cache.Get(t);
    }

    /// <summary>DDMMYY with the python-netsgiro pivot (69-99 → 19xx, 00-68 → 20xx); "000000" is default when allowed.</summary>
    private static bool ParseDate(ReadOnlySpan<char> ddmmyy, bool allowZero, out DateOnly date)
    {
        date = default;
        if (ddmmyy.SequenceEqual("000000")) return allowZero;
        if (ddmmyy.Length != 6 || !AllDigits(ddmmyy)) return false;
        var day = (int)ParseDigits(ddmmyy[..2]);
        var month = (int)ParseDigits(ddmmyy.Slice(2, 2));
        var yy = (int)ParseDigits(ddmmyy.Slice(4, 2));
        var year = yy >= 69 ? 1900 + yy : 2000 + yy;
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        date = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>The scale of <paramref name="ore"/> / 100 at its smallest: 2, less one for each trailing zero (at most two).</summary>
    internal static int ScaleOfOre(long ore) => ore % 100 == 0 ? 0 : ore % 10 == 0 ? 1 : 2;

    private static string Nok(long ore) => Money.FromMinorUnits(ore, Currency.Nok).ToDecimalString();

    /// <summary>
    /// The same value as <c>Money.FromMinorUnits(ore, Currency.Nok)</c> (øre / 100, at the smallest scale, as decimal
    /// division gives it), without a decimal division.
    /// </summary>
    internal static Money NokFromOre(long ore)
    {
        var scale = (byte)ScaleOfOre(ore);
        if (scale < 2) ore /= scale == 0 ? 100 : 10;
        var magnitude = (ulong)Math.Abs(ore);
        return new Money(unchecked(new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, ore < 0, scale)), Currency.Nok);
    }

    private static string Clip(ReadOnlySpan<char> s) => s.Length <= 100 ? new string(s) : string.Concat(s[..100], "…");

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

    /// <summary>The last date parsed for a field: reused while the field's characters repeat (a file has a few dates).</summary>
    private sealed class DateCache
    {
        // The last six characters as two words (characters 0-3 and 4-5); compared without a call.
        private ulong _head;
        private uint _tail;
        private bool _has, _lastAllowZero, _lastOk;
        private DateOnly _lastDate;

        public bool TryParse(ReadOnlySpan<char> ddmmyy, bool allowZero, out DateOnly date)
        {
            if (ddmmyy.Length != 6)
            {
                _has = false;
                return ParseDate(ddmmyy, allowZero, out date);
            }
            var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(ddmmyy);
            var head = System.Runtime.InteropServices.MemoryMarshal.Read<ulong>(bytes);
            var tail = System.Runtime.InteropServices.MemoryMarshal.Read<uint>(bytes[8..]);
            if (_has && allowZero == _lastAllowZero && head == _head && tail == _tail)
            {
                date = _lastDate;
                return _lastOk;
            }
            _lastOk = ParseDate(ddmmyy, allowZero, out date);
            (_lastDate, _lastAllowZero, _head, _tail, _has) = (date, allowZero, head, tail, true);
            return _lastOk;
        }
    }

    /// <summary>The last string made for a field: reused while the field's characters repeat.</summary>
    private sealed class FieldCache
    {
        private string _last = "";

        public string Get(ReadOnlySpan<char> value) => value.SequenceEqual(_last) ? _last : _last = new string(value);
    }

    /// <summary>
    /// The current line of a <see cref="LineReader"/>: its number, its full length and its first
    /// <see cref="LineReader.MaxKept"/> characters (ISO-8859-1 bytes widened to characters), valid until the next line.
    /// </summary>
    internal sealed class Line(char[] chars)
    {
        private ulong _digitsLow, _digitsHigh; // bit i: character i is an ASCII digit (characters 0-63, 64-79)
        private bool _digitsKnown;

        public int Number { get; set; }
        public int Length { get; set; }
        public int KeptLength { get; set; }
        public ReadOnlySpan<char> Text => chars.AsSpan(0, KeptLength);

        /// <summary>Which of the 80 characters are digits, when the reader has found it already (see <see cref="ComputeDigits"/>).</summary>
        public void SetDigits(ulong low, ulong high) => (_digitsLow, _digitsHigh, _digitsKnown) = (low, high, true);

        /// <summary>Forgets the digits of the previous line.</summary>
        public void ClearDigits() => _digitsKnown = false;

        /// <summary>Notes which of the first 80 characters are ASCII digits (vectorized), for <see cref="IsDigits"/>.</summary>
        public void ComputeDigits()
        {
            if (_digitsKnown) return;
            ulong low = 0, high = 0;
            if (KeptLength >= OcrGiroReader.RecordLength)
            {
                var text = System.Runtime.InteropServices.MemoryMarshal.Cast<char, ushort>(chars.AsSpan(0, OcrGiroReader.RecordLength));
                if (Vector512.IsHardwareAccelerated)
                {
                    // Characters 0-31, 32-63 and 48-79 (the last overlaps: its upper half is 64-79).
                    var zero512 = Vector512.Create((ushort)'0');
                    var nine512 = Vector512.Create((ushort)9);
                    ulong Bits(ReadOnlySpan<ushort> span) => Vector512.LessThanOrEqual(Vector512.Create(span) - zero512, nine512).ExtractMostSignificantBits();
                    _digitsLow = Bits(text[..32]) | Bits(text.Slice(32, 32)) << 32;
                    _digitsHigh = Bits(text.Slice(48, 32)) >> 16;
                    return;
                }
                var zero = Vector128.Create((ushort)'0');
                var nine = Vector128.Create((ushort)9);
                for (var i = 0; i < OcrGiroReader.RecordLength; i += Vector128<ushort>.Count)
                {
                    ulong bits = Vector128.LessThanOrEqual(Vector128.Create(text.Slice(i, Vector128<ushort>.Count)) - zero, nine).ExtractMostSignificantBits();
                    if (i < 64) low |= bits << i;
                    else high |= bits << (i - 64);
                }
            }
            _digitsLow = low;
            _digitsHigh = high;
        }

        /// <summary>True when every position set in <paramref name="positions"/> (bit i: position i, 0-63) is an ASCII digit.</summary>
        public bool HasDigits(ulong positions) => (_digitsLow & positions) == positions;

        /// <summary>Which of the <paramref name="length"/> (at most 64) positions from 0-based <paramref name="start"/> are ASCII digits, as bits 0, 1, ...</summary>
        public ulong DigitBits(int start, int length)
        {
            var bits = start >= 64 ? _digitsHigh >> (start - 64) : (_digitsLow >> start) | (start == 0 ? 0 : _digitsHigh << (64 - start));
            return length == 64 ? bits : bits & ((1UL << length) - 1);
        }

        /// <summary>True when the characters at 0-based <paramref name="start"/> (<paramref name="length"/> of them, within the first 80) are all ASCII digits.</summary>
        public bool IsDigits(int start, int length)
        {
            var end = start + length;
            return (end <= 64 || AllSet(_digitsHigh, Math.Max(start, 64) - 64, end - 64)) && (start >= 64 || AllSet(_digitsLow, start, Math.Min(end, 64)));
        }

        // Bits [from, to) of a word are all set (0 <= from <= to <= 64).
        private static bool AllSet(ulong word, int from, int to)
        {
            var width = to - from;
            var mask = (width == 64 ? ulong.MaxValue : (1UL << width) - 1) << from;
            return (word & mask) == mask;
        }

        /// <summary>True when the kept characters hold a UTF-8 lead byte followed by a continuation byte.</summary>
        public bool LooksLikeUtf8
        {
            get
            {
                var text = Text;
                for (var i = 0; i + 1 < text.Length; i++)
                    if (text[i] is >= '\u00C2' and <= '\u00F4' && text[i + 1] is >= '\u0080' and <= '\u00BF') return true;
                return false;
            }
        }
    }

    internal sealed record EncodingProblem(bool Fatal, string? Raw, string Message);

    /// <summary>
    /// Reads ISO-8859-1 lines (LF, CRLF or CR endings) from a stream with a fixed buffer into one reused
    /// <see cref="Line"/>; a line is cut at 1,000 characters for the error message, but its full length is reported.
    /// </summary>
    internal sealed class LineReader
    {
        public const int MaxKept = 1000;
        private readonly Stream _stream;
        private readonly byte[] _buffer = new byte[64 * 1024];
        private readonly char[] _chars = new char[MaxKept];
        private int _start, _end;
        private bool _eof;

        public LineReader(Stream stream)
        {
            _stream = stream;
            Current = new Line(_chars);
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

        /// <summary>The line read by the last <see cref="Next"/>.</summary>
        public Line Current { get; }

        /// <summary>Reads the next line into <see cref="Current"/>; false at the end of the stream.</summary>
        public bool Next()
        {
            if (Vector512.IsHardwareAccelerated && _end - _start >= OcrGiroReader.RecordLength + 2 && NextRecord()) return true;
            Current.ClearDigits();
            var length = 0;
            var sawAny = false;
            while (true)
            {
                if (_start == _end)
                {
                    if (_eof || !Fill())
                    {
                        if (!sawAny) return false;
                        break;
                    }
                }
                // The common case: the rest of the line is in the buffer.
                var span = _buffer.AsSpan(_start, _end - _start);
                var stop = span.IndexOfAny((byte)'\n', (byte)'\r');
                var take = stop < 0 ? span.Length : stop;
                if (take > 0)
                {
                    var keep = Math.Min(take, MaxKept - Math.Min(length, MaxKept));
                    if (keep > 0) System.Text.Encoding.Latin1.GetChars(span[..keep], _chars.AsSpan(length)); // ISO-8859-1: each byte is its character
                    length += take;
                    _start += take;
                    sawAny = true;
                }
                if (stop < 0) continue;
                var b = _buffer[_start++];
                sawAny = true;
                if (b == (byte)'\r')
                {
                    if (_start == _end) Fill();
                    if (_start < _end && _buffer[_start] == (byte)'\n') _start++;
                }
                break;
            }
            Current.Number++;
            Current.Length = length;
            Current.KeptLength = Math.Min(length, MaxKept);
            return true;
        }

        /// <summary>
        /// The common case in one step: an 80-character record and its line break, all in the buffer. Two overlapping
        /// 64-byte loads cover the record; they show that no line break comes before byte 80, give its characters
        /// (ISO-8859-1: each byte widened) and which of them are digits (for <see cref="Line.IsDigits"/>). False, with
        /// nothing consumed, for anything else.
        /// </summary>
        private bool NextRecord()
        {
            var span = _buffer.AsSpan(_start, OcrGiroReader.RecordLength + 2);
            var head = Vector512.Create(span[..64]);        // bytes 0-63
            var tail = Vector512.Create(span.Slice(16, 64)); // bytes 16-79
            var lf = Vector512.Create((byte)'\n');
            var cr = Vector512.Create((byte)'\r');
            var end = span[OcrGiroReader.RecordLength];
            if (end is not ((byte)'\n' or (byte)'\r')
                || (Vector512.Equals(head, lf) | Vector512.Equals(head, cr) | Vector512.Equals(tail, lf) | Vector512.Equals(tail, cr)) != Vector512<byte>.Zero)
                return false;
            var chars = System.Runtime.InteropServices.MemoryMarshal.Cast<char, ushort>(_chars.AsSpan(0, OcrGiroReader.RecordLength));
            var (c0, c32) = Vector512.Widen(head);
            c0.CopyTo(chars);
            c32.CopyTo(chars[32..]);
            Vector512.Widen(tail).Upper.CopyTo(chars[48..]);  // characters 48-79
            var zero = Vector512.Create((byte)'0');
            var nine = Vector512.Create((byte)9);
            Current.SetDigits(Vector512.LessThanOrEqual(head - zero, nine).ExtractMostSignificantBits(),
                Vector512.LessThanOrEqual(tail - zero, nine).ExtractMostSignificantBits() >> 48);
            _start += OcrGiroReader.RecordLength + (end == (byte)'\r' && span[^1] == (byte)'\n' ? 2 : 1);
            Current.Number++;
            Current.Length = OcrGiroReader.RecordLength;
            Current.KeptLength = OcrGiroReader.RecordLength;
            return true;
        }

        private bool Fill()
        {
            if (_eof) return false;
            _start = 0;
            _end = _stream.Read(_buffer, 0, _buffer.Length);
            if (_end == 0) _eof = true;
            return _end > 0;
        }
    }
}
