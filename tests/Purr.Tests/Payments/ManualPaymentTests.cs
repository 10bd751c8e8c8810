using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Payments;
using Purr.Tests.Infrastructure;

namespace Purr.Tests.Payments;

public sealed class ManualPaymentTests_Sqlite(SqliteFixture f) : ManualPaymentTests<SqliteFixture>(f);
public sealed class ManualPaymentTests_Postgres(PostgresFixture f) : ManualPaymentTests<PostgresFixture>(f);

/// <summary>The unmatched queue and the manual steps: allocate (with claim history), refund, pair a reversal.</summary>
public abstract class ManualPaymentTests<TDb>(TDb fixture) : PaymentTest<TDb>(fixture) where TDb : DatabaseFixture
{
    private async Task<long> UnmatchedAsync(decimal amount, string reference, string? payer = null)
    {
        await ImportAsync(reference + ".xml", BankFiles.Camt054(reference, [new Tx(amount, reference) { Payer = payer, Text = "innbetaling" }]));
        return (await PaymentAsync(reference)).Id;
    }

    private async Task<AllocatePayment.Result> AllocateAsync(long payment, string? invoice, string? customer = null, string? amount = null)
    {
        await using var db = await OpenAsync();
        return await AllocatePayment.HandleAsync(db, new AllocatePayment.Command(Creditor, payment, invoice, customer, amount), Actor, Clock, Ct);
    }

    [Fact]
    public async Task An_unmatched_payment_is_allocated_by_hand_in_parts_with_who_and_when_in_the_history()
    {
        await SetupAsync();
        Today(2026, 3, 5);
        var id = await UnmatchedAsync(1000m, "U-1", "Ukjent");
        await using (var db = await OpenAsync())
            Assert.Equal([id], (await ListPayments.HandleAsync(db, new(Creditor, "unmatched"), Ct)).Items.Select(p => p.Id));

        var first = await AllocateAsync(id, "10041", amount: "400,00");
        Assert.Equal(("partly_matched", "600.00", "2002", "manual"), (first.Payment.Status, first.Payment.Unallocated, first.Payment.CustomerNumber, first.Payment.MatchMethod));
        Assert.Equal("600.00", await OpenOfAsync("10041"));
        var second = await AllocateAsync(id, "10041");                 // as much as fits: the 600.00 left
        Assert.Equal(("matched", "0.00"), (second.Payment.Status, second.Payment.Unallocated));
        Assert.Equal(["400.00", "600.00"], second.Allocations.Select(a => a.Amount));
        Assert.Equal("0.00", await OpenOfAsync("10041"));

        await using var check = await OpenAsync();
        Assert.Empty((await ListPayments.HandleAsync(check, new(Creditor, "unmatched"), Ct)).Items);
        var shown = await ShowPayment.HandleAsync(check, new(Creditor, id), Ct);
        Assert.Equal(["unmatched", "allocated", "allocated"], shown.History.Select(h => h.Kind));
        Assert.All(shown.History, h => Assert.Equal(("test", new DateTimeOffset(2026, 3, 5, 9, 0, 0, TimeSpan.Zero)), (h.Actor, h.At)));
        Assert.Contains("400.00 NOK allocated to invoice 10041 by hand", shown.History[1].Text);
        var invoice = await Purr.Features.Invoices.ShowInvoice.HandleAsync(check, new(Creditor, "10041"), Clock, Ct);
        Assert.Equal(2, invoice.History.Count(h => h.Kind == "payment_allocated" && h.Actor == "test"));
        await AssertLedgerBalancesAsync();
    }

    [Fact]
    public async Task A_payment_put_on_a_customer_pays_the_oldest_invoices_and_the_rest_is_credit()
    {
        await SetupAsync();
        var id = await UnmatchedAsync(1500m, "U-2");

        var r = await AllocateAsync(id, null, customer: "2003");

        Assert.Equal(["10042", "10043"], r.Allocations.Select(a => a.InvoiceNumber));
        Assert.Equal(("partly_matched", "300.00"), (r.Payment.Status, r.Payment.Unallocated));
        Assert.Equal("300.00", (await CustomerAsync("2003")).Customer.CreditBalance);
        // The credit can then go to an invoice of the same customer only.
        var e = await Assert.ThrowsAsync<RejectedInputException>(() => AllocateAsync(id, "10040"));
        Assert.Contains("an invoice of the payment's customer 2003", Assert.Single(e.Errors).Expected);
        await AssertLedgerBalancesAsync();
    }

