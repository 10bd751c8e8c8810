using System.Xml.Linq;
using Purr.Core.Identifiers;
using static Purr.Core.Formats.Ubl.UblNames;

namespace Purr.Core.Formats.Ubl;

/// <summary>Turns one loaded UBL document into an <see cref="InvoiceDocument"/>, reporting every problem found.</summary>
internal sealed class UblDocumentParser
{
    // UNCL1001 codes that EN 16931 uses for credit notes (the CreditNote root carries them; an Invoice root with one of
    // them is treated as a credit note too). Every other code, including unknown ones, is an invoice.
    private static readonly HashSet<string> CreditNoteTypeCodes = ["81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"];

    // ISO 6523 schemes of the Norwegian organisation number: 0192 (Enhetsregisteret), 9908 and EHF 2.0's NO:ORGNR (both legacy).
    private static readonly HashSet<string> NorwegianOrgSchemes = ["0192", "9908", "NO:ORGNR"];

    private readonly string _file;
    private readonly Action<InputError> _report;
    private Currency? _currency;

    private UblDocumentParser(string file, Action<InputError> report)
    {
        _file = file;
        _report = report;
    }

    private static XName B(string local) => Cbc + local;
    private static XName A(string local) => Cac + local;

    /// <summary>Parses a document; returns null (with errors reported) when it is not an invoice or a mandatory field is unusable.</summary>
    public static InvoiceDocument? Parse(XElement top, string file, Action<InputError> report) =>
        new UblDocumentParser(file, report).Parse(top);

