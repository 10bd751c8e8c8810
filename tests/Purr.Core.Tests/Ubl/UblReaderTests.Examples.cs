using Purr.Core.Formats;
using static Purr.Core.Tests.Ubl.UblTestData;

namespace Purr.Core.Tests.Ubl;

// The public example files in tests/data/ehf-ubl (facts from /work/shared/data/MANIFEST.md section 3).
public partial class UblReaderTests
{
    private static readonly Currency Eur = Currency.Parse("EUR");

    [Fact]
    public void Norwegian_example_reads_every_field_the_ledger_needs()
    {
        var result = ReadFile(Peppol("Norwegian-example-1.xml"));

        Assert.Empty(result.Errors);
        var doc = Assert.Single(result.Documents);
        Assert.Equal("TOSL108", doc.Number);
        Assert.Equal(InvoiceKind.Invoice, doc.Kind);
        Assert.Equal("380", doc.TypeCode);
        Assert.Equal(new DateOnly(2013, 6, 30), doc.IssueDate);
        Assert.Equal(new DateOnly(2013, 7, 20), doc.DueDate);
        Assert.Equal(Money.Nok(802.00m), doc.Amount);
        Assert.Equal(Money.Nok(802.00m), doc.PayableAmount);
        Assert.Equal("NOK", doc.Currency.Code);
        Assert.Equal("31", doc.PaymentMeansCode);
        Assert.Equal("0003434323213231", doc.PaymentReference);
        Assert.Null(doc.Kid); // fails both MOD10 and MOD11 (MANIFEST)
        Assert.Equal("NO9386011117947", doc.PayeeAccount);
        Assert.Equal("2 % discount if paid within 2 days. Penalty percentage 10% from due date", doc.PaymentTerms);
        Assert.Equal("3150bdn", doc.BuyerReference);
        Assert.Equal("Ordered in our booth at the convention.", doc.Text);
        Assert.Null(doc.CreditsNumber);
        Assert.Equal("The Sellercompany ASA", doc.SellerName);
        Assert.Equal("123456785", doc.SellerOrgNumber);
        Assert.Equal(new SourceLocation("Norwegian-example-1.xml", 2, "/Invoice"), doc.Source);

        var buyer = doc.Customer;
        Assert.Equal("Buyercompany ASA", buyer.Name);
        Assert.Equal("987654325", buyer.OrgNumber);
        Assert.Equal("0192:987654325", buyer.LegalId);
        Assert.Equal("NO987654325MVA", buyer.VatNumber);
        Assert.Equal("0192:987654325", buyer.PeppolId);
        Assert.Equal("john@buyercompany.no", buyer.Email);
        Assert.Equal(["Anystreet 8", "Back door"], buyer.AddressLines);
        Assert.Equal("101", buyer.PostalCode);
        Assert.Equal("Anytown", buyer.City);
        Assert.Equal("NO", buyer.Country);
        Assert.Null(buyer.CustomerNumber); // the PartyIdentification is a GLN (scheme 0088), not our customer number
        Assert.Equal(CustomerKind.Business, buyer.Kind);
    }

    [Fact]
    public void Base_example_reads_a_foreign_buyer_without_a_norwegian_organisation_number()
    {
        var doc = Assert.Single(ReadFile(Peppol("base-example.xml")).Documents);

        Assert.Equal("Snippet1", doc.Number);
        Assert.Equal(new DateOnly(2017, 11, 13), doc.IssueDate);
        Assert.Equal(new DateOnly(2017, 12, 1), doc.DueDate);
        Assert.Equal(new Money(1656.25m, Eur), doc.Amount);
        Assert.Equal("30", doc.PaymentMeansCode);
        Assert.Equal("Snippet1", doc.PaymentReference);
        Assert.Null(doc.Kid);
        Assert.Equal("IBAN32423940", doc.PayeeAccount);
        Assert.Equal("Buyer Official Name", doc.Customer.Name);
        Assert.Null(doc.Customer.OrgNumber);
        Assert.Equal("0183:39937423947", doc.Customer.LegalId);
        Assert.Equal("0002:FR23342", doc.Customer.PeppolId);
        Assert.Equal("lj@buyer.se", doc.Customer.Email);
        Assert.Equal("SE", doc.Customer.Country);
        Assert.Equal(CustomerKind.Business, doc.Customer.Kind);
    }

