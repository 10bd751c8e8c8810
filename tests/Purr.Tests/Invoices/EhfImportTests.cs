using Purr.Core;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Customers;
using Purr.Tests.Infrastructure;

namespace Purr.Tests.Invoices;

public sealed class EhfImportTests_Sqlite(SqliteFixture f) : EhfImportTests<SqliteFixture>(f);
public sealed class EhfImportTests_Postgres(PostgresFixture f) : EhfImportTests<PostgresFixture>(f);

/// <summary>EHF / PEPPOL BIS 3.0 import against a real ledger; the facts are those of MANIFEST.md section 3.</summary>
public abstract class EhfImportTests<TDb>(TDb fixture) : InvoiceImportTest<TDb>(fixture) where TDb : DatabaseFixture
{
    private const string Buyer = "0183:39937423947"; // the PEPPOL examples' buyer: no customer or organisation number, a legal id

    public static TheoryData<string, string, string, string, string, string?, string> Invoices => new()
    {
        // folder, file, number, issue date, amount, due date, customer number
        { "OpenPEPPOL+peppol-bis-invoice-3", "Norwegian-example-1.xml", "TOSL108", "2013-06-30", "802.00 NOK", "2013-07-20", "987654325" },
        { "OpenPEPPOL+peppol-bis-invoice-3", "base-example.xml", "Snippet1", "2017-11-13", "1656.25 EUR", "2017-12-01", Buyer },
        { "OpenPEPPOL+peppol-bis-invoice-3", "Allowance-example.xml", "Snippet1", "2017-11-13", "6125.00 EUR", "2017-12-01", Buyer },
        { "OpenPEPPOL+peppol-bis-invoice-3", "Vat-category-S.xml", "Snippet1", "2017-11-13", "8550.00 EUR", "2017-12-01", Buyer },
        { "synthetic", "valid-invoice.xml", "10042", "2026-03-02", "1250.00 NOK", "2026-03-16", "987654325" },
        { "synthetic", "sbdh-wrapped-invoice.xml", "10042", "2026-03-02", "1250.00 NOK", "2026-03-16", "987654325" },
    };

    [Theory]
    [MemberData(nameof(Invoices))]
    public async Task Every_example_invoice_imports_with_the_manifest_amount_dates_and_buyer(string folder, string file, string number, string issue,
        string amount, string? due, string customerNumber)
    {
        var creditor = await CreditorAsync();

        var r = await ImportEhfAsync(creditor, Ehf(folder, file));

        Assert.Equal(("ehf", 1, 1, false), (r.Format, r.Records, r.Created, r.AlreadyImported));
        var inv = await InvoiceAsync(number);
        Assert.Equal(amount, $"{Dto.Amount(inv.Amount, inv.Currency)} {inv.Currency}");
        Assert.Equal(inv.Amount, inv.Open);
        Assert.Equal(DateOnly.Parse(issue, System.Globalization.CultureInfo.InvariantCulture), inv.IssueDate);
        Assert.Equal(due is null ? null : DateOnly.Parse(due, System.Globalization.CultureInfo.InvariantCulture), inv.DueDate);
        Assert.Equal(customerNumber, inv.Customer!.CustomerNumber);
        Assert.Equal(1, (await CountsAsync()).Invoices);
    }

    [Fact]
    public async Task Norwegian_example_creates_the_buyer_with_its_org_number_and_keeps_the_peppol_id()
    {
        var creditor = await CreditorAsync("123456785", "The Sellercompany ASA");

        var r = await ImportEhfAsync(creditor, Peppol("Norwegian-example-1.xml"));

        Assert.Equal("1", r.Totals!["customers_created"]);
        Assert.Equal("802.00", r.Totals["invoices_nok"]);
        var c = await CustomerAsync("987654325");
        Assert.Equal(("Buyercompany ASA", "987654325", "0192:987654325", CustomerKind.Business), (c.Name, c.OrganizationNumber, c.PeppolId, c.Kind));
        Assert.Equal(("Anystreet 8", "101", "Anytown", "NO"), (c.AddressLine1, c.PostalCode, c.City, c.Country));
        Assert.Equal("john@buyercompany.no", c.Email);
        var inv = await InvoiceAsync("TOSL108");
        Assert.Null(inv.Kid); // PaymentID 0003434323213231 fails MOD10 and MOD11 (MANIFEST section 3)
    }

