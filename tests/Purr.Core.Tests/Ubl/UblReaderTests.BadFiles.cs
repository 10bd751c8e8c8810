using Purr.Core.Formats;
using static Purr.Core.Tests.Ubl.UblTestData;

namespace Purr.Core.Tests.Ubl;

// The hand-made bad-input corpus in tests/data/bad-invoice-files/ubl-*.xml: every error is located (file, line, XPath).
public partial class UblReaderTests
{
    private static void AssertError(InputError error, string file, int line, string? xpath, string? raw, string expectedStart)
    {
        Assert.Equal(file, error.File);
        Assert.Equal(line, error.Line);
        Assert.Equal(xpath, error.XPath);
        Assert.Equal(raw, error.RawValue);
        Assert.StartsWith(expectedStart, error.Expected);
    }

    [Fact]
    public void Truncated_xml_is_a_located_error_not_a_crash()
    {
        var result = ReadFile(Bad("ubl-truncated.xml"));

        Assert.Empty(result.Documents);
        var error = Assert.Single(result.Errors);
        AssertError(error, "ubl-truncated.xml", 34, "/Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity", null,
            "expected well-formed XML; the file is truncated or damaged: Unexpected end of file");
    }

    [Fact]
    public void Text_that_is_not_xml_is_a_located_error()
    {
        var error = Assert.Single(ReadFile(Bad("ubl-not-xml.xml")).Errors);

        AssertError(error, "ubl-not-xml.xml", 1, null, null, "expected well-formed XML");
    }

    [Fact]
    public void Wrong_namespace_on_the_invoice_root_is_rejected()
    {
        var result = ReadFile(Bad("ubl-wrong-namespace.xml"));

        Assert.Empty(result.Documents);
        AssertError(Assert.Single(result.Errors), "ubl-wrong-namespace.xml", 2, "/Invoice",
            "urn:oasis:names:specification:ubl:schema:xsd:Invoice-1.0",
            "expected the UBL 2.1 namespace urn:oasis:names:specification:ubl:schema:xsd:Invoice-2 on the Invoice element");
    }

    [Fact]
    public void Other_ubl_documents_are_not_invoices()
    {
        var result = ReadFile(Bad("ubl-order-not-invoice.xml"));

        Assert.Empty(result.Documents);
        AssertError(Assert.Single(result.Errors), "ubl-order-not-invoice.xml", 2, "/Order", "Order",
            "expected a UBL Invoice or CreditNote: a UBL Order document is not an invoice");
    }

    [Fact]
    public void Every_missing_mandatory_element_is_listed_with_where_it_belongs()
    {
        var result = ReadFile(Bad("ubl-missing-mandatory.xml"));

        Assert.Empty(result.Documents);
        Assert.Collection(result.Errors,
            e => AssertError(e, "ubl-missing-mandatory.xml", 2, "/Invoice/cbc:ID", null, "expected the invoice number (BT-1), which is missing"),
            e => AssertError(e, "ubl-missing-mandatory.xml", 2, "/Invoice/cbc:IssueDate", null, "expected the issue date (BT-2), which is missing"),
            e => AssertError(e, "ubl-missing-mandatory.xml", 2, "/Invoice/cbc:DocumentCurrencyCode", null, "expected the document currency code (BT-5), which is missing"),
            e => AssertError(e, "ubl-missing-mandatory.xml", 20, "/Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName", null,
                "expected the buyer name (BT-44 RegistrationName or PartyName/Name), which is missing"),
            e => AssertError(e, "ubl-missing-mandatory.xml", 56, "/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount", null,
                "expected the amount due for payment (BT-115 PayableAmount), which is missing"));
    }

    [Fact]
    public void Totals_that_do_not_add_up_are_reported_per_rule_and_the_document_is_kept()
    {
        var result = ReadFile(Bad("ubl-totals-mismatch.xml"));

        Assert.False(result.IsValid);
        Assert.Single(result.Documents); // readable, but the importer rejects the file because of the errors
        Assert.Collection(result.Errors,
            e => AssertError(e, "ubl-totals-mismatch.xml", 69, "/Invoice/cac:InvoiceLine[1]/cbc:LineExtensionAmount", "650.00",
                "expected cbc:LineExtensionAmount = InvoicedQuantity × (PriceAmount ÷ BaseQuantity) + line charges − line allowances = 4 × (150.00 ÷ 1) + 0 − 0 = 600.00 (PEPPOL-EN16931-R120)"),
            e => AssertError(e, "ubl-totals-mismatch.xml", 61, "/Invoice/cac:LegalMonetaryTotal/cbc:LineExtensionAmount", "1000.00",
                "expected cbc:LineExtensionAmount = the sum of InvoiceLine/LineExtensionAmount = 1050.00 (BR-CO-10)"),
            e => AssertError(e, "ubl-totals-mismatch.xml", 63, "/Invoice/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", "1260.00",
                "expected cbc:TaxInclusiveAmount = TaxExclusiveAmount + TaxTotal/TaxAmount = 1000.00 + 250.00 = 1250.00 (BR-CO-15)"),
            e => AssertError(e, "ubl-totals-mismatch.xml", 64, "/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount", "1200.00",
                "expected cbc:PayableAmount = TaxInclusiveAmount − PrepaidAmount + PayableRoundingAmount = 1260.00 − 0 + 0 = 1260.00 (BR-CO-16)"));
    }

