using System.Xml;
using System.Xml.Linq;
using Purr.Core.Formats.Ubl;
using Purr.Core.Identifiers;

namespace Purr.Core.Formats.SafT;

/// <summary>
/// Reads a Norwegian SAF-T Financial file (1.30, and 1.10/1.20 where they differ) and derives the accounts-receivable
/// picture: customers with balances, invoices and credit notes, and open items per customer.
/// </summary>
/// <remarks>
/// <para><b>Streaming, two passes.</b> The file is read with an <see cref="XmlReader"/>; only one Customer, Transaction
/// or SalesInvoice element is in memory at a time. <see cref="Scan"/> checks everything and keeps one compact aggregate
/// per (customer, reference) on the AR side (sums, dates, line ordinals; no texts or XPaths);
/// <see cref="SafTScan.Entries"/> re-reads the file and yields documents, open items and settlements at the lines that
/// describe them. <see cref="Read"/> makes both passes and collects the result.</para>
/// <para><b>Namespace.</b> urn:StandardAuditFile-Taxation-Financial:NO, or none at all (tolerated, as in the
/// Skatteetaten XMLSpy example). Another namespace, or a root other than AuditFile, is rejected. XPaths in errors
/// are written without prefixes.</para>
/// <para><b>Open items</b> (there is no open-item list in SAF-T 1.30, NORWAY-RULES §8.1): GL lines with a CustomerID
/// are grouped by (CustomerID, ReferenceNumber). A group with debits is an invoice; credits in the same group are
/// payments or credit notes against it. A group with only credits is a credit note when its transaction carries VAT
/// (TaxInformation) or a revenue account (class 3) or SalesInvoices says so, else a payment for an invoice outside
/// the file, which is applied to the customer's opening balance. Lines without a reference stay unapplied items.
/// Then each customer's closing balance is checked against opening + movements (per AR account when known) and
/// against the sum of the open items; each disagreement is a <see cref="BalanceDifference"/>.</para>
/// <para><b>Checked as errors:</b> well-formed XML; AuditFileVersion 1.x; AuditFileCountry NO; the company's
/// organisation number; DefaultCurrencyCode and other currency codes (three capital letters); dates (xs:date) and
/// amounts (at most 2 decimals, SAFmonetaryType); every line has DebitAmount or CreditAmount; each transaction
/// balances; GeneralLedgerEntries NumberOfEntries/TotalDebit/TotalCredit agree with the transactions; CustomerIDs on
/// lines exist in MasterFiles (reported once per unknown id). After malformed XML the end-of-file checks are skipped.
/// Source: Skatteetaten/saf-t Norwegian_SAF-T_Financial_Schema_v_1.30.xsd and v_1.10.xsd.</para>
/// </remarks>
public static class SafTReader
{
    /// <summary>The Norwegian SAF-T Financial namespace.</summary>
    public const string Namespace = "urn:StandardAuditFile-Taxation-Financial:NO";

    /// <summary>At most this many errors are listed; the rest are counted in a final error.</summary>
    public const int MaxErrors = 1000;

    /// <summary>
    /// Reads a SAF-T Financial file into one result with every document, open item and settlement (for <c>purr
    /// inspect</c> and small files). It makes the two passes of <see cref="Scan"/> and <see cref="SafTScan.Entries"/>
    /// over <paramref name="stream"/> (rewound when seekable, else copied to memory first), so its memory grows with
    /// the file's invoices; an import of a large file uses <see cref="Scan"/> and the entries instead.
    /// </summary>
    /// <param name="stream">The XML; not closed.</param>
    /// <param name="fileName">The name used in error locations.</param>
    public static SafTReadResult Read(Stream stream, string fileName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        Stream source = stream;
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            source = copy;
        }
        var start = source.Position;
        var scan = Scan(source, fileName);
        source.Position = start;
        return scan.Materialize(scan.EntriesOf(source, shareParties: true));
    }

    /// <summary>
    /// The first of two streaming passes: checks the whole file (every error located), reads the header and customers,
    /// and keeps per (customer, reference) on the accounts-receivable side only a compact aggregate (sums, dates and the
    /// ordinals of the lines that describe it: no texts, no XPaths), from which it derives what each reference is
    /// (invoice, credit note, payment), what is open, and the customers' balance differences. The second pass,
    /// <see cref="SafTScan.Entries"/>, re-reads the file and yields the documents and settlements as their lines come.
    /// </summary>
    /// <param name="stream">The XML; read forward once, not closed.</param>
    /// <param name="fileName">The name used in error locations.</param>
    /// <param name="scratch">
    /// Opens a readable, writable and seekable stream (a temporary file) for what the scan keeps per reference and per
    /// customer, so that memory holds only what looks them up (see <see cref="SafTScan"/>); called three times, each stream
    /// disposed with the scan. Without it everything is kept in memory.
    /// </param>
    public static SafTScan Scan(Stream stream, string fileName, Func<Stream>? scratch = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        var parser = new SafTParser(fileName, scratch);
        try
        {
            parser.Scan(stream);
        }
        catch
        {
            parser.Dispose();
            throw;
        }
        return new SafTScan(parser);
    }
}

internal sealed class SafTParser : IDisposable
{
    private static readonly HashSet<string> IndexedSteps = ["Customer", "Journal", "Transaction", "Invoice", "Account", "Supplier", "Payment", "Line"];
    private static readonly HashSet<string> CreditInvoiceTypes = ["381", "CN", "C", "K", "KN", "CREDIT", "CREDITNOTE", "KREDITNOTA"];

    private readonly string _file;
    private readonly bool _quiet;
    private readonly List<InputError> _errors = [];
    private int _suppressed;
    private readonly List<string> _path = [];
    private readonly XmlRecordBuilder _builder = new();
    private XNamespace _ns = XNamespace.None;
    private SafTHeader? _header;
    private Currency _currency = Currency.Nok;
    private readonly SafTCustomers _customers;
    private readonly SafTCustomerStates _states;
    private readonly HashSet<string> _unknownCustomers = new(StringComparer.Ordinal);
    private readonly SafTGroups _groups;
    private readonly Dictionary<int, ForeignSum> _foreign;
    private readonly List<string> _accounts = [];
    private readonly Dictionary<string, int> _accountIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<int, List<(int Account, decimal Movement)>> _otherAccountMovements = [];
    private readonly Dictionary<int, SalesInvoiceInfo> _groupSales;
    private readonly Dictionary<string, SalesInvoiceInfo> _salesInvoices = new(StringComparer.Ordinal);
    private readonly Dictionary<DateOnly, int> _paymentDates;
    private (XElement Element, string Path)? _numberOfEntries, _totalDebit, _totalCredit;
    private int _transactions, _lines, _receivableLines;
    private decimal _sumDebit, _sumCredit;
    private bool _broken;
    private int _documentCount, _unreferencedDebits, _unreferencedCredits, _creditedInvoices;
    private DateOnly _firstDate = DateOnly.MaxValue, _lastDate = DateOnly.MinValue;
    private bool _paymentsInDateOrder = true;

    public SafTParser(string file, Func<Stream>? scratch = null)
    {
        _file = file;
        _customers = new SafTCustomers(file, scratch?.Invoke());
        _states = new SafTCustomerStates(scratch?.Invoke());
        _groups = new SafTGroups(scratch?.Invoke());
        _foreign = [];
        _groupSales = [];
        _paymentDates = [];
    }

    /// <summary>A parser for the second pass: it shares what the first pass derived and reports nothing.</summary>
    public SafTParser(SafTParser scanned)
    {
        _file = scanned._file;
        _quiet = true;
        _ns = scanned._ns;
        _header = scanned._header;
        _currency = scanned._currency;
        _customers = scanned._customers;
        _states = scanned._states;
        _groups = scanned._groups;
        _foreign = scanned._foreign;
        _groupSales = scanned._groupSales;
        _paymentDates = scanned._paymentDates;
    }

