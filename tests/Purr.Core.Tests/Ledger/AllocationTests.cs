using CsCheck;
using Purr.Core.Ledger;

namespace Purr.Core.Tests.Ledger;

public class AllocationTests
{
    private static readonly DateOnly D = new(2026, 1, 1);

    [Fact]
    public void Full_payment_settles_the_invoice()
    {
        var a = new CustomerAccount(Currency.Nok);
        var inv = a.AddInvoice("1", D, D.AddDays(14), Money.Nok(1000m));
        a.AddPayment(Money.Nok(1000m), inv);
        Assert.Equal(Money.Nok(0m), a.OpenOf(inv));
        Assert.Equal(Money.Nok(0m), a.CreditBalance);
    }

    [Fact]
    public void Partial_payment_leaves_the_rest_open()
    {
        var a = new CustomerAccount(Currency.Nok);
        var inv = a.AddInvoice("1", D, D.AddDays(14), Money.Nok(1000m));
        a.AddPayment(Money.Nok(400m), inv);
        Assert.Equal(Money.Nok(600m), a.OpenOf(inv));
    }

    [Fact]
    public void Overpayment_becomes_credit_balance()
    {
        var a = new CustomerAccount(Currency.Nok);
        var inv = a.AddInvoice("1", D, D.AddDays(14), Money.Nok(1000m));
        a.AddPayment(Money.Nok(1250.50m), inv);
        Assert.Equal(Money.Nok(0m), a.OpenOf(inv));
        Assert.Equal(Money.Nok(250.50m), a.CreditBalance);
    }

    [Fact]
    public void Payment_without_target_settles_oldest_due_first()
    {
        var a = new CustomerAccount(Currency.Nok);
        var newer = a.AddInvoice("2", D.AddDays(5), D.AddDays(30), Money.Nok(300m));
        var older = a.AddInvoice("1", D, D.AddDays(14), Money.Nok(500m));
        a.AddPayment(Money.Nok(600m));
        Assert.Equal(Money.Nok(0m), a.OpenOf(older));
        Assert.Equal(Money.Nok(200m), a.OpenOf(newer));
    }

    [Fact]
    public void Credit_note_is_set_off_against_the_invoice_it_credits_first()
    {
        var a = new CustomerAccount(Currency.Nok);
        var older = a.AddInvoice("1", D, D.AddDays(14), Money.Nok(500m));
        var credited = a.AddInvoice("2", D.AddDays(1), D.AddDays(15), Money.Nok(800m));
        a.AddCreditNote(Money.Nok(800m), credited);
        Assert.Equal(Money.Nok(0m), a.OpenOf(credited));
        Assert.Equal(Money.Nok(500m), a.OpenOf(older));
    }

    [Fact]
    public void Reversal_undoes_the_allocation()
    {
        var a = new CustomerAccount(Currency.Nok);
        var inv = a.AddInvoice("1", D, D.AddDays(14), Money.Nok(1000m));
        var p = a.AddPayment(Money.Nok(1200m), inv);
        a.ReversePayment(p);
        Assert.Equal(Money.Nok(1000m), a.OpenOf(inv));
        Assert.Equal(Money.Nok(0m), a.CreditBalance);
        Assert.Equal(Money.Nok(0m), a.Paid);
    }

    private abstract record Op;
    private sealed record AddInvoiceOp(decimal Amount, int DueOffset) : Op;
    private sealed record CreditOp(decimal Amount, int TargetIndex) : Op;
    private sealed record PayOp(decimal Amount, int TargetIndex) : Op;
    private sealed record ReverseOp(int PaymentIndex) : Op;
    private sealed record ApplyCreditOp(int SourceIndex) : Op;

    private static readonly Gen<decimal> Amount = Gen.Long[1, 5_000_000].Select(ore => ore / 100m);
    private static readonly Gen<Op> OpGen = Gen.Frequency(
        (4, Gen.Select(Amount, Gen.Int[0, 90], (a, d) => (Op)new AddInvoiceOp(a, d))),
        (2, Gen.Select(Amount, Gen.Int[-1, 20], (a, t) => (Op)new CreditOp(a, t))),
        (4, Gen.Select(Amount, Gen.Int[-1, 20], (a, t) => (Op)new PayOp(a, t))),
        (1, Gen.Int[0, 20].Select(i => (Op)new ReverseOp(i))),
        (1, Gen.Int[0, 20].Select(i => (Op)new ApplyCreditOp(i))));

