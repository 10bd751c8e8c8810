using Purr.Tests.Infrastructure;

namespace Purr.Tests.Interest;

public sealed class InterestCliTests_Sqlite(SqliteFixture f) : InterestCliTests<SqliteFixture>(f);
public sealed class InterestCliTests_Postgres(PostgresFixture f) : InterestCliTests<PostgresFixture>(f);

/// <summary>The interest, rates and write-off commands as a user runs them.</summary>
public abstract class InterestCliTests<TDb>(TDb fixture) : DbTest<TDb>(fixture) where TDb : DatabaseFixture
{
    [Fact]
    public async Task Interest_calc_gives_the_worked_examples_with_one_line_per_period()
    {
        var mid = await PurrProcess.RunAsync(Spec, "interest", "calc", "--principal", "10000", "--due", "2025-06-20", "--paid", "2025-07-10", "--json");
        Assert.Equal(0, mid.ExitCode);
        Assert.Equal("67.81", mid.Json.GetProperty("total").GetString());
        var periods = mid.Json.GetProperty("periods");
        Assert.Equal(2, periods.GetArrayLength());
        Assert.Equal(("2025-06-21", "2025-06-30", 10, "12.50", "34.25"), (periods[0].GetProperty("from").GetString(), periods[0].GetProperty("to").GetString(),
            periods[0].GetProperty("days").GetInt32(), periods[0].GetProperty("rate").GetString(), periods[0].GetProperty("amount").GetString()));
        Assert.True(periods[1].GetProperty("unverified").GetBoolean()); // 2025 H2 is unverified: flagged
        Assert.Contains(mid.Json.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("unverified"));

        var year = await PurrProcess.RunAsync(Spec, "interest", "calc", "--principal", "10 000,00", "--due", "2025-12-15", "--paid", "2026-01-14");
        Assert.Equal(0, year.ExitCode);
        Assert.Contains("99.73", year.Stdout);
        Assert.Contains("16", year.Stdout);
        Assert.Contains("(uverifisert)", year.Stdout);

        var partial = await PurrProcess.RunAsync(Spec, "interest", "calc", "--principal", "20000.00", "--due", "2023-03-10", "--paid", "2023-05-09",
            "--payments", "2023-04-09:5 000,00", "--json");
        Assert.Equal("309.25", partial.Json.GetProperty("total").GetString());
    }

    [Fact]
    public async Task A_missing_half_year_shows_the_total_as_missing_with_the_uncovered_days()
    {
        var r = await PurrProcess.RunAsync(Spec, "interest", "calc", "--principal", "10000", "--due", "2026-06-20", "--paid", "2026-07-10", "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, r.Json.GetProperty("total").ValueKind);
        var missing = r.Json.GetProperty("missing")[0];
        Assert.Equal(("2026-07-01", "2026-07-10", 10), (missing.GetProperty("from").GetString(), missing.GetProperty("to").GetString(), missing.GetProperty("days").GetInt32()));
        var text = await PurrProcess.RunAsync(Spec, "interest", "calc", "--principal", "10000", "--due", "2026-06-20", "--paid", "2026-07-10");
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("mangler", text.Stdout);
        Assert.Contains("not guessed", text.Stdout);

        var bad = await PurrProcess.RunAsync(Spec, "interest", "calc", "--principal", "ti tusen", "--due", "2026-02-30", "--paid", "2026-07-10", "--json");
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal(2, bad.Json.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public async Task Rates_add_then_calc_uses_the_new_half_year()
    {
        var add = await PurrProcess.RunAsync(Spec, "rates", "add", "--from", "2026-07-01", "--rate", "11.75", "--compensation", "450",
            "--source", "FOR-2026-06-19-1000", "--certainty", "verified", "--json");
        Assert.Equal(0, add.ExitCode);
        Assert.Equal("added", add.Json.GetProperty("action").GetString());
        Assert.Equal("2026-12-31", add.Json.GetProperty("known_until").GetString());
        var calc = await PurrProcess.RunAsync(Spec, "interest", "calc", "--principal", "10000", "--due", "2026-06-20", "--paid", "2026-07-10", "--json");
        Assert.Equal("58.49", calc.Json.GetProperty("total").GetString()); // due Saturday → Monday 22 June (C1): 8 days at 12.00 + 10 at 11.75
        Assert.Equal("2026-06-22", calc.Json.GetProperty("effective_due_date").GetString());
        var list = await PurrProcess.RunAsync(Spec, "rates", "list", "--json");
        var last = list.Json.GetProperty("rows").EnumerateArray().Last();
        Assert.Equal(("2026-07-01", "database", "verified"), (last.GetProperty("from").GetString(), last.GetProperty("origin").GetString(), last.GetProperty("certainty").GetString()));
        var text = await PurrProcess.RunAsync(Spec, "rates", "list");
        Assert.Contains("UVERIFISERT", text.Stdout);

        var bad = await PurrProcess.RunAsync(Spec, "rates", "add", "--from", "2027-03-01", "--rate", "75", "--source", "x");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--from", bad.Stderr);
        Assert.Contains("--rate", bad.Stderr);
    }

    [Fact]
    public async Task Invoice_write_off_closes_the_invoice_and_cannot_be_repeated()
    {
        Assert.Equal(0, (await PurrProcess.RunAsync(Spec, "creditor", "add", "--name", "Tap AS")).ExitCode);
        Assert.Equal(0, (await PurrProcess.RunAsync(Spec, "import", "customers", Data("csv", "customers.csv"))).ExitCode);
        Assert.Equal(0, (await PurrProcess.RunAsync(Spec, "import", "invoices", Data("csv", "invoices.csv"))).ExitCode);
        var w = await PurrProcess.RunAsync(Spec, "invoice", "write-off", "10001", "--reason", "konkurs", "--today", "2026-03-02", "--json");
        Assert.Equal(0, w.ExitCode);
        Assert.Equal(("1000.00", "7830", "1500"), (w.Json.GetProperty("amount").GetString(), w.Json.GetProperty("debit_account").GetString(), w.Json.GetProperty("credit_account").GetString()));
        var show = await PurrProcess.RunAsync(Spec, "invoice", "show", "10001", "--json");
        Assert.Equal("written_off", show.Json.GetProperty("invoice").GetProperty("status").GetString());
        var again = await PurrProcess.RunAsync(Spec, "invoice", "write-off", "10001", "--reason", "konkurs");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("written_off", again.Stderr);
        Assert.Equal(1, (await PurrProcess.RunAsync(Spec, "invoice", "write-off", "10002")).ExitCode); // --reason is required
    }
}
