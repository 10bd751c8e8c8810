using System.Text.Json;
using Purr.Tests.Infrastructure;

namespace Purr.Tests.Payments;

public sealed class PaymentCliTests_Sqlite(SqliteFixture f) : PaymentCliTests<SqliteFixture>(f);
public sealed class PaymentCliTests_Postgres(PostgresFixture f) : PaymentCliTests<PostgresFixture>(f);

/// <summary>The payment commands as a user runs them: a separate process, exit codes, JSON on stdout, errors on stderr.</summary>
public abstract class PaymentCliTests<TDb>(TDb fixture) : DbTest<TDb>(fixture) where TDb : DatabaseFixture
{
    private static string Synthetic(string name) => Data("payments", "purr+synthetic", name);
    private static string KidBatch => Data("camt054", "purr+synthetic", "kid-batch.camt054.xml");

    private async Task<PurrProcess.Result> Purr(params string[] args) => await PurrProcess.RunAsync(Spec, args);

    private static int Count(JsonElement summary, string outcome) =>
        summary.EnumerateArray().Where(s => s.GetProperty("outcome").GetString() == outcome).Sum(s => s.GetProperty("count").GetInt32());

    [Fact]
    public async Task Import_match_the_queue_and_allocate_by_hand_from_the_command_line()
    {
        Assert.Equal(0, (await Purr("creditor", "add", "--name", "Betaling AS", "--account", "86011117947")).ExitCode);
        Assert.Equal(0, (await Purr("import", "customers", Synthetic("customers.csv"))).ExitCode);
        Assert.Equal(0, (await Purr("import", "invoices", Synthetic("invoices.csv"))).ExitCode);

        var import = await Purr("import", "payments", KidBatch, "--format", "camt054", "--json", "--today", "2026-03-03");
        Assert.Equal(0, import.ExitCode);
        var j = import.Json;
        Assert.Equal(("camt054", 4, false), (j.GetProperty("format").GetString(), j.GetProperty("records").GetInt32(), j.GetProperty("already_imported").GetBoolean()));
        Assert.Equal((2, 1, 1), (Count(j.GetProperty("summary"), "kid"), Count(j.GetProperty("summary"), "invoice_number"), Count(j.GetProperty("summary"), "unmatched_reversal")));
        var first = j.GetProperty("transactions")[0];
        Assert.Equal(("kid", "1250.00", "2001"), (first.GetProperty("outcome").GetString(), first.GetProperty("amount").GetString(), first.GetProperty("customer_number").GetString()));
        Assert.Equal("3125.50", j.GetProperty("totals").GetProperty("credit_total_nok").GetString());

        var table = await Purr("import", "payments", KidBatch);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("Allerede importert", table.Stdout);

        var csv = Path.Combine(Path.GetTempPath(), $"purr-cli-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(csv, "payment_date,amount,reference,payer_name\n2026-03-03,500.00,CLI-1,Ukjent\n", Ct);
        try
        {
            var human = await Purr("import", "payments", csv);
            Assert.Equal(0, human.ExitCode);
            Assert.Contains("uavklart", human.Stdout);
        }
        finally { File.Delete(csv); }

        var queue = await Purr("payments", "unmatched", "--json");
        Assert.Equal(0, queue.ExitCode);
        var items = queue.Json.GetProperty("items");
        Assert.Equal(2, items.GetArrayLength());
        var unknown = items.EnumerateArray().Single(i => i.GetProperty("reference").GetString() == "CLI-1");
        var id = unknown.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var allocate = await Purr("payments", "allocate", id, "--invoice", "10043", "--amount", "150.00", "--json");
        Assert.Equal(0, allocate.ExitCode);
        Assert.Equal(("partly_matched", "350.00"), (allocate.Json.GetProperty("payment").GetProperty("status").GetString(), allocate.Json.GetProperty("payment").GetProperty("unallocated").GetString()));
        var tooMuch = await Purr("payments", "allocate", id, "--invoice", "10043", "--amount", "999.00", "--json");
        Assert.Equal(2, tooMuch.ExitCode);
        Assert.Equal("--amount", tooMuch.Json.GetProperty("errors")[0].GetProperty("column").GetString());

        var refund = await Purr("payments", "refund", id, "--reason", "feil mottaker");
        Assert.Equal(0, refund.ExitCode);
        Assert.Contains("350.00 NOK tilbakebetalt", refund.Stdout);
        var show = await Purr("payments", "show", id, "--json");
        Assert.Equal(["unmatched", "allocated", "refunded"], show.Json.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("kind").GetString()));

        var invoice = await Purr("invoice", "show", "10043", "--json");
        Assert.Equal("50.00", invoice.Json.GetProperty("invoice").GetProperty("open").GetString());   // 600 − 400 (batch) − 150 (by hand)
        var missing = await Purr("payments", "show", "999999");
        Assert.Equal(2, missing.ExitCode);
    }