    private XName N(string local) => _ns + local;

    /// <summary>Closes the scratch streams of the first pass (a parser of the second pass shares them and owns nothing).</summary>
    public void Dispose()
    {
        if (_quiet) return;
        _groups.Dispose();
        _states.Dispose();
        _customers.Dispose();
    }

    private string CurrentPath => "/" + string.Join("/", _path);

    private string PathOf(XElement e) => XmlRecords.PathOf(e, CurrentPath, n => n.LocalName);

    private SourceLocation Where(XElement e) => new(_file, XmlRecords.LineOf(e), PathOf(e));

    /// <summary>The first pass: checks and aggregates the file, then derives kinds, open amounts and balance differences.</summary>
    public void Scan(Stream stream)
    {
        ReadFile(stream);
        Finish();
    }

    private void ReadFile(Stream stream)
    {
        try
        {
            using var reader = XmlReader.Create(stream, XmlRecordBuilder.Settings());
            if (reader.MoveToContent() != XmlNodeType.Element)
            {
                Report(new InputError(_file, 0, null, null, "expected a SAF-T Financial file; the file has no XML element"));
                return;
            }
            var line = ((IXmlLineInfo)reader).LineNumber;
            var rootName = reader.NamespaceURI.Length == 0 ? reader.LocalName : $"{{{reader.NamespaceURI}}}{reader.LocalName}";
            if (reader.LocalName != "AuditFile")
            {
                Report(new InputError(_file, line, null, rootName, "expected a SAF-T Financial file with root element AuditFile", "/" + reader.LocalName));
                return;
            }
            if (reader.NamespaceURI.Length > 0 && reader.NamespaceURI != SafTReader.Namespace)
            {
                Report(new InputError(_file, line, null, reader.NamespaceURI,
                    $"expected the Norwegian SAF-T Financial namespace {SafTReader.Namespace} (or none)", "/AuditFile"));
                return;
            }
            _ns = reader.NamespaceURI;
            _path.Add("AuditFile");
            ForEachChild(reader, TopLevel);
            if (_header is null) Report(new InputError(_file, line, null, null, "expected a Header, which is missing", "/AuditFile/Header"));
            while (reader.Read())
            {
                // Read to the end so that garbage after the root element is reported.
            }
        }
        catch (XmlException ex)
        {
            _broken = true;
            // When the XML broke inside a record, _path still ends with the record's own step (nothing popped it).
            var at = _builder.Current;
            Report(new InputError(_file, ex.LineNumber, null, null,
                $"expected well-formed XML; the file is truncated or damaged: {XmlRecords.Describe(ex)}",
                at is not null ? PathOf(at) : _path.Count > 0 ? CurrentPath : null));
        }
    }

    private void ForEachChild(XmlReader r, Action<XmlReader> onChild)
    {
        if (r.IsEmptyElement)
        {
            r.Read();
            return;
        }
        r.Read();
        Dictionary<string, int>? counts = null;
        while (true)
        {
            r.MoveToContent();
            switch (r.NodeType)
            {
                case XmlNodeType.EndElement:
                    r.Read();
                    return;
                case XmlNodeType.Element:
                    var name = r.LocalName;
                    if (IndexedSteps.Contains(name))
                    {
                        counts ??= new Dictionary<string, int>(StringComparer.Ordinal);
                        var n = counts[name] = counts.GetValueOrDefault(name) + 1;
                        _path.Add($"{name}[{n}]");
                    }
                    else _path.Add(name);
                    if (r.NamespaceURI == _ns.NamespaceName) onChild(r);
                    else r.Skip();
                    _path.RemoveAt(_path.Count - 1);
                    break;
                case XmlNodeType.None:
                    throw new XmlException("Unexpected end of file.");
                default:
                    r.Read();
                    break;
            }
        }
    }

    private void TopLevel(XmlReader r)
    {
        switch (r.LocalName)
        {
            case "Header": ParseHeader(_builder.Load(r)); break;
            case "MasterFiles": ForEachChild(r, MasterFiles); break;
            case "GeneralLedgerEntries": ForEachChild(r, GeneralLedgerEntries); break;
            case "SourceDocuments": ForEachChild(r, SourceDocuments); break;
            default: r.Skip(); break;
        }
    }

    private void MasterFiles(XmlReader r)
    {
        if (r.LocalName == "Customers") ForEachChild(r, c =>
        {
            if (c.LocalName == "Customer") ParseCustomer(_builder.Load(c));
            else c.Skip();
        });
        else r.Skip();
    }

    private void GeneralLedgerEntries(XmlReader r)
    {
        switch (r.LocalName)
        {
            case "NumberOfEntries": _numberOfEntries = (_builder.Load(r), CurrentPath); break;
            case "TotalDebit": _totalDebit = (_builder.Load(r), CurrentPath); break;
            case "TotalCredit": _totalCredit = (_builder.Load(r), CurrentPath); break;
            case "Journal":
                ForEachChild(r, j =>
                {
                    if (j.LocalName == "Transaction") ParseTransaction(_builder.Load(j));
                    else j.Skip();
                });
                break;
            default: r.Skip(); break;
        }
    }

    private void SourceDocuments(XmlReader r)
    {
        if (r.LocalName == "SalesInvoices") ForEachChild(r, i =>
        {
            if (i.LocalName == "Invoice") ParseSalesInvoice(_builder.Load(i));
            else i.Skip();
        });
        else r.Skip();
    }

    // ---------------------------------------------------------------- Header

    private void ParseHeader(XElement h)
    {
        var version = Text(h.Element(N("AuditFileVersion")));
        if (version is null) Missing(h, "AuditFileVersion", "the SAF-T version (AuditFileVersion)");
        else if (!IsVersion(version)) Error(h.Element(N("AuditFileVersion"))!, version, "expected the SAF-T Financial version, e.g. 1.30 (1.10, 1.20 and 1.30 are known)");

        if (h.Element(N("AuditFileCountry")) is { } country && Text(country) is { } c && c != "NO")
            Error(country, c, "expected NO: this is the Norwegian SAF-T Financial format");

        var company = h.Element(N("Company"));
        if (company is null) Missing(h, "Company", "the company the file is about (Header/Company)");
        string? orgNumber = null;
        var registration = company?.Element(N("RegistrationNumber"));
        if (company is not null && Text(registration) is { } reg)
        {
            if (OrganizationNumber.TryParse(reg, out var org, out var why)) orgNumber = org.Value;
            else Error(registration!, reg, $"expected the company's Norwegian organisation number: {why}");
        }

        var defaultCurrency = h.Element(N("DefaultCurrencyCode"));
        if (defaultCurrency is null) Missing(h, "DefaultCurrencyCode", "the ledger currency (DefaultCurrencyCode)");
        else if (XmlRecords.TryParseCurrency(defaultCurrency.Value, out var cur)) _currency = cur;
        else Error(defaultCurrency, defaultCurrency.Value, "expected an ISO 4217 currency code of three capital letters, e.g. NOK (the ledger currency; NOK is assumed)");

        var selection = h.Element(N("SelectionCriteria"));
        _header = new SafTHeader
        {
            AuditFileVersion = version,
            HasNamespace = _ns != XNamespace.None,
            CompanyName = Text(company?.Element(N("Name"))),
            CompanyOrgNumber = orgNumber,
            DefaultCurrency = _currency,
            DateCreated = Date(h.Element(N("AuditFileDateCreated"))),
            Software = string.Join(" ", new[] { "SoftwareCompanyName", "SoftwareID", "SoftwareVersion" }.Select(n => Text(h.Element(N(n)))).OfType<string>()) is { Length: > 0 } s ? s : null,
            SelectionStartDate = Date(selection?.Element(N("SelectionStartDate"))),
            SelectionEndDate = Date(selection?.Element(N("SelectionEndDate"))),
            PeriodStart = Int(selection?.Element(N("PeriodStart"))),
            PeriodStartYear = Int(selection?.Element(N("PeriodStartYear"))),
            PeriodEnd = Int(selection?.Element(N("PeriodEnd"))),
            PeriodEndYear = Int(selection?.Element(N("PeriodEndYear"))),
            Source = Where(h),
        };
    }