    [Fact]
    public async Task A_buyer_is_matched_to_an_existing_customer_by_org_number_and_keeps_its_kind()
    {
        var creditor = await CreditorAsync();
        var csv = "customer_number,name,kind,org_number\nK-77,Buyercompany (gammelt navn),public,987654325\n"u8.ToArray();
        await using (var db = await OpenAsync())
            await Purr.Features.Imports.ImportCustomers.HandleAsync(db, new("customers.csv", csv, creditor), Actor, Clock, Ct);

        await ImportEhfAsync(creditor, Peppol("Norwegian-example-1.xml"));

        var inv = await InvoiceAsync("TOSL108");
        Assert.Equal("K-77", inv.Customer!.CustomerNumber);
        Assert.Equal(("Buyercompany ASA", CustomerKind.Public, "0192:987654325"), (inv.Customer.Name, inv.Customer.Kind, inv.Customer.PeppolId));
        Assert.Equal(1, (await CountsAsync()).Customers);
    }

    [Fact]
    public async Task A_credit_note_for_an_unknown_invoice_is_a_located_error_and_nothing_is_written()
    {
        var creditor = await CreditorAsync();
        var before = await CountsAsync();

        var e = await Assert.ThrowsAsync<RejectedInputException>(() => ImportEhfAsync(creditor, Peppol("base-creditnote-correction.xml")));

        var err = Assert.Single(e.Errors);
        Assert.Equal(("base-creditnote-correction.xml", 2, "/CreditNote/cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", "Snippet1"),
            (err.File, err.Line, err.XPath, err.RawValue));
        Assert.Contains("expected the number of an invoice in the ledger or in this file", err.Expected);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task A_negative_invoice_alone_is_rejected_like_a_credit_note_for_an_unknown_invoice()
    {
        var creditor = await CreditorAsync();

        var e = await Assert.ThrowsAsync<RejectedInputException>(() => ImportEhfAsync(creditor, Peppol("base-negative-inv-correction.xml")));

        var err = Assert.Single(e.Errors);
        Assert.Equal(("/Invoice/cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", "Snippet1"), (err.XPath, err.RawValue));
        Assert.Equal(0, (await CountsAsync()).Invoices);
    }

    [Fact]
    public async Task The_credit_note_after_its_invoice_sets_it_off_in_full()
    {
        var creditor = await CreditorAsync();
        await ImportEhfAsync(creditor, Peppol("base-example.xml"));

        var r = await ImportEhfAsync(creditor, Peppol("base-creditnote-correction.xml"));

        Assert.Equal("1656.25", r.Totals!["credit_notes_eur"]);
        var invoice = await InvoiceAsync("Snippet1");
        var credit = await InvoiceAsync("Snippet1", DocumentKind.CreditNote);
        Assert.Equal((0L, "credited"), (invoice.Open, invoice.SettledBy));
        Assert.Equal((165625L, 0L, "Snippet1"), (credit.Amount, credit.Open, credit.CreditsNumber));
        Assert.Equal(invoice.CustomerId, credit.CustomerId);
    }

    [Fact]
    public async Task A_folder_with_an_invoice_and_its_negative_correction_is_one_import_that_credits_it()
    {
        var creditor = await CreditorAsync();
        var folder = FolderOf("peppol", ("base-example.xml", Peppol("base-example.xml")), ("base-negative-inv-correction.xml", Peppol("base-negative-inv-correction.xml")),
            ("readme.txt", Synthetic("valid-invoice.xml")));

        var r = await ImportEhfAsync(creditor, folder);

        Assert.Equal((2, 2, "peppol"), (r.Records, r.Created, r.File));
        Assert.Equal(("1656.25", "1656.25"), (r.Totals!["invoices_eur"], r.Totals["credit_notes_eur"]));
        var correction = await InvoiceAsync("Correction1", DocumentKind.CreditNote); // a negative invoice is posted as a credit note
        Assert.Equal((165625L, 0L), (correction.Amount, correction.Open));
        Assert.Equal("credited", (await InvoiceAsync("Snippet1")).SettledBy);
        Assert.Equal(1, (await CountsAsync()).Imports);
    }

    [Fact]
    public async Task A_folder_and_a_zip_of_several_files_import_alike_and_each_only_once()
    {
        var creditor = await CreditorAsync();
        (string, string)[] files =
        [
            ("a-norwegian.xml", Peppol("Norwegian-example-1.xml")), ("b-10042.xml", Synthetic("valid-invoice.xml")), ("c-10043.xml", ValidInvoiceNumbered("10043")),
        ];
        var folder = FolderOf("ehf", files);
        var zip = ZipOf("ehf.zip", files);

        var first = await ImportEhfAsync(creditor, folder);
        var again = await ImportEhfAsync(creditor, folder);
        var zipped = await ImportEhfAsync(creditor, zip);

        Assert.Equal((3, 3), (first.Records, first.Created));
        Assert.Equal("3302.00", first.Totals!["invoices_nok"]); // 802.00 + 1250.00 + 1250.00
        Assert.Equal("1", first.Totals["customers"]); // every buyer is organisation 987654325
        Assert.True(again.AlreadyImported);
        // The zip holds the same documents: a new input, but every document is already in the ledger unchanged.
        Assert.Equal((false, 0, 3), (zipped.AlreadyImported, zipped.Created, zipped.Unchanged));
        var counts = await CountsAsync();
        Assert.Equal((3, 1), (counts.Invoices, counts.Customers));
        await using var db = await OpenAsync();
        var kunde = await ShowCustomer.HandleAsync(db, new ShowCustomer.Query(creditor, "987654325"), Clock, Ct);
        Assert.Equal("3302.00", kunde.Customer.Open);
    }

    [Fact]
    public async Task The_same_file_twice_changes_nothing()
    {
        var creditor = await CreditorAsync();
        await ImportEhfAsync(creditor, Peppol("Norwegian-example-1.xml"));
        var before = await CountsAsync();

        var again = await ImportEhfAsync(creditor, Peppol("Norwegian-example-1.xml"));

        Assert.True(again.AlreadyImported);
        Assert.Contains("already imported", again.Notes![0]);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task The_same_number_with_other_content_is_rejected_against_the_ledger_and_within_a_folder()
    {
        var creditor = await CreditorAsync();
        await ImportEhfAsync(creditor, Peppol("base-example.xml"));

        var ledger = await Assert.ThrowsAsync<RejectedInputException>(() => ImportEhfAsync(creditor, Peppol("Allowance-example.xml")));
        var folder = FolderOf("both", ("1.xml", Peppol("Vat-category-S.xml")), ("2.xml", Peppol("Allowance-example.xml")));
        var inFolder = await Assert.ThrowsAsync<RejectedInputException>(() => ImportEhfAsync(creditor, folder));

        var e1 = Assert.Single(ledger.Errors);
        Assert.Equal(("Allowance-example.xml", "/Invoice", "Snippet1"), (e1.File, e1.XPath, e1.RawValue));
        Assert.Contains("amount 1656.25 EUR vs 6125.00 EUR", e1.Expected);
        Assert.Contains(inFolder.Errors, e => e.File == "both/2.xml" && e.XPath == "/Invoice/cbc:ID" && e.Expected.Contains("once in the input", StringComparison.Ordinal));
        Assert.Equal(1, (await CountsAsync()).Invoices);
    }

    [Fact]
    public async Task A_credit_note_for_another_customers_invoice_is_rejected()
    {
        var creditor = await CreditorAsync();
        await ImportEhfAsync(creditor, Synthetic("valid-invoice.xml"));

        var e = await Assert.ThrowsAsync<RejectedInputException>(() => ImportEhfAsync(creditor, Synthetic("ehf-2.0-credit-note.xml")));

        var err = Assert.Single(e.Errors);
        Assert.Equal(("ehf-2.0-credit-note.xml", "/CreditNote/cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", "10042"), (err.File, err.XPath, err.RawValue));
        Assert.Contains("expected an invoice of customer K-1001", err.Expected);
    }

    [Fact]
    public async Task An_ehf_2_credit_note_for_an_invoice_of_the_same_buyer_imports()
    {
        var creditor = await CreditorAsync("123456785");
        // The invoice to credit: 10042 issued to the credit note's buyer (PartyIdentification K-1001).
        var xml = File.ReadAllText(Synthetic("valid-invoice.xml"))
            .Replace("<cbc:EndpointID schemeID=\"0192\">987654325</cbc:EndpointID>", "<cbc:EndpointID schemeID=\"0192\">914778271</cbc:EndpointID><cac:PartyIdentification><cbc:ID>K-1001</cbc:ID></cac:PartyIdentification>", StringComparison.Ordinal)
            .Replace("<cbc:CompanyID schemeID=\"0192\">987654325</cbc:CompanyID>", "<cbc:CompanyID schemeID=\"0192\">914778271</cbc:CompanyID>", StringComparison.Ordinal);
        await ImportEhfAsync(creditor, TempFile("10042.xml", xml));

        var r = await ImportEhfAsync(creditor, Synthetic("ehf-2.0-credit-note.xml"));

        Assert.Equal("187.50", r.Totals!["credit_notes_nok"]);
        Assert.Equal(125000L - 18750L, (await InvoiceAsync("10042")).Open);
        var c = await CustomerAsync("K-1001");
        Assert.Equal(("Tromsø Kattepensjonat", "914778271", "0192:914778271"), (c.Name, c.OrganizationNumber, c.PeppolId));
        Assert.Equal(("Havnegata 9", "Att. regnskap"), (c.AddressLine1, c.AddressLine2));
    }

    [Fact]
    public async Task A_document_of_another_seller_or_to_the_creditor_itself_is_rejected()
    {
        var other = await CreditorAsync("999999999", "Et annet selskap AS");
        var e = await Assert.ThrowsAsync<RejectedInputException>(() => ImportEhfAsync(other, Peppol("Norwegian-example-1.xml")));
        var err = Assert.Single(e.Errors);
        Assert.Equal(("/Invoice/cac:AccountingSupplierParty", "123456785"), (err.XPath, err.RawValue));

    }

    [Fact]
    public async Task An_incoming_invoice_to_the_creditor_itself_is_rejected()
    {
        var buyer = await CreditorAsync("987654325", "Buyercompany ASA");

        var e = await Assert.ThrowsAsync<RejectedInputException>(() => ImportEhfAsync(buyer, Peppol("Norwegian-example-1.xml")));

        var err = Assert.Single(e.Errors);
        Assert.Equal(("/Invoice/cac:AccountingCustomerParty", "987654325"), (err.XPath, err.RawValue));
        Assert.Contains("is this an incoming invoice?", err.Expected);
    }

    [Theory]
    [InlineData("Reminder-Example.xml")]
    [InlineData("Reminder-Example-with-REM.xml")]
    public async Task An_ehf_reminder_is_rejected_because_it_is_not_an_invoice(string file)
    {
        var creditor = await CreditorAsync();

        var e = await Assert.ThrowsAsync<RejectedInputException>(() => ImportEhfAsync(creditor, Ehf("anskaffelser+ehf-postaward-g3", file)));

        var err = Assert.Single(e.Errors);
        Assert.Equal((file, "/Invoice/cbc:CustomizationID"), (err.File, err.XPath));
        Assert.Contains("an EHF Reminder is not an invoice (it reminds about invoice 006)", err.Expected);
        Assert.Equal(0, (await CountsAsync()).Invoices);
    }

    public static TheoryData<string, int, string?, string> BadFiles => new()
    {
        { "ubl-truncated.xml", 34, "/Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity", "truncated or damaged" },
        { "ubl-not-xml.xml", 1, null, "expected well-formed XML" },
        { "ubl-wrong-namespace.xml", 2, "/Invoice", "UBL 2.1 namespace" },
        { "ubl-order-not-invoice.xml", 2, "/Order", "not an invoice" },
        { "ubl-missing-mandatory.xml", 2, "/Invoice/cbc:ID", "the invoice number (BT-1), which is missing" },
        { "ubl-totals-mismatch.xml", 69, "/Invoice/cac:InvoiceLine[1]/cbc:LineExtensionAmount", "PEPPOL-EN16931-R120" },
        { "ubl-bad-date.xml", 8, "/Invoice/cbc:IssueDate", "expected a date YYYY-MM-DD" },
        { "ubl-bad-amount.xml", 64, "/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount", "expected a decimal amount" },
        { "ubl-bad-currency.xml", 11, "/Invoice/cbc:DocumentCurrencyCode", "ISO 4217" },
        { "ubl-bad-orgnr.xml", 35, "/Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID", "check digit" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task Every_bad_file_is_rejected_with_its_first_error_located_and_nothing_written(string file, int line, string? xpath, string expected)
    {
        var creditor = await CreditorAsync();
        var before = await CountsAsync();

        var e = await Assert.ThrowsAsync<RejectedInputException>(() => ImportEhfAsync(creditor, Bad(file)));

        var first = e.Errors[0];
        Assert.Equal((file, line, xpath), (first.File, first.Line, first.XPath));
        Assert.Contains(expected, first.Expected);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Totals_that_do_not_add_up_are_all_reported()
    {
        var creditor = await CreditorAsync();

        var e = await Assert.ThrowsAsync<RejectedInputException>(() => ImportEhfAsync(creditor, Bad("ubl-totals-mismatch.xml")));

        Assert.Equal(["PEPPOL-EN16931-R120", "BR-CO-10", "BR-CO-15", "BR-CO-16"],
            e.Errors.Select(x => x.Expected[(x.Expected.LastIndexOf('(') + 1)..^1]));
        Assert.Equal([69, 61, 63, 64], e.Errors.Select(x => x.Line));
    }
}