    [Fact]
    public void Impossible_and_wrongly_formatted_dates_are_located()
    {
        var result = ReadFile(Bad("ubl-bad-date.xml"));

        Assert.Empty(result.Documents);
        Assert.Collection(result.Errors,
            e => AssertError(e, "ubl-bad-date.xml", 8, "/Invoice/cbc:IssueDate", "2026-02-30", "expected a date YYYY-MM-DD for the issue date (BT-2)"),
            e => AssertError(e, "ubl-bad-date.xml", 9, "/Invoice/cbc:DueDate", "16.03.2026", "expected a date YYYY-MM-DD (BT-9 payment due date)"));
    }

    [Fact]
    public void Amount_in_norwegian_notation_is_not_an_xml_decimal()
    {
        var result = ReadFile(Bad("ubl-bad-amount.xml"));

        Assert.Empty(result.Documents);
        AssertError(Assert.Single(result.Errors), "ubl-bad-amount.xml", 64, "/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount", "1 250,00",
            "expected a decimal amount like 1234.50");
    }

    [Fact]
    public void Lower_case_currency_code_is_rejected()
    {
        var result = ReadFile(Bad("ubl-bad-currency.xml"));

        Assert.Empty(result.Documents);
        AssertError(Assert.Single(result.Errors), "ubl-bad-currency.xml", 11, "/Invoice/cbc:DocumentCurrencyCode", "nok",
            "expected an ISO 4217 currency code of three capital letters");
    }

    [Fact]
    public void Organisation_number_with_a_wrong_check_digit_under_scheme_0192_is_rejected()
    {
        var result = ReadFile(Bad("ubl-bad-orgnr.xml"));

        Assert.Collection(result.Errors,
            e => AssertError(e, "ubl-bad-orgnr.xml", 35, "/Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID", "987654321",
                "expected a Norwegian organisation number (scheme 0192): the check digit (MOD11) is wrong"),
            e => AssertError(e, "ubl-bad-orgnr.xml", 24, "/Invoice/cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", "987654321",
                "expected a Norwegian organisation number as electronic address (scheme 0192)"));
        Assert.Null(Assert.Single(result.Documents).Customer.OrgNumber);
    }

    [Fact]
    public void Empty_input_is_a_located_error()
    {
        using var empty = new MemoryStream();

        var result = Purr.Core.Formats.Ubl.UblReader.Read(empty, "empty.xml");

        AssertError(Assert.Single(result.Errors), "empty.xml", 0, null, null, "expected a UBL invoice or credit note; the file is empty");
    }

    [Fact]
    public void Currency_of_an_amount_must_be_the_document_currency()
    {
        var xml = File.ReadAllText(PathOf("ehf-ubl", "synthetic", "valid-invoice.xml"))
            .Replace("<cbc:PayableAmount currencyID=\"NOK\">", "<cbc:PayableAmount currencyID=\"SEK\">", StringComparison.Ordinal);

        var result = ReadText(xml, "sek.xml");

        AssertError(Assert.Single(result.Errors), "sek.xml", 64, "/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount", "SEK",
            "expected currencyID NOK, the document currency (PEPPOL-EN16931-R051)");
    }

    [Fact]
    public void An_amount_due_needs_a_due_date_or_payment_terms()
    {
        var xml = File.ReadAllText(PathOf("ehf-ubl", "synthetic", "valid-invoice.xml"))
            .Replace("  <cbc:DueDate>2026-03-16</cbc:DueDate>\n", "", StringComparison.Ordinal);

        var result = ReadText(xml, "nodue.xml");

        AssertError(Assert.Single(result.Errors), "nodue.xml", 2, "/Invoice/cbc:DueDate", null,
            "expected a payment due date (BT-9) or payment terms (BT-20) when an amount is due (BR-CO-25), which is missing");
    }

    [Fact]
    public void Document_level_allowances_and_charges_must_match_their_totals()
    {
        var xml = File.ReadAllText(PathOf("ehf-ubl", "synthetic", "valid-invoice.xml")).Replace("  <cac:TaxTotal>",
            """
              <cac:AllowanceCharge>
                <cbc:ChargeIndicator>true</cbc:ChargeIndicator>
                <cbc:AllowanceChargeReason>Frakt</cbc:AllowanceChargeReason>
                <cbc:Amount currencyID="NOK">50.00</cbc:Amount>
              </cac:AllowanceCharge>
              <cac:TaxTotal>
            """, StringComparison.Ordinal);

        var result = ReadText(xml, "charge.xml");

        Assert.Collection(result.Errors,
            e => AssertError(e, "charge.xml", 65, "/Invoice/cac:LegalMonetaryTotal/cbc:ChargeTotalAmount", "0",
                "expected cbc:ChargeTotalAmount = the sum of document-level charges (AllowanceCharge with ChargeIndicator true) = 50.00 (BR-CO-12)"));
    }
}
