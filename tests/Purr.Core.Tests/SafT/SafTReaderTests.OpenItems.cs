using Purr.Core.Formats;
using Purr.Core.Formats.SafT;
using static Purr.Core.Tests.SafT.SafTTestData;

namespace Purr.Core.Tests.SafT;

// tests/data/saf-t/synthetic/saf-t-1.30-open-items.xml, worked out by hand:
//
// 10001 Fjellkatt AS      opening 5000 (an invoice from 2025, paid 12.01 with reference 2025-117)
//                         2026001 invoice 12500, paid 7500 → open 5000; credit note 2026004 −1250 (credits 2026001)
//                         closing 3750 = 5000 + 12500 − 5000 − 7500 − 1250
// 10002 Kari Nordmann     2026002 1250 paid in full; 2026006 625 open (due 2026-04-08)               closing 625
// 10003 Nordby kommune    2026003 3750 open; unapplied payment 1000 without reference                closing 2750
// 10004 Nordlys Dyrekl.   2026005 2500 (217.39 EUR), paid 2600 → overpaid 100                        closing −100
// 10005 Gammel Kunde AS   opening 800, no movements                                                 closing 800
public partial class SafTReaderTests
{
    [Fact]
    public void Synthetic_file_reads_without_errors_and_every_customer_reconciles()
    {
        var result = ReadFile(Synthetic);

        Assert.Empty(result.Errors);
        Assert.Empty(result.BalanceDifferences);
        Assert.Equal(11, result.TransactionCount);
        Assert.Equal(28, result.LineCount);
        Assert.Equal(11, result.ReceivableLineCount);
        Assert.Equal("1.30", result.Header!.AuditFileVersion);
        Assert.Equal(new DateOnly(2026, 1, 1), result.Header.SelectionStartDate);
        Assert.Equal(new DateOnly(2026, 3, 31), result.Header.SelectionEndDate);
        Assert.Equal(["10001", "10002", "10003", "10004", "10005"], result.Customers.Select(c => c.CustomerId));
        Assert.Equal([CustomerKind.Business, CustomerKind.Private, CustomerKind.Public, CustomerKind.Business, CustomerKind.Business],
            result.Customers.Select(c => c.Party.Kind));
    }

    [Fact]
    public void Open_items_per_customer_follow_payments_credit_notes_and_the_opening_balance()
    {
        var items = ReadFile(Synthetic).OpenItems;

        Assert.Equal(
        [
            ("10001", OpenItemKind.Invoice, "2026001", 12500.00m, -7500.00m, 5000.00m),
            ("10001", OpenItemKind.CreditNote, "2026004", -1250.00m, 0m, -1250.00m),
            ("10002", OpenItemKind.Invoice, "2026006", 625.00m, 0m, 625.00m),
            ("10003", OpenItemKind.Invoice, "2026003", 3750.00m, 0m, 3750.00m),
            ("10003", OpenItemKind.Payment, null, -1000.00m, 0m, -1000.00m),
            ("10004", OpenItemKind.Invoice, "2026005", 2500.00m, -2600.00m, -100.00m),
            ("10005", OpenItemKind.OpeningBalance, null, 800.00m, 0m, 800.00m),
        ], items.Select(i => (i.CustomerId, i.Kind, i.Reference, i.Original.Amount, i.Settled.Amount, i.Open.Amount)));

        var first = items[0];
        Assert.Equal(new DateOnly(2026, 1, 5), first.Date);
        Assert.Equal(new DateOnly(2026, 1, 19), first.DueDate);
        Assert.Equal("20260014", first.Kid);
        Assert.Equal("Kattemat, januar", first.Text);
        Assert.Equal(new SourceLocation("saf-t-1.30-open-items.xml", 228, "/AuditFile/GeneralLedgerEntries/Journal[1]/Transaction[1]/Line[1]"), first.Source);
        var unapplied = items[4];
        Assert.Equal(new DateOnly(2026, 3, 19), unapplied.Date); // the ValueDate of the payment
        Assert.Equal("/AuditFile/GeneralLedgerEntries/Journal[2]/Transaction[5]/Line[2]", unapplied.Source.XPath);
    }

