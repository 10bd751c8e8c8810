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
/// <para><b>Streaming.</b> The file is read once with an <see cref="XmlReader"/>; only one Customer, Transaction or
/// SalesInvoice element is in memory at a time. What grows with the file is one small accumulator per
/// (customer, reference) on the AR side, and the output.</para>
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

    /// <summary>Reads a SAF-T Financial file.</summary>
    /// <param name="stream">The XML; read forward once, not closed.</param>
    /// <param name="fileName">The name used in error locations.</param>
    public static SafTReadResult Read(Stream stream, string fileName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        return new SafTParser(fileName).Read(stream);
    }
}

internal sealed class SafTParser
{
    private static readonly HashSet<string> IndexedSteps = ["Customer", "Journal", "Transaction", "Invoice", "Account", "Supplier", "Payment", "Line"];
    private static readonly HashSet<string> CreditInvoiceTypes = ["381", "CN", "C", "K", "KN", "CREDIT", "CREDITNOTE", "KREDITNOTA"];

    private readonly string _file;
    private readonly List<InputError> _errors = [];
    private int _suppressed;
    private readonly List<string> _path = [];
    private readonly XmlRecordBuilder _builder = new();
    private XNamespace _ns = XNamespace.None;
    private SafTHeader? _header;
    private Currency _currency = Currency.Nok;
    private readonly List<SafTCustomer> _customers = [];
    private readonly Dictionary<string, CustomerState> _states = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unknownCustomers = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Customer, string Reference), ItemAccumulator> _groups = [];
    private readonly List<ItemAccumulator> _singles = [];
    private readonly List<PendingCredit> _credits = [];
    private readonly Dictionary<string, SalesInvoiceInfo> _salesInvoices = new(StringComparer.Ordinal);
    private (XElement Element, string Path)? _numberOfEntries, _totalDebit, _totalCredit;
    private int _transactions, _lines, _receivableLines;
    private decimal _sumDebit, _sumCredit;
    private bool _broken;

    public SafTParser(string file) => _file = file;

    private XName N(string local) => _ns + local;

    private string CurrentPath => "/" + string.Join("/", _path);

    private string PathOf(XElement e) => XmlRecords.PathOf(e, CurrentPath, n => n.LocalName);

    private SourceLocation Where(XElement e) => new(_file, XmlRecords.LineOf(e), PathOf(e));

    public SafTReadResult Read(Stream stream)
    {
        try
        {
            using var reader = XmlReader.Create(stream, XmlRecordBuilder.Settings());
            if (reader.MoveToContent() != XmlNodeType.Element)
            {
                Report(new InputError(_file, 0, null, null, "expected a SAF-T Financial file; the file has no XML element"));
                return Result();
            }
            var line = ((IXmlLineInfo)reader).LineNumber;
            var rootName = reader.NamespaceURI.Length == 0 ? reader.LocalName : $"{{{reader.NamespaceURI}}}{reader.LocalName}";
            if (reader.LocalName != "AuditFile")
            {
                Report(new InputError(_file, line, null, rootName, "expected a SAF-T Financial file with root element AuditFile", "/" + reader.LocalName));
                return Result();
            }
            if (reader.NamespaceURI.Length > 0 && reader.NamespaceURI != SafTReader.Namespace)
            {
                Report(new InputError(_file, line, null, reader.NamespaceURI,
                    $"expected the Norwegian SAF-T Financial namespace {SafTReader.Namespace} (or none)", "/AuditFile"));
                return Result();
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
        return Result();
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
        if (_states.TryGetValue(id, out var existing))
        {
            Error(idElement!, id, $"expected a unique CustomerID; it is also used at line {existing.Customer?.Source.Line}");
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
                AddressLines = lines,
                PostalCode = Text(address?.Element(N("PostalCode"))),
                City = Text(address?.Element(N("City"))),
                Country = Text(address?.Element(N("Country"))),
                Kind = kind,
            },
            Balances = balances,
            PaymentTermsDays = Int(partyInfo?.Element(N("PaymentTerms"))?.Element(N("Days"))),
            Source = Where(c),
        };
        _customers.Add(customer);
        _states[id] = new CustomerState(id, customer);
    }

    private SafTBalance? ReadBalance(XElement holder, XElement locateAt)
    {
        var account = Text(holder.Element(N("AccountID")));
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
            _receivableLines++;
            receivables ??= [];
            receivables.Add(new ReceivableLine(line, customerId, account, debitElement is not null ? amount.Value : -amount.Value, foreign,
                Text(line.Element(N("ReferenceNumber"))), Text(line.Element(N("CID"))), Date(line.Element(N("DueDate"))),
                Date(line.Element(N("ValueDate"))), Text(line.Element(N("Description"))), transactionId, Text(line.Element(N("RecordID")))));
        }

        if (debit != credit)
            Error(t, $"debit {XmlRecords.Invariant(debit)}, credit {XmlRecords.Invariant(credit)}",
                "expected a balanced transaction: the sum of DebitAmount equal to the sum of CreditAmount");

        if (receivables is null || date is null) return;
        foreach (var r in receivables) Accumulate(r, date.Value, description, revenueOrVat);
    }

    private void Accumulate(ReceivableLine r, DateOnly transactionDate, string? transactionText, bool revenueOrVat)
    {
        if (!_states.TryGetValue(r.CustomerId, out var state))
        {
            if (_unknownCustomers.Add(r.CustomerId))
                Error(r.Line.Element(N("CustomerID"))!, r.CustomerId, "expected a CustomerID from MasterFiles/Customers (reported once per id)");
            state = new CustomerState(r.CustomerId, null);
            _states[r.CustomerId] = state;
        }
        state.Movement += r.Signed;
        var accountKey = r.Account ?? "";
        state.MovementByAccount[accountKey] = state.MovementByAccount.GetValueOrDefault(accountKey) + r.Signed;

        var reference = r.Reference;
        ItemAccumulator item;
        if (reference is null)
        {
            item = new ItemAccumulator(state.Id, null);
            _singles.Add(item);
        }
        else if (!_groups.TryGetValue((state.Id, reference), out item!))
        {
            item = new ItemAccumulator(state.Id, reference);
            _groups[(state.Id, reference)] = item;
        }

        var due = r.DueDate;
        var valueDate = r.ValueDate;
        var cid = r.Cid;
        var text = r.Text ?? transactionText;
        if (r.Signed > 0m)
        {
            item.Debit += r.Signed;
            if (item.DebitSource is null)
            {
                item.DebitSource = Where(r.Line);
                item.InvoiceDate = transactionDate;
                item.Text = text;
                item.DebitIds = (r.TransactionId, r.RecordId);
            }
            item.DueDate ??= due;
            item.Cid ??= cid;
            item.AddForeign(r.Foreign);
        }
        else if (r.Signed < 0m)
        {
            item.Credit -= r.Signed;
            if (revenueOrVat) item.CreditNoteCredit -= r.Signed;
            var source = Where(r.Line);
            _credits.Add(new PendingCredit(item, revenueOrVat ? SettlementKind.Credit : SettlementKind.Payment,
                revenueOrVat ? transactionDate : valueDate ?? transactionDate, -r.Signed, cid, text, r.TransactionId, r.RecordId, source));
            if (item.CreditSource is null)
            {
                item.CreditSource = source;
                item.CreditIds = (r.TransactionId, r.RecordId);
                item.CreditDate = revenueOrVat ? transactionDate : valueDate ?? transactionDate;
                item.CreditText = text;
                item.CreditDue = due;
                item.CreditCid = cid;
            }
            item.AddForeign(r.Foreign);
        }
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

    // ---------------------------------------------------------------- End of file

    private SafTReadResult Result()
    {
        if (!_broken) CheckControlTotals();
        var (items, openByCustomer, documents, settlements) = Derive();
        List<BalanceDifference> differences = _broken ? [] : Reconcile(openByCustomer);
        var errors = _errors;
        if (_suppressed > 0)
            errors = [.. errors, new InputError(_file, 0, null, null, $"only the first {SafTReader.MaxErrors} errors are listed; {_suppressed} more were found")];
        return new SafTReadResult
        {
            Header = _header,
            Customers = _customers,
            Documents = documents,
            OpenItems = items,
            Settlements = settlements,
            BalanceDifferences = differences,
            Errors = errors,
            TransactionCount = _transactions,
            LineCount = _lines,
            ReceivableLineCount = _receivableLines,
        };
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

    // The items still open (only those are materialized), the sum of every item's open amount per customer, the documents and the settlements.
    private (List<OpenItem> Items, Dictionary<string, decimal> OpenByCustomer, List<InvoiceDocument> Documents, List<SafTSettlement> Settlements) Derive()
    {
        var items = new List<OpenItem>();
        var openByCustomer = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var documents = new List<InvoiceDocument>();
        var byCustomer = new Dictionary<string, List<MutableItem>>(StringComparer.Ordinal);
        List<MutableItem> For(string id) => byCustomer.TryGetValue(id, out var l) ? l : byCustomer[id] = [];

        foreach (var acc in _groups.Values.Concat(_singles))
        {
            if (acc.Debit == 0m && acc.Credit == 0m) continue;
            SalesInvoiceInfo? sales = null;
            if (acc.Reference is not null) _salesInvoices.Remove(acc.Reference, out sales);
            var item = MutableItem.From(acc, sales);
            acc.Item = item;
            For(acc.CustomerId).Add(item);
            if (acc.Reference is not null && item.Kind is OpenItemKind.Invoice or OpenItemKind.CreditNote)
                item.Document = true;
            item.Sales = sales;
        }

        // Opening balances, with payments for invoices outside the file applied to them.
        foreach (var state in _states.Values)
        {
            var customer = state.Customer;
            if (customer is null || customer.Balances.Count == 0) continue;
            var opening = customer.Balances.Aggregate(0m, (s, b) => s + b.Opening.Amount);
            if (opening == 0m) continue;
            var item = new MutableItem
            {
                CustomerId = state.Id, Kind = OpenItemKind.OpeningBalance, Original = opening,
                Source = customer.Balances[0].Source, Date = null,
            };
            if (opening > 0m)
                foreach (var payment in For(state.Id).Where(i => i.Kind == OpenItemKind.Payment && i.Reference is not null && i.Open < 0m))
                {
                    var apply = Math.Min(item.Open, -payment.Open);
                    if (apply <= 0m) break;
                    item.Settled -= apply;
                    payment.Settled += apply;
                }
            For(state.Id).Insert(0, item);
        }

        // Output in customer order (file order; unknown customers last), oldest first.
        var order = _customers.Select(c => c.CustomerId).Concat(byCustomer.Keys.Where(k => !_states.TryGetValue(k, out var s) || s.Customer is null)).Distinct();
        foreach (var id in order)
        {
            if (!byCustomer.TryGetValue(id, out var list)) continue;
            var party = _states.TryGetValue(id, out var st) && st.Customer is not null ? st.Customer.Party
                : new InvoiceCustomer { CustomerNumber = id, Name = id, Kind = CustomerKind.Unknown };
            foreach (var m in list.OrderBy(m => m.Kind == OpenItemKind.OpeningBalance ? 0 : 1).ThenBy(m => m.Date ?? DateOnly.MinValue))
            {
                openByCustomer[id] = openByCustomer.GetValueOrDefault(id) + m.Open;
                if (m.Open != 0m) items.Add(m.ToOpenItem(_currency));
                if (m.Document) documents.Add(m.ToDocument(_currency, party, _header));
            }
        }

        // SalesInvoices that no GL line refers to: documents without an open amount.
        foreach (var s in _salesInvoices.Values)
        {
            if (s.Date is null) continue;
            var party = s.CustomerId is not null && _states.TryGetValue(s.CustomerId, out var st) && st.Customer is not null ? st.Customer.Party
                : new InvoiceCustomer { CustomerNumber = s.CustomerId, Name = s.CustomerName ?? s.CustomerId ?? "(unknown)", Kind = CustomerKind.Unknown };
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
        return (items, openByCustomer, documents, Settlements());
    }

    // Every AR credit line that is not part of a credit-note document, with what the derivation applied it to.
    private List<SafTSettlement> Settlements()
    {
        var settlements = new List<SafTSettlement>(_credits.Count);
        foreach (var p in _credits)
        {
            var item = p.Item.Item;
            if (item is null || (item.Kind == OpenItemKind.CreditNote && item.Document)) continue;
            var target = item.Kind == OpenItemKind.Invoice ? SettlementTarget.Invoice
                : item.Kind == OpenItemKind.Payment && item.Settled > 0m ? SettlementTarget.OpeningBalance
                : SettlementTarget.None;
            settlements.Add(new SafTSettlement
            {
                CustomerId = p.Item.CustomerId,
                Kind = p.Kind,
                AppliesTo = target,
                Reference = p.Item.Reference,
                Date = p.Date,
                Amount = new Money(p.Amount, _currency),
                PaymentReference = p.Cid,
                Kid = p.Cid is not null && Identifiers.Kid.TryParse(p.Cid, out var kid, out _) ? kid.Value : null,
                Text = p.Text,
                TransactionId = p.TransactionId,
                RecordId = p.RecordId,
                Source = p.Source,
            });
        }
        _credits.Clear();
        return settlements;
    }

    private List<BalanceDifference> Reconcile(Dictionary<string, decimal> openByCustomer)
    {
        var differences = new List<BalanceDifference>();
        foreach (var customer in _customers)
        {
            if (customer.Balances.Count == 0) continue;
            var state = _states[customer.CustomerId];
            var source = customer.Balances[0].Source;
            var closing = customer.Balances.Aggregate(0m, (s, b) => s + b.Closing.Amount);
            var opening = customer.Balances.Aggregate(0m, (s, b) => s + b.Opening.Amount);
            if (customer.Balances.All(b => b.AccountId is not null))
            {
                var accounts = customer.Balances.Select(b => b.AccountId!).Concat(state.MovementByAccount.Keys).Distinct(StringComparer.Ordinal);
                foreach (var account in accounts)
                {
                    var balances = customer.Balances.Where(b => b.AccountId == account).ToList();
                    var expected = balances.Aggregate(0m, (s, b) => s + b.Closing.Amount);
                    var derived = balances.Aggregate(0m, (s, b) => s + b.Opening.Amount) + state.MovementByAccount.GetValueOrDefault(account);
                    if (expected != derived)
                        differences.Add(new BalanceDifference(customer.CustomerId, account.Length == 0 ? null : account, BalanceCheck.Movements,
                            new Money(expected, _currency), new Money(derived, _currency), balances.FirstOrDefault()?.Source ?? source));
                }
            }
            else if (closing != opening + state.Movement)
                differences.Add(new BalanceDifference(customer.CustomerId, null, BalanceCheck.Movements,
                    new Money(closing, _currency), new Money(opening + state.Movement, _currency), source));

            var open = openByCustomer.GetValueOrDefault(customer.CustomerId);
            if (closing != open)
                differences.Add(new BalanceDifference(customer.CustomerId, null, BalanceCheck.OpenItems,
                    new Money(closing, _currency), new Money(open, _currency), source));
        }
        return differences;
    }

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

    private void Missing(XElement parent, string child, string what) =>
        Report(new InputError(_file, XmlRecords.LineOf(parent), null, null, $"expected {what}, which is missing", PathOf(parent) + "/" + child));

    private void Error(XElement at, string? raw, string expected) =>
        Report(new InputError(_file, XmlRecords.LineOf(at), null, raw, expected, PathOf(at)));

    private void Report(InputError error)
    {
        if (_errors.Count < SafTReader.MaxErrors) _errors.Add(error);
        else _suppressed++;
    }

    // ---------------------------------------------------------------- State

    private sealed class CustomerState(string id, SafTCustomer? customer)
    {
        public string Id { get; } = id;
        public SafTCustomer? Customer { get; } = customer;
        public decimal Movement { get; set; }
        public Dictionary<string, decimal> MovementByAccount { get; } = new(StringComparer.Ordinal);
    }

    private sealed record ReceivableLine(
        XElement Line, string CustomerId, string? Account, decimal Signed, Money? Foreign,
        string? Reference, string? Cid, DateOnly? DueDate, DateOnly? ValueDate, string? Text, string? TransactionId, string? RecordId);

    /// <summary>A credit line on the AR side, kept until <see cref="Derive"/> knows what its item is.</summary>
    private sealed record PendingCredit(
        ItemAccumulator Item, SettlementKind Kind, DateOnly Date, decimal Amount, string? Cid, string? Text,
        string? TransactionId, string? RecordId, SourceLocation Source);

    private sealed record SalesInvoiceInfo(
        string Number, string? CustomerId, string? CustomerName, DateOnly? Date, bool IsCredit, decimal? Gross,
        string? CreditReference, string? Text, string? PaymentTerms, SourceLocation Source);

    /// <summary>Everything posted on one (customer, reference), or one unreferenced line.</summary>
    private sealed class ItemAccumulator(string customerId, string? reference)
    {
        public string CustomerId { get; } = customerId;
        public string? Reference { get; } = reference;
        public decimal Debit { get; set; }
        public decimal Credit { get; set; }
        public decimal CreditNoteCredit { get; set; }
        public SourceLocation? DebitSource { get; set; }
        public DateOnly? InvoiceDate { get; set; }
        public DateOnly? DueDate { get; set; }
        public string? Cid { get; set; }
        public string? Text { get; set; }
        public SourceLocation? CreditSource { get; set; }
        public DateOnly? CreditDate { get; set; }
        public DateOnly? CreditDue { get; set; }
        public string? CreditCid { get; set; }
        public string? CreditText { get; set; }
        public Money? Foreign { get; private set; }
        public (string? TransactionId, string? RecordId) DebitIds { get; set; }
        public (string? TransactionId, string? RecordId) CreditIds { get; set; }
        public MutableItem? Item { get; set; }
        private bool _mixedForeign;

        public void AddForeign(Money? amount)
        {
            if (amount is not { } a || _mixedForeign) return;
            if (Foreign is { } f && f.Currency != a.Currency) { Foreign = null; _mixedForeign = true; return; }
            Foreign = Foreign is { } g ? g + a : a;
        }
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

        public static MutableItem From(ItemAccumulator a, SalesInvoiceInfo? sales)
        {
            if (a.Debit > 0m)
                return new MutableItem
                {
                    CustomerId = a.CustomerId, Kind = OpenItemKind.Invoice, Reference = a.Reference, Date = a.InvoiceDate,
                    DueDate = a.DueDate ?? a.CreditDue, Cid = a.Cid ?? a.CreditCid, Text = a.Text ?? sales?.Text,
                    Original = a.Debit, Settled = -a.Credit, Foreign = a.Foreign, Source = a.DebitSource!, Ids = a.DebitIds,
                };
            var creditNote = a.CreditNoteCredit > 0m || (sales?.IsCredit ?? false);
            return new MutableItem
            {
                CustomerId = a.CustomerId, Kind = creditNote ? OpenItemKind.CreditNote : OpenItemKind.Payment, Reference = a.Reference,
                Date = a.CreditDate, DueDate = a.CreditDue, Cid = a.CreditCid, Text = a.CreditText ?? sales?.Text,
                Original = -a.Credit, Foreign = a.Foreign, Source = a.CreditSource!, Ids = a.CreditIds,
            };
        }

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
