using Purr.Features.Common;
using Purr.Features.Payments;
using Purr.Tests.Infrastructure;
using Statement = Purr.Tests.Payments.BankFiles.Statement;

namespace Purr.Tests.Payments;

public sealed class ReconcileTests_Sqlite(SqliteFixture f) : ReconcileTests<SqliteFixture>(f);
public sealed class ReconcileTests_Postgres(PostgresFixture f) : ReconcileTests<PostgresFixture>(f);

/// <summary><c>purr reconcile</c>: the bank's camt.053 balances and entries against the ledger's payments.</summary>
public abstract class ReconcileTests<TDb>(TDb fixture) : PaymentTest<TDb>(fixture) where TDb : DatabaseFixture
{
    private async Task<Reconcile.Result> ReconcileAsync(string from = "2026-03-01", string to = "2026-03-31")
    {
        await using var db = await OpenAsync();
        return await Reconcile.HandleAsync(db, new Reconcile.Query(Creditor, DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture),
            DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture)), Ct);
    }

    // The statement of 2 March for the account the camt.054 kid batch came in on: the batch as one lump entry, the
    // returned payment, the rent, and a credit the ledger never saw.
    private static byte[] MarchStatement => BankFiles.Camt053("STMT-0302", new Statement("S-0302", 10000m, 12775.50m, "2026-03-01", "2026-03-02", [
        new Tx(3125.50m, "NO20260302OCR0001") { Text = "OCR/KID innbetalinger" },
        new Tx(-300m, "NO20260302RV0001") { Reversal = true },
        new Tx(-500m, "S-RENT") { Text = "Husleie" },
        new Tx(450m, "S-X") { Payer = "Ukjent Betaler" },
    ]));

    [Fact]
    public async Task A_lump_entry_matches_the_batch_of_payments_and_each_real_difference_is_listed()
    {
        await SetupAsync();
        await ImportAsync("kid-batch.camt054.xml", await File.ReadAllBytesAsync(Data("camt054", "purr+synthetic", "kid-batch.camt054.xml"), Ct));
        var s = await ImportAsync("stmt.xml", MarchStatement, statementOnly: true);
        Assert.Equal(0, s.Created);                                  // statement only: no payments posted twice
        Assert.Equal(("10000.00", "12775.50", true), (s.Statements[0].Opening!, s.Statements[0].Closing!, s.Statements[0].Reconciles == true));
        await ImportAsync("late.xml", BankFiles.Camt054("LATE", [new Tx(42m, "LATE-1") { Date = "2026-03-02" }]));

        var r = await ReconcileAsync();

        var statement = Assert.Single(r.Statements);
        Assert.Equal(("S-0302", "3575.50", "800.00", 4, 2), (statement.StatementId, statement.Credits, statement.Debits, statement.Entries, statement.MatchedEntries));
        Assert.Equal((2, 4), (r.MatchedEntries, r.MatchedPayments));   // the lump holds three payments; the reversal is one row
        Assert.False(r.Ok);
        Assert.Equal([("missing_in_ledger", "S-X", "450.00"), ("missing_on_statement", "LATE-1", "42.00")],
            r.Differences.Select(d => (d.Kind, d.BankReference!, d.Amount)));
        Assert.Contains("from Ukjent Betaler", r.Differences[0].Text);
        Assert.Equal((await PaymentAsync("LATE-1")).Id, r.Differences[1].PaymentId);
    }

    [Fact]
    public async Task A_statement_imported_with_its_payments_reconciles_cleanly()
    {
        await SetupAsync();
        await ImportAsync("stmt.xml", BankFiles.Camt053("M1", new Statement("S-1", 100m, 1450m, "2026-03-01", "2026-03-03", [
            new Tx(1250m, "M1-1") { Kid = "123456782", Date = "2026-03-02" },
            new Tx(100m, "M1-2") { Payer = "Ukjent", Date = "2026-03-03" },
        ])));

        var r = await ReconcileAsync();

        Assert.True(r.Ok, string.Join("; ", r.Differences.Select(d => d.Text)));
        Assert.Equal((2, 2), (r.MatchedEntries, r.MatchedPayments));
        Assert.Equal("0.00", await OpenOfAsync("10040"));            // the camt.053 import matched and allocated too
    }

    [Fact]
    public async Task A_statement_that_does_not_add_up_and_a_broken_balance_chain_are_differences()
    {
        await SetupAsync();
        await ImportAsync("two.xml", BankFiles.Camt053("M2",
            new Statement("S-A", 100m, 150m, "2026-03-01", "2026-03-01", [new Tx(50m, "A-1") { Date = "2026-03-01" }]),
            new Statement("S-B", 160m, 170m, "2026-03-02", "2026-03-02", [new Tx(20m, "B-1") { Date = "2026-03-02" }])));

        var r = await ReconcileAsync();

        Assert.Equal([("balance_break", "S-B", "10.00"), ("statement_unbalanced", "S-B", "-10.00")],
            r.Differences.Select(d => (d.Kind, d.StatementId!, d.Amount)));
        Assert.Contains("opening 160.00 ≠ closing 150.00 of the previous statement S-A", r.Differences[0].Text);
        Assert.Equal(2, r.MatchedEntries);
    }

    [Fact]
    public async Task Without_a_statement_for_the_period_reconcile_says_so()
    {
        await SetupAsync();
        await ImportAsync("stmt.xml", MarchStatement, statementOnly: true);

        var r = await ReconcileAsync("2026-04-01", "2026-04-30");

        Assert.Equal("no_statement", Assert.Single(r.Differences).Kind);
        await using var db = await OpenAsync();
        var e = await Assert.ThrowsAsync<RejectedInputException>(() => Reconcile.HandleAsync(db, new Reconcile.Query(Creditor, new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 1)), Ct));
        Assert.Equal("--to", e.Errors[0].Column);
    }

    [Fact]
    public async Task The_same_statement_in_another_file_is_kept_once()
    {
        await SetupAsync();
        await ImportAsync("stmt.xml", MarchStatement, statementOnly: true);
        var again = await ImportAsync("stmt-again.xml", BankFiles.Camt053("STMT-0302-B", new Statement("S-0302", 10000m, 12775.50m, "2026-03-01", "2026-03-02", [
            new Tx(3125.50m, "NO20260302OCR0001"), new Tx(-300m, "NO20260302RV0001") { Reversal = true }, new Tx(-500m, "S-RENT"), new Tx(450m, "S-X"),
        ])), statementOnly: true);

        Assert.True(Assert.Single(again.Statements).AlreadyImported);
        Assert.Contains(again.Notes, n => n.Contains("was imported before", StringComparison.Ordinal));
        Assert.Equal((1, 4), ((await CountsAsync()).Statements, (await CountsAsync()).Entries));
    }
}