    private InvoiceDocument? Parse(XElement top)
    {
        var doc = top;
        if (top.Name == Sbdh + "StandardBusinessDocument")
        {
            var inner = top.Elements().FirstOrDefault(e => e.Name.LocalName != "StandardBusinessDocumentHeader");
            if (inner is null)
            {
                Error(top, null, "a UBL Invoice or CreditNote inside the StandardBusinessDocument envelope");
                return null;
            }
            doc = inner;
        }

        var local = doc.Name.LocalName;
        var ns = doc.Name.NamespaceName;
        bool creditRoot;
        if (local == "Invoice" && ns == InvoiceNs) creditRoot = false;
        else if (local == "CreditNote" && ns == CreditNoteNs) creditRoot = true;
        else
        {
            if (local is "Invoice" or "CreditNote")
                Error(doc, ns.Length == 0 ? "(no namespace)" : ns,
                    $"the UBL 2.1 namespace {(local == "Invoice" ? InvoiceNs : CreditNoteNs)} on the {local} element");
            else if (ns.StartsWith(UblPrefix, StringComparison.Ordinal))
                Error(doc, local, $"a UBL Invoice or CreditNote: a UBL {local} document is not an invoice");
            else
                Error(doc, ns.Length == 0 ? local : $"{{{ns}}}{local}", "a UBL 2.1 Invoice or CreditNote (EHF / PEPPOL BIS Billing 3.0)");
            return null;
        }

        var customization = Text(doc.Element(B("CustomizationID")));
        var profile = Text(doc.Element(B("ProfileID")));
        if ((customization?.Contains(":ehf:reminder:", StringComparison.OrdinalIgnoreCase) ?? false)
            || (profile?.Contains(":postaward:g3:06:", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            var reminds = Text(doc.Elements(A("BillingReference")).Elements(A("InvoiceDocumentReference")).Elements(B("ID")).FirstOrDefault());
            var at = doc.Element(B("CustomizationID")) ?? doc.Element(B("ProfileID"))!;
            Error(at, Text(at), "an invoice or credit note: an EHF Reminder is not an invoice" + (reminds is null ? "" : $" (it reminds about invoice {reminds})") +
                "; import the invoice itself, not the reminder");
            return null;
        }

        var number = Required(doc, "ID", "the invoice number (BT-1)");
        var issueDate = RequiredDate(doc, "IssueDate", "the issue date (BT-2)");
        _currency = ReadCurrency(doc);

        var typeElement = doc.Element(B(creditRoot ? "CreditNoteTypeCode" : "InvoiceTypeCode"));
        var typeCode = Text(typeElement);
        var kind = creditRoot || (typeCode is not null && CreditNoteTypeCodes.Contains(typeCode)) ? InvoiceKind.CreditNote : InvoiceKind.Invoice;

        var paymentMeans = doc.Elements(A("PaymentMeans")).ToList();
        var dueElement = doc.Element(B("DueDate")) ?? paymentMeans.Select(p => p.Element(B("PaymentDueDate"))).FirstOrDefault(e => e is not null);
        var dueDate = OptionalDate(dueElement, "a date YYYY-MM-DD (BT-9 payment due date)");
        var terms = JoinText(doc.Elements(A("PaymentTerms")).Elements(B("Note")));
        var paymentId = paymentMeans.Select(p => Text(p.Element(B("PaymentID")))).FirstOrDefault(t => t is not null);
        var account = paymentMeans.Select(p => Text(p.Element(A("PayeeFinancialAccount"))?.Element(B("ID")))).FirstOrDefault(t => t is not null);
        var meansCode = paymentMeans.Select(p => Text(p.Element(B("PaymentMeansCode")))).FirstOrDefault(t => t is not null);

        var buyerParty = doc.Element(A("AccountingCustomerParty"))?.Element(A("Party"));
        InvoiceCustomer? buyer = null;
        if (buyerParty is null)
            Missing(doc, "cac:AccountingCustomerParty/cac:Party", "the buyer (BG-7 AccountingCustomerParty) with its name");
        else
            buyer = ReadParty(buyerParty, "buyer", required: true);
        var sellerParty = doc.Element(A("AccountingSupplierParty"))?.Element(A("Party"));
        var seller = sellerParty is null ? null : ReadParty(sellerParty, "seller", required: false);

        var totals = doc.Element(A("LegalMonetaryTotal"));
        decimal? payable = null;
        if (totals is null) Missing(doc, "cac:LegalMonetaryTotal/cbc:PayableAmount", "the amount due for payment (BT-115 PayableAmount)");
        else
        {
            var payableElement = totals.Element(B("PayableAmount"));
            if (payableElement is null) Missing(totals, "cbc:PayableAmount", "the amount due for payment (BT-115 PayableAmount)");
            else payable = Amount(payableElement);
            CheckTotals(doc, creditRoot, totals, payableElement, payable);
        }

        if (payable is > 0m && dueDate is null && terms is null && dueElement is null)
            Missing(doc, creditRoot ? "cac:PaymentMeans/cbc:PaymentDueDate" : "cbc:DueDate",
                "a payment due date (BT-9) or payment terms (BT-20) when an amount is due (BR-CO-25)");

        if (number is null || issueDate is null || _currency is null || payable is null || buyer is null)
            return null;

        var currency = _currency.Value;
        var stated = new Money(payable.Value, currency);
        return new InvoiceDocument
        {
            Number = number,
            Kind = kind,
            TypeCode = typeCode,
            IssueDate = issueDate.Value,
            DueDate = dueDate,
            PayableAmount = stated,
            Amount = kind == InvoiceKind.CreditNote ? -stated : stated,
            PaymentReference = paymentId,
            Kid = paymentId is not null && Kid.TryParse(paymentId, out var kid, out _) ? kid.Value : null,
            PayeeAccount = account,
            PaymentMeansCode = meansCode,
            PaymentTerms = terms,
            Text = JoinText(doc.Elements(B("Note"))),
            CreditsNumber = Text(doc.Elements(A("BillingReference")).Elements(A("InvoiceDocumentReference")).Elements(B("ID")).FirstOrDefault()),
            BuyerReference = Text(doc.Element(B("BuyerReference"))),
            Customer = buyer,
            SellerName = seller?.Name,
            SellerOrgNumber = seller?.OrgNumber,
            Source = new SourceLocation(_file, XmlRecords.LineOf(doc), PathOf(doc)),
        };
    }

    private Currency? ReadCurrency(XElement doc)
    {
        var e = doc.Element(B("DocumentCurrencyCode"));
        if (e is null)
        {
            Missing(doc, "cbc:DocumentCurrencyCode", "the document currency code (BT-5)");
            return null;
        }
        if (XmlRecords.TryParseCurrency(e.Value, out var c)) return c;
        Error(e, e.Value, "an ISO 4217 currency code of three capital letters (BT-5), e.g. NOK");
        return null;
    }

    private InvoiceCustomer? ReadParty(XElement party, string role, bool required)
    {
        var legal = party.Element(A("PartyLegalEntity"));
        var nameElement = legal?.Element(B("RegistrationName")) ?? party.Element(A("PartyName"))?.Element(B("Name"));
        var name = Text(nameElement);
        if (name is null)
        {
            if (!required) return null;
            Missing(party, legal is not null ? "cac:PartyLegalEntity/cbc:RegistrationName" : "cac:PartyName/cbc:Name",
                $"the {role} name (BT-44 RegistrationName or PartyName/Name)");
            return null;
        }

        var endpoint = party.Element(B("EndpointID"));
        var endpointScheme = endpoint?.Attribute("schemeID")?.Value.Trim();
        var endpointValue = Text(endpoint);
        string? peppolId = endpointValue is null ? null
            : endpointScheme is null or "" ? endpointValue
            : $"{(endpointScheme.Equals("NO:ORGNR", StringComparison.OrdinalIgnoreCase) ? "0192" : endpointScheme)}:{endpointValue}";

        var customerNumber = Text(party.Elements(A("PartyIdentification")).Elements(B("ID")).FirstOrDefault(e => e.Attribute("schemeID") is null));

        var companyElement = legal?.Element(B("CompanyID"));
        var companyId = Text(companyElement);
        var companyScheme = companyElement?.Attribute("schemeID")?.Value.Trim();
        var legalId = companyId is null ? null : string.IsNullOrEmpty(companyScheme) ? companyId : $"{companyScheme}:{companyId}";

        var taxSchemes = party.Elements(A("PartyTaxScheme")).ToList();
        var vat = Text(taxSchemes.FirstOrDefault(t => Text(t.Element(A("TaxScheme"))?.Element(B("ID"))) == "VAT")?.Element(B("CompanyID")));

        var address = party.Element(A("PostalAddress"));
        var country = Text(address?.Element(A("Country"))?.Element(B("IdentificationCode")));
        var lines = new List<string>();
        foreach (var l in new[] { address?.Element(B("StreetName")), address?.Element(B("AdditionalStreetName")) }
                     .Concat(address?.Elements(A("AddressLine")).Elements(B("Line")) ?? []))
            if (Text(l) is { } t) lines.Add(t);

        string? orgNumber = null;
        if (companyId is not null && companyScheme is not null && NorwegianOrgSchemes.Contains(companyScheme.ToUpperInvariant()))
        {
            if (OrganizationNumber.TryParse(companyId, out var org, out var why)) orgNumber = org.Value;
            else Error(companyElement!, companyId, $"a Norwegian organisation number (scheme {companyScheme}): {why}");
        }
        else if (companyId is not null && string.IsNullOrEmpty(companyScheme) && country is null or "NO"
                 && OrganizationNumber.TryParse(companyId, out var plain, out _))
            orgNumber = plain.Value;
        if (orgNumber is null && vat is not null && vat.StartsWith("NO", StringComparison.Ordinal) && vat.EndsWith("MVA", StringComparison.Ordinal)
            && OrganizationNumber.TryParse(vat, out var fromVat, out _))
            orgNumber = fromVat.Value;
        if (orgNumber is null && endpointValue is not null && endpointScheme is not null && NorwegianOrgSchemes.Contains(endpointScheme.ToUpperInvariant()))
        {
            if (OrganizationNumber.TryParse(endpointValue, out var fromEndpoint, out var why)) orgNumber = fromEndpoint.Value;
            else Error(endpoint!, endpointValue, $"a Norwegian organisation number as electronic address (scheme {endpointScheme}): {why}");
        }

        return new InvoiceCustomer
        {
            CustomerNumber = customerNumber,
            Name = name,
            OrgNumber = orgNumber,
            LegalId = legalId,
            VatNumber = vat,
            PeppolId = peppolId,
            Email = Text(party.Element(A("Contact"))?.Element(B("ElectronicMail"))),
            AddressLines = lines,
            PostalCode = Text(address?.Element(B("PostalZone"))),
            City = Text(address?.Element(B("CityName"))),
            Country = country,
            Kind = InvoiceCustomer.GuessKind(name, orgNumber is not null || legalId is not null || vat is not null),
        };
    }

    // BR-CO-10..16 (EN 16931) and PEPPOL-EN16931-R120. Each check runs only when its operands were read; missing
    // optional amounts (allowances, charges, prepaid, rounding, VAT) count as zero.
    private void CheckTotals(XElement doc, bool creditRoot, XElement totals, XElement? payableElement, decimal? payable)
    {
        var lineExtension = AmountOf(totals, "LineExtensionAmount");
        var taxExclusive = AmountOf(totals, "TaxExclusiveAmount");
        var taxInclusive = AmountOf(totals, "TaxInclusiveAmount");
        var allowanceTotal = AmountOf(totals, "AllowanceTotalAmount");
        var chargeTotal = AmountOf(totals, "ChargeTotalAmount");
        var prepaid = AmountOf(totals, "PrepaidAmount");
        var rounding = AmountOf(totals, "PayableRoundingAmount");

        // Document-level allowances and charges (BG-20, BG-21).
        decimal allowances = 0m, charges = 0m;
        bool anyAllowance = false, anyCharge = false, allowanceChargesOk = true;
        foreach (var ac in doc.Elements(A("AllowanceCharge")))
        {
            var isCharge = IsCharge(ac);
            var amountElement = ac.Element(B("Amount"));
            if (amountElement is null) Missing(ac, "cbc:Amount", "the allowance or charge amount (BT-92 / BT-99)");
            var amount = Amount(amountElement);
            if (isCharge is null || amount is null) { allowanceChargesOk = false; continue; }
            if (isCharge.Value) { charges += amount.Value; anyCharge = true; }
            else { allowances += amount.Value; anyAllowance = true; }
        }

        // The VAT total in the document currency (BT-110). A second TaxTotal in the tax currency (BT-111) is not checked.
        XElement? taxTotal = null;
        foreach (var t in doc.Elements(A("TaxTotal")))
        {
            var currencyId = t.Element(B("TaxAmount"))?.Attribute("currencyID")?.Value.Trim();
            if (currencyId is null || _currency is null || currencyId == _currency.Value.Code) { taxTotal = t; break; }
        }
        var taxAmountElement = taxTotal?.Element(B("TaxAmount"));
        var taxAmount = taxAmountElement is null ? 0m : Amount(taxAmountElement);
        if (taxAmountElement is not null && taxAmount is not null && taxTotal!.Elements(A("TaxSubtotal")).Any())
        {
            var subtotals = taxTotal.Elements(A("TaxSubtotal")).Select(s => Amount(s.Element(B("TaxAmount")))).ToList();
            if (subtotals.All(s => s is not null))
            {
                var sum = subtotals.Sum(s => s!.Value);
                if (sum != taxAmount)
                    Mismatch(taxAmountElement, taxAmount.Value, $"the sum of TaxSubtotal/TaxAmount = {Fmt(sum)} (BR-CO-14)");
            }
        }

        // Lines (BG-25): BR-CO-10, and PEPPOL-EN16931-R120 per line.
        var lineName = creditRoot ? "CreditNoteLine" : "InvoiceLine";
        var quantityName = creditRoot ? "CreditedQuantity" : "InvoicedQuantity";
        var lineSum = 0m;
        var linesOk = true;
        var lineCount = 0;
        foreach (var line in doc.Elements(A(lineName)))
        {
            lineCount++;
            var leaElement = line.Element(B("LineExtensionAmount"));
            if (leaElement is null)
            {
                Missing(line, "cbc:LineExtensionAmount", "the invoice line net amount (BT-131)");
                linesOk = false;
                continue;
            }
            var lea = Amount(leaElement);
            if (lea is null) { linesOk = false; continue; }
            lineSum += lea.Value;
            CheckLine(line, leaElement, lea.Value, quantityName);
        }
        if (linesOk && lineCount > 0 && lineExtension.Value is { } statedLines && lineSum != statedLines)
            Mismatch(lineExtension.Element!, statedLines, $"the sum of {lineName}/LineExtensionAmount = {Fmt(lineSum)} (BR-CO-10)");

        var allowanceTotalOk = allowanceTotal.Element is null || allowanceTotal.Value is not null;
        var chargeTotalOk = chargeTotal.Element is null || chargeTotal.Value is not null;
        if (allowanceChargesOk && allowanceTotalOk && (anyAllowance || allowanceTotal.Element is not null) && (allowanceTotal.Value ?? 0m) != allowances)
            Mismatch(allowanceTotal.Element ?? totals, allowanceTotal.Value ?? 0m,
                $"the sum of document-level allowances (AllowanceCharge with ChargeIndicator false) = {Fmt(allowances)} (BR-CO-11)",
                allowanceTotal.Element is null ? "cbc:AllowanceTotalAmount" : null);
        if (allowanceChargesOk && chargeTotalOk && (anyCharge || chargeTotal.Element is not null) && (chargeTotal.Value ?? 0m) != charges)
            Mismatch(chargeTotal.Element ?? totals, chargeTotal.Value ?? 0m,
                $"the sum of document-level charges (AllowanceCharge with ChargeIndicator true) = {Fmt(charges)} (BR-CO-12)",
                chargeTotal.Element is null ? "cbc:ChargeTotalAmount" : null);

        if (lineExtension.Value is { } l && taxExclusive.Value is { } te && allowanceTotalOk && chargeTotalOk)
        {
            var a = allowanceTotal.Value ?? 0m;
            var c = chargeTotal.Value ?? 0m;
            var expected = l - a + c;
            if (expected != te)
                Mismatch(taxExclusive.Element!, te,
                    $"LineExtensionAmount − AllowanceTotalAmount + ChargeTotalAmount = {Fmt(l)} − {Fmt(a)} + {Fmt(c)} = {Fmt(expected)} (BR-CO-13)");
        }

        if (taxExclusive.Value is { } tx && taxInclusive.Value is { } ti && taxAmount is { } tax)
        {
            var expected = tx + tax;
            if (expected != ti)
                Mismatch(taxInclusive.Element!, ti, $"TaxExclusiveAmount + TaxTotal/TaxAmount = {Fmt(tx)} + {Fmt(tax)} = {Fmt(expected)} (BR-CO-15)");
        }

        var prepaidOk = prepaid.Element is null || prepaid.Value is not null;
        var roundingOk = rounding.Element is null || rounding.Value is not null;
        if (taxInclusive.Value is { } inc && payable is { } pay && payableElement is not null && prepaidOk && roundingOk)
        {
            var pp = prepaid.Value ?? 0m;
            var r = rounding.Value ?? 0m;
            var expected = inc - pp + r;
            if (expected != pay)
                Mismatch(payableElement, pay,
                    $"TaxInclusiveAmount − PrepaidAmount + PayableRoundingAmount = {Fmt(inc)} − {Fmt(pp)} + {Fmt(r)} = {Fmt(expected)} (BR-CO-16)");
        }
    }

    // PEPPOL-EN16931-R120: line net amount = quantity × (net price ÷ base quantity) + line charges − line allowances, within 0.02.
    private void CheckLine(XElement line, XElement leaElement, decimal lea, string quantityName)
    {
        var quantityElement = line.Element(B(quantityName));
        var priceElement = line.Element(A("Price"))?.Element(B("PriceAmount"));
        if (quantityElement is null || priceElement is null) return;
        if (!XmlRecords.TryParseDecimal(quantityElement.Value, out var quantity))
        {
            Error(quantityElement, quantityElement.Value, $"a decimal quantity ({quantityName})");
            return;
        }
        var price = Amount(priceElement);
        if (price is null) return;
        var baseQuantity = 1m;
        var baseElement = line.Element(A("Price"))?.Element(B("BaseQuantity"));
        if (baseElement is not null)
        {
            if (!XmlRecords.TryParseDecimal(baseElement.Value, out baseQuantity))
            {
                Error(baseElement, baseElement.Value, "a decimal base quantity (BT-149)");
                return;
            }
            if (baseQuantity == 0m) return;
        }
        decimal charges = 0m, allowances = 0m;
        foreach (var ac in line.Elements(A("AllowanceCharge")))
        {
            var isCharge = IsCharge(ac);
            var amount = Amount(ac.Element(B("Amount")));
            if (isCharge is null || amount is null) return;
            if (isCharge.Value) charges += amount.Value;
            else allowances += amount.Value;
        }
        var expected = quantity * (price.Value / baseQuantity) + charges - allowances;
        if (Math.Abs(expected - lea) > 0.02m)
            Mismatch(leaElement, lea,
                $"{quantityName} × (PriceAmount ÷ BaseQuantity) + line charges − line allowances = {Fmt(quantity)} × ({Fmt(price.Value)} ÷ {Fmt(baseQuantity)}) + {Fmt(charges)} − {Fmt(allowances)} = {Fmt(decimal.Round(expected, 2, MidpointRounding.AwayFromZero))} (PEPPOL-EN16931-R120)");
    }

    private bool? IsCharge(XElement ac)
    {
        var e = ac.Element(B("ChargeIndicator"));
        switch (Text(e))
        {
            case "true" or "1": return true;
            case "false" or "0": return false;
            case null:
                Missing(ac, "cbc:ChargeIndicator", "a ChargeIndicator, true (charge) or false (allowance)");
                return null;
            default:
                Error(e!, e!.Value, "true (charge) or false (allowance)");
                return null;
        }
    }

    private (XElement? Element, decimal? Value) AmountOf(XElement parent, string local)
    {
        var e = parent.Element(B(local));
        return (e, e is null ? null : Amount(e));
    }

    /// <summary>Parses an amount and checks its currencyID against the document currency.</summary>
    private decimal? Amount(XElement? e)
    {
        if (e is null) return null;
        if (!XmlRecords.TryParseDecimal(e.Value, out var value))
        {
            Error(e, e.Value, $"a decimal amount like 1234.50 ({Step(e.Name)})");
            return null;
        }
        var currencyId = e.Attribute("currencyID")?.Value.Trim();
        if (currencyId is not null && _currency is not null && currencyId != _currency.Value.Code)
            Error(e, currencyId, $"currencyID {_currency.Value.Code}, the document currency (PEPPOL-EN16931-R051)");
        return value;
    }

    private void Mismatch(XElement at, decimal stated, string expected, string? missingChild = null)
    {
        var xpath = missingChild is null ? PathOf(at) : PathOf(at) + "/" + missingChild;
        _report(new InputError(_file, XmlRecords.LineOf(at), null, Fmt(stated), $"expected {(missingChild ?? Step(at.Name))} = {expected}", xpath));
    }

    private string? Required(XElement parent, string local, string what)
    {
        var e = parent.Element(B(local));
        var text = Text(e);
        if (text is null) Missing(parent, "cbc:" + local, what);
        return text;
    }

    private DateOnly? RequiredDate(XElement parent, string local, string what)
    {
        var e = parent.Element(B(local));
        if (Text(e) is null)
        {
            Missing(parent, "cbc:" + local, what);
            return null;
        }
        return OptionalDate(e, $"a date YYYY-MM-DD for {what}");
    }

    private DateOnly? OptionalDate(XElement? e, string expected)
    {
        if (e is null || Text(e) is null) return null;
        if (XmlRecords.TryParseDate(e.Value, out var d)) return d;
        Error(e, e.Value, expected);
        return null;
    }

    private void Missing(XElement parent, string childPath, string expected)
    {
        _report(new InputError(_file, XmlRecords.LineOf(parent), null, null, $"expected {expected}, which is missing", PathOf(parent) + "/" + childPath));
    }

    private void Error(XElement at, string? raw, string expected) =>
        _report(new InputError(_file, XmlRecords.LineOf(at), null, raw, "expected " + expected, PathOf(at)));

    private static string? Text(XElement? e) => XmlRecords.TextOf(e);

    private static string? JoinText(IEnumerable<XElement> elements)
    {
        var parts = elements.Select(Text).OfType<string>().ToList();
        return parts.Count == 0 ? null : string.Join("\n", parts);
    }

    private static string Fmt(decimal d) => XmlRecords.Invariant(d);
}