    [Fact]
    public void Open_minus_credit_always_equals_invoiced_minus_credited_minus_paid_and_no_invoice_goes_negative()
    {
        OpGen.Array[1, 60].Sample(ops =>
        {
            var a = new CustomerAccount(Currency.Nok);
            var invoices = new List<long>();
            var payments = new List<long>();
            var sources = new List<long>();
            foreach (var op in ops)
            {
                switch (op)
                {
                    case AddInvoiceOp x:
                        invoices.Add(a.AddInvoice($"F{invoices.Count}", D, D.AddDays(x.DueOffset), Money.Nok(x.Amount)));
                        break;
                    case CreditOp x:
                        sources.Add(a.AddCreditNote(Money.Nok(x.Amount), Pick(invoices, x.TargetIndex)));
                        break;
                    case PayOp x:
                        var p = a.AddPayment(Money.Nok(x.Amount), Pick(invoices, x.TargetIndex));
                        payments.Add(p);
                        sources.Add(p);
                        break;
                    case ReverseOp x when payments.Count > 0:
                        a.ReversePayment(payments[x.PaymentIndex % payments.Count]);
                        break;
                    case ApplyCreditOp x when sources.Count > 0:
                        a.ApplyCreditBalance(sources[x.SourceIndex % sources.Count]);
                        break;
                }
                Assert.Equal(a.Invoiced - a.Credited - a.Paid, a.OpenTotal - a.CreditBalance);
                Assert.All(a.InvoiceIds, id => Assert.False(a.OpenOf(id).IsNegative));
                Assert.False(a.CreditBalance.IsNegative);
            }
        }, iter: 2000);
    }

    private static long? Pick(List<long> ids, int index) => index < 0 || ids.Count == 0 ? null : ids[index % ids.Count];
}

public class OldestFirstOrderTests
{
    private static readonly Gen<OpenInvoice> Invoice =
        Gen.Select(Gen.Long[1, 6], Gen.Int[0, 20], Gen.Int[-1, 20], Gen.Int[0, 3], Gen.Long[1, 100_000],
            (id, issue, due, number, ore) => new OpenInvoice(id, "F" + number, new DateOnly(2026, 1, 1).AddDays(issue),
                due < 0 ? null : new DateOnly(2026, 1, 1).AddDays(due), Money.FromMinorUnits(ore, Currency.Nok)));

    [Fact]
    public void Oldest_first_is_the_stable_order_by_due_date_issue_date_number_and_id()
    {
        // The specification, spelled out with LINQ's stable OrderBy; ties (same id and dates) keep their order.
        Invoice.List[0, 12].Sample(list =>
        {
            var expected = list.OrderBy(i => i.DueDate ?? i.IssueDate).ThenBy(i => i.IssueDate)
                .ThenBy(i => i.Number, StringComparer.Ordinal).ThenBy(i => i.Id).ToList();
            Assert.Equal(expected, AllocationRules.OldestFirst(list).ToList(), ReferenceEqualityComparer.Instance);
        });
    }

    [Fact]
    public void Apply_takes_the_preferred_invoice_first_then_the_rest_oldest_first()
    {
        Gen.Select(Invoice.List[1, 8], Gen.Long[1, 300_000]).Sample((list, ore) =>
        {
            var amount = Money.FromMinorUnits(ore, Currency.Nok);
            var preferred = list[^1].Id;
            var result = AllocationRules.Apply(amount, list, preferred);
            var order = AllocationRules.OldestFirst(list).ToList();
            var first = order.FindIndex(i => i.Id == preferred);
            if (first > 0) { var p = order[first]; order.RemoveAt(first); order.Insert(0, p); }
            var left = amount;
            var expected = new List<AllocationLine>();
            foreach (var inv in order)
            {
                if (!left.IsPositive) break;
                var take = Money.Min(left, inv.Open);
                expected.Add(new AllocationLine(inv.Id, take));
                left -= take;
            }
            Assert.Equal(expected, result.Lines);
            Assert.Equal(left, result.Remainder);
        });
    }
}