    [Fact]
    public async Task Damaged_files_exit_2_with_located_errors_and_reconcile_lists_differences()
    {
        await Purr("creditor", "add", "--name", "Betaling AS");
        var bad = await Purr("import", "payments", Data("bad-bank-files", "truncated.camt054.xml"));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("truncated.camt054.xml:36: /Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/NtryDtls[1]/TxDtls[2]", bad.Stderr);
        Assert.Contains("nothing was changed", bad.Stderr);
        var ocr = await Purr("import", "payments", Data("bad-bank-files", "totals-mismatch.ocr.txt"), "--json");
        Assert.Equal(2, ocr.ExitCode);
        Assert.Equal((44, "25-41"), (ocr.Json.GetProperty("errors")[0].GetProperty("line").GetInt32(), ocr.Json.GetProperty("errors")[0].GetProperty("column").GetString()));
        Assert.Equal(0, (await Purr("payments", "list", "--json")).Json.GetProperty("total").GetInt32());

        Assert.Equal(0, (await Purr("import", "payments", KidBatch)).ExitCode);
        var none = await Purr("reconcile", "--from", "2026-03-01", "--to", "2026-03-31", "--json");
        Assert.Equal(0, none.ExitCode);
        Assert.False(none.Json.GetProperty("ok").GetBoolean());
        Assert.Equal("no_statement", none.Json.GetProperty("differences")[0].GetProperty("kind").GetString());
        Assert.Equal(1, (await Purr("reconcile", "--from", "2026-03-01")).ExitCode);   // --to is required
    }
}

/// <summary><c>purr inspect</c> needs no database.</summary>
public class InspectCliTests
{
    private static string Data(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "data", .. parts]);

    [Fact]
    public async Task Inspect_prints_the_normalized_transactions_and_totals_as_json_without_a_database()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"purr-inspect-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var r = await PurrProcess.RunInAsync(dir, null, "inspect", Data("ocr-giro", "otovo+python-netsgiro", "ocr_giro_transactions.txt"), "--json");
            Assert.Equal(0, r.ExitCode);
            var j = r.Json;
            Assert.Equal(("ocr", 20, "51449.00", "0.00"), (j.GetProperty("format").GetString(), j.GetProperty("count").GetInt32(),
                j.GetProperty("credit_total").GetString(), j.GetProperty("debit_total").GetString()));
            Assert.Equal(20, j.GetProperty("transactions").GetArrayLength());
            Assert.Equal("1020.00", j.GetProperty("transactions")[0].GetProperty("amount").GetString());
            Assert.Empty(Directory.GetFiles(dir));                  // no purr.db was created

            var human = await PurrProcess.RunInAsync(dir, null, "inspect", Data("camt054", "purr+synthetic", "kid-batch.camt054.xml"));
            Assert.Equal(0, human.ExitCode);
            Assert.Contains("4 transaksjoner", human.Stdout);

            var bad = await PurrProcess.RunInAsync(dir, null, "inspect", Data("bad-bank-files", "short-line.ocr.txt"), "--json");
            Assert.Equal(2, bad.ExitCode);
            Assert.Equal(7, bad.Json.GetProperty("errors")[0].GetProperty("line").GetInt32());
            Assert.Contains("short-line.ocr.txt:7: column 1-80", bad.Stderr);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
