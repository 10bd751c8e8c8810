using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Purr.Core.Formats.Camt;

/// <summary>
/// The streaming state machine behind <see cref="CamtReader"/>. It walks Document → message → Stmt/Ntfctn →
/// Ntry → NtryDtls → TxDtls with an <see cref="XmlReader"/>; below those levels each small element (GrpHdr,
/// Acct, Bal, TxsSummry, an Ntry header field, one TxDtls) is loaded as an <see cref="XElement"/> and dropped.
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

    // Ntry children that make up the entry header; the rest (AmtDtls, Chrgs, Intrst, CardTx, ...) is skipped.
    private static readonly HashSet<string> HeaderFields =
        ["NtryRef", "Amt", "CdtDbtInd", "RvslInd", "Sts", "BookgDt", "ValDt", "AcctSvcrRef", "BkTxCd"];

    private XmlReader _r = null!;
    private XNamespace _ns = XNamespace.None;
    private BankFileFormat _kind;
    private string? _messageId;
    private int _sequence;
    private readonly Dictionary<UInt128, int> _references = [];

    public string File => file;

    /// <summary>XPath of the element being read, for errors raised by the XML reader itself.</summary>
    public string? CurrentPath { get; private set; }

    public int CurrentLine => _r is IXmlLineInfo info ? info.LineNumber : 0;

    public IEnumerable<BankRecord> Parse()
    {
        using var reader = XmlReader.Create(stream, Settings);
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

    private IEnumerable<BankRecord> ParseEntry(StatementState st, int index, string xpath)
    {
        CurrentPath = xpath;
        st.EntryCount++;
        var e = new EntryState { Statement = st, Index = index, XPath = xpath, Line = CurrentLine };
        var depth = Enter();
        var detailsIndex = 0;
        while (NextChild(depth))
        {
            if (_r.NamespaceURI != _ns.NamespaceName) { _r.Skip(); continue; }
            var name = _r.LocalName;
            if (name == "NtryDtls")
            {
                if (!e.HeaderDone) foreach (var error in FinishHeader(e)) yield return BankRecord.Of(error);
                detailsIndex++;
                if (e.Broken) { _r.Skip(); continue; }
                var detailsPath = $"{xpath}/NtryDtls[{detailsIndex}]";
                var detailsDepth = Enter();
                var txIndex = 0;
                while (NextChild(detailsDepth))
                {
                    if (_r.LocalName != "TxDtls" || _r.NamespaceURI != _ns.NamespaceName) { _r.Skip(); continue; }
                    txIndex++;
                    var txPath = $"{detailsPath}/TxDtls[{txIndex}]";
                    CurrentPath = txPath;
                    var x = Load();
                    foreach (var record in OnDetail(e, x, txPath)) yield return record;
                    CurrentPath = xpath;
                }
            }
            else if (name == "AddtlNtryInf")
            {
                e.AdditionalInfo = Text(Load());
            }
            else if (HeaderFields.Contains(name) && !e.HeaderDone)
            {
                var field = Load();
                e.Header.TryAdd(name, field);
            }
            else
            {
                _r.Skip();
            }
        }
        if (!e.HeaderDone) foreach (var error in FinishHeader(e)) yield return BankRecord.Of(error);
        if (e.Broken)
        {
            st.HadBrokenEntry = true;
            yield break;
        }
        foreach (var record in FinishEntry(e)) yield return record;
    }

    private List<InputError> FinishHeader(EntryState e)
    {
        e.HeaderDone = true;
        var errors = new List<InputError>();
        var h = e.Header;
        var amountElement = h.GetValueOrDefault("Amt");
        var amount = ParseMoney(amountElement, null, e.XPath, "Amt", errors, e.Line);
        var credit = ParseCreditDebit(h.GetValueOrDefault("CdtDbtInd"), null, e.XPath, required: true, errors, e.Line);
        if (h.GetValueOrDefault("RvslInd") is { } rv)
        {
            if (CamtValues.TryParseBoolean(rv.Value, out var reversal)) e.Reversal = reversal;
            else errors.Add(Error(rv, null, e.XPath + "/RvslInd", rv.Value, "true or false"));
        }
        if (h.GetValueOrDefault("Sts") is { } sts)
        {
            // v2..v7: <Sts>BOOK</Sts>; v8+: <Sts><Cd>BOOK</Cd></Sts> (or Prtry).
            e.Status = sts.HasElements ? Text(sts.Element(_ns + "Cd")) ?? Text(sts.Element(_ns + "Prtry")) : Text(sts);
            if (string.IsNullOrEmpty(e.Status)) errors.Add(Error(sts, null, e.XPath + "/Sts", sts.Value, "an entry status code (BOOK, PDNG, INFO, ...)"));
        }
        else
        {
            errors.Add(new InputError(file, e.Line, null, null, "an entry status (Sts), which ISO 20022 requires", e.XPath));
        }
        e.BookingDate = ParseDateChoice(h.GetValueOrDefault("BookgDt"), null, e.XPath, errors);
        e.ValueDate = ParseDateChoice(h.GetValueOrDefault("ValDt"), null, e.XPath, errors);
        e.AccountServicerReference = Text(h.GetValueOrDefault("AcctSvcrRef"));
        e.EntryReference = Text(h.GetValueOrDefault("NtryRef"));
        e.BankTransactionCode = TransactionCode(h.GetValueOrDefault("BkTxCd"));
        if (amount is null || credit is null || errors.Count > 0)
        {
            e.Broken = true;
            return errors;
        }
        e.Credit = credit.Value;
        e.Signed = credit.Value ? amount.Value : -amount.Value;
        return errors;
    }

    private IEnumerable<BankRecord> OnDetail(EntryState e, XElement x, string xpath)
    {
        e.DetailCount++;
        e.Statement.DetailCount++;
        var errors = new List<InputError>();
        var d = ParseDetail(x, xpath, e.DetailCount, errors);
        foreach (var error in errors) yield return BankRecord.Of(error);
        if (errors.Count > 0) { e.HadBrokenDetail = true; yield break; }

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
                    foreach (var record in EmitDetail(e, first)) yield return record;
                    foreach (var record in EmitDetail(e, d)) yield return record;
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
                    foreach (var record in EmitDetail(e, d)) yield return record;
                }
                else
                {
                    e.HadBrokenDetail = true;
                    yield return BankRecord.Of(new InputError(file, d.Line, null, d.Amount is null ? null : $"{d.Amount.Value.ToString(CultureInfo.InvariantCulture)} {d.Currency?.Code}",
                        $"an amount in {e.Signed.Currency.Code} (AmtDtls/TxAmt/Amt or Amt): every transaction of a batch entry needs its own amount, as the ones before it have", xpath));
                }
                break;
            case DetailMode.Merged:
                e.Merged!.Add(d);
                break;
        }
    }

    private static bool Usable(EntryState e, DetailState d) => d.Amount is not null && d.Currency == e.Signed.Currency;

    private IEnumerable<BankRecord> EmitDetail(EntryState e, DetailState d)
    {
        var amount = new Money(d.Amount!.Value, d.Currency!.Value);
        var signed = (d.Credit ?? e.Credit) ? amount : -amount;
        e.DetailSum += signed.Amount;
        var reference = d.AccountServicerReference is { } own && own != e.AccountServicerReference
            ? own
            : $"{EntryKey(e)}/{d.Sequence}";
        return Emit(e, d, signed, reference, d.Sequence, merged: null);
    }

    private IEnumerable<BankRecord> FinishEntry(EntryState e)
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

        if (e.HadBrokenDetail) yield break; // errors already reported; a partial entry must not be half-imported silently

        switch (e.Mode)
        {
            case DetailMode.Undecided when e.First is null:
                foreach (var record in Emit(e, null, e.Signed, e.AccountServicerReference ?? EntryKey(e), 0, merged: null)) yield return record;
                break;
            case DetailMode.Undecided:
                var d = e.First!;
                if (d.Amount is { } txAmount && d.Currency == e.Signed.Currency && txAmount != Math.Abs(e.Signed.Amount))
                    summary.AddWarning(new InputError(file, d.Line, null, txAmount.ToString(CultureInfo.InvariantCulture),
                        $"the transaction amount to equal the booked entry amount {Math.Abs(e.Signed.Amount).ToString(CultureInfo.InvariantCulture)} {e.Signed.Currency.Code}; the booked entry amount is used", d.XPath));
                var reference = e.AccountServicerReference ?? d.AccountServicerReference ?? EntryKey(e);
                foreach (var record in Emit(e, d, e.Signed, reference, d.Sequence, merged: null)) yield return record;
                break;
            case DetailMode.Each:
                if (e.DetailSum != e.Signed.Amount)
                    yield return BankRecord.Of(new InputError(file, e.Line, null, Signed(e.Signed.Amount),
                        $"the entry amount to equal the sum of its {e.DetailCount} transactions (TxDtls), {e.Signed.Currency.Code} {Signed(e.DetailSum)}", e.XPath));
                break;
            case DetailMode.Merged:
                foreach (var record in Emit(e, null, e.Signed, e.AccountServicerReference ?? EntryKey(e), 0, e.Merged)) yield return record;
                break;
        }
    }

    private string EntryKey(EntryState e) =>
        e.AccountServicerReference ?? $"camt:{_messageId ?? "-"}:{e.Statement.Index}:{e.Index}";

    private IEnumerable<BankRecord> Emit(EntryState e, DetailState? d, Money signed, string reference, int detailSequence, MergedDetails? merged)
    {
        var line = d?.Line ?? e.Line;
        var xpath = d?.XPath ?? e.XPath;
        if (!Claim(reference, line, out var firstLine))
        {
            yield return BankRecord.Of(new InputError(file, line, null, reference,
                $"a bank reference (AcctSvcrRef) used once in the file; it is also used at line {firstLine}", xpath));
            yield break;
        }
        var references = merged?.References ?? d?.References ?? [];
        string? kid = merged is null ? references.FirstOrDefault() : merged.References.Count == 1 ? merged.References[0] : null;
        _sequence++;
        e.Statement.TransactionCount++;
        yield return BankRecord.Of(new BankTransaction
        {
            Format = _kind,
            Sequence = _sequence,
            Source = new SourceLocation(file, line, xpath),
            Amount = signed,
            BookingDate = e.BookingDate,
            ValueDate = e.ValueDate,
            BankReference = reference,
            EndToEndId = merged is null ? d?.EndToEndId : merged.EndToEndId.Value,
            Kid = kid,
            References = references,
            DocumentNumbers = merged?.DocumentNumbers ?? d?.DocumentNumbers ?? [],
            FreeText = merged is null ? Join(d?.Unstructured) : Join(merged.Unstructured),
            PayerName = merged is null ? d?.PayerName : merged.PayerName.Value,
            PayerAccount = merged is null ? d?.PayerAccount : merged.PayerAccount.Value,
            Account = e.Statement.Account,
            IsReversal = e.Reversal,
            IsBooked = e.Status == "BOOK",
            Camt = new CamtEntryDetails
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
            },
        });
    }

    // ------------------------------------------------------------------------------------------------------
    // Transaction details (TxDtls)

    private DetailState ParseDetail(XElement x, string xpath, int sequence, List<InputError> errors)
    {
        var d = new DetailState { Line = LineOf(x), XPath = xpath, Sequence = sequence };
        var amountElement = x.Element(_ns + "AmtDtls")?.Element(_ns + "TxAmt")?.Element(_ns + "Amt") ?? x.Element(_ns + "Amt");
        if (amountElement is not null)
        {
            var money = ParseMoney(amountElement, x, xpath, "Amt", errors);
            if (money is { } m) { d.Amount = m.Amount; d.Currency = m.Currency; }
        }
        d.Credit = ParseCreditDebit(x.Element(_ns + "CdtDbtInd"), x, xpath, required: false, errors);
        var refs = x.Element(_ns + "Refs");
        d.AccountServicerReference = Text(refs?.Element(_ns + "AcctSvcrRef"));
        var endToEnd = Text(refs?.Element(_ns + "EndToEndId"));
        d.EndToEndId = string.Equals(endToEnd, "NOTPROVIDED", StringComparison.OrdinalIgnoreCase) ? null : endToEnd;
        d.InstructionId = Text(refs?.Element(_ns + "InstrId"));
        d.TransactionId = Text(refs?.Element(_ns + "TxId"));

        var parties = x.Element(_ns + "RltdPties");
        var debtor = parties?.Element(_ns + "Dbtr");
        d.PayerName = Text(debtor?.Element(_ns + "Nm")) ?? Text(debtor?.Element(_ns + "Pty")?.Element(_ns + "Nm"));
        d.PayerAccount = AccountId(parties?.Element(_ns + "DbtrAcct"));

        var remittance = x.Element(_ns + "RmtInf");
        if (remittance is not null)
        {
            foreach (var u in remittance.Elements(_ns + "Ustrd"))
                if (Text(u) is { } line) d.Unstructured.Add(line);
            foreach (var strd in remittance.Elements(_ns + "Strd"))
            {
                // Any CdtrRefInf/Ref counts: Tp/CdOrPrtry/Cd = SCOR, a proprietary type, or no type at all.
                foreach (var cri in strd.Elements(_ns + "CdtrRefInf"))
                    if (Text(cri.Element(_ns + "Ref")) is { } r && CamtValues.StripSpaces(r) is { Length: > 0 } compact && !d.References.Contains(compact))
                        d.References.Add(compact);
                foreach (var doc in strd.Elements(_ns + "RfrdDocInf"))
                    if (Text(doc.Element(_ns + "Nb")) is { } nb && !d.DocumentNumbers.Contains(nb))
                        d.DocumentNumbers.Add(nb);
            }
        }
        d.AdditionalInfo = Text(x.Element(_ns + "AddtlTxInf"));
        var reason = x.Element(_ns + "RtrInf")?.Element(_ns + "Rsn");
        d.ReturnReason = Text(reason?.Element(_ns + "Cd")) ?? Text(reason?.Element(_ns + "Prtry"));
        d.BankTransactionCode = TransactionCode(x.Element(_ns + "BkTxCd"));
        return d;
    }

    // ------------------------------------------------------------------------------------------------------
    // Values

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

    private string? TransactionCode(XElement? btc)
    {
        if (btc is null) return null;
        var domain = btc.Element(_ns + "Domn");
        if (domain is not null)
        {
            var family = domain.Element(_ns + "Fmly");
            var parts = new[] { Text(domain.Element(_ns + "Cd")), Text(family?.Element(_ns + "Cd")), Text(family?.Element(_ns + "SubFmlyCd")) };
            if (parts[0] is not null) return string.Join("/", parts.Where(p => p is not null));
        }
        return Text(btc.Element(_ns + "Prtry")?.Element(_ns + "Cd"));
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

    private bool Claim(string reference, int line, out int firstLine)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(reference), hash);
        var key = new UInt128(BitConverter.ToUInt64(hash[..8]), BitConverter.ToUInt64(hash[8..16]));
        if (_references.TryGetValue(key, out firstLine)) return false;
        _references[key] = line;
        return true;
    }

    private static int LineOf(XObject x) => x is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : 0;

    private static string? Text(XElement? e)
    {
        if (e is null) return null;
        var s = e.Value.Trim();
        return s.Length == 0 ? null : s;
    }

    private static string? CompactText(XElement? e) => Text(e) is { } s ? CamtValues.StripSpaces(s) : null;

    private static string? Join(IReadOnlyList<string>? lines) => lines is { Count: > 0 } ? string.Join(" ", lines) : null;

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
        public Dictionary<string, XElement> Header { get; } = new(StringComparer.Ordinal);
        public bool HeaderDone { get; set; }
        public bool Broken { get; set; }
        public Money Signed { get; set; }
        public bool Credit { get; set; }
        public bool Reversal { get; set; }
        public string? Status { get; set; }
        public DateOnly? BookingDate { get; set; }
        public DateOnly? ValueDate { get; set; }
        public string? AccountServicerReference { get; set; }
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
        public int Line { get; init; }
        public required string XPath { get; init; }
        public int Sequence { get; init; }
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
        public List<string> References { get; } = [];
        public List<string> DocumentNumbers { get; } = [];
        public List<string> Unstructured { get; } = [];
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
            foreach (var r in d.References) if (References.Count < MaxMergedReferences && !References.Contains(r)) References.Add(r);
            foreach (var n in d.DocumentNumbers) if (DocumentNumbers.Count < MaxMergedReferences && !DocumentNumbers.Contains(n)) DocumentNumbers.Add(n);
            foreach (var u in d.Unstructured)
            {
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
}
