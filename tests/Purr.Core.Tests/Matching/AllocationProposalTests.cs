using Purr.Core.Matching;
using static Purr.Core.Tests.Matching.PaymentMatcherTests;

namespace Purr.Core.Tests.Matching;

public class AllocationProposalTests
{
    private static readonly CustomerId Customer = new(7);

    // Deliberately out of order: the proposal sorts by due date, then issue date, then number.
    private static readonly OpenItem[] Invoices =
    [
        Item(5, "10", Customer, 300m, "2026-01-01", "2026-02-01"),   // due 1 Feb, number 10
        Item(4, "9", Customer, 200m, "2026-01-01", "2026-02-01"),    // due 1 Feb, number 9 (before 10 numerically)
        Item(3, "11", Customer, 400m, "2025-12-20", "2026-02-01"),   // due 1 Feb, issued earlier
        Item(2, "12", Customer, 100m, "2026-01-15", "2026-01-20"),   // due 20 Jan: the oldest
        Item(1, "13", Customer, 50m, "2026-01-25", null),            // no due date: issue date 25 Jan stands in
    ];

    // payment -> (invoice number, allocated) in order, remainder
    public static TheoryData<decimal, string, decimal> Table => new()
    {
        { 50m, "12:50", 0m },                                          // partial on the oldest
        { 100m, "12:100", 0m },                                        // exactly the oldest
        { 175m, "12:100|13:50|11:25", 0m },                            // oldest first, last one partly
        { 1050m, "12:100|13:50|11:400|9:200|10:300", 0m },             // everything, exactly
        { 1234.56m, "12:100|13:50|11:400|9:200|10:300", 184.56m },     // overpayment stays as credit
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Payment_is_spread_oldest_first_with_overpayment_as_credit(decimal payment, string expected, decimal remainder)
    {
        var proposal = AllocationProposal.Allocate(Money.Nok(payment), Invoices);

        Assert.Equal(expected, string.Join("|", proposal.Lines.Select(l => $"{l.InvoiceNumber}:{l.Amount.Amount:0.##}")));
        Assert.Equal(Money.Nok(remainder), proposal.Remainder);
        Assert.Equal(Money.Nok(payment), proposal.Allocated + proposal.Remainder);
        Assert.Equal(remainder > 0, proposal.HasOverpayment);
        Assert.All(proposal.Lines.SkipLast(1), l => Assert.True(l.SettlesInvoice));
    }

    [Fact]
    public void Partly_paid_invoice_keeps_its_rest_open()
    {
        var line = Assert.Single(AllocationProposal.Allocate(Money.Nok(30m), Invoices).Lines);

        Assert.False(line.SettlesInvoice);
        Assert.Equal(Money.Nok(70m), line.OpenAfter);
        Assert.Equal(Money.Nok(100m), line.OpenBefore);
    }

    [Fact]
    public void Credit_notes_and_settled_items_receive_nothing()
    {
        OpenItem[] items =
        [
            Item(1, "1", Customer, -600m, "2026-01-01", "2026-01-01"),
            Item(2, "2", Customer, 0m, "2026-01-02", "2026-01-02"),
            Item(3, "3", Customer, 2500m, "2026-01-03", "2026-01-03"),
        ];

        var proposal = AllocationProposal.Allocate(Money.Nok(1900m), items);

        Assert.Equal("3", Assert.Single(proposal.Lines).InvoiceNumber);
        Assert.Equal(Money.Nok(0m), proposal.Remainder);
    }

    [Fact]
    public void No_open_invoices_leaves_the_whole_payment_as_credit()
    {
        var proposal = AllocationProposal.Allocate(Money.Nok(500m), []);

        Assert.Empty(proposal.Lines);
        Assert.Equal(Money.Nok(500m), proposal.Remainder);
    }

    [Fact]
    public void Misuse_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AllocationProposal.Allocate(Money.Nok(0m), Invoices));
        Assert.Throws<ArgumentException>(() => AllocationProposal.Allocate(Money.Nok(10m), [.. Invoices, Item(9, "99", new CustomerId(8), 10m, "2026-01-01", null)]));
        Assert.Throws<ArgumentException>(() => AllocationProposal.Allocate(new Money(10m, Currency.Parse("EUR")), Invoices));
    }

    [Fact]
    public void Oldest_first_breaks_ties_by_invoice_id()
    {
        OpenItem[] items = [Item(20, "A-1", Customer, 10m, "2026-01-01", null), Item(10, "A-1", Customer, 10m, "2026-01-01", null)];

        Assert.Equal([10L, 20L], items.Order(AllocationProposal.OldestFirst).Select(i => i.InvoiceId.Value));
    }
}
