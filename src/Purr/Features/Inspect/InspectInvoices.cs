using Purr.Core;
using Purr.Core.Formats;
using Purr.Core.Formats.Csv;
using Purr.Core.Formats.SafT;
using Purr.Core.Formats.Ubl;
using Purr.Features.Imports;

namespace Purr.Features.Inspect;

/// <summary>
/// Reads an invoice file (CSV invoices or customers, EHF / PEPPOL UBL, SAF-T Financial) without a database and
/// returns what an import would see: the normalized invoices and credit notes, the customers, control totals and
/// every problem, located. SAF-T adds the header, the derived open items, the payments and the balance differences.
/// </summary>
public static class InspectInvoices
{
    /// <summary>Where a record was read: file, line and (XML) XPath.</summary>
    public sealed record Location(string File, int Line, string? Xpath);

    /// <summary>
    /// An invoice or credit note. <c>amount</c> is signed from the creditor's ledger (credit notes and negative invoices
    /// negative); <c>payable_amount</c> is as written. <c>customer_number</c> is the number an import would give a new
    /// customer (<see cref="DocumentMapping.NewCustomerNumber"/>); an existing customer with the same organisation number is
    /// used instead when importing.
    /// </summary>
    public sealed record Invoice(string Number, string Type, string? TypeCode, bool ActsAsCredit, DateOnly IssueDate, DateOnly? DueDate,
        string Amount, string PayableAmount, string? OpenAmount, string Currency, string? ForeignAmount, string? ForeignCurrency, string? Kid,
        string? PaymentReference, string? PayeeAccount, string? PaymentMeansCode, string? PaymentTerms, string? CreditsNumber, string? BuyerReference,
        string? CustomerNumber, string CustomerName, string? CustomerOrgNumber, string? SellerName, string? SellerOrgNumber, string? Text, Location Source);

    /// <summary>A customer (buyer). Balances are SAF-T's (signed debit − credit), null for other formats.</summary>
    public sealed record Customer(string? CustomerNumber, string Name, string Kind, string? OrgNumber, string? LegalId, string? VatNumber,
        string? PeppolId, string? Email, IReadOnlyList<string> AddressLines, string? PostalCode, string? City, string? Country,
        int? PaymentTermsDays, string? OpeningBalance, string? ClosingBalance, int Invoices, Location? Source);

    /// <summary>Count and sums per currency: <c>invoiced</c> (invoices), <c>credited</c> (credit notes and negative invoices, positive), <c>net</c>.</summary>
    public sealed record Total(string Currency, int Count, int Invoices, int CreditNotes, string Invoiced, string Credited, string Net);

    /// <summary>A located problem, in the shape of the CLI's rejection errors.</summary>
    public sealed record Error(string File, int Line, string? Column, string? Xpath, string? RawValue, string Expected, string Text)
    {
        public static Error From(InputError e) => new(e.File, e.Line, e.Column, e.XPath, e.RawValue, e.Expected, e.ToString());
    }

    /// <summary>The SAF-T header.</summary>
    public sealed record Header(string? AuditFileVersion, bool HasNamespace, string? CompanyName, string? CompanyOrgNumber, string DefaultCurrency,
        DateOnly? DateCreated, string? Software, DateOnly? SelectionStartDate, DateOnly? SelectionEndDate, int? PeriodStart, int? PeriodStartYear,
        int? PeriodEnd, int? PeriodEndYear, int Transactions, int Lines, int ReceivableLines);

    /// <summary>A SAF-T open item: what is still open per customer at the end of the period.</summary>
    public sealed record OpenItem(string CustomerNumber, string Kind, string? Reference, DateOnly? Date, DateOnly? DueDate, string? Kid,
        string Original, string Settled, string Open, string? Text, Location Source);

    /// <summary>A SAF-T payment or credit without a document of its own, and what it was applied to (invoice, opening_balance, none).</summary>
    public sealed record Payment(string CustomerNumber, string Kind, string AppliesTo, string? Reference, DateOnly Date, string Amount, string? Kid,
        string? Text, Location Source);

    /// <summary>
    /// What <c>purr inspect --json</c> prints for invoice files. <c>format</c> is csv-invoices, csv-customers, ehf or saft;
    /// <c>count</c> is the number of invoices and credit notes. <c>header</c>, <c>open_items</c>, <c>payments</c> and
    /// <c>balance_differences</c> are SAF-T's (null or empty for the other formats).
    /// </summary>
    public sealed record Result(string Format, string File, int Count, IReadOnlyList<Invoice> Invoices, IReadOnlyList<Customer> Customers,
        IReadOnlyList<Total> Totals, IReadOnlyList<Error> Errors, IReadOnlyList<string> SkippedEntries, Header? Header,
        IReadOnlyList<OpenItem> OpenItems, IReadOnlyList<Payment> Payments, IReadOnlyList<BalanceDifferenceDto> BalanceDifferences)
    {
        /// <summary>True when an import would not be rejected for what is in the file itself.</summary>
        public bool Valid => Errors.Count == 0;
    }

