using Purr.Core.Identifiers;

namespace Purr.Core.Formats.Csv;

/// <summary>A customer row from a customers CSV.</summary>
public sealed record CustomerRecord(
    int Line, string CustomerNumber, string Name, string Kind, string? OrganizationNumber, string? Email, string? Phone,
    string? AddressLine1, string? AddressLine2, string? PostalCode, string? City, string Country, string? Category,
    int Priority, string Language, string PreferredChannel, int? PaymentTermsDays, string? PeppolId);

/// <summary>
/// An invoice or credit note to import: a row of an invoices CSV, or a document from EHF or SAF-T. <see cref="Amount"/>
/// is positive for both kinds. <see cref="Source"/> (file, line, XPath of the document) and <see cref="CreditsXPath"/>
/// (where the credited invoice's number is written) locate errors in XML inputs; CSV rows leave them null.
/// </summary>
public sealed record InvoiceRecord(
    int Line, string Number, bool IsCreditNote, string CustomerNumber, string? CustomerName, DateOnly IssueDate,
    DateOnly? DueDate, Money Amount, string? Kid, string? Text, string? CreditsNumber,
    SourceLocation? Source = null, string? CreditsXPath = null);

/// <summary>A payment row from a payments CSV.</summary>
public sealed record PaymentRecord(
    int Line, DateOnly Date, Money Amount, string? Kid, string? InvoiceNumber, string? CustomerNumber, string? Reference,
    string? PayerName, string? PayerAccount, string? Text);

/// <summary>The rows read from a CSV file and every problem found, located.</summary>
public sealed record CsvResult<T>(string File, string Dialect, string Encoding, IReadOnlyList<T> Records, IReadOnlyList<InputError> Errors)
{
    /// <summary>True when nothing is wrong with the file.</summary>
    public bool Ok => Errors.Count == 0;
}

/// <summary>
/// Readers for the three ledger CSV files (customers, invoices, payments), documented in docs/formats.md.
/// Columns are found by header name (English or Norwegian); every error names file, line, column, raw value and
/// what was expected; reading never stops at the first error.
/// </summary>
public static class LedgerCsv
{
    private static readonly string[] CustomerNumberAliases = ["customer_number", "customer_no", "customer_id", "kundenummer", "kundenr", "kunde_nr", "kunde"];

    /// <summary>Accepted headers for customers.csv.</summary>
    public static readonly IReadOnlyDictionary<string, string> CustomerColumns = Aliases(
        ("customer_number", CustomerNumberAliases),
        ("name", ["name", "customer_name", "navn", "kundenavn"]),
        ("kind", ["kind", "type", "customer_type", "kundetype"]),
        ("org_number", ["org_number", "organization_number", "organisation_number", "orgnr", "org_nr", "organisasjonsnummer"]),
        ("email", ["email", "e_mail", "epost", "e_post"]),
        ("phone", ["phone", "telefon", "tlf", "mobil"]),
        ("address_line1", ["address", "address_line1", "address1", "adresse", "adresse1", "adresselinje1"]),
        ("address_line2", ["address_line2", "address2", "adresse2", "adresselinje2"]),
        ("postal_code", ["postal_code", "postcode", "zip", "postnummer", "postnr"]),
        ("city", ["city", "poststed", "sted"]),
        ("country", ["country", "land", "landkode"]),
        ("category", ["category", "kategori"]),
        ("priority", ["priority", "prioritet"]),
        ("language", ["language", "språk", "sprak"]),
        ("preferred_channel", ["preferred_channel", "channel", "kanal"]),
        ("payment_terms_days", ["payment_terms_days", "payment_terms", "betalingsbetingelse", "kredittid"]),
        ("peppol_id", ["peppol_id", "endpoint_id", "peppol"]));