    private static bool IsVersion(string v)
    {
        var parts = v.Split('.');
        return parts.Length == 2 && parts[0] == "1" && parts[1].Length is 1 or 2 && Checksums.AllDigits(parts[1]);
    }

    // ---------------------------------------------------------------- Customers

    private void ParseCustomer(XElement c)
    {
        var idElement = c.Element(N("CustomerID"));
        var id = Text(idElement);
        if (id is null)
        {
            Missing(c, "CustomerID", "the customer's id (CustomerID)");
            return;
        }
        if (_states.Find(id) is var existing and >= 0)
        {
            Error(idElement!, id, $"expected a unique CustomerID; it is also used at line {(_states[existing] is { Known: true } e ? _customers[e.Customer].Source.Line : null)}");
            return;
        }

        var name = Text(c.Element(N("Name")));
        if (name is null) Missing(c, "Name", "the customer's name");

        var registration = Text(c.Element(N("RegistrationNumber")));
        string? orgNumber = null;
        string? legalId = null;
        var personal = false;
        if (registration is not null)
        {
            var compact = Checksums.Compact(registration);
            if (OrganizationNumber.TryParse(registration, out var org, out _)) orgNumber = org.Value;
            else if (compact.Length == 11 && Checksums.AllDigits(compact)) personal = true; // a fødselsnummer: not kept
            else legalId = registration;
        }
        var vat = Text(c.Elements(N("TaxRegistration")).Elements(N("TaxRegistrationNumber")).FirstOrDefault());
        if (orgNumber is null && vat is not null && OrganizationNumber.TryParse(vat, out var fromVat, out _)) orgNumber = fromVat.Value;

        var addresses = c.Elements(N("Address")).ToList();
        var address = new[] { "PostalAddress", "BillingAddress", "StreetAddress" }
            .Select(t => addresses.FirstOrDefault(a => Text(a.Element(N("AddressType"))) == t)).FirstOrDefault(a => a is not null)
            ?? addresses.FirstOrDefault();
        var lines = new List<string>();
        if (address is not null)
        {
            var street = string.Join(" ", new[] { Text(address.Element(N("StreetName"))), Text(address.Element(N("Number"))) }.OfType<string>());
            if (street.Length > 0) lines.Add(street);
            if (Text(address.Element(N("AdditionalAddressDetail"))) is { } extra) lines.Add(extra);
        }

        var partyInfo = c.Element(N("PartyInfo"));
        var kind = Text(partyInfo?.Element(N("Type"))) switch
        {
            "Private" => CustomerKind.Private,
            "Company" => CustomerKind.Business,
            "Government" => CustomerKind.Public,
            _ => personal ? CustomerKind.Private : InvoiceCustomer.GuessKind(name, orgNumber is not null || legalId is not null || vat is not null),
        };

        var balances = new List<SafTBalance>();
        foreach (var b in c.Elements(N("BalanceAccount")))
            if (ReadBalance(b, b) is { } balance) balances.Add(balance);
        if (c.Element(N("OpeningDebitBalance")) is not null || c.Element(N("OpeningCreditBalance")) is not null
            || c.Element(N("ClosingDebitBalance")) is not null || c.Element(N("ClosingCreditBalance")) is not null)
            if (ReadBalance(c, c.Element(N("AccountID")) ?? c) is { } balance) balances.Add(balance); // 1.10 / 1.20

        var customer = new SafTCustomer
        {
            CustomerId = id,
            Party = new InvoiceCustomer
            {
                CustomerNumber = id,
                Name = name ?? id,
                OrgNumber = orgNumber,
                LegalId = legalId,
                VatNumber = vat,
                Email = Text(c.Elements(N("Contact")).Elements(N("Email")).FirstOrDefault()),
                AddressLines = lines.Count == 0 ? [] : lines.ToArray(),
                PostalCode = Text(address?.Element(N("PostalCode"))),
                City = Text(address?.Element(N("City"))),
                Country = Text(address?.Element(N("Country"))),
                Kind = kind,
            },
            Balances = balances.Count == 0 ? [] : balances.ToArray(),
            PaymentTermsDays = Int(partyInfo?.Element(N("PaymentTerms"))?.Element(N("Days"))),
            Source = Where(c),
        };
        AddState(id, _customers.Add(customer), customer.PaymentTermsDays);
    }

    private SafTBalance? ReadBalance(XElement holder, XElement locateAt)
    {
        var account = Text(holder.Element(N("AccountID"))) is { } id ? _accounts[AccountIndex(id)] : null;
        var opening = DebitMinusCredit(holder, "OpeningDebitBalance", "OpeningCreditBalance");
        var closing = DebitMinusCredit(holder, "ClosingDebitBalance", "ClosingCreditBalance");
        if (opening is null || closing is null) return null;
        return new SafTBalance(account, new Money(opening.Value, _currency), new Money(closing.Value, _currency), Where(locateAt));
    }

    private decimal? DebitMinusCredit(XElement holder, string debitName, string creditName)
    {
        var debit = holder.Element(N(debitName));
        var credit = holder.Element(N(creditName));
        if (debit is null && credit is null)
        {
            Missing(holder, debitName, $"{debitName} or {creditName}");
            return null;
        }
        var d = debit is null ? 0m : Monetary(debit);
        var k = credit is null ? 0m : Monetary(credit);
        return d is null || k is null ? null : d - k;
    }

    // ---------------------------------------------------------------- GL transactions

    private void ParseTransaction(XElement t)
    {
        var tx = ReadTransaction(t);
        if (tx.Receivables is null || tx.Date is not { } date) return;
        foreach (var r in tx.Receivables) Accumulate(r, date, tx.Description, tx.RevenueOrVat);
    }

    // The transaction's date, description and AR lines with their values checked (both passes run this; the second reports nothing).
    private TransactionLines ReadTransaction(XElement t)
    {
        _transactions++;
        var dateElement = t.Element(N("TransactionDate"));
        DateOnly? date = null;
        if (dateElement is null) Missing(t, "TransactionDate", "the transaction date");
        else date = Date(dateElement);
        var description = Text(t.Element(N("Description")));
        var transactionId = Text(t.Element(N("TransactionID")));

        decimal debit = 0m, credit = 0m;
        var revenueOrVat = false;
        List<ReceivableLine>? receivables = null;
        foreach (var line in t.Elements(N("Line")))
        {
            _lines++;
            var customerId = Text(line.Element(N("CustomerID")));
            var account = Text(line.Element(N("AccountID")));
            if (line.Element(N("TaxInformation")) is not null
                || (customerId is null && Text(line.Element(N("SupplierID"))) is null && account is not null && account.StartsWith('3')))
                revenueOrVat = true;

            var debitElement = line.Element(N("DebitAmount"));
            var creditElement = line.Element(N("CreditAmount"));
            var amountStructure = debitElement ?? creditElement;
            if (amountStructure is null)
            {
                Missing(line, "DebitAmount", "DebitAmount or CreditAmount");
                continue;
            }
            var amountElement = amountStructure.Element(N("Amount"));
            if (amountElement is null)
            {
                Missing(amountStructure, "Amount", "the amount in the ledger currency (Amount)");
                continue;
            }
            var amount = Monetary(amountElement);
            if (amount is null) continue;
            Money? foreign = null;
            var currencyElement = amountStructure.Element(N("CurrencyCode"));
            if (currencyElement is not null)
            {
                if (!XmlRecords.TryParseCurrency(currencyElement.Value, out var fc))
                    Error(currencyElement, currencyElement.Value, "expected an ISO 4217 currency code of three capital letters");
                else if (fc != _currency && amountStructure.Element(N("CurrencyAmount")) is { } ca && Monetary(ca) is { } fa)
                    foreign = new Money(debitElement is not null ? fa : -fa, fc);
            }
            if (debitElement is not null) { debit += amount.Value; _sumDebit += amount.Value; }
            else { credit += amount.Value; _sumCredit += amount.Value; }

            if (customerId is null) continue;
            var ordinal = _receivableLines++;
            receivables ??= [];
            receivables.Add(new ReceivableLine(line, ordinal, customerId, account, debitElement is not null ? amount.Value : -amount.Value, foreign,
                Text(line.Element(N("ReferenceNumber"))), Text(line.Element(N("CID"))), Date(line.Element(N("DueDate"))),
                Date(line.Element(N("ValueDate"))), Text(line.Element(N("Description"))), transactionId, Text(line.Element(N("RecordID")))));
        }

        if (debit != credit)
            Error(t, $"debit {XmlRecords.Invariant(debit)}, credit {XmlRecords.Invariant(credit)}",
                "expected a balanced transaction: the sum of DebitAmount equal to the sum of CreditAmount");
        return new TransactionLines(date, description, revenueOrVat, receivables);
    }