    [Fact]
    public void Credit_note_has_negative_amount_and_names_the_invoice_it_credits()
    {
        var result = ReadFile(Peppol("base-creditnote-correction.xml"));

        Assert.Empty(result.Errors);
        var doc = Assert.Single(result.Documents);
        Assert.Equal(InvoiceKind.CreditNote, doc.Kind);
        Assert.Equal("381", doc.TypeCode);
        Assert.Equal("Snippet1", doc.Number);
        Assert.Equal("Snippet1", doc.CreditsNumber);
        Assert.Equal(new DateOnly(2017, 11, 13), doc.IssueDate);
        Assert.Null(doc.DueDate);
        Assert.Equal(new Money(1656.25m, Eur), doc.PayableAmount);
        Assert.Equal(new Money(-1656.25m, Eur), doc.Amount);
        Assert.True(doc.ActsAsCredit);
    }

    [Fact]
    public void Negative_invoice_is_a_correction_that_keeps_its_sign()
    {
        var result = ReadFile(Peppol("base-negative-inv-correction.xml"));

        Assert.Empty(result.Errors);
        var doc = Assert.Single(result.Documents);
        Assert.Equal(InvoiceKind.Invoice, doc.Kind);
        Assert.Equal("Correction1", doc.Number);
        Assert.Equal("Snippet1", doc.CreditsNumber);
        Assert.Equal(new Money(-1656.25m, Eur), doc.Amount);
        Assert.Equal(new Money(-1656.25m, Eur), doc.PayableAmount);
        Assert.True(doc.ActsAsCredit);
        Assert.Equal(new DateOnly(2017, 12, 1), doc.DueDate);
    }

    [Theory]
    [InlineData("Allowance-example.xml", "6125.00")]
    [InlineData("Vat-category-S.xml", "8550")]
    [InlineData("base-example.xml", "1656.25")]
    public void Generic_examples_pass_the_totals_arithmetic_with_the_manifest_amounts(string file, string payable)
    {
        var result = ReadFile(Peppol(file));

        Assert.Empty(result.Errors);
        var doc = Assert.Single(result.Documents);
        Assert.Equal(decimal.Parse(payable, System.Globalization.CultureInfo.InvariantCulture), doc.Amount.Amount);
        Assert.Equal("EUR", doc.Currency.Code);
        Assert.Equal(new DateOnly(2017, 12, 1), doc.DueDate);
    }

    [Theory]
    [InlineData("Reminder-Example.xml")]
    [InlineData("Reminder-Example-with-REM.xml")]
    public void Ehf_reminder_is_rejected_because_it_is_not_an_invoice(string file)
    {
        var result = ReadFile(Ehf(file));

        Assert.Empty(result.Documents);
        var error = Assert.Single(result.Errors);
        Assert.Equal(file, error.File);
        Assert.Equal(5, error.Line);
        Assert.Equal("/Invoice/cbc:CustomizationID", error.XPath);
        Assert.EndsWith("urn:fdc:anskaffelser.no:2019:ehf:reminder:3.0", error.RawValue);
        Assert.StartsWith("expected an invoice or credit note: an EHF Reminder is not an invoice (it reminds about invoice 006)", error.Expected);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void All_peppol_examples_read_as_a_folder_give_manifest_count_and_totals_per_currency()
    {
        var dir = PathOf("ehf-ubl", "OpenPEPPOL+peppol-bis-invoice-3");
        var sources = Directory.EnumerateFiles(dir, "*.xml").Order(StringComparer.Ordinal)
            .Select(f => new InvoiceSource(Path.GetFileName(f), () => File.OpenRead(f)));

        var result = Purr.Core.Formats.Ubl.UblReader.ReadMany(sources);

        Assert.Empty(result.Errors);
        Assert.Equal(6, result.Count);
        // EUR: 6125.00 + 8550 + 1656.25 − 1656.25 (credit note) − 1656.25 (negative invoice) = 13018.75
        Assert.Equal([new InvoiceTotal(Eur, 5, new Money(13018.75m, Eur)), new InvoiceTotal(Currency.Nok, 1, Money.Nok(802m))], result.Totals);
    }
}