    /// <summary>Accepted headers for invoices.csv.</summary>
    public static readonly IReadOnlyDictionary<string, string> InvoiceColumns = Aliases(
        ("invoice_number", ["invoice_number", "number", "invoice_no", "fakturanummer", "fakturanr", "faktura_nr", "bilagsnummer"]),
        ("type", ["type", "document_type", "kind", "dokumenttype"]),
        ("customer_number", CustomerNumberAliases),
        ("customer_name", ["customer_name", "name", "kundenavn", "navn"]),
        ("issue_date", ["issue_date", "invoice_date", "date", "fakturadato", "dato"]),
        ("due_date", ["due_date", "forfallsdato", "forfall"]),
        ("amount", ["amount", "beløp", "belop", "total", "sum", "amount_incl_vat"]),
        ("currency", ["currency", "valuta"]),
        ("kid", ["kid", "kid_number", "kidnummer", "kid_nr"]),
        ("text", ["text", "description", "tekst", "beskrivelse"]),
        ("credits_invoice", ["credits_invoice", "credits", "krediterer", "original_invoice", "gjelder_faktura"]));

    /// <summary>Accepted headers for payments.csv.</summary>
    public static readonly IReadOnlyDictionary<string, string> PaymentColumns = Aliases(
        ("payment_date", ["payment_date", "date", "betalingsdato", "dato", "bokføringsdato", "bokforingsdato"]),
        ("amount", ["amount", "beløp", "belop", "sum"]),
        ("currency", ["currency", "valuta"]),
        ("kid", ["kid", "kid_number", "kidnummer", "kid_nr"]),
        ("invoice_number", ["invoice_number", "invoice_no", "fakturanummer", "fakturanr"]),
        ("customer_number", CustomerNumberAliases),
        ("reference", ["reference", "bank_reference", "referanse", "arkivreferanse"]),
        ("payer_name", ["payer_name", "payer", "betaler", "innbetaler"]),
        ("payer_account", ["payer_account", "from_account", "fra_konto"]),
        ("text", ["text", "message", "melding", "tekst"]));