    [Theory]
    [InlineData("10041", null, "2000.00", "--amount", "at most what is unallocated, 1000.00")]
    [InlineData("10041", null, "12.345", "--amount", "an amount in whole NOK minor units")]
    [InlineData("10041", null, "-5", "--amount", "a positive amount")]
    [InlineData(null, null, null, "--invoice", "either --invoice NUMBER or --customer NUMBER")]
    [InlineData("10041", "2002", null, "--invoice", "either --invoice NUMBER or --customer NUMBER")]
    public async Task Bad_allocation_arguments_are_rejected_and_change_nothing(string? invoice, string? customer, string? amount, string column, string expected)
    {
        await SetupAsync();
        var id = await UnmatchedAsync(1000m, "U-3");
        var before = await CountsAsync();

        var e = await Assert.ThrowsAsync<RejectedInputException>(() => AllocateAsync(id, invoice, customer, amount));

        var error = Assert.Single(e.Errors);
        Assert.Equal(column, error.Column);
        Assert.Contains(expected, error.Expected);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Settled_and_unknown_invoices_and_payments_are_refused()
    {
        await SetupAsync();
        var id = await UnmatchedAsync(5000m, "U-4");
        await AllocateAsync(id, "10044");                             // settles 10044, 4700.00 left
        var settled = await Assert.ThrowsAsync<RejectedInputException>(() => AllocateAsync(id, "10044"));
        Assert.Contains("an open invoice", Assert.Single(settled.Errors).Expected);
        await Assert.ThrowsAsync<NotFoundException>(() => AllocateAsync(id, "99999"));
        await Assert.ThrowsAsync<NotFoundException>(() => AllocateAsync(424242, "10041"));
    }

    [Fact]
    public async Task A_refund_sends_back_the_unallocated_part_and_the_ledger_still_balances()
    {
        await SetupAsync();
        Today(2026, 3, 9);
        await ImportAsync("o.xml", BankFiles.Camt054("O", [new Tx(1500m, "O-1") { Kid = "123456782" }]));  // 250.00 over
        var id = (await PaymentAsync("O-1")).Id;
        Assert.Equal("250.00", (await CustomerAsync("2001")).Customer.CreditBalance);

        await using var db = await OpenAsync();
        var r = await RefundPayment.HandleAsync(db, new RefundPayment.Command(Creditor, id, "betalt to ganger"), Actor, Clock, Ct);

        Assert.Equal(("refunded", "0.00", "1500.00"), (r.Payment.Status, r.Payment.Unallocated, r.Payment.Amount));
        Assert.Equal(("-250.00", "refund", "refunded", id, new DateOnly(2026, 3, 9)), (r.Refund.Amount, r.Refund.Source, r.Refund.Status, r.Refund.ReversesPaymentId!.Value, r.Refund.PaymentDate));
        var kari = await CustomerAsync("2001");
        Assert.Equal(("0.00", "0.00"), (kari.Customer.Open, kari.Customer.CreditBalance));
        Assert.Contains(kari.History, h => h.Kind == "credit_refunded" && h.Text.Contains("250.00 NOK refunded: betalt to ganger", StringComparison.Ordinal));
        Assert.Equal("1250.00", (await BalanceAsync()).Paid);         // 1500 in, 250 back
        await AssertLedgerBalancesAsync();

        await using var again = await OpenAsync();
        var e = await Assert.ThrowsAsync<RejectedInputException>(() => RefundPayment.HandleAsync(again, new RefundPayment.Command(Creditor, id), Actor, Clock, Ct));
        Assert.Contains("not refunded", Assert.Single(e.Errors).Expected);
    }

    [Fact]
    public async Task An_unmatched_payment_can_be_refunded_whole_and_leaves_the_queue()
    {
        await SetupAsync();
        var id = await UnmatchedAsync(99m, "U-5", "Ukjent Betaler");
        await using var db = await OpenAsync();
        var r = await RefundPayment.HandleAsync(db, new RefundPayment.Command(Creditor, id), Actor, Clock, Ct);
        Assert.Equal(("refunded", "-99.00", null), (r.Payment.Status, r.Refund.Amount, r.Refund.CustomerNumber));
        await using var check = await OpenAsync();
        Assert.Equal(0, (await ListPayments.HandleAsync(check, new(Creditor, "unmatched"), Ct)).Total);
        Assert.Equal(2, (await ListPayments.HandleAsync(check, new(Creditor, "refunded"), Ct)).Total);
        await AssertLedgerBalancesAsync();
    }

    [Fact]
    public async Task An_unmatched_reversal_is_paired_by_hand_and_reopens_the_invoice()
    {
        await SetupAsync();
        await ImportAsync("kid-batch.camt054.xml", await File.ReadAllBytesAsync(Data("camt054", "purr+synthetic", "kid-batch.camt054.xml"), Ct));
        var reversal = await PaymentAsync("NO20260302RV0001");
        Assert.Equal((PaymentStatus.Unmatched, -30000L), (reversal.Status, reversal.Amount));
        // The original came in another way (a CSV from the bank portal, without the KID).
        await ImportAsync("p.csv", "payment_date,amount,invoice_number,reference\n2026-02-20,300.00,10044,CSV-OLSEN\n"u8.ToArray());
        var original = await PaymentAsync("CSV-OLSEN");
        Assert.Equal("0.00", await OpenOfAsync("10044"));

        await using (var bad = await OpenAsync())
        {
            var wrong = await PaymentAsync("NO20260302OCR0001-1");
            var e = await Assert.ThrowsAsync<RejectedInputException>(() => ReversePayment.HandleAsync(bad, new ReversePayment.Command(Creditor, reversal.Id, wrong.Id), Actor, Clock, Ct));
            Assert.Contains("a payment of 300.00 NOK, the reversed amount", Assert.Single(e.Errors).Expected);
        }
        await using var db = await OpenAsync();
        var r = await ReversePayment.HandleAsync(db, new ReversePayment.Command(Creditor, reversal.Id, original.Id), Actor, Clock, Ct);

        Assert.Equal(["10044"], r.ReopenedInvoices);
        Assert.Equal(("reversed", "reversed", original.Id), (r.Reversal.Status, r.Original.Status, r.Reversal.ReversesPaymentId!.Value));
        Assert.Equal("300.00", await OpenOfAsync("10044"));
        await using var check = await OpenAsync();
        Assert.Equal(0, (await ListPayments.HandleAsync(check, new(Creditor, "unmatched"), Ct)).Total);
        Assert.Equal(2, (await ListPayments.HandleAsync(check, new(Creditor, null, "2004"), Ct)).Total);
        await AssertLedgerBalancesAsync();
    }

    [Fact]
    public async Task The_payment_list_filters_by_status_and_customer_and_pages_newest_first()
    {
        await SetupAsync();
        await ImportAsync("kid-batch.camt054.xml", await File.ReadAllBytesAsync(Data("camt054", "purr+synthetic", "kid-batch.camt054.xml"), Ct));
        await ImportAsync("q.xml", BankFiles.Camt054("Q", [new Tx(10m, "Q-1") { Date = "2026-03-05" }]));
        await using var db = await OpenAsync();

        var all = await ListPayments.HandleAsync(db, new(Creditor, PageSize: 2), Ct);
        Assert.Equal((5, 2), (all.Total, all.Items.Count));
        Assert.Equal("Q-1", all.Items[0].Reference);
        Assert.Equal(3, (await ListPayments.HandleAsync(db, new(Creditor, "matched"), Ct)).Total);
        Assert.Equal(["NO20260302OCR0001-3"], (await ListPayments.HandleAsync(db, new(Creditor, null, "2003"), Ct)).Items.Select(p => p.Reference));
        var e = await Assert.ThrowsAsync<RejectedInputException>(() => ListPayments.HandleAsync(db, new(Creditor, "lost"), Ct));
        Assert.Equal("--status", e.Errors[0].Column);
    }
}
