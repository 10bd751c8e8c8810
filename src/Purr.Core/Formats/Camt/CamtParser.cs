using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Purr.Core.Formats.Camt;

/// <summary>
/// The streaming state machine behind <see cref="CamtReader"/>. It walks Document → message → Stmt/Ntfctn →
/// Ntry → NtryDtls → TxDtls with an <see cref="XmlReader"/>. The per-transaction parts (an Ntry header, each
/// TxDtls) are read field by field from the reader, with element names compared as atomized strings of the
/// reader's name table; the once-per-statement parts (GrpHdr, Acct, Bal, TxsSummry) are loaded as small
/// <see cref="XElement"/>s and dropped.
/// </summary>
internal sealed class CamtParser(Stream stream, string file, BankFileSummaryBuilder summary)
{
    internal static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    };

    private const int MaxMergedReferences = 100;
    private const int MaxMergedText = 2000;

    private XmlReader _r = null!;
    private Names _n = null!;
    private XNamespace _ns = XNamespace.None;
    private string _nsUri = "";
    private BankFileFormat _kind;
    private string? _messageId;
    private int _sequence;
    private readonly UniqueReferences _references = summary.References = new();

    // Records produced by the (non-iterator) entry and detail code, yielded by ParseEntry.
    private readonly List<BankRecord> _out = [];
    private DetailState? _spareDetail;

    public string File => file;

    /// <summary>XPath of the element being read, for errors raised by the XML reader itself.</summary>
    public string? CurrentPath { get; private set; }

    public int CurrentLine => _r is IXmlLineInfo info ? info.LineNumber : 0;

    public IEnumerable<BankRecord> Parse()
    {
        var settings = Settings.Clone();
        settings.NameTable = new NameTable();
        _n = new Names(settings.NameTable);
        using var reader = XmlReader.Create(stream, settings);
        _r = reader;
        var found = CamtReader.FindCamtElement(reader, out var root, out var path);
        if (found is null)
        {
            yield return Error(Math.Max(root.Line, 1), root.Name.Length > 0 ? "/" + root.Name : null,
                root.Name.Length > 0 ? NamespaceDisplay(root.Ns) : null,
                root.Name.Length > 0
                    ? $"an ISO 20022 camt.053 or camt.054 document (namespace {CamtReader.NamespaceStem}053.001.NN or {CamtReader.NamespaceStem}054.001.NN); the root element <{root.Name}> is in another namespace"
                    : "an XML document with a root element");
            yield break;
        }
        var (message, version) = found.Value;
        var nsUri = _r.NamespaceURI;
        CurrentPath = path;
        _kind = CamtReader.KindOf(message);
        if (_kind == BankFileFormat.Unknown || version < 2)
        {
            yield return Error(CurrentLine, path, nsUri, _kind == BankFileFormat.Unknown
                ? "camt.053 (account statement) or camt.054 (debit/credit notification); other camt messages such as camt.052 are not read here"
                : "message version .001.02 or later");
            yield break;
        }
        _ns = nsUri;
        _nsUri = nsUri;
        summary.Format = _kind;
        summary.Version = $"camt.{message}.001.{version:00}";
        var messageName = _kind == BankFileFormat.Camt053 ? "BkToCstmrStmt" : "BkToCstmrDbtCdtNtfctn";
        var statementName = _kind == BankFileFormat.Camt053 ? "Stmt" : "Ntfctn";

        if (_r.LocalName == "Document")
        {
            var documentLine = CurrentLine;
            var depth = Enter();
            if (!NextChild(depth))
            {
                yield return Error(documentLine, path, null, $"a <{messageName}> element inside <Document>");
                yield break;
            }
            path += "/" + _r.LocalName;
            CurrentPath = path;
        }
        if (_r.LocalName != messageName || _r.NamespaceURI != nsUri)
        {
            yield return Error(CurrentLine, path, _r.LocalName, $"the <{messageName}> message element of a camt.{message} document");
            yield break;
        }

        var messageLine = CurrentLine;
        var messageDepth = Enter();
        var statementIndex = 0;
        while (NextChild(messageDepth))
        {
            if (_r.NamespaceURI != nsUri) { _r.Skip(); continue; }
            if (_r.LocalName == "GrpHdr")
            {
                var header = Load();
                _messageId = Text(header.Element(_ns + "MsgId"));
                summary.MessageId = _messageId;
            }
            else if (_r.LocalName == statementName)
            {
                statementIndex++;
                foreach (var record in ParseStatement($"{path}/{statementName}[{statementIndex}]", statementIndex))
                    yield return record;
                CurrentPath = path;
            }
            else
            {
                _r.Skip();
            }
        }
        if (statementIndex == 0)
            yield return Error(messageLine, path, null, $"at least one <{statementName}> element in <{messageName}>");
    }

    // ------------------------------------------------------------------------------------------------------
    // Statement (Stmt / Ntfctn)

    private IEnumerable<BankRecord> ParseStatement(string xpath, int index)
    {
        CurrentPath = xpath;
        var st = new StatementState { XPath = xpath, Line = CurrentLine, Index = index };
        var depth = Enter();
        var entryIndex = 0;
        while (NextChild(depth))
        {
            if (_r.NamespaceURI != _ns.NamespaceName) { _r.Skip(); continue; }
            switch (_r.LocalName)
            {
                case "Id":
                    st.Id = Text(Load());
                    break;
                case "Acct":
                    var acct = Load();
                    st.Account = AccountId(acct);
                    st.AccountCurrency = Text(acct.Element(_ns + "Ccy"));
                    break;
                case "Bal":
                    var balPath = $"{xpath}/Bal[{st.Balances.Count + st.BrokenBalances + 1}]";
                    foreach (var error in ParseBalance(Load(), balPath, st)) yield return BankRecord.Of(error);
                    break;
                case "TxsSummry":
                    st.Summary = Load();
                    break;
                case "Ntry":
                    entryIndex++;
                    foreach (var record in ParseEntry(st, entryIndex, $"{xpath}/Ntry[{entryIndex}]")) yield return record;
                    CurrentPath = xpath;
                    break;
                default:
                    _r.Skip();
                    break;
            }
        }
        foreach (var error in CheckTransactionSummary(st)) yield return BankRecord.Of(error);
        summary.AddStatement(Finish(st));
    }

    private IEnumerable<InputError> ParseBalance(XElement bal, string xpath, StatementState st)
    {
        var tp = bal.Element(_ns + "Tp")?.Element(_ns + "CdOrPrtry");
        var type = Text(tp?.Element(_ns + "Cd")) ?? Text(tp?.Element(_ns + "Prtry")) ?? "";
        var errors = new List<InputError>();
        var amount = ParseMoney(bal.Element(_ns + "Amt"), bal, xpath, "Amt", errors);
        var credit = ParseCreditDebit(bal.Element(_ns + "CdtDbtInd"), bal, xpath, required: true, errors);
        var date = ParseDateChoice(bal.Element(_ns + "Dt"), bal, xpath, errors);
        if (errors.Count > 0 || amount is null || credit is null)
        {
            st.BrokenBalances++;
            return errors;
        }
        st.Balances.Add(new StatementBalance(type, credit.Value ? amount.Value : -amount.Value, date, LineOf(bal), xpath));
        return errors;
    }

    private IEnumerable<InputError> CheckTransactionSummary(StatementState st)
    {
        if (st.Summary is not { } ts) yield break;
        var xpath = $"{st.XPath}/TxsSummry";
        var total = ts.Element(_ns + "TtlNtries");
        if (total is not null)
        {
            foreach (var e in CheckCountAndSum(total, $"{xpath}/TtlNtries", st.EntryCount, st.Gross, st, "entries")) yield return e;

            // Net total: v2 TtlNetNtryAmt + CdtDbtInd; v3+ TtlNetNtry/Amt + TtlNetNtry/CdtDbtInd.
            var netV2 = total.Element(_ns + "TtlNetNtryAmt");
            var netV4 = total.Element(_ns + "TtlNetNtry");
            var netAmount = netV2 ?? netV4?.Element(_ns + "Amt");
            var netSign = netV2 is not null ? total.Element(_ns + "CdtDbtInd") : netV4?.Element(_ns + "CdtDbtInd");
            if (netAmount is not null && !st.HadBrokenEntry)
            {
                if (!CamtValues.TryParseDecimal(netAmount.Value, out var declared))
                {
                    yield return Error(netAmount, ts, xpath, netAmount.Value, "a decimal number");
                }
                else
                {
                    var errors = new List<InputError>();
                    var credit = netSign is null ? true : ParseCreditDebit(netSign, ts, xpath, required: false, errors);
                    foreach (var e in errors) yield return e;
                    if (credit is not null)
                    {
                        var signed = credit.Value ? declared : -declared;
                        if (signed != st.NetAll)
                        {
                            var note = signed == st.NetAllReversalsFlipped
                                ? " It matches only if reversal entries (RvslInd) count against their CdtDbtInd; this reader keeps the CdtDbtInd sign, as ISO 20022 defines it."
                                : "";
                            summary.AddWarning(Error(netAmount, ts, xpath, netAmount.Value,
                                $"the net of the entries, {Signed(st.NetAll)}; the file states {Signed(signed)}.{note}"));
                        }
                    }
                }
            }
        }
        var credits = ts.Element(_ns + "TtlCdtNtries");
        if (credits is not null)
            foreach (var e in CheckCountAndSum(credits, $"{xpath}/TtlCdtNtries", st.CreditEntries, st.GrossCredit, st, "credit entries")) yield return e;
        var debits = ts.Element(_ns + "TtlDbtNtries");
        if (debits is not null)
            foreach (var e in CheckCountAndSum(debits, $"{xpath}/TtlDbtNtries", st.DebitEntries, st.GrossDebit, st, "debit entries")) yield return e;
    }

    private IEnumerable<InputError> CheckCountAndSum(XElement totals, string xpath, int count, decimal sum, StatementState st, string what)
    {
        var nb = totals.Element(_ns + "NbOfNtries");
        if (nb is not null)
        {
            if (!CamtValues.TryParseCount(nb.Value, out var declared))
                yield return Error(nb, totals, xpath, nb.Value, "a number of entries (digits)");
            else if (declared != count)
                yield return Error(nb, totals, xpath, nb.Value, $"the number of {what} in the statement, {count}");
        }
        var sumElement = totals.Element(_ns + "Sum");
        if (sumElement is not null && !st.HadBrokenEntry)
        {
            if (!CamtValues.TryParseDecimal(sumElement.Value, out var declared))
                yield return Error(sumElement, totals, xpath, sumElement.Value, "a decimal number");
            else if (declared != sum)
                yield return Error(sumElement, totals, xpath, sumElement.Value,
                    $"the sum of the {what}' amounts, {sum.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    private StatementSummary Finish(StatementState st)
    {
        var opening = st.Balances.FirstOrDefault(b => b.Type == "OPBD") ?? st.Balances.FirstOrDefault(b => b.Type == "PRCD");
        var closing = st.Balances.FirstOrDefault(b => b.Type == "CLBD");
        bool? reconciles = null;
        if (opening is not null && closing is not null && opening.Amount.Currency == closing.Amount.Currency && !st.HadBrokenEntry)
        {
            var net = st.BookedNet.GetValueOrDefault(opening.Amount.Currency.Code);
            var expected = opening.Amount.Amount + net;
            reconciles = expected == closing.Amount.Amount;
            if (reconciles == false)
                summary.AddWarning(new InputError(file, closing.Line, null, closing.Amount.ToDecimalString(),
                    $"the closing balance (CLBD) to equal the opening balance ({opening.Type}) {opening.Amount.ToDecimalString()} plus the booked {opening.Amount.Currency.Code} entries {Signed(net)} = {expected.ToString(CultureInfo.InvariantCulture)}",
                    closing.XPath));
        }
        return new StatementSummary
        {
            Id = st.Id,
            Account = st.Account,
            AccountCurrency = st.AccountCurrency,
            Line = st.Line,
            XPath = st.XPath,
            EntryCount = st.EntryCount,
            DetailCount = st.DetailCount,
            TransactionCount = st.TransactionCount,
            Totals = BankFileSummaryBuilder.ToTotals(st.Totals),
            Balances = st.Balances.ToList(),
            Opening = opening?.Amount,
            Closing = closing?.Amount,
            Reconciles = reconciles,
        };
    }

    // ------------------------------------------------------------------------------------------------------
    // Entry (Ntry)
    //
    // The hot path: an Ntry header and each TxDtls are read field by field straight from the XmlReader (names are
    // compared as atomized references), into small state objects; errors are built from the captured raw values
    // and positions once the element has been read, with the same lines and XPaths a loaded XElement would give.

    private IEnumerable<BankRecord> ParseEntry(StatementState st, int index, string xpath)
    {
        CurrentPath = xpath;
        st.EntryCount++;
        var e = new EntryState { Statement = st, Index = index, XPath = xpath, Line = CurrentLine };
        var depth = Enter();
        var detailsIndex = 0;
        while (NextChild(depth))
        {
            if (!InNamespace()) { _r.Skip(); continue; }
            var name = _r.LocalName;
            if (Is(name, _n.NtryDtls))
            {
                if (!e.HeaderDone)
                {
                    FinishHeader(e);
                    for (var i = 0; i < _out.Count; i++) yield return _out[i];
                    _out.Clear();
                }
                detailsIndex++;
                if (e.Broken) { _r.Skip(); continue; }
                var detailsPath = string.Concat(xpath, "/NtryDtls[", Number(detailsIndex), "]");
                var detailsDepth = Enter();
                var txIndex = 0;
                while (NextChild(detailsDepth))
                {
                    if (!Is(_r.LocalName, _n.TxDtls) || !InNamespace()) { _r.Skip(); continue; }
                    txIndex++;
                    var txPath = string.Concat(detailsPath, "/TxDtls[", Number(txIndex), "]");
                    CurrentPath = txPath;
                    // A detail that was emitted (or merged) is not referenced any more: its object is reused for the next one.
                    var d = _spareDetail ?? new DetailState();
                    _spareDetail = null;
                    d.Reset(CurrentLine, txPath, e.DetailCount + 1);
                    ReadDetail(d);
                    OnDetail(e, d);
                    if (e.First != d) _spareDetail = d;
                    CurrentPath = xpath;
                    for (var i = 0; i < _out.Count; i++) yield return _out[i];
                    _out.Clear();
                }
            }
            else if (Is(name, _n.AddtlNtryInf))
            {
                e.AdditionalInfo = Text(ReadValue());
            }
            else if (!e.HeaderDone)
            {
                ReadHeaderField(e, name);
            }
            else
            {
                _r.Skip();
            }
        }
        if (!e.HeaderDone) FinishHeader(e);
        if (!e.Broken) FinishEntry(e);
        else st.HadBrokenEntry = true;
        for (var i = 0; i < _out.Count; i++) yield return _out[i];
        _out.Clear();
    }

    /// <summary>Reads one of the header fields of an Ntry (the first of each name counts), or skips the element.</summary>
    private void ReadHeaderField(EntryState e, string name)
    {
        var bit = HeaderBit(name);
        if (bit == 0 || (e.HeaderSeen & bit) != 0)
        {
            _r.Skip();
            return;
        }
        e.HeaderSeen |= bit;
        if (bit == HeaderAmt) e.Amount = ReadAmount();
        else if (bit == HeaderCdtDbtInd) e.CreditDebit = ReadField();
        else if (bit == HeaderRvslInd) e.ReversalField = ReadField();
        else if (bit == HeaderSts) e.StatusField = ReadStatus();
        else if (bit == HeaderBookgDt) e.BookingDateField = ReadDateChoice();
        else if (bit == HeaderValDt) e.ValueDateField = ReadDateChoice();
        else if (bit == HeaderAcctSvcrRef) e.AccountServicerReference = Text(ReadValue());
        else if (bit == HeaderNtryRef) e.EntryReference = Text(ReadValue());
        else e.BankTransactionCode = ReadTransactionCode();
    }

    private const int HeaderNtryRef = 1, HeaderAmt = 2, HeaderCdtDbtInd = 4, HeaderRvslInd = 8, HeaderSts = 16,
        HeaderBookgDt = 32, HeaderValDt = 64, HeaderAcctSvcrRef = 128, HeaderBkTxCd = 256;

    // Ntry children that make up the entry header; the rest (AmtDtls, Chrgs, Intrst, CardTx, ...) is skipped.
    private int HeaderBit(string name) =>
        Is(name, _n.Amt) ? HeaderAmt
        : Is(name, _n.CdtDbtInd) ? HeaderCdtDbtInd
        : Is(name, _n.Sts) ? HeaderSts
        : Is(name, _n.BookgDt) ? HeaderBookgDt
        : Is(name, _n.ValDt) ? HeaderValDt
        : Is(name, _n.AcctSvcrRef) ? HeaderAcctSvcrRef
        : Is(name, _n.BkTxCd) ? HeaderBkTxCd
        : Is(name, _n.NtryRef) ? HeaderNtryRef
        : Is(name, _n.RvslInd) ? HeaderRvslInd
        : 0;

    private void FinishHeader(EntryState e)
    {
        e.HeaderDone = true;
        var before = _out.Count;
        var amount = ParseMoney(e.Amount, e.XPath + "/Amt", e.Line, e.XPath);
        bool? credit = null;
        if (!e.CreditDebit.Present)
            AddError(e.Line, null, "a credit/debit indicator (CdtDbtInd): CRDT or DBIT", e.XPath);
        else
            credit = ParseCreditDebit(e.CreditDebit, e.XPath + "/CdtDbtInd");
        if (e.ReversalField.Present)
        {
            if (CamtValues.TryParseBoolean(e.ReversalField.Value, out var reversal)) e.Reversal = reversal;
            else AddError(e.ReversalField.Line, e.ReversalField.Value, "true or false", e.XPath + "/RvslInd");
        }
        if (e.StatusField.Present)
        {
            // v2..v7: <Sts>BOOK</Sts>; v8+: <Sts><Cd>BOOK</Cd></Sts> (or Prtry).
            var sts = e.StatusField;
            e.Status = sts.HasElements ? Text(sts.Code) ?? Text(sts.Proprietary) : Text(sts.Value);
            if (string.IsNullOrEmpty(e.Status)) AddError(sts.Line, sts.Value, "an entry status code (BOOK, PDNG, INFO, ...)", e.XPath + "/Sts");
        }
        else
        {
            AddError(e.Line, null, "an entry status (Sts), which ISO 20022 requires", e.XPath);
        }
        e.BookingDate = ParseDateChoice(e.BookingDateField, e.XPath + "/BookgDt");
        e.ValueDate = ParseDateChoice(e.ValueDateField, e.XPath + "/ValDt");
        if (amount is null || credit is null || _out.Count > before)
        {
            e.Broken = true;
            return;
        }
        e.Credit = credit.Value;
        e.Signed = credit.Value ? amount.Value : -amount.Value;
    }

    private void OnDetail(EntryState e, DetailState d)
    {
        e.DetailCount++;
        e.Statement.DetailCount++;
        if (!CheckDetail(d)) { e.HadBrokenDetail = true; return; }

        switch (e.Mode)
        {
            case DetailMode.Undecided when e.First is null:
                e.First = d; // wait: one TxDtls is the entry, several are a batch
                break;
            case DetailMode.Undecided:
                var first = e.First!;
                e.First = null;
                if (Usable(e, first) && Usable(e, d))
                {
                    e.Mode = DetailMode.Each;
                    EmitDetail(e, first);
                    EmitDetail(e, d);
                }
                else
                {
                    e.Mode = DetailMode.Merged;
                    e.Merged = new MergedDetails();
                    e.Merged.Add(first);
                    e.Merged.Add(d);
                }
                break;
            case DetailMode.Each:
                if (Usable(e, d))
                {
                    EmitDetail(e, d);
                }
                else
                {
                    e.HadBrokenDetail = true;
                    AddError(d.Line, d.Amount is null ? null : $"{d.Amount.Value.ToString(CultureInfo.InvariantCulture)} {d.Currency?.Code}",
                        $"an amount in {e.Signed.Currency.Code} (AmtDtls/TxAmt/Amt or Amt): every transaction of a batch entry needs its own amount, as the ones before it have", d.XPath, clip: false);
                }
                break;
            case DetailMode.Merged:
                e.Merged!.Add(d);
                break;
        }
    }

    private static bool Usable(EntryState e, DetailState d) => d.Amount is not null && d.Currency == e.Signed.Currency;

    private void EmitDetail(EntryState e, DetailState d)
    {
        var amount = new Money(d.Amount!.Value, d.Currency!.Value);
        var signed = (d.Credit ?? e.Credit) ? amount : -amount;
        e.DetailSum += signed.Amount;
        var reference = d.AccountServicerReference is { } own && own != e.AccountServicerReference
            ? own
            : string.Concat(EntryKey(e), "/", Number(d.Sequence));
        Emit(e, d, signed, reference, d.Sequence, merged: null);
    }

    private void FinishEntry(EntryState e)
    {
        var st = e.Statement;
        BankFileSummaryBuilder.Accumulate(st.Totals, e.Signed);
        var magnitude = Math.Abs(e.Signed.Amount);
        st.Gross += magnitude;
        if (e.Credit) { st.CreditEntries++; st.GrossCredit += magnitude; }
        else { st.DebitEntries++; st.GrossDebit += magnitude; }
        st.NetAll += e.Signed.Amount;
        st.NetAllReversalsFlipped += e.Reversal ? -e.Signed.Amount : e.Signed.Amount;
        if (e.Status == "BOOK")
            st.BookedNet[e.Signed.Currency.Code] = st.BookedNet.GetValueOrDefault(e.Signed.Currency.Code) + e.Signed.Amount;

        if (e.HadBrokenDetail) return; // errors already reported; a partial entry must not be half-imported silently

        switch (e.Mode)
        {
            case DetailMode.Undecided when e.First is null:
                Emit(e, null, e.Signed, e.AccountServicerReference ?? EntryKey(e), 0, merged: null);
                break;
            case DetailMode.Undecided:
                var d = e.First!;
                if (d.Amount is { } txAmount && d.Currency == e.Signed.Currency && txAmount != Math.Abs(e.Signed.Amount))
                    summary.AddWarning(new InputError(file, d.Line, null, txAmount.ToString(CultureInfo.InvariantCulture),
                        $"the transaction amount to equal the booked entry amount {Math.Abs(e.Signed.Amount).ToString(CultureInfo.InvariantCulture)} {e.Signed.Currency.Code}; the booked entry amount is used", d.XPath));
                var reference = e.AccountServicerReference ?? d.AccountServicerReference ?? EntryKey(e);
                Emit(e, d, e.Signed, reference, d.Sequence, merged: null);
                break;
            case DetailMode.Each:
                if (e.DetailSum != e.Signed.Amount)
                    AddError(e.Line, Signed(e.Signed.Amount),
                        $"the entry amount to equal the sum of its {e.DetailCount} transactions (TxDtls), {e.Signed.Currency.Code} {Signed(e.DetailSum)}", e.XPath, clip: false);
                break;
            case DetailMode.Merged:
                Emit(e, null, e.Signed, e.AccountServicerReference ?? EntryKey(e), 0, e.Merged);
                break;
        }
    }

    private string EntryKey(EntryState e) =>
        e.AccountServicerReference ?? (e.DerivedKey ??= $"camt:{_messageId ?? "-"}:{e.Statement.Index}:{e.Index}");

    private void Emit(EntryState e, DetailState? d, Money signed, string reference, int detailSequence, MergedDetails? merged)
    {
        var line = d?.Line ?? e.Line;
        var xpath = d?.XPath ?? e.XPath;
        if (!_references.Add(reference, line, out var firstLine))
        {
            AddError(line, reference, BankFileReading.DuplicateReference(firstLine), xpath, clip: false);
            return;
        }
        IReadOnlyList<string> references = merged?.References ?? d?.References.ToList() ?? [];
        string? kid = merged is null ? (references.Count > 0 ? references[0] : null) : merged.References.Count == 1 ? merged.References[0] : null;
        _sequence++;
        e.Statement.TransactionCount++;
        _out.Add(BankRecord.Of(new CamtBankTransaction(
            format: _kind,
            sequence: _sequence,
            source: new SourceLocation(file, line, xpath),
            amount: signed,
            bookingDate: e.BookingDate,
            valueDate: e.ValueDate,
            bankReference: reference,
            endToEndId: merged is null ? d?.EndToEndId : merged.EndToEndId.Value,
            kid: kid,
            references: references,
            documentNumbers: merged?.DocumentNumbers ?? d?.DocumentNumbers.ToList() ?? [],
            freeText: merged is null ? d?.Unstructured.Join() : Join(merged.Unstructured),
            payerName: merged is null ? d?.PayerName : merged.PayerName.Value,
            payerAccount: merged is null ? d?.PayerAccount : merged.PayerAccount.Value,
            account: e.Statement.Account,
            isReversal: e.Reversal,
            isBooked: e.Status == "BOOK",
            camt: new CamtEntryDetails
            {
                MessageId = _messageId,
                StatementId = e.Statement.Id,
                EntrySequence = e.Index,
                DetailSequence = detailSequence,
                EntryAmount = e.Signed,
                EntryAccountServicerReference = e.AccountServicerReference,
                AccountServicerReference = d?.AccountServicerReference,
                EntryReference = e.EntryReference,
                Status = e.Status,
                BankTransactionCode = d?.BankTransactionCode ?? e.BankTransactionCode,
                InstructionId = d?.InstructionId,
                TransactionId = d?.TransactionId,
                AdditionalInfo = d?.AdditionalInfo ?? (detailSequence == 0 || e.Mode == DetailMode.Undecided ? e.AdditionalInfo : null),
                ReturnReason = merged is null ? d?.ReturnReason : null,
                IsMergedBatch = merged is not null,
            })));
    }

    // ------------------------------------------------------------------------------------------------------
    // Transaction details (TxDtls)

    /// <summary>Reads the TxDtls the reader is on into <paramref name="d"/> and moves past it.</summary>
    private void ReadDetail(DetailState d)
    {
        var depth = Enter();
        while (NextChild(depth))
        {
            if (!InNamespace()) { _r.Skip(); continue; }
            var n = _r.LocalName;
            if (Is(n, _n.Refs)) { if (d.RefsCount++ == 0) ReadRefs(d); else _r.Skip(); }
            else if (Is(n, _n.AmtDtls)) { if (d.AmtDtlsCount++ == 0) ReadAmountDetails(d); else _r.Skip(); }
            else if (Is(n, _n.RltdPties)) { if (d.PartiesCount++ == 0) ReadParties(d); else _r.Skip(); }
            else if (Is(n, _n.RmtInf)) { if (d.RemittanceCount++ == 0) ReadRemittance(d); else _r.Skip(); }
            else if (Is(n, _n.Amt)) { if (d.AmtCount++ == 0) d.DirectAmount = ReadAmount(); else _r.Skip(); }
            else if (Is(n, _n.CdtDbtInd)) { if (d.CreditDebitCount++ == 0) d.CreditDebit = ReadField(); else _r.Skip(); }
            else if (Is(n, _n.AddtlTxInf)) { if (d.AdditionalInfoCount++ == 0) d.AdditionalInfo = Text(ReadValue()); else _r.Skip(); }
            else if (Is(n, _n.RtrInf)) { if (d.ReturnCount++ == 0) ReadReturn(d); else _r.Skip(); }
            else if (Is(n, _n.BkTxCd)) { if (d.CodeCount++ == 0) d.BankTransactionCode = ReadTransactionCode(); else _r.Skip(); }
            else _r.Skip();
        }
    }

    private void ReadRefs(DetailState d)
    {
        bool acct = false, e2e = false, instr = false, tx = false;
        var depth = Enter();
        while (NextChild(depth))
        {
            if (!InNamespace()) { _r.Skip(); continue; }
            var n = _r.LocalName;
            if (!acct && Is(n, _n.AcctSvcrRef)) { acct = true; d.AccountServicerReference = Text(ReadValue()); }
            else if (!e2e && Is(n, _n.EndToEndId))
            {
                e2e = true;
                var endToEnd = Text(ReadValue());
                d.EndToEndId = string.Equals(endToEnd, "NOTPROVIDED", StringComparison.OrdinalIgnoreCase) ? null : endToEnd;
            }
            else if (!instr && Is(n, _n.InstrId)) { instr = true; d.InstructionId = Text(ReadValue()); }
            else if (!tx && Is(n, _n.TxId)) { tx = true; d.TransactionId = Text(ReadValue()); }
            else _r.Skip();
        }
    }

    // AmtDtls/TxAmt/Amt: the first of each.
    private void ReadAmountDetails(DetailState d)
    {
        var depth = Enter();
        while (NextChild(depth))
        {
            if (!InNamespace() || !Is(_r.LocalName, _n.TxAmt) || d.TxAmtCount++ > 0) { _r.Skip(); continue; }
            var txAmtDepth = Enter();
            while (NextChild(txAmtDepth))
            {
                if (!InNamespace() || !Is(_r.LocalName, _n.Amt) || d.TxAmtAmtCount++ > 0) { _r.Skip(); continue; }
                d.NestedAmount = ReadAmount();
            }
        }
    }

    // RltdPties: Dbtr/Nm (v2..v7) or Dbtr/Pty/Nm (v8+), and DbtrAcct.
    private void ReadParties(DetailState d)
    {
        bool debtor = false, account = false;
        var depth = Enter();
        while (NextChild(depth))
        {
            if (!InNamespace()) { _r.Skip(); continue; }
            var n = _r.LocalName;
            if (!debtor && Is(n, _n.Dbtr))
            {
                debtor = true;
                string? name = null, partyName = null;
                bool nameSeen = false, partySeen = false;
                var debtorDepth = Enter();
                while (NextChild(debtorDepth))
                {
                    if (!InNamespace()) { _r.Skip(); continue; }
                    if (!nameSeen && Is(_r.LocalName, _n.Nm)) { nameSeen = true; name = Text(ReadValue()); }
                    else if (!partySeen && Is(_r.LocalName, _n.Pty)) { partySeen = true; partyName = ReadFirstText(_n.Nm); }
                    else _r.Skip();
                }
                d.PayerName = name ?? partyName;
            }
            else if (!account && Is(n, _n.DbtrAcct))
            {
                account = true;
                d.PayerAccount = ReadAccountId();
            }
            else _r.Skip();
        }
    }

    // RmtInf: every Ustrd, and every Strd's CdtrRefInf/Ref and RfrdDocInf/Nb.
    private void ReadRemittance(DetailState d)
    {
        var depth = Enter();
        while (NextChild(depth))
        {
            if (!InNamespace()) { _r.Skip(); continue; }
            var n = _r.LocalName;
            if (Is(n, _n.Ustrd))
            {
                if (Text(ReadValue()) is { } line) d.Unstructured.Add(line);
            }
            else if (Is(n, _n.Strd))
            {
                var strdDepth = Enter();
                while (NextChild(strdDepth))
                {
                    if (!InNamespace()) { _r.Skip(); continue; }
                    // Any CdtrRefInf/Ref counts: Tp/CdOrPrtry/Cd = SCOR, a proprietary type, or no type at all.
                    if (Is(_r.LocalName, _n.CdtrRefInf))
                    {
                        if (ReadFirstText(_n.Ref) is { } r && CamtValues.StripSpaces(r) is { Length: > 0 } compact && !d.References.Contains(compact))
                            d.References.Add(compact);
                    }
                    else if (Is(_r.LocalName, _n.RfrdDocInf))
                    {
                        if (ReadFirstText(_n.Nb) is { } nb && !d.DocumentNumbers.Contains(nb))
                            d.DocumentNumbers.Add(nb);
                    }
                    else _r.Skip();
                }
            }
            else _r.Skip();
        }
    }

    // RtrInf/Rsn: Cd, else Prtry.
    private void ReadReturn(DetailState d)
    {
        var depth = Enter();
        var reason = false;
        while (NextChild(depth))
        {
            if (reason || !InNamespace() || !Is(_r.LocalName, _n.Rsn)) { _r.Skip(); continue; }
            reason = true;
            var (code, proprietary) = ReadCodeOrProprietary();
            d.ReturnReason = code ?? proprietary;
        }
    }

    /// <summary>Checks the values of a detail that has been read; its errors go to the output. False when it has any.</summary>
    private bool CheckDetail(DetailState d)
    {
        var before = _out.Count;
        // AmtDtls/TxAmt/Amt, else TxDtls/Amt.
        if (d.NestedAmount.Present)
        {
            var path = string.Concat(d.XPath, "/AmtDtls", d.AmtDtlsCount > 1 ? "[1]" : "", "/TxAmt", d.TxAmtCount > 1 ? "[1]" : "", "/Amt", d.TxAmtAmtCount > 1 ? "[1]" : "");
            SetAmount(d, ParseMoney(d.NestedAmount, path, d.Line, d.XPath));
        }
        else if (d.DirectAmount.Present)
        {
            SetAmount(d, ParseMoney(d.DirectAmount, d.XPath + (d.AmtCount > 1 ? "/Amt[1]" : "/Amt"), d.Line, d.XPath));
        }
        if (d.CreditDebit.Present)
            d.Credit = ParseCreditDebit(d.CreditDebit, d.XPath + (d.CreditDebitCount > 1 ? "/CdtDbtInd[1]" : "/CdtDbtInd"));
        return _out.Count == before;

        static void SetAmount(DetailState d, Money? money)
        {
            if (money is { } m) { d.Amount = m.Amount; d.Currency = m.Currency; }
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Values read from the reader

    /// <summary>An amount element as read: its line, Ccy attribute and text, checked later.</summary>
    private readonly record struct RawAmount(bool Present, int Line, string? Ccy, string Value);

    /// <summary>A simple element as read: its line and text.</summary>
    private readonly record struct RawField(bool Present, int Line, string Value);

    /// <summary>An entry status as read: v2..v7 text, or v8+ Cd / Prtry children.</summary>
    private readonly record struct RawStatus(bool Present, int Line, string Value, bool HasElements, string? Code, string? Proprietary);

    /// <summary>A DateAndDateTimeChoice as read: its text, and its first Dt and DtTm with how many there are of each.</summary>
    private readonly record struct RawDateChoice(bool Present, int Line, string Value, RawField Date, int DateCount, RawField DateTime, int DateTimeCount);

    private RawAmount ReadAmount()
    {
        var line = CurrentLine;
        var ccy = _r.GetAttribute(_n.Ccy, string.Empty);
        return new RawAmount(true, line, ccy, ReadValue());
    }

    private RawField ReadField()
    {
        var line = CurrentLine;
        return new RawField(true, line, ReadValue());
    }

    private RawStatus ReadStatus()
    {
        var line = CurrentLine;
        string? code = null, proprietary = null;
        bool codeSeen = false, proprietarySeen = false, hasElements = false;
        var text = ReadMixed(() =>
        {
            hasElements = true;
            if (!InNamespace()) return null;
            if (!codeSeen && Is(_r.LocalName, _n.Cd)) { codeSeen = true; var v = ReadValue(); code = Text(v); return v; }
            if (!proprietarySeen && Is(_r.LocalName, _n.Prtry)) { proprietarySeen = true; var v = ReadValue(); proprietary = Text(v); return v; }
            return null;
        });
        return new RawStatus(true, line, text, hasElements, code, proprietary);
    }

    private RawDateChoice ReadDateChoice()
    {
        var line = CurrentLine;
        RawField date = default, dateTime = default;
        int dates = 0, dateTimes = 0;
        var text = ReadMixed(() =>
        {
            if (!InNamespace()) return null;
            if (Is(_r.LocalName, _n.Dt)) { if (dates++ > 0) return null; date = ReadField(); return date.Value; }
            if (Is(_r.LocalName, _n.DtTm)) { if (dateTimes++ > 0) return null; dateTime = ReadField(); return dateTime.Value; }
            return null;
        });
        return new RawDateChoice(true, line, text, date, dates, dateTime, dateTimes);
    }

    /// <summary>
    /// Reads the element the reader is on and returns all its text (as XElement.Value would), moving past it. For
    /// each child element, <paramref name="child"/> may read it and return its text; when it returns null, the
    /// child is read here.
    /// </summary>
    private string ReadMixed(Func<string?> child)
    {
        if (_r.IsEmptyElement) { _r.Read(); return ""; }
        var depth = _r.Depth;
        _r.Read();
        var text = new StringBuilder();
        while (!_r.EOF)
        {
            switch (_r.NodeType)
            {
                case XmlNodeType.Element when _r.Depth == depth + 1:
                    text.Append(child() ?? ReadValue());
                    continue;
                case XmlNodeType.EndElement when _r.Depth == depth:
                    _r.Read();
                    return text.ToString();
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    text.Append(_r.Value);
                    break;
            }
            _r.Read();
        }
        return text.ToString();
    }

    /// <summary>Reads the element the reader is on and returns all its text (as XElement.Value would), moving past it.</summary>
    private string ReadValue()
    {
        if (_r.IsEmptyElement) { _r.Read(); return ""; }
        var depth = _r.Depth;
        _r.Read();
        string? first = null;
        StringBuilder? more = null;
        while (!_r.EOF)
        {
            switch (_r.NodeType)
            {
                case XmlNodeType.EndElement when _r.Depth == depth:
                    _r.Read();
                    return more?.ToString() ?? first ?? "";
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    var value = _r.Value;
                    if (first is null) first = value;
                    else (more ??= new StringBuilder(first)).Append(value);
                    break;
            }
            _r.Read();
        }
        return more?.ToString() ?? first ?? "";
    }

    /// <summary>Reads the element the reader is on and returns the trimmed text of its first child <paramref name="name"/>, or null.</summary>
    private string? ReadFirstText(string name)
    {
        string? result = null;
        var seen = false;
        var depth = Enter();
        while (NextChild(depth))
        {
            if (seen || !InNamespace() || !Is(_r.LocalName, name)) { _r.Skip(); continue; }
            seen = true;
            result = Text(ReadValue());
        }
        return result;
    }

    /// <summary>Reads the element the reader is on and returns the trimmed texts of its first Cd and first Prtry children.</summary>
    private (string? Code, string? Proprietary) ReadCodeOrProprietary()
    {
        string? code = null, proprietary = null;
        bool codeSeen = false, proprietarySeen = false;
        var depth = Enter();
        while (NextChild(depth))
        {
            if (!InNamespace()) { _r.Skip(); continue; }
            if (!codeSeen && Is(_r.LocalName, _n.Cd)) { codeSeen = true; code = Text(ReadValue()); }
            else if (!proprietarySeen && Is(_r.LocalName, _n.Prtry)) { proprietarySeen = true; proprietary = Text(ReadValue()); }
            else _r.Skip();
        }
        return (code, proprietary);
    }

    /// <summary>An account (Acct, DbtrAcct): Id/IBAN without spaces, else Id/Othr/Id.</summary>
    private string? ReadAccountId()
    {
        string? iban = null, other = null;
        var idSeen = false;
        var depth = Enter();
        while (NextChild(depth))
        {
            if (idSeen || !InNamespace() || !Is(_r.LocalName, _n.Id)) { _r.Skip(); continue; }
            idSeen = true;
            bool ibanSeen = false, otherSeen = false;
            var idDepth = Enter();
            while (NextChild(idDepth))
            {
                if (!InNamespace()) { _r.Skip(); continue; }
                if (!ibanSeen && Is(_r.LocalName, _n.IBAN)) { ibanSeen = true; iban = Text(ReadValue()) is { } s ? CamtValues.StripSpaces(s) : null; }
                else if (!otherSeen && Is(_r.LocalName, _n.Othr)) { otherSeen = true; other = ReadFirstText(_n.Id); }
                else _r.Skip();
            }
        }
        return iban ?? other;
    }

    /// <summary>Bank transaction code "Domain/Family/SubFamily" (from Domn), else Prtry/Cd.</summary>
    private string? ReadTransactionCode()
    {
        string? domain = null, family = null, subFamily = null, proprietary = null;
        bool domainSeen = false, proprietarySeen = false;
        var depth = Enter();
        while (NextChild(depth))
        {
            if (!InNamespace()) { _r.Skip(); continue; }
            if (!domainSeen && Is(_r.LocalName, _n.Domn))
            {
                domainSeen = true;
                bool codeSeen = false, familySeen = false;
                var domainDepth = Enter();
                while (NextChild(domainDepth))
                {
                    if (!InNamespace()) { _r.Skip(); continue; }
                    if (!codeSeen && Is(_r.LocalName, _n.Cd)) { codeSeen = true; domain = Text(ReadValue()); }
                    else if (!familySeen && Is(_r.LocalName, _n.Fmly))
                    {
                        familySeen = true;
                        bool familyCodeSeen = false, subSeen = false;
                        var familyDepth = Enter();
                        while (NextChild(familyDepth))
                        {
                            if (!InNamespace()) { _r.Skip(); continue; }
                            if (!familyCodeSeen && Is(_r.LocalName, _n.Cd)) { familyCodeSeen = true; family = Text(ReadValue()); }
                            else if (!subSeen && Is(_r.LocalName, _n.SubFmlyCd)) { subSeen = true; subFamily = Text(ReadValue()); }
                            else _r.Skip();
                        }
                    }
                    else _r.Skip();
                }
            }
            else if (!proprietarySeen && Is(_r.LocalName, _n.Prtry))
            {
                proprietarySeen = true;
                proprietary = ReadFirstText(_n.Cd);
            }
            else _r.Skip();
        }
        if (domain is not null)
            return family is null ? (subFamily is null ? domain : string.Concat(domain, "/", subFamily))
                : subFamily is null ? string.Concat(domain, "/", family) : string.Concat(domain, "/", family, "/", subFamily);
        return proprietary;
    }

    /// <summary>Checks a captured amount (Ccy and value); null with an error at <paramref name="xpath"/> when bad, or missing (then at <paramref name="missingLine"/> / <paramref name="missingPath"/>).</summary>
    private Money? ParseMoney(RawAmount raw, string xpath, int missingLine, string missingPath)
    {
        if (!raw.Present)
        {
            AddError(missingLine, null, "an amount element <Amt Ccy=\"...\">", missingPath);
            return null;
        }
        if (!TryCurrency(raw.Ccy, out var currency))
        {
            AddError(raw.Line, raw.Ccy, "a Ccy attribute with a three-letter ISO 4217 currency code", xpath);
            return null;
        }
        if (!CamtValues.TryParseAmount(raw.Value, currency, out var value, out var expected))
        {
            AddError(raw.Line, raw.Value, expected, xpath);
            return null;
        }
        return new Money(value, currency);
    }

    // The currency of the last amount is kept: a file has one or two.
    private string? _lastCcy;
    private Currency _lastCurrency;

    private bool TryCurrency(string? raw, out Currency currency)
    {
        if (raw is not null && raw == _lastCcy)
        {
            currency = _lastCurrency;
            return true;
        }
        if (!Currency.TryParse(raw, out currency) || raw!.Trim() != raw.Trim().ToUpperInvariant()) return false;
        _lastCcy = raw;
        _lastCurrency = currency;
        return true;
    }

    private bool? ParseCreditDebit(RawField raw, string xpath)
    {
        switch (raw.Value.AsSpan().Trim())
        {
            case "CRDT": return true;
            case "DBIT": return false;
            default:
                AddError(raw.Line, raw.Value, "CRDT or DBIT", xpath);
                return null;
        }
    }

    /// <summary>A DateAndDateTimeChoice (BookgDt, ValDt): &lt;Dt&gt; or &lt;DtTm&gt;, as a date.</summary>
    private DateOnly? ParseDateChoice(RawDateChoice choice, string path)
    {
        if (!choice.Present) return null;
        if (choice.DateCount == 0 && choice.DateTimeCount == 0)
        {
            AddError(choice.Line, choice.Value, "a date: <Dt>yyyy-mm-dd</Dt> or <DtTm>", path);
            return null;
        }
        var isDateTime = choice.DateCount == 0;
        var element = isDateTime ? choice.DateTime : choice.Date;
        if (CamtValues.TryParseDate(element.Value, isDateTime, out var date)) return date;
        var elementPath = isDateTime
            ? path + (choice.DateTimeCount > 1 ? "/DtTm[1]" : "/DtTm")
            : path + (choice.DateCount > 1 ? "/Dt[1]" : "/Dt");
        AddError(element.Line, element.Value, isDateTime ? "a date and time yyyy-mm-ddThh:mm:ss" : "a date yyyy-mm-dd", elementPath);
        return null;
    }

    /// <summary>Adds a located error to the output; the raw value is trimmed and clipped unless <paramref name="clip"/> is false.</summary>
    private void AddError(int line, string? raw, string expected, string xpath, bool clip = true) =>
        _out.Add(BankRecord.Of(new InputError(file, line, null, raw is null ? null : clip ? CamtValues.Clip(raw.Trim()) : raw, expected, xpath)));

    // ------------------------------------------------------------------------------------------------------
    // Values of loaded elements (statement level: Bal, TxsSummry)

    /// <summary>Parses an Amt element with its Ccy attribute. Null (and an error) when missing or malformed.</summary>
    private Money? ParseMoney(XElement? element, XElement? root, string rootPath, string name, List<InputError> errors, int fallbackLine = 0)
    {
        if (element is null)
        {
            errors.Add(new InputError(file, root is null ? fallbackLine : LineOf(root), null, null, $"an amount element <{name} Ccy=\"...\">", rootPath));
            return null;
        }
        var ccyRaw = element.Attribute("Ccy")?.Value;
        if (!Currency.TryParse(ccyRaw, out var currency) || ccyRaw!.Trim() != ccyRaw.Trim().ToUpperInvariant())
        {
            errors.Add(Error(element, root, rootPath, ccyRaw, "a Ccy attribute with a three-letter ISO 4217 currency code"));
            return null;
        }
        if (!CamtValues.TryParseAmount(element.Value, currency, out var value, out var expected))
        {
            errors.Add(Error(element, root, rootPath, element.Value, expected));
            return null;
        }
        return new Money(value, currency);
    }

    private bool? ParseCreditDebit(XElement? element, XElement? root, string rootPath, bool required, List<InputError> errors, int fallbackLine = 0)
    {
        if (element is null)
        {
            if (required) errors.Add(new InputError(file, root is null ? fallbackLine : LineOf(root), null, null, "a credit/debit indicator (CdtDbtInd): CRDT or DBIT", rootPath));
            return null;
        }
        switch (element.Value.Trim())
        {
            case "CRDT": return true;
            case "DBIT": return false;
            default:
                errors.Add(Error(element, root, rootPath, element.Value, "CRDT or DBIT"));
                return null;
        }
    }

    /// <summary>A DateAndDateTimeChoice (BookgDt, ValDt, Bal/Dt): &lt;Dt&gt; or &lt;DtTm&gt;, as a date.</summary>
    private DateOnly? ParseDateChoice(XElement? choice, XElement? root, string rootPath, List<InputError> errors)
    {
        if (choice is null) return null;
        var dt = choice.Element(_ns + "Dt");
        var dtm = choice.Element(_ns + "DtTm");
        var element = dt ?? dtm;
        var path = root is null ? $"{rootPath}/{choice.Name.LocalName}" : rootPath;
        var anchor = root ?? choice;
        if (element is null)
        {
            errors.Add(Error(choice, root, path, choice.Value, "a date: <Dt>yyyy-mm-dd</Dt> or <DtTm>"));
            return null;
        }
        if (CamtValues.TryParseDate(element.Value, isDateTime: element == dtm, out var date)) return date;
        errors.Add(Error(element, anchor, root is null ? path : rootPath, element.Value, element == dtm ? "a date and time yyyy-mm-ddThh:mm:ss" : "a date yyyy-mm-dd"));
        return null;
    }

    private string? AccountId(XElement? account)
    {
        var id = account?.Element(_ns + "Id");
        return CompactText(id?.Element(_ns + "IBAN")) ?? Text(id?.Element(_ns + "Othr")?.Element(_ns + "Id"));
    }

    // ------------------------------------------------------------------------------------------------------
    // Reader plumbing

    /// <summary>Moves inside the current element; returns its depth, or -1 for an empty element (already passed).</summary>
    private int Enter()
    {
        if (_r.IsEmptyElement)
        {
            _r.Read();
            return -1;
        }
        var depth = _r.Depth;
        _r.Read();
        return depth;
    }

    /// <summary>Moves to the next child element of the element entered at <paramref name="depth"/>; false (and past its end tag) at its end.</summary>
    private bool NextChild(int depth)
    {
        if (depth < 0) return false;
        while (!_r.EOF)
        {
            if (_r.NodeType == XmlNodeType.Element && _r.Depth == depth + 1) return true;
            if (_r.NodeType == XmlNodeType.EndElement && _r.Depth == depth)
            {
                _r.Read();
                return false;
            }
            _r.Read();
        }
        return false;
    }

    /// <summary>Loads the current element (with line numbers) and moves past it.</summary>
    private XElement Load()
    {
        XElement element;
        using (var sub = _r.ReadSubtree())
        {
            sub.MoveToContent();
            element = XElement.Load(sub, LoadOptions.SetLineInfo);
        }
        _r.Read();
        return element;
    }

    private static int LineOf(XObject x) => x is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : 0;

    private static string? Text(XElement? e)
    {
        if (e is null) return null;
        var s = e.Value.Trim();
        return s.Length == 0 ? null : s;
    }

    private static string? Text(string? value)
    {
        if (value is null) return null;
        var s = value.Trim();
        return s.Length == 0 ? null : s;
    }

    private static string? CompactText(XElement? e) => Text(e) is { } s ? CamtValues.StripSpaces(s) : null;

    private static string? Join(IReadOnlyList<string>? lines) => lines is { Count: > 0 } ? string.Join(" ", lines) : null;

    private static bool Is(string name, string atom) => ReferenceEquals(name, atom);

    private bool InNamespace() => string.Equals(_r.NamespaceURI, _nsUri);

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Signed(decimal value) =>
        value < 0 ? $"{(-value).ToString(CultureInfo.InvariantCulture)} DBIT" : $"{value.ToString(CultureInfo.InvariantCulture)} CRDT";

    private static string NamespaceDisplay(string ns) => ns.Length == 0 ? "(no namespace)" : ns;

    private BankRecord Error(int line, string? xpath, string? raw, string expected) =>
        BankRecord.Of(new InputError(file, line, null, raw is null ? null : CamtValues.Clip(raw), expected, xpath));

    /// <summary>An error at <paramref name="element"/>, which lies inside <paramref name="root"/> (loaded at <paramref name="rootPath"/>), or is itself loaded at that path when root is null.</summary>
    private InputError Error(XElement element, XElement? root, string rootPath, string? raw, string expected)
    {
        var xpath = root is null ? (rootPath.EndsWith("/" + element.Name.LocalName, StringComparison.Ordinal) ? rootPath : $"{rootPath}/{element.Name.LocalName}") : PathOf(element, root, rootPath);
        return new InputError(file, LineOf(element), null, raw is null ? null : CamtValues.Clip(raw.Trim()), expected, xpath);
    }

    private static string PathOf(XElement element, XElement root, string rootPath)
    {
        var segments = new Stack<string>();
        for (var current = element; current is not null && current != root; current = current.Parent)
        {
            var name = current.Name.LocalName;
            var siblings = current.Parent?.Elements(current.Name).ToList();
            segments.Push(siblings is { Count: > 1 } ? $"{name}[{siblings.IndexOf(current) + 1}]" : name);
        }
        return segments.Count == 0 ? rootPath : rootPath + "/" + string.Join("/", segments);
    }

    // ------------------------------------------------------------------------------------------------------
    // State

    private enum DetailMode { Undecided, Each, Merged }

    private sealed class StatementState
    {
        public required string XPath { get; init; }
        public int Line { get; init; }
        public int Index { get; init; }
        public string? Id { get; set; }
        public string? Account { get; set; }
        public string? AccountCurrency { get; set; }
        public List<StatementBalance> Balances { get; } = [];
        public int BrokenBalances { get; set; }
        public XElement? Summary { get; set; }
        public int EntryCount { get; set; }
        public int DetailCount { get; set; }
        public int TransactionCount { get; set; }
        public bool HadBrokenEntry { get; set; }
        public Dictionary<string, TotalAccumulator> Totals { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, decimal> BookedNet { get; } = new(StringComparer.Ordinal);
        public decimal Gross { get; set; }
        public decimal GrossCredit { get; set; }
        public decimal GrossDebit { get; set; }
        public int CreditEntries { get; set; }
        public int DebitEntries { get; set; }
        public decimal NetAll { get; set; }
        public decimal NetAllReversalsFlipped { get; set; }
    }

    private sealed class EntryState
    {
        public required StatementState Statement { get; init; }
        public required string XPath { get; init; }
        public int Index { get; init; }
        public int Line { get; init; }
        public int HeaderSeen { get; set; }
        public RawAmount Amount { get; set; }
        public RawField CreditDebit { get; set; }
        public RawField ReversalField { get; set; }
        public RawStatus StatusField { get; set; }
        public RawDateChoice BookingDateField { get; set; }
        public RawDateChoice ValueDateField { get; set; }
        public bool HeaderDone { get; set; }
        public bool Broken { get; set; }
        public Money Signed { get; set; }
        public bool Credit { get; set; }
        public bool Reversal { get; set; }
        public string? Status { get; set; }
        public DateOnly? BookingDate { get; set; }
        public DateOnly? ValueDate { get; set; }
        public string? AccountServicerReference { get; set; }
        public string? DerivedKey { get; set; }
        public string? EntryReference { get; set; }
        public string? BankTransactionCode { get; set; }
        public string? AdditionalInfo { get; set; }
        public int DetailCount { get; set; }
        public DetailState? First { get; set; }
        public DetailMode Mode { get; set; }
        public decimal DetailSum { get; set; }
        public MergedDetails? Merged { get; set; }
        public bool HadBrokenDetail { get; set; }
    }

    private sealed class DetailState
    {
        public int Line { get; private set; }
        public string XPath { get; private set; } = "";
        public int Sequence { get; private set; }
        public decimal? Amount { get; set; }
        public Currency? Currency { get; set; }
        public bool? Credit { get; set; }
        public string? AccountServicerReference { get; set; }
        public string? EndToEndId { get; set; }
        public string? InstructionId { get; set; }
        public string? TransactionId { get; set; }
        public string? PayerName { get; set; }
        public string? PayerAccount { get; set; }
        public string? AdditionalInfo { get; set; }
        public string? ReturnReason { get; set; }
        public string? BankTransactionCode { get; set; }
        public TextList References;
        public TextList DocumentNumbers;
        public TextList Unstructured;

        // As read, checked once the whole TxDtls has been read (the counts give the XPath of an error: "Amt[1]" when there are several).
        public RawAmount NestedAmount { get; set; }
        public RawAmount DirectAmount { get; set; }
        public RawField CreditDebit { get; set; }
        public int RefsCount, AmtDtlsCount, TxAmtCount, TxAmtAmtCount, PartiesCount, RemittanceCount, AmtCount, CreditDebitCount,
            AdditionalInfoCount, ReturnCount, CodeCount;

        /// <summary>Clears everything for the TxDtls at <paramref name="line"/>.</summary>
        public void Reset(int line, string xpath, int sequence)
        {
            (Line, XPath, Sequence) = (line, xpath, sequence);
            (Amount, Currency, Credit) = (null, null, null);
            (AccountServicerReference, EndToEndId, InstructionId, TransactionId, PayerName, PayerAccount) = (null, null, null, null, null, null);
            (AdditionalInfo, ReturnReason, BankTransactionCode) = (null, null, null);
            (References, DocumentNumbers, Unstructured) = (default, default, default);
            (NestedAmount, DirectAmount, CreditDebit) = (default, default, default);
            (RefsCount, AmtDtlsCount, TxAmtCount, TxAmtAmtCount, PartiesCount, RemittanceCount) = (0, 0, 0, 0, 0, 0);
            (AmtCount, CreditDebitCount, AdditionalInfoCount, ReturnCount, CodeCount) = (0, 0, 0, 0, 0);
        }
    }

    /// <summary>A short list of strings that allocates nothing while empty and no list for one item.</summary>
    private struct TextList
    {
        private string? _one;
        private List<string>? _many;

        public readonly int Count => _many?.Count ?? (_one is null ? 0 : 1);

        public readonly string this[int index] => _many is not null ? _many[index] : index == 0 && _one is not null ? _one : throw new ArgumentOutOfRangeException(nameof(index));

        public readonly bool Contains(string value) => _many?.Contains(value) ?? value == _one;

        public void Add(string value)
        {
            if (_many is not null) _many.Add(value);
            else if (_one is null) _one = value;
            else _many = [_one, value];
        }

        /// <summary>The items as a list of their own (the shared empty list when there are none).</summary>
        public readonly IReadOnlyList<string> ToList() => _many is not null ? _many.ToArray() : _one is null ? [] : [_one];

        /// <summary>The items joined by a space, or null.</summary>
        public readonly string? Join() => _many is not null ? string.Join(" ", _many) : _one;
    }

    /// <summary>The details of a batch that is taken as one transaction: distinct references and texts, and the values all details share.</summary>
    private sealed class MergedDetails
    {
        private int _textLength;
        public List<string> References { get; } = [];
        public List<string> DocumentNumbers { get; } = [];
        public List<string> Unstructured { get; } = [];
        public Common<string> EndToEndId { get; } = new();
        public Common<string> PayerName { get; } = new();
        public Common<string> PayerAccount { get; } = new();

        public void Add(DetailState d)
        {
            for (var i = 0; i < d.References.Count; i++)
                if (References.Count < MaxMergedReferences && !References.Contains(d.References[i])) References.Add(d.References[i]);
            for (var i = 0; i < d.DocumentNumbers.Count; i++)
                if (DocumentNumbers.Count < MaxMergedReferences && !DocumentNumbers.Contains(d.DocumentNumbers[i])) DocumentNumbers.Add(d.DocumentNumbers[i]);
            for (var i = 0; i < d.Unstructured.Count; i++)
            {
                var u = d.Unstructured[i];
                if (_textLength + u.Length > MaxMergedText) break;
                Unstructured.Add(u);
                _textLength += u.Length + 1;
            }
            EndToEndId.Add(d.EndToEndId);
            PayerName.Add(d.PayerName);
            PayerAccount.Add(d.PayerAccount);
        }
    }

    /// <summary>A value shared by all merged details, or null as soon as two differ.</summary>
    private sealed class Common<T> where T : class
    {
        private bool _seen, _differs;
        private T? _value;

        public T? Value => _differs ? null : _value;

        public void Add(T? value)
        {
            if (!_seen) { _seen = true; _value = value; return; }
            if (!Equals(_value, value)) _differs = true;
        }
    }

    /// <summary>The element and attribute names of the hot path, atomized in the reader's name table (compared by reference).</summary>
    private sealed class Names(XmlNameTable table)
    {
        public readonly string NtryDtls = table.Add("NtryDtls"), TxDtls = table.Add("TxDtls"), AddtlNtryInf = table.Add("AddtlNtryInf"),
            NtryRef = table.Add("NtryRef"), Amt = table.Add("Amt"), CdtDbtInd = table.Add("CdtDbtInd"), RvslInd = table.Add("RvslInd"),
            Sts = table.Add("Sts"), BookgDt = table.Add("BookgDt"), ValDt = table.Add("ValDt"), AcctSvcrRef = table.Add("AcctSvcrRef"),
            BkTxCd = table.Add("BkTxCd"), Refs = table.Add("Refs"), EndToEndId = table.Add("EndToEndId"), InstrId = table.Add("InstrId"),
            TxId = table.Add("TxId"), AmtDtls = table.Add("AmtDtls"), TxAmt = table.Add("TxAmt"), RltdPties = table.Add("RltdPties"),
            Dbtr = table.Add("Dbtr"), Nm = table.Add("Nm"), Pty = table.Add("Pty"), DbtrAcct = table.Add("DbtrAcct"), Id = table.Add("Id"),
            IBAN = table.Add("IBAN"), Othr = table.Add("Othr"), RmtInf = table.Add("RmtInf"), Ustrd = table.Add("Ustrd"), Strd = table.Add("Strd"),
            CdtrRefInf = table.Add("CdtrRefInf"), Ref = table.Add("Ref"), RfrdDocInf = table.Add("RfrdDocInf"), Nb = table.Add("Nb"),
            AddtlTxInf = table.Add("AddtlTxInf"), RtrInf = table.Add("RtrInf"), Rsn = table.Add("Rsn"), Cd = table.Add("Cd"),
            Prtry = table.Add("Prtry"), Domn = table.Add("Domn"), Fmly = table.Add("Fmly"), SubFmlyCd = table.Add("SubFmlyCd"),
            Dt = table.Add("Dt"), DtTm = table.Add("DtTm"), Ccy = table.Add("Ccy");
    }
}