    /// <summary>Reads customers.csv.</summary>
    public static CsvResult<CustomerRecord> ReadCustomers(string file, ReadOnlySpan<byte> bytes)
    {
        var t = CsvTable.Read(file, bytes, CustomerColumns, ["customer_number", "name"]);
        var errors = new List<InputError>(t.Errors);
        var records = new List<CustomerRecord>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in t.Rows)
        {
            var e = new RowErrors(file, r, errors);
            var number = e.Required("customer_number", "a customer number");
            var name = e.Required("name", "a customer name");
            var kind = (r["kind"] ?? "").ToLowerInvariant() switch
            {
                "" => r["org_number"] is null ? "private" : "business",
                "private" or "privat" or "person" or "consumer" or "forbruker" => "private",
                "business" or "company" or "bedrift" or "næring" or "firma" => "business",
                "public" or "offentlig" or "government" => "public",
                _ => e.Bad<string>("kind", "private, business or public"),
            };
            string? org = null;
            if (r["org_number"] is { } rawOrg)
            {
                if (OrganizationNumber.TryParse(rawOrg, out var o, out var why)) org = o.Value;
                else e.Add("org_number", rawOrg, $"an organisation number ({why})");
            }
            if (r["email"] is { } mail && (!mail.Contains('@', StringComparison.Ordinal) || mail.Contains(' ', StringComparison.Ordinal) || mail.StartsWith('@') || mail.EndsWith('@')))
                e.Add("email", mail, "an e-mail address like name@example.no");
            var priority = e.OptionalInt("priority", 0);
            var terms = r["payment_terms_days"] is null ? (int?)null : e.OptionalInt("payment_terms_days", 0);
            var lang = (r["language"] ?? "nb").ToLowerInvariant() switch
            {
                "nb" or "no" or "nob" or "norsk" or "bokmål" or "norwegian" => "nb",
                "en" or "eng" or "english" or "engelsk" => "en",
                _ => e.Bad<string>("language", "nb or en"),
            };
            var channel = (r["preferred_channel"] ?? "email").ToLowerInvariant() switch
            {
                "email" or "e-post" or "epost" or "e_mail" => "email",
                "letter" or "brev" or "post" or "paper" => "letter",
                "ehf" or "peppol" => "ehf",
                _ => e.Bad<string>("preferred_channel", "email, letter or ehf"),
            };
            if (number is not null && !seen.TryAdd(number, r.Line))
                e.Add("customer_number", number, $"a customer number used once in the file (also on line {seen[number]})");
            if (e.Clean && number is not null && name is not null)
                records.Add(new CustomerRecord(r.Line, number, name, kind!, org, r["email"], r["phone"], r["address_line1"], r["address_line2"],
                    r["postal_code"], r["city"], (r["country"] ?? "NO").ToUpperInvariant(), r["category"], priority, lang!, channel!, terms, r["peppol_id"]));
        }
        return new CsvResult<CustomerRecord>(file, t.Dialect.Name, t.Encoding, records, errors);
    }

    /// <summary>Reads invoices.csv (invoices and credit notes).</summary>
    public static CsvResult<InvoiceRecord> ReadInvoices(string file, ReadOnlySpan<byte> bytes, Currency defaultCurrency)
    {
        var t = CsvTable.Read(file, bytes, InvoiceColumns, ["invoice_number", "customer_number", "issue_date", "amount"]);
        var errors = new List<InputError>(t.Errors);
        var records = new List<InvoiceRecord>();
        var seen = new Dictionary<(bool, string), int>();
        foreach (var r in t.Rows)
        {
            var e = new RowErrors(file, r, errors);
            var number = e.Required("invoice_number", "an invoice number");
            var customer = e.Required("customer_number", "a customer number");
            var issue = e.RequiredDate("issue_date");
            var due = e.OptionalDate("due_date");
            var parsed = e.Amount("amount", t.Dialect);
            var amount = parsed ?? 0m;
            var currency = e.Currency(defaultCurrency);
            var type = (r["type"] ?? "").ToLowerInvariant() switch
            {
                "" => amount < 0 ? "credit_note" : "invoice",
                "invoice" or "faktura" or "380" => "invoice",
                "credit_note" or "creditnote" or "credit" or "kreditnota" or "381" => "credit_note",
                _ => e.Bad<string>("type", "invoice or credit_note"),
            };
            if (parsed == 0m) e.Add("amount", r["amount"], "a non-zero amount");
            if (type == "invoice" && amount < 0 && r["type"] is not null) e.Add("amount", r["amount"]!, "a positive amount for an invoice (a negative invoice is a credit note: leave type empty or write credit_note)");
            if (type == "invoice" && due is { } d && issue is { } i && d < i) e.Add("due_date", r["due_date"]!, $"a due date on or after the issue date {i:yyyy-MM-dd}");
            string? kid = null;
            if (r["kid"] is { } rawKid)
            {
                if (Kid.TryParse(rawKid, out var k, out var why)) kid = k.Value;
                else e.Add("kid", rawKid, $"a KID ({why})");
            }
            var isCredit = type == "credit_note";
            if (number is not null && !seen.TryAdd((isCredit, number), r.Line))
                e.Add("invoice_number", number, $"an invoice number used once in the file (also on line {seen[(isCredit, number)]})");
            if (e.Clean && number is not null && customer is not null && issue is { } issueDate && currency is { } cur)
                records.Add(new InvoiceRecord(r.Line, number, isCredit, customer, r["customer_name"], issueDate, due,
                    new Money(Math.Abs(amount), cur), kid, r["text"], r["credits_invoice"]));
        }
        return new CsvResult<InvoiceRecord>(file, t.Dialect.Name, t.Encoding, records, errors);
    }

    /// <summary>Reads payments.csv.</summary>
    public static CsvResult<PaymentRecord> ReadPayments(string file, ReadOnlySpan<byte> bytes, Currency defaultCurrency)
    {
        var t = CsvTable.Read(file, bytes, PaymentColumns, ["payment_date", "amount"]);
        var errors = new List<InputError>(t.Errors);
        var records = new List<PaymentRecord>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in t.Rows)
        {
            var e = new RowErrors(file, r, errors);
            var date = e.RequiredDate("payment_date");
            var parsed = e.Amount("amount", t.Dialect);
            var amount = parsed ?? 0m;
            if (parsed <= 0m) e.Add("amount", r["amount"], "a positive amount (money received)");
            var currency = e.Currency(defaultCurrency);
            string? kid = null;
            if (r["kid"] is { } rawKid)
            {
                // A payment may carry a mistyped KID: keep it as text for matching, but it must at least look like one.
                var compact = rawKid.Replace(" ", "", StringComparison.Ordinal);
                if (compact.Length is < Kid.MinLength or > Kid.MaxLength || !compact.TrimEnd('-').All(char.IsAsciiDigit))
                    e.Add("kid", rawKid, $"a KID of {Kid.MinLength} to {Kid.MaxLength} digits");
                else kid = compact;
            }
            if (r["reference"] is { } reference && !seen.TryAdd(reference, r.Line))
                e.Add("reference", reference, $"a reference used once in the file (also on line {seen[reference]})");
            if (r["payer_account"] is { } acct && !AccountNumber.TryParse(acct, out _, out var whyAcct))
                e.Add("payer_account", acct, $"a bank account number ({whyAcct})");
            if (e.Clean && date is { } d && currency is { } cur)
                records.Add(new PaymentRecord(r.Line, d, new Money(amount, cur), kid, r["invoice_number"], r["customer_number"], r["reference"],
                    r["payer_name"], r["payer_account"] is { } a ? AccountNumber.Parse(a).Value : null, r["text"]));
        }
        return new CsvResult<PaymentRecord>(file, t.Dialect.Name, t.Encoding, records, errors);
    }

    private static Dictionary<string, string> Aliases(params (string Canonical, string[] Names)[] columns)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (canonical, names) in columns)
            foreach (var n in names) d[CsvTable.Normalize(n)] = canonical;
        return d;
    }

    /// <summary>Collects the errors of one row, each located at its column.</summary>
    private sealed class RowErrors(string file, CsvRow row, List<InputError> sink)
    {
        public bool Clean { get; private set; } = true;

        public void Add(string column, string? raw, string expected)
        {
            Clean = false;
            sink.Add(new InputError(file, row.Line, column, raw, "expected " + expected));
        }

        public T? Bad<T>(string column, string expected)
        {
            Add(column, row[column], expected);
            return default;
        }

        public string? Required(string column, string what)
        {
            var v = row[column];
            if (v is null) Add(column, "", what);
            return v;
        }

        public DateOnly? RequiredDate(string column)
        {
            var v = row[column];
            if (v is null) { Add(column, "", "a date dd.mm.yyyy or yyyy-mm-dd"); return null; }
            if (CsvDialect.TryParseDate(v, out var d)) return d;
            Add(column, v, "a date dd.mm.yyyy or yyyy-mm-dd");
            return null;
        }

        public DateOnly? OptionalDate(string column) => row[column] is null ? null : RequiredDate(column);

        /// <summary>The amount, or null (with an error recorded) when it is missing or malformed.</summary>
        public decimal? Amount(string column, CsvDialect dialect)
        {
            var v = row[column];
            if (v is null) { Add(column, "", "an amount"); return null; }
            if (!dialect.TryParseAmount(v, out var amount))
            {
                Add(column, v, dialect.DecimalSeparator == ',' ? "an amount like 1 234,50" : "an amount like 1234.50");
                return null;
            }
            if (decimal.Round(amount, 2, MidpointRounding.AwayFromZero) != amount) { Add(column, v, "an amount with at most two decimals"); return null; }
            return amount;
        }

        public Currency? Currency(Currency fallback)
        {
            var v = row["currency"];
            if (v is null) return fallback;
            if (Core.Currency.TryParse(v, out var c)) return c;
            Add("currency", v, "a three-letter currency code like NOK");
            return null;
        }

        public int OptionalInt(string column, int fallback)
        {
            var v = row[column];
            if (v is null) return fallback;
            if (int.TryParse(v, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 0) return n;
            Add(column, v, "a whole number ≥ 0");
            return fallback;
        }
    }
}