    // A customer's running sums: of a MasterFiles customer (its index in _customers), or of an id only GL lines name (-1).
    private int AddState(string id, int customer = -1, int? paymentTermsDays = null) =>
        _states.Add(id, new SafTCustomerSums
        {
            Customer = customer, Account = -1, FirstGroup = -1, FirstSingle = -1, PaymentTermsDays = paymentTermsDays,
        });

    // Adds a line to its (customer, reference) aggregate: sums, dates and the ordinals of the lines that describe it, nothing else.
    private void Accumulate(ReceivableLine r, DateOnly transactionDate, string? transactionText, bool revenueOrVat)
    {
        var customer = _states.Find(r.CustomerId);
        if (customer < 0)
        {
            if (_unknownCustomers.Add(r.CustomerId))
                Error(r.Line.Element(N("CustomerID"))!, r.CustomerId, "expected a CustomerID from MasterFiles/Customers (reported once per id)");
            customer = AddState(r.CustomerId);
        }
        var state = _states[customer];
        state.Movement += r.Signed;
        AddAccountMovement(customer, ref state, r.Account ?? "", r.Signed);
        var creditDate = revenueOrVat ? transactionDate : r.ValueDate ?? transactionDate;
        if (r.Signed < 0m && !revenueOrVat) NotePayment(ref state, creditDate);

        if (r.Reference is null)
        {
            // An unreferenced line is an item of its own: the second pass takes everything from the line.
            if (r.Signed != 0m)
            {
                state.Open += r.Signed;
                if (state.FirstSingle < 0) state.FirstSingle = r.Ordinal;
                if (r.Signed > 0m) _unreferencedDebits++;
                else
                {
                    if (revenueOrVat) _unreferencedCredits++;
                    NoteDate(creditDate);
                }
            }
            _states.Set(customer, state);
            return;
        }
        _states.Set(customer, state);

        var index = _groups.FindOrAdd(customer, r.Reference);
        var g = _groups[index];
        if (r.Signed > 0m)
        {
            g.Debit += r.Signed;
            if (g.FirstDebit < 0)
            {
                g.FirstDebit = r.Ordinal;
                g.InvoiceDate = transactionDate;
            }
            g.DueDate ??= r.DueDate;
            if (g.DebitCid < 0 && r.Cid is not null) g.DebitCid = r.Ordinal;
            AddForeign(index, r.Foreign);
        }
        else if (r.Signed < 0m)
        {
            g.Credit -= r.Signed;
            if (revenueOrVat)
            {
                g.CreditNoteCredit -= r.Signed;
                if (g.FirstCreditNote < 0) g.FirstCreditNote = r.Ordinal;
            }
            if (g.FirstCredit < 0)
            {
                g.FirstCredit = r.Ordinal;
                g.CreditDate = creditDate;
                g.CreditDue = r.DueDate;
                g.CreditFirst = creditDate;
                g.CreditLast = creditDate;
            }
            if (creditDate < g.CreditFirst) g.CreditFirst = creditDate;
            if (creditDate > g.CreditLast) g.CreditLast = creditDate;
            AddForeign(index, r.Foreign);
        }
        _groups.Set(index, g);
    }

    // A customer's movement per AR account: the first account in the customer's state, any other in a parser-wide dictionary (rare).
    private void AddAccountMovement(int customer, ref SafTCustomerSums state, string account, decimal amount)
    {
        var a = AccountIndex(account);
        if (state.Account < 0) state.Account = a;
        if (state.Account == a)
        {
            state.AccountMovement += amount;
            return;
        }
        if (!_otherAccountMovements.TryGetValue(customer, out var others)) _otherAccountMovements[customer] = others = [];
        var i = others.FindIndex(o => o.Account == a);
        if (i < 0) others.Add((a, amount));
        else others[i] = (a, others[i].Movement + amount);
    }

    // The AR accounts seen, each kept once (a customer's balances and movements name a few accounts, not one string each).
    private int AccountIndex(string account)
    {
        if (_accountIndex.TryGetValue(account, out var a)) return a;
        a = _accounts.Count;
        _accounts.Add(account);
        _accountIndex[account] = a;
        return a;
    }

    // The accounts a customer has movements on, in the order they first appear, and the movement on one.
    private IEnumerable<string> MovementAccounts(int customer, SafTCustomerSums state)
    {
        if (state.Account < 0) yield break;
        yield return _accounts[state.Account];
        if (_otherAccountMovements.TryGetValue(customer, out var others))
            foreach (var (a, _) in others) yield return _accounts[a];
    }

    private decimal MovementOn(int customer, SafTCustomerSums state, string account) =>
        !_accountIndex.TryGetValue(account, out var a) ? 0m
        : a == state.Account ? state.AccountMovement
        : _otherAccountMovements.TryGetValue(customer, out var others) && others.FindIndex(o => o.Account == a) is var i and >= 0 ? others[i].Movement
        : 0m;

    private void AddForeign(int group, Money? amount)
    {
        if (amount is not { } a) return;
        if (!_foreign.TryGetValue(group, out var sum)) _foreign[group] = sum = new ForeignSum();
        sum.Add(a);
    }

    // Payment dates: whether each customer's come in date order, and how many there are per date (to read them back in date order in windows).
    private void NotePayment(ref SafTCustomerSums state, DateOnly date)
    {
        if (state.LastPayment is { } last && date < last) _paymentsInDateOrder = false;
        state.LastPayment = date;
        _paymentDates[date] = _paymentDates.GetValueOrDefault(date) + 1;
    }

    private void NoteDate(DateOnly date)
    {
        if (date < _firstDate) _firstDate = date;
        if (date > _lastDate) _lastDate = date;
    }

    // ---------------------------------------------------------------- SalesInvoices (SourceDocuments)

