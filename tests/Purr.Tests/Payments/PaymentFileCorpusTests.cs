using Microsoft.EntityFrameworkCore;
using Purr.Features.Common;
using Purr.Tests.Infrastructure;

namespace Purr.Tests.Payments;

public sealed class PaymentFileCorpusTests_Sqlite(SqliteFixture f) : PaymentFileCorpusTests<SqliteFixture>(f);
public sealed class PaymentFileCorpusTests_Postgres(PostgresFixture f) : PaymentFileCorpusTests<PostgresFixture>(f);

/// <summary>
/// Every public sample (camt054, camt053, ocr-giro) imports into the ledger with the counts and sums of MANIFEST.md §1-2;
/// every damaged file is rejected with located errors and writes nothing.
/// </summary>
public abstract class PaymentFileCorpusTests<TDb>(TDb fixture) : PaymentTest<TDb>(fixture) where TDb : DatabaseFixture
{
    // file, transactions, statements kept, credit and debit totals per currency "CCY:credit:debit|…" (MANIFEST §1-2)
    public static TheoryData<string, int, int, string> Samples => new()
    {
        { "camt054/moov-io+iso20022/FI_camt_054_sample.xml.xml", 13, 0, "EUR:5600.00:5230.05" },
        { "camt054/genkgo+camt/camt054.v2.xml", 1, 0, "SEK:0.00:200000.00" },
        { "camt054/genkgo+camt/camt054.v4.xml", 1, 0, "SEK:0.00:200000.00" },
        { "camt054/genkgo+camt/camt054.v8.xml", 1, 0, "SEK:0.00:200000.00" },
        { "camt054/viafintech+camt_parser/valid_example.xml", 5, 0, "CHF:80.56:21.53" },
        { "camt054/purr+synthetic/kid-batch.camt054.xml", 4, 0, "NOK:3125.50:300.00" },
        { "camt053/viafintech+camt_parser/valid_example_v4.xml", 32, 1, "CHF:1810.56:1272.95" },
        { "camt053/viafintech+camt_parser/valid_example_v8.xml", 3, 1, "CHF:563.25:0.00|EUR:0.00:20.97" },
        { "camt053/viafintech+camt_parser/valid_example.xml", 5, 1, "EUR:1.00:11.00" },
        { "camt053/genkgo+camt/camt053.v2.minimal.xml", 1, 1, "EUR:8.85:0.00" },
        { "camt053/genkgo+camt/camt053.v3.xml", 1, 1, "EUR:8.85:0.00" },
        { "camt053/genkgo+camt/camt053.v4.xml", 1, 1, "EUR:8.85:0.00" },
        { "camt053/genkgo+camt/camt053.v8.xml", 1, 1, "EUR:8.85:0.00" },
        { "camt053/genkgo+camt/camt053.v2.minimal.ultimate.xml", 1, 1, "EUR:8.85:0.00" },
        { "camt053/genkgo+camt/camt053.v2.with-party-ids.xml", 1, 1, "EUR:8.85:0.00" },
        { "camt053/genkgo+camt/camt053.v2.with-account-name.xml", 1, 1, "EUR:8.85:0.00" },
        { "camt053/genkgo+camt/camt053.v2.multi.statement.xml", 2, 2, "EUR:8.85:7.00" },
        { "ocr-giro/otovo+python-netsgiro/ocr_giro_transactions.txt", 20, 0, "NOK:51449.00:0.00" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Every_sample_imports_with_the_manifest_counts_and_sums(string file, int transactions, int statements, string totals)
    {
        await SetupAsync();
        var r = await ImportFileAsync(file.Split('/'));

        Assert.Equal(transactions, r.Records);
        Assert.Equal(transactions, r.Transactions.Count);
        foreach (var t in totals.Split('|').Select(x => x.Split(':')))
        {
            var ccy = t[0].ToLowerInvariant();
            Assert.Equal((t[1], t[2]), (r.Totals["credit_total_" + ccy], r.Totals["debit_total_" + ccy]));
        }
        Assert.Equal(statements, r.Statements.Count);
        Assert.Equal(r.Summary.Sum(s => s.Count), transactions);     // every transaction has exactly one outcome
        var counts = await CountsAsync();
        Assert.Equal((statements, statements > 0 ? transactions : 0), (counts.Statements, counts.Entries));
        Assert.Equal(r.Created, counts.Payments);
        await AssertLedgerBalancesAsync();
    }

    [Fact]
    public async Task The_camt053_multi_statement_sample_keeps_both_statements_with_their_balances()
    {
        await SetupAsync();
        var r = await ImportFileAsync("camt053", "genkgo+camt", "camt053.v2.multi.statement.xml");

        Assert.Equal([("18.15", "27.00", true), ("27.00", "20.00", true)], r.Statements.Select(s => (s.Opening!, s.Closing!, s.Reconciles == true)));
        Assert.Equal(("8.85", "0.00"), (r.Statements[0].Credits, r.Statements[0].Debits));
        Assert.Equal(("0.00", "7.00"), (r.Statements[1].Credits, r.Statements[1].Debits));
    }

    [Theory]
    [InlineData("avtalegiro_payment_request.txt", 2, "AvtaleGiro assignment of payment claims")]
    [InlineData("avtalegiro_agreements.txt", 2, "AvtaleGiro agreement notifications")]
    public async Task AvtaleGiro_files_hold_no_payments_and_are_refused(string file, int line, string fragment)
    {
        await SetupAsync();
        var e = await Assert.ThrowsAsync<RejectedInputException>(() => ImportFileAsync("ocr-giro", "otovo+python-netsgiro", file));
        Assert.Contains(e.Errors, x => x.File == file && x.Line == line && x.Expected.Contains(fragment, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(0, (await CountsAsync()).Payments);
    }

    public static TheoryData<string, string> DamagedFiles()
    {
        var data = new TheoryData<string, string>();
        foreach (var folder in new[] { "bad-bank-files", Path.Combine("payments", "bad") })
            foreach (var f in Directory.GetFiles(Data(folder)).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
                data.Add(folder, Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(DamagedFiles))]
    public async Task Every_damaged_file_is_rejected_with_located_errors_and_writes_nothing(string folder, string file)
    {
        await SetupAsync();
        await ImportAsync("good.xml", BankFiles.Camt054("GOOD", [new Tx(100m, "GOOD-1") { Kid = "123456782" }]));
        var before = await CountsAsync();

        var e = await Assert.ThrowsAsync<RejectedInputException>(() => ImportFileAsync([.. folder.Split(Path.DirectorySeparatorChar), file]));

        Assert.NotEmpty(e.Errors);
        Assert.All(e.Errors, x =>
        {
            Assert.Equal(file, x.File);
            Assert.True(x.Line >= 1, $"{x} has no line");
            Assert.False(string.IsNullOrWhiteSpace(x.Expected));
        });
        Assert.Equal(before, await CountsAsync());
        await using var db = await OpenAsync();
        Assert.False(await db.Imports.AnyAsync(i => i.FileName == file, Ct));
    }
}