    [Fact]
    public void Every_invoice_and_credit_note_becomes_a_document_with_its_open_amount()
    {
        var result = ReadFile(Synthetic);

        Assert.Equal(
        [
            ("2026001", InvoiceKind.Invoice, 12500.00m, 5000.00m),
            ("2026004", InvoiceKind.CreditNote, -1250.00m, -1250.00m),
            ("2026002", InvoiceKind.Invoice, 1250.00m, 0m),
            ("2026006", InvoiceKind.Invoice, 625.00m, 625.00m),
            ("2026003", InvoiceKind.Invoice, 3750.00m, 3750.00m),
            ("2026005", InvoiceKind.Invoice, 2500.00m, -100.00m),
        ], result.Documents.Select(d => (d.Number, d.Kind, d.Amount.Amount, d.OpenAmount!.Value.Amount)));
        Assert.Equal([new InvoiceTotal(Currency.Nok, 6, Money.Nok(19375.00m))], result.Totals);

        var credit = result.Documents[1];
        Assert.Equal("2026001", credit.CreditsNumber); // from SourceDocuments/SalesInvoices References/CreditNote
        Assert.Equal(Money.Nok(1250m), credit.PayableAmount);
        var kommune = result.Documents.Single(d => d.Number == "2026003");
        Assert.Equal("30 dager netto", kommune.PaymentTerms);
        Assert.Equal("Nordby kommune", kommune.Customer.Name);
        Assert.Equal("921000006", kommune.Customer.OrgNumber);
        Assert.Equal("20260030", kommune.Kid);
        Assert.Equal(new DateOnly(2026, 3, 4), kommune.DueDate);
        Assert.Equal("Purr Testselskap AS", kommune.SellerName);
        Assert.Equal("123456785", kommune.SellerOrgNumber);
        var euro = result.Documents.Single(d => d.Number == "2026005");
        Assert.Equal(new Money(217.39m, Currency.Parse("EUR")), euro.ForeignAmount);
    }

    [Fact]
    public void A_closing_balance_the_lines_do_not_explain_is_reported_per_check()
    {
        var xml = File.ReadAllText(Synthetic).Replace("<ClosingDebitBalance>625.00</ClosingDebitBalance>",
            "<ClosingDebitBalance>700.00</ClosingDebitBalance>", StringComparison.Ordinal);

        var result = ReadText(xml, "changed.xml");

        Assert.Empty(result.Errors);
        Assert.Collection(result.BalanceDifferences,
            d => Assert.Equal(("10002", "1500", BalanceCheck.Movements, 700.00m, 625.00m, 75.00m),
                (d.CustomerId, d.AccountId, d.Check, d.Expected.Amount, d.Derived.Amount, d.Difference.Amount)),
            d => Assert.Equal(("10002", (string?)null, BalanceCheck.OpenItems, 700.00m, 625.00m, 75.00m),
                (d.CustomerId, d.AccountId, d.Check, d.Expected.Amount, d.Derived.Amount, d.Difference.Amount)));
        Assert.Equal(new SourceLocation("changed.xml", 123, "/AuditFile/MasterFiles/Customers/Customer[2]/BalanceAccount"),
            result.BalanceDifferences[0].Source);
    }

    [Fact]
    public void A_file_without_namespace_reads_the_same()
    {
        var xml = File.ReadAllText(Synthetic).Replace(" xmlns=\"urn:StandardAuditFile-Taxation-Financial:NO\"", "", StringComparison.Ordinal);

        var result = ReadText(xml, "plain.xml");

        Assert.False(result.Header!.HasNamespace);
        Assert.Empty(result.Errors);
        Assert.Empty(result.BalanceDifferences);
        Assert.Equal(7, result.OpenItems.Count);
    }

    [Fact]
    public void Payment_for_an_invoice_outside_the_file_settles_the_opening_balance()
    {
        var result = ReadFile(Synthetic);

        // Fjellkatt's opening 5000 is settled by the 12.01 payment with reference 2025-117, so neither is open.
        Assert.DoesNotContain(result.OpenItems, i => i.CustomerId == "10001" && i.Kind is OpenItemKind.OpeningBalance or OpenItemKind.Payment);
        Assert.Equal(3750.00m, result.OpenItems.Where(i => i.CustomerId == "10001").Sum(i => i.Open.Amount));
    }

    [Fact]
    public void Sales_invoice_without_gl_lines_is_a_document_without_open_amount()
    {
        var xml = File.ReadAllText(Synthetic).Replace("<InvoiceNo>2026003</InvoiceNo>", "<InvoiceNo>2026099</InvoiceNo>", StringComparison.Ordinal);

        var result = ReadText(xml, "extra.xml");

        var extra = Assert.Single(result.Documents, d => d.Number == "2026099");
        Assert.Equal(InvoiceKind.Invoice, extra.Kind);
        Assert.Equal(Money.Nok(3750m), extra.Amount);
        Assert.Null(extra.OpenAmount);
        Assert.Equal(new DateOnly(2026, 2, 2), extra.IssueDate);
        Assert.Equal("Nordby kommune", extra.Customer.Name);
    }
}