    private void ParseSalesInvoice(XElement i)
    {
        var number = Text(i.Element(N("InvoiceNo")));
        if (number is null)
        {
            Missing(i, "InvoiceNo", "the invoice number (InvoiceNo)");
            return;
        }
        var dateElement = i.Element(N("InvoiceDate"));
        DateOnly? date = null;
        if (dateElement is null) Missing(i, "InvoiceDate", "the invoice date");
        else date = Date(dateElement);
        var info = i.Element(N("CustomerInfo"));
        var lines = i.Elements(N("Line")).ToList();
        var creditReference = Text(lines.Select(l => l.Element(N("References"))?.Element(N("CreditNote"))?.Element(N("Reference"))).FirstOrDefault(e => e is not null));
        var indicators = lines.Select(l => Text(l.Element(N("DebitCreditIndicator")))).OfType<string>().ToList();
        var type = Text(i.Element(N("InvoiceType")))?.ToUpperInvariant();
        // Revenue lines of an invoice are credits; a credit note debits revenue.
        var isCredit = creditReference is not null || (type is not null && CreditInvoiceTypes.Contains(type))
                       || (indicators.Count > 0 && indicators.All(x => x == "D"));
        var grossElement = i.Element(N("DocumentTotals"))?.Element(N("GrossTotal"));
        _salesInvoices[number] = new SalesInvoiceInfo(
            number, Text(info?.Element(N("CustomerID"))), Text(info?.Element(N("Name"))), date,
            isCredit, grossElement is null ? null : Monetary(grossElement), creditReference,
            Text(lines.Select(l => l.Element(N("Description"))).FirstOrDefault()), Text(i.Element(N("PaymentTerms"))), Where(i));
    }

    // ---------------------------------------------------------------- End of the first pass

    private void Finish()
    {
        _customers.Trim();
        _groups.Trim();
        _states.Trim();
        if (!_broken) CheckControlTotals();
        Derive();
        Differences = _broken ? [] : Reconcile();
        if (_suppressed > 0)
            _errors.Add(new InputError(_file, 0, null, null, $"only the first {SafTReader.MaxErrors} errors are listed; {_suppressed} more were found"));
    }