    /// <summary>Reads <paramref name="path"/> (a file, or a folder of EHF files) in <paramref name="format"/> (csv, ehf or saft).</summary>
    public static Result Inspect(string path, string format, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return format switch
        {
            InvoiceFiles.Ehf => Ehf(path),
            InvoiceFiles.SafT => SafT(path),
            InvoiceFiles.Csv => Csv(path),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "expected csv, ehf or saft"),
        };
    }

    private static Result Ehf(string path)
    {
        var sources = InvoiceFiles.Sources(path);
        var read = UblReader.ReadMany(sources);
        var errors = read.Errors.ToList();
        if (sources.Count == 0) errors.Add(new InputError(Path.GetFileName(path), 0, null, null, "expected at least one EHF invoice or credit note (an .xml file)"));
        var customers = read.Documents
            .GroupBy(d => DocumentMapping.NewCustomerNumber(d.Customer) ?? d.Customer.Name, StringComparer.Ordinal)
            .Select(g =>
            {
                var newest = g.OrderBy(d => d.IssueDate).Last();
                return ToCustomer(newest.Customer, DocumentMapping.NewCustomerNumber(newest.Customer), "business", null, g.Count(), newest.Source);
            }).ToList();
        return new Result(InvoiceFiles.Ehf, Name(path), read.Count, read.Documents.Select(ToInvoice).ToList(), customers, Totals(read.Documents),
            errors.Select(Error.From).ToList(), read.SkippedEntries, null, [], [], []);
    }

    private static Result SafT(string path)
    {
        SafTReadResult read;
        using (var stream = File.OpenRead(path)) read = SafTReader.Read(stream, Path.GetFileName(path));
        var counts = read.Documents.GroupBy(d => d.Customer.CustomerNumber ?? "").ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var customers = read.Customers.Select(c => ToCustomer(c.Party, c.CustomerId, "private", c, counts.GetValueOrDefault(c.CustomerId), c.Source)).ToList();
        var h = read.Header;
        var header = h is null ? null : new Header(h.AuditFileVersion, h.HasNamespace, h.CompanyName, h.CompanyOrgNumber, h.DefaultCurrency.Code,
            h.DateCreated, h.Software, h.SelectionStartDate, h.SelectionEndDate, h.PeriodStart, h.PeriodStartYear, h.PeriodEnd, h.PeriodEndYear,
            read.TransactionCount, read.LineCount, read.ReceivableLineCount);
        var openItems = read.OpenItems.Select(i => new OpenItem(i.CustomerId, Snake(i.Kind.ToString()), i.Reference, i.Date, i.DueDate, i.Kid,
            i.Original.ToDecimalString(), i.Settled.ToDecimalString(), i.Open.ToDecimalString(), i.Text, Loc(i.Source))).ToList();
        var payments = read.Settlements.Select(s => new Payment(s.CustomerId, Snake(s.Kind.ToString()), Snake(s.AppliesTo.ToString()), s.Reference, s.Date,
            s.Amount.ToDecimalString(), s.Kid, s.Text, Loc(s.Source))).ToList();
        return new Result(InvoiceFiles.SafT, Path.GetFileName(path), read.Documents.Count, read.Documents.Select(ToInvoice).ToList(), customers,
            Totals(read.Documents), read.Errors.Select(Error.From).ToList(), [], header, openItems, payments,
            read.BalanceDifferences.Select(BalanceDifferenceDto.From).ToList());
    }

    private static Result Csv(string path)
    {
        var name = Path.GetFileName(path);
        var bytes = File.ReadAllBytes(path);
        if (CsvKind(bytes) == "customers")
        {
            var c = LedgerCsv.ReadCustomers(name, bytes);
            var customers = c.Records.Select(r => new Customer(r.CustomerNumber, r.Name, r.Kind, r.OrganizationNumber, null, null, r.PeppolId, r.Email,
                new[] { r.AddressLine1, r.AddressLine2 }.OfType<string>().ToList(), r.PostalCode, r.City, r.Country, r.PaymentTermsDays, null, null, 0,
                new Location(name, r.Line, null))).ToList();
            return new Result("csv-customers", name, 0, [], customers, [], c.Errors.Select(Error.From).ToList(), [], null, [], [], []);
        }
        var read = LedgerCsv.ReadInvoices(name, bytes, Currency.Nok);
        var invoices = read.Records.Select(r =>
        {
            var signed = r.IsCreditNote ? -r.Amount : r.Amount;
            return new Invoice(r.Number, r.IsCreditNote ? "credit_note" : "invoice", null, r.IsCreditNote, r.IssueDate, r.DueDate, signed.ToDecimalString(),
                r.Amount.ToDecimalString(), null, r.Amount.Currency.Code, null, null, r.Kid, r.Kid, null, null, null, r.CreditsNumber, null,
                r.CustomerNumber, r.CustomerName ?? "", null, null, null, r.Text, new Location(name, r.Line, null));
        }).ToList();
        var byCustomer = read.Records.GroupBy(r => r.CustomerNumber, StringComparer.Ordinal)
            .Select(g => new Customer(g.Key, g.Select(r => r.CustomerName).FirstOrDefault(n => n is not null) ?? "", "unknown", null, null, null, null, null,
                [], null, null, null, null, null, null, g.Count(), null)).ToList();
        var totals = read.Records.GroupBy(r => r.Amount.Currency).Select(g =>
        {
            var invoiced = g.Where(r => !r.IsCreditNote).Aggregate(Money.Zero(g.Key), (s, r) => s + r.Amount);
            var credited = g.Where(r => r.IsCreditNote).Aggregate(Money.Zero(g.Key), (s, r) => s + r.Amount);
            return new Total(g.Key.Code, g.Count(), g.Count(r => !r.IsCreditNote), g.Count(r => r.IsCreditNote), invoiced.ToDecimalString(),
                credited.ToDecimalString(), (invoiced - credited).ToDecimalString());
        }).ToList();
        return new Result("csv-invoices", name, invoices.Count, invoices, byCustomer, totals, read.Errors.Select(Error.From).ToList(), [], null, [], [], []);
    }

    /// <summary>
    /// Which ledger CSV a file is, from its header: "invoices", "customers" or "payments" — the kind whose required
    /// columns are all present with the fewest unknown headers (invoices first on a tie); "invoices" when none fits,
    /// so that its reader reports what is missing.
    /// </summary>
    public static string CsvKind(ReadOnlySpan<byte> bytes)
    {
        var candidates = new (string Kind, IReadOnlyDictionary<string, string> Columns, string[] Required)[]
        {
            ("invoices", LedgerCsv.InvoiceColumns, ["invoice_number", "customer_number", "issue_date", "amount"]),
            ("customers", LedgerCsv.CustomerColumns, ["customer_number", "name"]),
            ("payments", LedgerCsv.PaymentColumns, ["payment_date", "amount"]),
        };
        var best = ("invoices", int.MaxValue);
        foreach (var (kind, columns, required) in candidates)
        {
            var t = CsvTable.Read("", bytes, columns, required);
            if (required.Any(r => !t.Columns.ContainsKey(r))) continue;
            var unknown = t.Header.Count(h => CsvTable.Normalize(h) is { Length: > 0 } n && !columns.ContainsKey(n));
            if (unknown < best.Item2) best = (kind, unknown);
        }
        return best.Item1;
    }

    private static Invoice ToInvoice(InvoiceDocument d) => new(
        d.Number, d.Kind == InvoiceKind.CreditNote ? "credit_note" : "invoice", d.TypeCode, d.ActsAsCredit, d.IssueDate, d.DueDate,
        d.Amount.ToDecimalString(), d.PayableAmount.ToDecimalString(), d.OpenAmount?.ToDecimalString(), d.Currency.Code,
        d.ForeignAmount?.ToDecimalString(), d.ForeignAmount?.Currency.Code, d.Kid, d.PaymentReference, d.PayeeAccount, d.PaymentMeansCode,
        d.PaymentTerms, d.CreditsNumber, d.BuyerReference, DocumentMapping.NewCustomerNumber(d.Customer), d.Customer.Name, d.Customer.OrgNumber,
        d.SellerName, d.SellerOrgNumber, d.Text, Loc(d.Source));

    private static Customer ToCustomer(InvoiceCustomer p, string? number, string unknownKind, SafTCustomer? saft, int invoices, SourceLocation? source)
    {
        string? Sum(Func<SafTBalance, Money> pick) => saft is null || saft.Balances.Count == 0 ? null
            : saft.Balances.Skip(1).Aggregate(pick(saft.Balances[0]), (s, b) => s + pick(b)).ToDecimalString();
        return new Customer(number, p.Name, DocumentMapping.KindOf(p.Kind, unknownKind), p.OrgNumber, p.LegalId, p.VatNumber, p.PeppolId, p.Email,
            p.AddressLines, p.PostalCode, p.City, p.Country, saft?.PaymentTermsDays, Sum(b => b.Opening), Sum(b => b.Closing), invoices,
            source is { } at ? Loc(at) : null);
    }

    private static IReadOnlyList<Total> Totals(IReadOnlyList<InvoiceDocument> documents) =>
        documents.GroupBy(d => d.Currency).Select(g =>
        {
            var invoiced = g.Where(d => !d.ActsAsCredit).Aggregate(Money.Zero(g.Key), (s, d) => s + d.Amount);
            var credited = g.Where(d => d.ActsAsCredit).Aggregate(Money.Zero(g.Key), (s, d) => s - d.Amount);
            return new Total(g.Key.Code, g.Count(), g.Count(d => !d.ActsAsCredit), g.Count(d => d.ActsAsCredit), invoiced.ToDecimalString(),
                credited.ToDecimalString(), (invoiced - credited).ToDecimalString());
        }).ToList();

    private static Location Loc(SourceLocation s) => new(s.File, s.Line, s.XPath);

    private static string Name(string path) => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));

    private static string Snake(string pascal) =>
        string.Concat(pascal.Select((ch, i) => char.IsUpper(ch) && i > 0 ? "_" + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString()));
}
