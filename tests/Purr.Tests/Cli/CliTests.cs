using Purr.Tests.Infrastructure;

namespace Purr.Tests.Cli;

public sealed class CliTests_Sqlite(SqliteFixture f) : CliTests<SqliteFixture>(f);
public sealed class CliTests_Postgres(PostgresFixture f) : CliTests<PostgresFixture>(f);

/// <summary>The CLI as a user runs it: a separate process, exit codes, stdout JSON, stderr errors.</summary>
public abstract class CliTests<TDb>(TDb fixture) : DbTest<TDb>(fixture) where TDb : DatabaseFixture
{
    private static string Csv(string name) => Data("csv", name);

    [Fact]
    public async Task Import_round_trip_with_json_output()
    {
        var add = await PurrProcess.RunAsync(Spec, "creditor", "add", "--name", "Fjord Regnskap AS", "--org-number", "987 654 325", "--account", "8601.11.17947", "--json");
        Assert.Equal(0, add.ExitCode);
        Assert.Equal("86011117947", add.Json.GetProperty("account_number").GetString());
        Assert.Equal(0, (await PurrProcess.RunAsync(Spec, "import", "customers", Csv("customers.csv"))).ExitCode);
        var inv = await PurrProcess.RunAsync(Spec, "import", "invoices", Csv("invoices.csv"), "--json");
        Assert.Equal(0, inv.ExitCode);
        Assert.Equal(5, inv.Json.GetProperty("created").GetInt32());
        Assert.False(inv.Json.GetProperty("already_imported").GetBoolean());
        var again = await PurrProcess.RunAsync(Spec, "import", "invoices", Csv("invoices.csv"), "--json");
        Assert.Equal(0, again.ExitCode);
        Assert.True(again.Json.GetProperty("already_imported").GetBoolean());

        var list = await PurrProcess.RunAsync(Spec, "invoice", "list", "--status", "open", "--today", "2026-03-02", "--json");
        Assert.Equal(0, list.ExitCode);
        var items = list.Json.GetProperty("items");
        Assert.Equal(3, list.Json.GetProperty("total").GetInt32());
        var first = items[0];
        Assert.Equal("10001", first.GetProperty("number").GetString());
        Assert.Equal("1000.00", first.GetProperty("amount").GetString());     // amounts are decimal strings
        Assert.Equal("2026-01-19", first.GetProperty("due_date").GetString()); // dates are ISO
        Assert.Equal("overdue", first.GetProperty("status").GetString());
        Assert.Equal(42, first.GetProperty("days_overdue").GetInt32());

        var balance = await PurrProcess.RunAsync(Spec, "ledger", "balance", "--customer", "1002", "--json");
        Assert.Equal("25000.00", balance.Json.GetProperty("open").GetString());
    }

    [Fact]
    public async Task Rejected_file_exits_2_lists_every_error_on_stderr_and_writes_nothing()
    {
        await PurrProcess.RunAsync(Spec, "creditor", "add", "--name", "T AS");
        await PurrProcess.RunAsync(Spec, "import", "customers", Csv("customers.csv"));
        var r = await PurrProcess.RunAsync(Spec, "import", "invoices", Csv("invoices-bad.csv"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("invoices-bad.csv:7: column issue_date: \"2026-02-30\"", r.Stderr);
        Assert.Contains("invoices-bad.csv:12: column amount: \"12,3.4\"", r.Stderr);
        Assert.Contains("nothing was changed", r.Stderr);
        var json = await PurrProcess.RunAsync(Spec, "import", "invoices", Csv("invoices-bad.csv"), "--json");
        Assert.Equal(2, json.ExitCode);
        Assert.Equal("rejected", json.Json.GetProperty("error").GetString());
        Assert.Equal(2, json.Json.GetProperty("errors").GetArrayLength());
        Assert.Equal(7, json.Json.GetProperty("errors")[0].GetProperty("line").GetInt32());
        var list = await PurrProcess.RunAsync(Spec, "invoice", "list", "--json");
        Assert.Equal(0, list.Json.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Usage_errors_exit_1_and_unknown_names_exit_2()
    {
        Assert.Equal(1, (await PurrProcess.RunAsync(Spec, "invoice", "list", "--status", "sleeping")).ExitCode);
        Assert.Equal(1, (await PurrProcess.RunAsync(Spec, "no-such-command")).ExitCode);
        Assert.Equal(1, (await PurrProcess.RunAsync(Spec, "invoice", "list", "--today", "23.11.2026")).ExitCode);
        var none = await PurrProcess.RunAsync(Spec, "invoice", "list", "--json");
        Assert.Equal(2, none.ExitCode);
        Assert.Equal("not_found", none.Json.GetProperty("error").GetString());
        Assert.Contains("no creditor", none.Stderr);
        var bad = await PurrProcess.RunAsync(Spec, "creditor", "add", "--name", "X", "--org-number", "123456789", "--json");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("check digit", bad.Json.GetProperty("errors")[0].GetProperty("expected").GetString());
    }

    [Fact]
    public async Task Demo_seeds_deterministic_data_and_lists_overdue_invoices()
    {
        var a = await PurrProcess.RunAsync(Spec, "demo", "--seed", "7", "--customers", "30", "--invoices", "300", "--today", "2026-11-23", "--json");
        Assert.Equal(0, a.ExitCode);
        var demo = a.Json.GetProperty("demo");
        Assert.Equal(30, demo.GetProperty("customers").GetInt32());
        Assert.Equal(300, demo.GetProperty("invoices").GetInt32());
        Assert.True(demo.GetProperty("overdue").GetInt32() > 0);
        Assert.True(demo.GetProperty("payments").GetInt32() > 100);
        Assert.True(demo.GetProperty("credit_notes").GetInt32() > 0);
        var overdue = a.Json.GetProperty("overdue").GetProperty("items");
        Assert.All(overdue.EnumerateArray(), i => Assert.Equal("overdue", i.GetProperty("status").GetString()));
        // The same seed on the same day gives the same data (a second creditor in the same database).
        var b = await PurrProcess.RunAsync(Spec, "demo", "--seed", "7", "--customers", "30", "--invoices", "300", "--today", "2026-11-23", "--json");
        Assert.Equal(demo.GetProperty("overdue_total").GetString(), b.Json.GetProperty("demo").GetProperty("overdue_total").GetString());
        Assert.Equal(demo.GetProperty("payments").GetInt32(), b.Json.GetProperty("demo").GetProperty("payments").GetInt32());
    }
}

/// <summary>The README's first-run experience: no --db, a fresh folder, purr.db created there.</summary>
public sealed class FirstRunTests
{
    [Fact]
    public async Task Demo_without_options_creates_purr_db_in_the_current_folder()
    {
        var dir = Directory.CreateTempSubdirectory("purr-firstrun").FullName;
        try
        {
            var r = await PurrProcess.RunInAsync(dir, null, "demo", "--customers", "20", "--invoices", "100");
            Assert.Equal(0, r.ExitCode);
            Assert.True(File.Exists(Path.Combine(dir, "purr.db")));
            Assert.Contains("overdue invoices", r.Stdout);
        }
        finally { Directory.Delete(dir, true); }
    }
}