    private void CheckControlTotals()
    {
        if (_numberOfEntries is { } n)
        {
            var raw = Text(n.Element);
            if (raw is null || !long.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) || count != _transactions)
                Report(new InputError(_file, XmlRecords.LineOf(n.Element), null, raw,
                    $"expected the number of Transaction elements in the file, {_transactions}", n.Path));
        }
        foreach (var (total, sum, what) in new[] { (_totalDebit, _sumDebit, "DebitAmount"), (_totalCredit, _sumCredit, "CreditAmount") })
        {
            if (total is not { } t) continue;
            var stated = XmlRecords.TryParseDecimal(t.Element.Value, out var v) ? v : (decimal?)null;
            if (stated != sum)
                Report(new InputError(_file, XmlRecords.LineOf(t.Element), null, Text(t.Element),
                    $"expected the sum of every line's {what}/Amount, {XmlRecords.Invariant(sum)}", t.Path));
        }
    }

    // What each aggregate is (invoice, credit note, payment), the SalesInvoices they name, the opening balances applied to
    // payments for invoices outside the file, and the open amount per customer. Nothing per line is materialized.
    private void Derive()
    {
        var groups = _groups;
        for (var i = 0; i < groups.Count; i++)
        {
            var g = groups[i];
            if (g.DebitCents == 0 && g.CreditCents == 0) continue;
            SalesInvoiceInfo? sales = null;
            if (_salesInvoices.Count > 0) _salesInvoices.Remove(groups.ReferenceOf(i), out sales);
            if (sales is not null) _groupSales[i] = sales;
            g.Kind = g.Debit > 0m ? OpenItemKind.Invoice
                : g.CreditNoteCredit > 0m || (sales?.IsCredit ?? false) ? OpenItemKind.CreditNote
                : OpenItemKind.Payment;
            groups.Set(i, g);
            var state = _states[g.Customer];
            if (state.FirstGroup < 0)
            {
                state.FirstGroup = i;
                _states.Set(g.Customer, state);
            }
            switch (g.Kind)
            {
                case OpenItemKind.Invoice:
                    _documentCount++;
                    NoteDate(g.InvoiceDate);
                    if (g.CreditNoteCredit > 0m) _creditedInvoices++;
                    if (g.FirstCredit >= 0) { NoteDate(g.CreditFirst); NoteDate(g.CreditLast); }
                    break;
                case OpenItemKind.CreditNote:
                    _documentCount++;
                    NoteDate(g.CreditDate);
                    break;
                default:
                    NoteDate(g.CreditFirst);
                    NoteDate(g.CreditLast);
                    break;
            }
        }

        // Opening balances, with payments for invoices outside the file applied to them (in the order the references first appear).
        var remaining = new Dictionary<int, decimal>();
        for (var c = 0; c < _states.Count; c++)
        {
            var state = _states[c];
            if (!state.Known || _customers[state.Customer] is not { Balances.Count: > 0 } customer) continue;
            var opening = customer.Balances.Aggregate(0m, (s, b) => s + b.Opening.Amount);
            state.Opening = opening;
            _states.Set(c, state);
            if (opening > 0m) remaining[c] = opening;
        }
        for (var i = 0; i < groups.Count; i++)
        {
            var g = groups[i];
            if (g.Kind != OpenItemKind.Payment || !remaining.TryGetValue(g.Customer, out var left) || left <= 0m) continue;
            var apply = Math.Min(left, g.Credit);
            g.Settled += apply;
            groups.Set(i, g);
            remaining[g.Customer] = left - apply;
        }
        for (var c = 0; c < _states.Count; c++)
        {
            var state = _states[c];
            state.Open += state.Opening - (state.Opening > 0m ? state.Opening - remaining.GetValueOrDefault(c) : 0m);
            _states.Set(c, state);
        }
        for (var i = 0; i < groups.Count; i++)
        {
            var g = groups[i];
            if (g.Kind is not { } kind) continue;
            var state = _states[g.Customer];
            state.Open += kind == OpenItemKind.Invoice ? g.Debit - g.Credit : -g.Credit + g.Settled;
            _states.Set(g.Customer, state);
        }
        foreach (var s in _salesInvoices.Values)
            if (s.Date is { } d) NoteDate(d);
    }

    private List<BalanceDifference> Reconcile()
    {
        var differences = new List<BalanceDifference>();
        foreach (var customer in _customers)
        {
            if (customer.Balances.Count == 0) continue;
            var index = _states.Find(customer.CustomerId);
            var state = _states[index];
            var source = customer.Balances[0].Source;
            var closing = customer.Balances.Aggregate(0m, (s, b) => s + b.Closing.Amount);
            var opening = customer.Balances.Aggregate(0m, (s, b) => s + b.Opening.Amount);
            if (customer.Balances.All(b => b.AccountId is not null))
            {
                var accounts = customer.Balances.Select(b => b.AccountId!).Concat(MovementAccounts(index, state)).Distinct(StringComparer.Ordinal);
                foreach (var account in accounts)
                {
                    var balances = customer.Balances.Where(b => b.AccountId == account).ToList();
                    var expected = balances.Aggregate(0m, (s, b) => s + b.Closing.Amount);
                    var derived = balances.Aggregate(0m, (s, b) => s + b.Opening.Amount) + MovementOn(index, state, account);
                    if (expected != derived)
                        differences.Add(new BalanceDifference(customer.CustomerId, account.Length == 0 ? null : account, BalanceCheck.Movements,
                            new Money(expected, _currency), new Money(derived, _currency), balances.FirstOrDefault()?.Source ?? source));
                }
            }
            else if (closing != opening + state.Movement)
                differences.Add(new BalanceDifference(customer.CustomerId, null, BalanceCheck.Movements,
                    new Money(closing, _currency), new Money(opening + state.Movement, _currency), source));

            var open = state.Open;
            if (closing != open)
                differences.Add(new BalanceDifference(customer.CustomerId, null, BalanceCheck.OpenItems,
                    new Money(closing, _currency), new Money(open, _currency), source));
        }
        return differences;
    }
    // ---------------------------------------------------------------- Second pass

    /// <summary>
    /// The second pass: re-reads the GL transactions and yields, per AR line in file order, what it originates (a
    /// document at the line that describes it, an open item, a settlement). Texts, ids and XPaths come from the lines;
    /// XPaths are built only for the lines that originate something. A file that breaks off ends the entries.
    /// </summary>
    public IEnumerable<SafTEntry> Entries(Stream stream)
    {
        using var reader = XmlReader.Create(stream, XmlRecordBuilder.Settings());
        using var transactions = Transactions(reader).GetEnumerator();
        var pending = new Dictionary<int, PendingInvoice>();
        var output = new List<SafTEntry>();
        while (true)
        {
            bool more;
            try
            {
                more = transactions.MoveNext();
            }
            catch (XmlException)
            {
                more = false; // the first pass reported it
            }
            if (!more) yield break;
            var tx = ReadTransaction(transactions.Current);
            if (tx.Receivables is null || tx.Date is not { } date) continue;
            foreach (var r in tx.Receivables) Emit(r, date, tx.Description, tx.RevenueOrVat, pending, output);
            foreach (var e in output) yield return e;
            output.Clear();
        }
    }

    // GeneralLedgerEntries/Journal/Transaction elements in file order, one loaded at a time, with _path set to the transaction's.
    private IEnumerable<XElement> Transactions(XmlReader r)
    {
        if (r.MoveToContent() != XmlNodeType.Element || r.IsEmptyElement) yield break;
        _path.Add("AuditFile");
        r.Read();
        while (NextChild(r))
        {
            if (r.LocalName != "GeneralLedgerEntries" || r.NamespaceURI != _ns.NamespaceName || r.IsEmptyElement)
            {
                r.Skip();
                continue;
            }
            _path.Add("GeneralLedgerEntries");
            r.Read();
            var journals = 0;
            while (NextChild(r))
            {
                if (r.LocalName != "Journal")
                {
                    r.Skip();
                    continue;
                }
                journals++;
                if (r.NamespaceURI != _ns.NamespaceName || r.IsEmptyElement)
                {
                    r.Skip();
                    continue;
                }
                _path.Add($"Journal[{journals}]");
                r.Read();
                var transactions = 0;
                while (NextChild(r))
                {
                    if (r.LocalName != "Transaction")
                    {
                        r.Skip();
                        continue;
                    }
                    transactions++;
                    if (r.NamespaceURI != _ns.NamespaceName)
                    {
                        r.Skip();
                        continue;
                    }
                    _path.Add($"Transaction[{transactions}]");
                    yield return _builder.Load(r);
                    _path.RemoveAt(_path.Count - 1);
                }
                _path.RemoveAt(_path.Count - 1);
            }
            _path.RemoveAt(_path.Count - 1);
        }
    }

    // Moves to the current element's next child element; false (and past the end tag) when there is none.
    private static bool NextChild(XmlReader r)
    {
        while (true)
        {
            r.MoveToContent();
            switch (r.NodeType)
            {
                case XmlNodeType.Element:
                    return true;
                case XmlNodeType.EndElement:
                    r.Read();
                    return false;
                case XmlNodeType.None:
                    throw new XmlException("Unexpected end of file.");
                default:
                    r.Read();
                    break;
            }
        }
    }

    private void Emit(ReceivableLine r, DateOnly transactionDate, string? transactionText, bool revenueOrVat,
        Dictionary<int, PendingInvoice> pending, List<SafTEntry> output)
    {
        if (r.Signed == 0m) return;
        var customer = _states.Find(r.CustomerId);
        var id = r.CustomerId;
        var text = r.Text ?? transactionText;
        var ids = (r.TransactionId, r.RecordId);
        var creditDate = revenueOrVat ? transactionDate : r.ValueDate ?? transactionDate;
        if (r.Reference is null)
        {
            // An unreferenced line is an item of its own; a credit is also a settlement applied to nothing.
            var source = Where(r.Line);
            var kind = r.Signed > 0m ? OpenItemKind.Invoice : revenueOrVat ? OpenItemKind.CreditNote : OpenItemKind.Payment;
            var single = new MutableItem
            {
                CustomerId = id, Kind = kind, Date = r.Signed > 0m ? transactionDate : creditDate, DueDate = r.DueDate, Cid = r.Cid, Text = text,
                Original = r.Signed, Source = source, Ids = ids,
            };
            output.Add(new SafTEntry
            {
                Ordinal = r.Ordinal, Sequence = _groups.Count + r.Ordinal, Item = single.ToOpenItem(_currency),
                Settlement = r.Signed < 0m ? Settlement(id, revenueOrVat, SettlementTarget.None, null, creditDate, -r.Signed, r.Cid, text, ids, source) : null,
            });
            return;
        }

        var index = _groups.Find(customer, r.Reference);
        if (index < 0)
            throw new InvalidOperationException($"{_file} changed between the two passes: reference {r.Reference} of customer {r.CustomerId} is new");
        var g = _groups[index];
        var reference = r.Reference;
        if (g.Kind is not { } groupKind) return;
        if (r.Signed > 0m)
        {
            if (r.Ordinal != g.FirstDebit && r.Ordinal != g.DebitCid) return;
            var p = pending.GetValueOrDefault(index) ?? new PendingInvoice();
            if (r.Ordinal == g.FirstDebit)
            {
                p.Described = true;
                p.Text = text;
                p.Ids = ids;
                p.Source = Where(r.Line);
            }
            if (r.Ordinal == g.DebitCid) p.Cid = r.Cid;
            CompleteInvoice(index, reference, id, g, p, r.Ordinal, pending, output);
            return;
        }

        SafTEntry? entry = null;
        SourceLocation? where = null;
        if (r.Ordinal == g.FirstCredit)
        {
            if (groupKind == OpenItemKind.Invoice)
            {
                if (g.DebitCid < 0)
                {
                    // No debit line has a CID: the invoice takes the first credit line's.
                    var p = pending.GetValueOrDefault(index) ?? new PendingInvoice();
                    p.Cid = r.Cid;
                    p.HasCreditCid = true;
                    CompleteInvoice(index, reference, id, g, p, r.Ordinal, pending, output);
                }
            }
            else
            {
                // A credit note or payment is described by its first credit line.
                where = Where(r.Line);
                var sales = _groupSales.GetValueOrDefault(index);
                var item = new MutableItem
                {
                    CustomerId = id, Kind = groupKind, Reference = reference, Date = g.CreditDate, DueDate = g.CreditDue, Cid = r.Cid,
                    Text = text ?? sales?.Text, Original = -g.Credit, Settled = g.Settled, Foreign = _foreign.GetValueOrDefault(index)?.Sum,
                    Source = where.Value, Ids = ids, Sales = sales, Document = groupKind == OpenItemKind.CreditNote,
                };
                entry = new SafTEntry
                {
                    Ordinal = r.Ordinal, Sequence = index, Item = item.Open != 0m ? item.ToOpenItem(_currency) : null,
                    Document = item.Document ? item.ToDocument(_currency, PartyOf(customer, id), _header) : null,
                };
            }
        }
        if (groupKind != OpenItemKind.CreditNote)
        {
            // Credits on an invoice, and payments: settlements. (A credit note's own lines are the credit note.)
            var target = groupKind == OpenItemKind.Invoice ? SettlementTarget.Invoice
                : g.Settled > 0m ? SettlementTarget.OpeningBalance
                : SettlementTarget.None;
            entry ??= new SafTEntry { Ordinal = r.Ordinal, Sequence = index };
            entry = entry with
            {
                Settlement = Settlement(id, revenueOrVat, target, reference, creditDate, -r.Signed, r.Cid, text, ids, where ?? Where(r.Line)),
                CreditNoteTotal = revenueOrVat && r.Ordinal == g.FirstCreditNote ? new Money(g.CreditNoteCredit, _currency) : null,
            };
        }
        if (entry is not null) output.Add(entry);
    }

    // An invoice is emitted once its first debit line and the line its CID comes from have been read.
    private void CompleteInvoice(int index, string reference, string customerId, SafTGroup g, PendingInvoice p, int ordinal, Dictionary<int, PendingInvoice> pending,
        List<SafTEntry> output)
    {
        var needsCid = g.DebitCid >= 0 || g.FirstCredit >= 0;
        var hasCid = g.DebitCid >= 0 ? ordinal >= g.DebitCid : g.FirstCredit < 0 || p.HasCreditCid;
        if (!p.Described || (needsCid && !hasCid))
        {
            pending[index] = p;
            return;
        }
        pending.Remove(index);
        var sales = _groupSales.GetValueOrDefault(index);
        var item = new MutableItem
        {
            CustomerId = customerId, Kind = OpenItemKind.Invoice, Reference = reference, Date = g.InvoiceDate, DueDate = g.DueDate ?? g.CreditDue,
            Cid = p.Cid, Text = p.Text ?? sales?.Text, Original = g.Debit, Settled = -g.Credit, Foreign = _foreign.GetValueOrDefault(index)?.Sum,
            Source = p.Source!.Value, Ids = p.Ids, Sales = sales, Document = true,
        };
        output.Add(new SafTEntry
        {
            Ordinal = ordinal, Sequence = index, Item = item.Open != 0m ? item.ToOpenItem(_currency) : null,
            Document = item.ToDocument(_currency, PartyOf(g.Customer, customerId), _header),
        });
    }

    private SafTSettlement Settlement(string customerId, bool credit, SettlementTarget target, string? reference, DateOnly date, decimal amount,
        string? cid, string? text, (string? TransactionId, string? RecordId) ids, SourceLocation source) => new()
    {
        CustomerId = customerId,
        Kind = credit ? SettlementKind.Credit : SettlementKind.Payment,
        AppliesTo = target,
        Reference = reference,
        Date = date,
        Amount = new Money(amount, _currency),
        PaymentReference = cid,
        Kid = cid is not null && Identifiers.Kid.TryParse(cid, out var kid, out _) ? kid.Value : null,
        Text = text,
        TransactionId = ids.TransactionId,
        RecordId = ids.RecordId,
        Source = source,
    };

    /// <summary>
    /// True when every document of a customer gets the same <see cref="InvoiceCustomer"/> (for <see cref="SafTReader.Read"/>, which keeps
    /// them all); else the party is rebuilt from the compact customer store when the customer changes, and nothing per customer is kept.
    /// </summary>
    public bool ShareParties { get; init; }

    private Dictionary<int, InvoiceCustomer>? _parties;

    // The customer as a debtor; the last one is kept (a customer's documents often come together).
    private InvoiceCustomer PartyOf(int customer, string id)
    {
        if (ShareParties)
        {
            _parties ??= [];
            if (!_parties.TryGetValue(customer, out var shared)) _parties[customer] = shared = Party(customer, id);
            return shared;
        }
        if (customer == _lastPartyOf) return _lastParty!;
        _lastParty = Party(customer, id);
        _lastPartyOf = customer;
        return _lastParty;
    }

    // A MasterFiles customer as a debtor (rebuilt from the compact store), or an id only GL lines name.
    private InvoiceCustomer Party(int customer, string id) => _states[customer] is { Known: true } s
        ? _customers.PartyOf(s.Customer)
        : new InvoiceCustomer { CustomerNumber = id, Name = id, Kind = null };

    private int _lastPartyOf = -1;
    private InvoiceCustomer? _lastParty;

    // ---------------------------------------------------------------- The whole result (Read)

    /// <summary>Collects the second pass into one result in the reader's documented order (per customer, opening balance first, then by date).</summary>
    public SafTReadResult Materialize(IEnumerable<SafTEntry> entries)
    {
        var byCustomer = new Dictionary<string, List<(int Rank, DateOnly Date, int Sequence, OpenItem? Item, InvoiceDocument? Document)>>(StringComparer.Ordinal);
        List<(int, DateOnly, int, OpenItem?, InvoiceDocument?)> For(string id) => byCustomer.TryGetValue(id, out var l) ? l : byCustomer[id] = [];
        var settlements = new List<SafTSettlement>();
        foreach (var e in entries)
        {
            if (e.Settlement is { } s) settlements.Add(s);
            if (e.Item is null && e.Document is null) continue;
            var id = e.Item?.CustomerId ?? e.Document!.Customer.CustomerNumber!;
            For(id).Add((1, e.Item?.Date ?? e.Document!.IssueDate, e.Sequence, e.Item, e.Document));
        }
        // What the payments for invoices outside the file applied to each customer's opening balance.
        var appliedToOpening = new Dictionary<int, decimal>();
        for (var i = 0; i < _groups.Count; i++)
            if (_groups[i] is { Kind: OpenItemKind.Payment, SettledCents: not 0 } g) appliedToOpening[g.Customer] = appliedToOpening.GetValueOrDefault(g.Customer) + g.Settled;
        for (var c = 0; c < _states.Count; c++)
        {
            var state = _states[c];
            if (!state.Known || state.Opening == 0m || _customers[state.Customer] is not { Balances.Count: > 0 } customer) continue;
            var applied = state.Opening > 0m ? appliedToOpening.GetValueOrDefault(c) : 0m;
            var opening = new MutableItem
            {
                CustomerId = customer.CustomerId, Kind = OpenItemKind.OpeningBalance, Original = state.Opening, Settled = -applied, Source = customer.Balances[0].Source,
            };
            For(customer.CustomerId).Add((0, DateOnly.MinValue, -1, opening.Open != 0m ? opening.ToOpenItem(_currency) : null, null));
        }

        // Customers in file order, unknown customers last (in the order their first item was derived).
        var order = _customers.Select(c => c.CustomerId)
            .Concat(Enumerable.Range(0, _states.Count).Select(c => (Index: c, State: _states[c])).Where(s => !s.State.Known)
                .OrderBy(s => s.State.FirstGroup >= 0 ? s.State.FirstGroup : (long)_groups.Count + s.State.FirstSingle).Select(s => _states.IdOf(s.Index)));
        var items = new List<OpenItem>();
        var documents = new List<InvoiceDocument>();
        foreach (var id in order)
        {
            if (!byCustomer.TryGetValue(id, out var list)) continue;
            foreach (var x in list.OrderBy(x => x.Rank).ThenBy(x => x.Date).ThenBy(x => x.Sequence))
            {
                if (x.Item is not null) items.Add(x.Item);
                if (x.Document is not null) documents.Add(x.Document);
            }
        }
        documents.AddRange(UnpostedDocuments());
        return new SafTReadResult
        {
            Header = _header,
            Customers = _customers.ToList(),
            Documents = documents,
            OpenItems = items,
            Settlements = settlements,
            BalanceDifferences = Differences,
            Errors = _errors,
            TransactionCount = _transactions,
            LineCount = _lines,
            ReceivableLineCount = _receivableLines,
        };
    }

    /// <summary>SalesInvoices that no GL line refers to: documents without an open amount.</summary>
    public List<InvoiceDocument> UnpostedDocuments()
    {
        var documents = new List<InvoiceDocument>();
        foreach (var s in _salesInvoices.Values)
        {
            if (s.Date is null) continue;
            var party = s.CustomerId is not null && _states.Find(s.CustomerId) is var c and >= 0 && _states[c] is { Known: true } st ? _customers.PartyOf(st.Customer)
                : new InvoiceCustomer { CustomerNumber = s.CustomerId, Name = s.CustomerName ?? s.CustomerId ?? "(unknown)", Kind = null };
            var gross = new Money(Math.Abs(s.Gross ?? 0m), _currency);
            documents.Add(new InvoiceDocument
            {
                Number = s.Number,
                Kind = s.IsCredit ? InvoiceKind.CreditNote : InvoiceKind.Invoice,
                IssueDate = s.Date.Value,
                PayableAmount = gross,
                Amount = s.IsCredit ? -gross : gross,
                CreditsNumber = s.CreditReference,
                Text = s.Text,
                PaymentTerms = s.PaymentTerms,
                Customer = party,
                SellerName = _header?.CompanyName,
                SellerOrgNumber = _header?.CompanyOrgNumber,
                Source = s.Source,
            });
        }
        return documents;
    }

    // ---------------------------------------------------------------- What the first pass found (for SafTScan)

    public SafTHeader? Header => _header;
    public IReadOnlyList<SafTCustomer> Customers => _customers;
    public IReadOnlyList<InputError> Errors => _errors;
    public List<BalanceDifference> Differences { get; private set; } = [];
    public int TransactionCount => _transactions;
    public int LineCount => _lines;
    public int ReceivableLineCount => _receivableLines;
    public int DocumentCount => _documentCount;
    public int UnreferencedDebitCount => _unreferencedDebits;
    public int UnreferencedCreditCount => _unreferencedCredits;
    public int CreditedInvoiceCount => _creditedInvoices;
    public (DateOnly First, DateOnly Last)? DateRange => _firstDate <= _lastDate ? (_firstDate, _lastDate) : null;
    public bool PaymentsInDateOrder => _paymentsInDateOrder;
    public IReadOnlyDictionary<DateOnly, int> PaymentDates => _paymentDates;
    public Currency LedgerCurrency => _currency;

    public decimal? Movement(string customerId) => _states.Find(customerId) is var c and >= 0 ? _states[c].Movement : null;

    public decimal? Opening(string customerId) => _states.Find(customerId) is var c and >= 0 && _states[c] is { Known: true } s ? s.Opening : null;

    public int? PaymentTermsDays(string customerId) => _states.Find(customerId) is var c and >= 0 ? _states[c].PaymentTermsDays : null;

    public bool IsInvoice(string customerId, string reference) =>
        _states.Find(customerId) is var c and >= 0 && _groups.Find(c, reference) is var i and >= 0 && _groups[i].Kind == OpenItemKind.Invoice;

    // ---------------------------------------------------------------- Values and errors

    private decimal? Monetary(XElement e)
    {
        if (!XmlRecords.TryParseDecimal(e.Value, out var v))
        {
            Error(e, e.Value, "expected an amount like 1234.50 (xs:decimal, at most 2 decimals)");
            return null;
        }
        if (decimal.Round(v, 2) != v)
        {
            Error(e, e.Value, "expected an amount with at most 2 decimals (SAFmonetaryType)");
            return null;
        }
        return v;
    }

    private DateOnly? Date(XElement? e)
    {
        if (e is null || Text(e) is null) return null;
        if (XmlRecords.TryParseDate(e.Value, out var d)) return d;
        Error(e, e.Value, "expected a date YYYY-MM-DD");
        return null;
    }

    private int? Int(XElement? e)
    {
        var t = Text(e);
        if (t is null) return null;
        if (int.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v)) return v;
        Error(e!, t, "expected a whole number");
        return null;
    }

    private static string? Text(XElement? e) => XmlRecords.TextOf(e);

    private void Missing(XElement parent, string child, string what)
    {
        if (_quiet) return;
        Report(new InputError(_file, XmlRecords.LineOf(parent), null, null, $"expected {what}, which is missing", PathOf(parent) + "/" + child));
    }

    private void Error(XElement at, string? raw, string expected)
    {
        if (_quiet) return;
        Report(new InputError(_file, XmlRecords.LineOf(at), null, raw, expected, PathOf(at)));
    }

    private void Report(InputError error)
    {
        if (_quiet) return;
        if (_errors.Count < SafTReader.MaxErrors) _errors.Add(error);
        else _suppressed++;
    }

    // ---------------------------------------------------------------- State

    /// <summary>An AR line of the transaction being read; <see cref="Ordinal"/> is its position among the file's AR lines.</summary>
    private sealed record ReceivableLine(
        XElement Line, int Ordinal, string CustomerId, string? Account, decimal Signed, Money? Foreign,
        string? Reference, string? Cid, DateOnly? DueDate, DateOnly? ValueDate, string? Text, string? TransactionId, string? RecordId);

    private sealed record TransactionLines(DateOnly? Date, string? Description, bool RevenueOrVat, List<ReceivableLine>? Receivables);

    private sealed record SalesInvoiceInfo(
        string Number, string? CustomerId, string? CustomerName, DateOnly? Date, bool IsCredit, decimal? Gross,
        string? CreditReference, string? Text, string? PaymentTerms, SourceLocation Source);

    /// <summary>The sum of an item's foreign-currency amounts; none when they are in more than one currency.</summary>
    private sealed class ForeignSum
    {
        private bool _mixed;
        public Money? Sum { get; private set; }

        public void Add(Money amount)
        {
            if (_mixed) return;
            if (Sum is { } f && f.Currency != amount.Currency) { Sum = null; _mixed = true; return; }
            Sum = Sum is { } g ? g + amount : amount;
        }
    }

    /// <summary>What the second pass has of an invoice whose describing lines are not all read yet.</summary>
    private sealed class PendingInvoice
    {
        public bool Described { get; set; }
        public string? Text { get; set; }
        public (string? TransactionId, string? RecordId) Ids { get; set; }
        public SourceLocation? Source { get; set; }
        public string? Cid { get; set; }
        public bool HasCreditCid { get; set; }
    }

    private sealed class MutableItem
    {
        public required string CustomerId { get; init; }
        public required OpenItemKind Kind { get; init; }
        public string? Reference { get; init; }
        public DateOnly? Date { get; init; }
        public DateOnly? DueDate { get; init; }
        public string? Cid { get; init; }
        public string? Text { get; init; }
        public decimal Original { get; init; }
        public decimal Settled { get; set; }
        public decimal Open => Original + Settled;
        public Money? Foreign { get; init; }
        public required SourceLocation Source { get; init; }
        public bool Document { get; set; }
        public SalesInvoiceInfo? Sales { get; set; }
        public (string? TransactionId, string? RecordId) Ids { get; init; }

        public OpenItem ToOpenItem(Currency currency) => new()
        {
            CustomerId = CustomerId,
            Kind = Kind,
            Reference = Reference,
            Date = Date,
            DueDate = DueDate,
            PaymentReference = Cid,
            Kid = Cid is not null && Identifiers.Kid.TryParse(Cid, out var kid, out _) ? kid.Value : null,
            Original = new Money(Original, currency),
            Settled = new Money(Settled, currency),
            Open = new Money(Open, currency),
            Text = Text,
            Source = Source,
            TransactionId = Ids.TransactionId,
            RecordId = Ids.RecordId,
        };

        public InvoiceDocument ToDocument(Currency currency, InvoiceCustomer party, SafTHeader? header) => new()
        {
            Number = Reference!,
            Kind = Kind == OpenItemKind.CreditNote ? InvoiceKind.CreditNote : InvoiceKind.Invoice,
            IssueDate = Date ?? Sales?.Date ?? DateOnly.MinValue,
            DueDate = DueDate,
            Amount = new Money(Original, currency),
            PayableAmount = new Money(Math.Abs(Original), currency),
            OpenAmount = new Money(Open, currency),
            ForeignAmount = Foreign,
            PaymentReference = Cid,
            Kid = Cid is not null && Identifiers.Kid.TryParse(Cid, out var kid, out _) ? kid.Value : null,
            PaymentTerms = Sales?.PaymentTerms,
            Text = Text,
            CreditsNumber = Sales?.CreditReference,
            Customer = party,
            SellerName = header?.CompanyName,
            SellerOrgNumber = header?.CompanyOrgNumber,
            Source = Source,
        };
    }
}
