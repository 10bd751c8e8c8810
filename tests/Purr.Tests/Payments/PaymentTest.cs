using Microsoft.EntityFrameworkCore;
using Purr.Data;
using Purr.Features.Creditors;
using Purr.Features.Customers;
using Purr.Features.Imports;
using Purr.Features.Invoices;
using Purr.Features.Ledger;
using Purr.Features.Payments;
using Purr.Tests.Infrastructure;

namespace Purr.Tests.Payments;

/// <summary>Shared steps of the payment tests: a creditor with customers and invoices, payment imports, ledger checks.</summary>
public abstract class PaymentTest<TDb>(TDb fixture) : DbTest<TDb>(fixture) where TDb : DatabaseFixture
{
    protected long Creditor { get; private set; }

    protected static string Synthetic(string name) => Data("payments", "purr+synthetic", name);

    /// <summary>A creditor with the customers and invoices of a fixture pair (tests/data/payments/purr+synthetic).</summary>
    protected async Task SetupAsync(string customers = "customers.csv", string invoices = "invoices.csv", string name = "Betaling AS")
    {
        await using (var db = await OpenAsync())
            Creditor = (await AddCreditor.HandleAsync(db, new AddCreditor.Command(name, "987654325", "86011117947", null, null, null, null), Actor, Clock, Ct)).Id;
        await using (var db = await OpenAsync())
            await ImportCustomers.HandleAsync(db, new(customers, await File.ReadAllBytesAsync(Synthetic(customers), Ct), Creditor), Actor, Clock, Ct);
        await using (var db = await OpenAsync())
            await ImportInvoices.HandleAsync(db, new(invoices, await File.ReadAllBytesAsync(Synthetic(invoices), Ct), Creditor), Actor, Clock, Ct);
    }

    protected async Task<PaymentImportResult> ImportAsync(string name, byte[] content, string format = "auto", bool statementOnly = false)
    {
        await using var db = await OpenAsync();
        return await ImportPayments.ImportAsync(db, new ImportPayments.Command(name, content, Creditor, format, statementOnly), Actor, Clock, Ct);
    }

    protected async Task<PaymentImportResult> ImportFileAsync(params string[] path)
    {
        await using var db = await OpenAsync();
        var file = Data(path);
        return await ImportPayments.ImportAsync(db, new ImportPayments.Command(Path.GetFileName(file), null, Creditor) { Path = file }, Actor, Clock, Ct);
    }

    protected async Task<string> OpenOfAsync(string invoice)
    {
        await using var db = await OpenAsync();
        return (await ShowInvoice.HandleAsync(db, new(Creditor, invoice), Clock, Ct)).Invoice.Open;
    }

    protected async Task<ShowCustomer.Result> CustomerAsync(string number)
    {
        await using var db = await OpenAsync();
        return await ShowCustomer.HandleAsync(db, new(Creditor, number), Clock, Ct);
    }

    protected async Task<LedgerBalance.Result> BalanceAsync()
    {
        await using var db = await OpenAsync();
        return await LedgerBalance.HandleAsync(db, new(Creditor), Ct);
    }

    /// <summary>Row counts of every table a payment import writes.</summary>
    protected async Task<(int Payments, int Allocations, int ClaimEvents, int PaymentEvents, int Imports, int Statements, int Entries, long OpenTotal)> CountsAsync()
    {
        await using var db = await OpenAsync();
        return (await db.Payments.CountAsync(Ct), await db.Allocations.CountAsync(Ct), await db.ClaimEvents.CountAsync(Ct), await db.PaymentEvents.CountAsync(Ct),
            await db.Imports.CountAsync(Ct), await db.BankStatements.CountAsync(Ct), await db.BankStatementEntries.CountAsync(Ct),
            await db.Invoices.SumAsync(i => i.Open, Ct));
    }

    protected async Task<Payment> PaymentAsync(string reference)
    {
        await using var db = await OpenAsync();
        return await db.Payments.AsNoTracking().SingleAsync(p => p.BankReference == reference, Ct);
    }

    /// <summary>The ledger's invariant: open − credit balance = invoiced − credited − paid.</summary>
    protected async Task AssertLedgerBalancesAsync()
    {
        var b = await BalanceAsync();
        static decimal D(string s) => decimal.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(D(b.Invoiced) - D(b.Credited) - D(b.Paid), D(b.Open) - D(b.CreditBalance));
    }

    protected static PaymentLine Line(PaymentImportResult r, string reference) => Assert.Single(r.Transactions, t => t.Reference == reference);
}
