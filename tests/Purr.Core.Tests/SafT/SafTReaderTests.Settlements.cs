using Purr.Core.Formats;
using Purr.Core.Formats.SafT;
using static Purr.Core.Tests.SafT.SafTTestData;

namespace Purr.Core.Tests.SafT;

// Settlements: the AR credits that are not credit-note documents (see the worked example in SafTReaderTests.OpenItems.cs).
public partial class SafTReaderTests
{
    [Fact]
    public void Every_payment_line_is_a_settlement_with_what_it_was_applied_to()
    {
        var result = ReadFile(Synthetic);

        Assert.Equal(
        [
            ("10001", SettlementKind.Payment, SettlementTarget.OpeningBalance, "2025-117", new DateOnly(2026, 1, 12), 5000.00m, "B-1", "2"),
            ("10001", SettlementKind.Payment, SettlementTarget.Invoice, "2026001", new DateOnly(2026, 1, 19), 7500.00m, "B-2", "2"),
            ("10002", SettlementKind.Payment, SettlementTarget.Invoice, "2026002", new DateOnly(2026, 2, 14), 1250.00m, "B-3", "2"),
            ("10004", SettlementKind.Payment, SettlementTarget.Invoice, "2026005", new DateOnly(2026, 3, 9), 2600.00m, "B-4", "2"),
            ("10003", SettlementKind.Payment, SettlementTarget.None, (string?)null, new DateOnly(2026, 3, 19), 1000.00m, "B-5", "2"),
        ], result.Settlements.Select(s => (s.CustomerId, s.Kind, s.AppliesTo, s.Reference, s.Date, s.Amount.Amount, s.TransactionId, s.RecordId)));
        var second = result.Settlements[1];
        Assert.Equal("20260014", second.Kid);
        Assert.Equal("Innbetaling", second.Text);
        Assert.Equal(new SourceLocation("saf-t-1.30-open-items.xml", 548, "/AuditFile/GeneralLedgerEntries/Journal[2]/Transaction[2]/Line[2]"), second.Source);
    }

    [Fact]
    public void Documents_settlements_unreferenced_debits_and_opening_balances_add_up_to_the_closing_balances()
    {
        var result = ReadFile(Synthetic);

        foreach (var customer in result.Customers)
        {
            var id = customer.CustomerId;
            var total = customer.Balances.Sum(b => b.Opening.Amount)
                        + result.Documents.Where(d => d.Customer.CustomerNumber == id && d.OpenAmount is not null).Sum(d => d.Amount.Amount)
                        + result.OpenItems.Where(i => i.CustomerId == id && i.Kind == OpenItemKind.Invoice && i.Reference is null).Sum(i => i.Original.Amount)
                        - result.Settlements.Where(s => s.CustomerId == id).Sum(s => s.Amount.Amount);
            Assert.Equal(customer.Balances.Sum(b => b.Closing.Amount), total);
        }
    }

    [Fact]
    public void A_credit_with_vat_under_an_invoice_reference_is_a_credit_settlement_not_a_document()
    {
        // Turn the credit note 2026004 into a credit booked under the invoice's own number.
        var xml = File.ReadAllText(Synthetic).Replace("<ReferenceNumber>2026004</ReferenceNumber>", "<ReferenceNumber>2026001</ReferenceNumber>", StringComparison.Ordinal);

        var result = ReadText(xml, "credit.xml");

        // Only the SalesInvoices entry is left of 2026004: a document without GL lines, so without an open amount.
        Assert.Null(Assert.Single(result.Documents, d => d.Number == "2026004").OpenAmount);
        var credit = Assert.Single(result.Settlements, s => s.Kind == SettlementKind.Credit);
        Assert.Equal(("10001", SettlementTarget.Invoice, "2026001", new DateOnly(2026, 2, 10), 1250.00m),
            (credit.CustomerId, credit.AppliesTo, credit.Reference, credit.Date, credit.Amount.Amount));
        Assert.Empty(result.BalanceDifferences);
    }

    [Fact]
    public void Open_items_carry_the_transaction_and_record_id_of_their_line()
    {
        var item = ReadFile(Synthetic).OpenItems[0];

        Assert.Equal(("S-1", "1"), (item.TransactionId, item.RecordId));
    }
}
