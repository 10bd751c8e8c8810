using System.Diagnostics;
using System.Globalization;
using System.Xml;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Purr.Core.Formats;
using Purr.Core.Matching;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Creditors;
using Purr.Features.Imports;
using Purr.Features.Payments;

namespace Purr.Bench;

/// <summary>
/// Bank payments at scale, each figure against the raw floor measured in the same process on the same file:
/// camt.054 with 100 000 transactions (a bare XmlReader pass vs parse, parse + match, and the real import into SQLite),
/// the memory of the parse path on a 1 GB camt.054, and an OCR giro file of 1 000 000 records (a bare line pass vs
/// parse and parse + match).
/// </summary>
public sealed class PaymentsBench(string work, int transactions, long bigBytes, int ocrRecords, int repeats, string? postgres)
{
    private readonly List<(string Name, double Seconds, string Note)> _rows = [];

    public async Task RunAsync(bool memory, bool speed, bool ocr)
    {
        Directory.CreateDirectory(work);
        Console.WriteLine($"Purr.Bench payments — {Environment.ProcessorCount} cores, {RuntimeInfo()}, work folder {work}");
        if (memory) Memory();
        if (speed) await CamtSpeedAsync();
        if (ocr) OcrSpeed();
    }

    private static string RuntimeInfo() => $".NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";

    // ---- 1 GB camt.054: memory of the streaming parse path ---------------------------------------------------------
    private void Memory()
    {
        var path = Path.Combine(work, "big.camt054.xml");
        var payments = Generators.Payments(100_000);
        var sw = Stopwatch.StartNew();
        var written = Generators.WriteCamt054(path, payments, 0, batchSize: 100, minBytes: bigBytes, messageId: "BIG");
        var size = new FileInfo(path).Length;
        Console.WriteLine($"generated {path}: {size / 1e6:0} MB, {written:N0} transactions in {sw.Elapsed.TotalSeconds:0.0} s");

        payments = null;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var resetPeak = ResetPeakWorkingSet();
        var before = WorkingSet();
        var bare = Time(() => BareXml(path));
        long maxHeap = 0, count = 0, errors = 0;
        var parse = Time(() =>
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            foreach (var r in BankFileReader.Read(stream, "big.camt054.xml"))
            {
                if (r.IsError) errors++;
                if (++count % 50_000 == 0) maxHeap = Math.Max(maxHeap, GC.GetTotalMemory(false));
            }
            return count;
        });
        var peak = PeakWorkingSet();
        // A second pass measures the live heap (after a full collection) every tenth of the file: flat or growing?
        var live = new List<(long Records, long Bytes)>();
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        {
            long n = 0;
            var step = Math.Max(1, written / 10);
            foreach (var _ in BankFileReader.Read(stream, "big.camt054.xml"))
                if (++n % step == 0) live.Add((n, GC.GetTotalMemory(forceFullCollection: true)));
        }
        Console.WriteLine($"1 GB camt.054, parse path: {count:N0} records, {errors} errors; bare XmlReader {bare.Seconds:0.00} s, parse {parse.Seconds:0.00} s ({parse.Seconds / bare.Seconds:0.00}×)");
        Console.WriteLine($"   working set before {before / 1e6:0} MB; peak during the two timed passes {peak / 1e6:0} MB{(resetPeak ? "" : " (peak since process start: /proc/self/clear_refs not available)")}");
        Console.WriteLine($"   managed heap sampled while parsing (garbage included): max {maxHeap / 1e6:0} MB");
        Console.WriteLine("   live heap after a full collection: " + string.Join(", ", live.Select(l => $"{l.Records / 1000:N0}k → {l.Bytes / 1e6:0} MB")));
        _rows.Add(("camt.054 1 GB: bare XmlReader pass", bare.Seconds, $"{size / 1e6:0} MB, {written:N0} transactions"));
        _rows.Add(("camt.054 1 GB: parse (BankFileReader, streaming)", parse.Seconds,
            $"{parse.Seconds / bare.Seconds:0.00}× bare; peak working set {peak / 1e6:0} MB; live heap {live.First().Bytes / 1e6:0} → {live.Last().Bytes / 1e6:0} MB"));
        File.Delete(path);
    }

    // Linux: writing 5 to /proc/self/clear_refs resets the peak resident set size (VmHWM), so the peak of one step can be read.
    private static bool ResetPeakWorkingSet()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    private static long PeakWorkingSet()
    {
        using var p = Process.GetCurrentProcess();
        p.Refresh();
        return p.PeakWorkingSet64;
    }

    private static long WorkingSet()
    {
        using var p = Process.GetCurrentProcess();
        p.Refresh();
        return p.WorkingSet64;
    }

    // ---- camt.054, 100 000 transactions: parse + match + allocate into SQLite ---------------------------------------
    private async Task CamtSpeedAsync()
    {
        var payments = Generators.Payments(transactions);
        var file = Path.Combine(work, "payments.camt054.xml");
        Generators.WriteCamt054(file, payments, transactions, messageId: "BENCH");
        var small = Path.Combine(work, "warmup.camt054.xml");
        Generators.WriteCamt054(small, payments, 2_000, messageId: "WARM");
        var size = new FileInfo(file).Length;
        Console.WriteLine($"generated {file}: {size / 1e6:0.0} MB, {transactions:N0} transactions");

        var template = Path.Combine(work, "template.db");
        var setup = Stopwatch.StartNew();
        await CreateLedgerAsync(template, payments);
        Console.WriteLine($"ledger: {payments.Select(p => p.CustomerNumber).Distinct().Count():N0} customers, {payments.Count:N0} open invoices with KIDs (setup {setup.Elapsed.TotalSeconds:0.0} s, not measured)");

        var bare = Best(() => BareXml(file));
        var parse = Best(() =>
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return PaymentFile.Read(Path.GetFileName(file), stream, "auto", Purr.Core.Currency.Nok).Transactions.Count;
        });
        var match = Best(() => ParseAndMatch(file, payments));
        var sqlite = new SqliteCopies(template);
        await ImportOnceAsync(sqlite, small, "SQLite warm-up");
        var imports = new List<double>();
        PaymentImportResult? result = null;
        long importPeak = 0;
        for (var i = 0; i < repeats; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            ResetPeakWorkingSet();
            var (seconds, r) = await ImportOnceAsync(sqlite, file, $"SQLite run {i + 1}");
            importPeak = Math.Max(importPeak, PeakWorkingSet());
            imports.Add(seconds);
            result = r;
        }
        List<double>? pgImports = null;
        if (postgres is not null)
        {
            var pg = new PostgresCopies(postgres);
            setup.Restart();
            await CreateLedgerAsync(await pg.CreateTemplateAsync(), payments);
            Console.WriteLine($"PostgreSQL ledger ready (setup {setup.Elapsed.TotalSeconds:0.0} s, not measured)");
            await ImportOnceAsync(pg, small, "PostgreSQL warm-up");
            pgImports = [];
            for (var i = 0; i < repeats; i++) pgImports.Add((await ImportOnceAsync(pg, file, $"PostgreSQL run {i + 1}")).Seconds);
            await pg.DropTemplateAsync();
        }
        var import = imports.Min();
        Console.WriteLine($"camt.054 {transactions:N0} transactions ({size / 1e6:0.0} MB):");
        Console.WriteLine($"   bare XmlReader pass          {bare.Seconds,7:0.000} s   1.00×");
        Console.WriteLine($"   parse (PaymentFile.Read)     {parse.Seconds,7:0.000} s   {parse.Seconds / bare.Seconds:0.00}×");
        Console.WriteLine($"   parse + match (in memory)    {match.Seconds,7:0.000} s   {match.Seconds / bare.Seconds:0.00}×");
        Console.WriteLine($"   import into SQLite (real)    {import,7:0.000} s   {import / bare.Seconds:0.00}×   (runs: {string.Join(", ", imports.Select(x => x.ToString("0.00", CultureInfo.InvariantCulture)))}; peak working set {importPeak / 1e6:0} MB)");
        if (pgImports is not null)
            Console.WriteLine($"   import into PostgreSQL       {pgImports.Min(),7:0.000} s   {pgImports.Min() / bare.Seconds:0.00}×   (runs: {string.Join(", ", pgImports.Select(x => x.ToString("0.00", CultureInfo.InvariantCulture)))})");
        if (result is not null)
            Console.WriteLine("   outcomes: " + string.Join(", ", result.Summary.Select(s => $"{s.Outcome} {s.Count:N0}")));
        _rows.Add(($"camt.054 {transactions / 1000}k: bare XmlReader pass", bare.Seconds, $"{size / 1e6:0} MB"));
        _rows.Add(($"camt.054 {transactions / 1000}k: parse", parse.Seconds, $"{parse.Seconds / bare.Seconds:0.00}× bare"));
        _rows.Add(($"camt.054 {transactions / 1000}k: parse + match", match.Seconds, $"{match.Seconds / bare.Seconds:0.00}× bare"));
        _rows.Add(($"camt.054 {transactions / 1000}k: parse + match + allocate + write (SQLite)", import, $"{import / bare.Seconds:0.00}× bare; peak working set {importPeak / 1e6:0} MB"));
        if (pgImports is not null)
            _rows.Add(($"camt.054 {transactions / 1000}k: parse + match + allocate + write (PostgreSQL)", pgImports.Min(), $"{pgImports.Min() / bare.Seconds:0.00}× bare"));
        File.Delete(small);
    }

    private static async Task CreateLedgerAsync(string spec, IReadOnlyList<BenchPayment> payments)
    {
        if (!PurrDatabase.IsPostgres(spec) && File.Exists(spec)) File.Delete(spec);
        var clock = TimeProvider.System;
        var actor = new Actor("bench");
        long creditor;
        await using (var db = await PurrDatabase.OpenAsync(spec))
            creditor = (await AddCreditor.HandleAsync(db, new AddCreditor.Command("Bench AS", "987654325", "86011117947", null, null, null, null), actor, clock, default)).Id;
        await using (var db = await PurrDatabase.OpenAsync(spec))
            await ImportCustomers.HandleAsync(db, new("customers.csv", Generators.CustomersCsv(payments), creditor), actor, clock, default);
        await using (var db = await PurrDatabase.OpenAsync(spec))
        {
            await ImportInvoices.HandleAsync(db, new("invoices.csv", Generators.InvoicesCsv(payments), creditor), actor, clock, default);
            if (db is SqlitePurrDbContext) await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        }
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>A fresh copy of the prepared ledger for each measured import.</summary>
    private interface IDatabaseCopies
    {
        Task<string> CopyAsync();
        Task DropAsync(string spec);
    }

    private sealed class SqliteCopies(string template) : IDatabaseCopies
    {
        public Task<string> CopyAsync()
        {
            var db = Path.Combine(Path.GetDirectoryName(template)!, $"import-{Guid.NewGuid():N}.db");
            File.Copy(template, db);
            return Task.FromResult(db);
        }

        public Task DropAsync(string spec)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in new[] { spec, spec + "-wal", spec + "-shm" }) if (File.Exists(f)) File.Delete(f);
            return Task.CompletedTask;
        }
    }

    private sealed class PostgresCopies(string server) : IDatabaseCopies
    {
        private readonly string _template = $"purr_bench_tpl_{Guid.NewGuid():N}"[..30];

        private string With(string database) => new NpgsqlConnectionStringBuilder(server) { Database = database, Pooling = false, CommandTimeout = 600 }.ConnectionString;

        public async Task<string> CreateTemplateAsync()
        {
            await ExecAsync($"CREATE DATABASE \"{_template}\"");
            return With(_template);
        }

        public Task DropTemplateAsync() => ExecAsync($"DROP DATABASE IF EXISTS \"{_template}\" WITH (FORCE)");

        public async Task<string> CopyAsync()
        {
            var name = $"purr_bench_{Guid.NewGuid():N}"[..30];
            await ExecAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{_template}\"");
            return With(name);
        }

        public Task DropAsync(string spec) => ExecAsync($"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(spec).Database}\" WITH (FORCE)");

        private async Task ExecAsync(string sql)
        {
            await using var conn = new NpgsqlConnection(With("postgres"));
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand(sql, conn);
            await cmd.ExecuteNonQueryAsync();
        }
    }

    private static async Task<(double Seconds, PaymentImportResult Result)> ImportOnceAsync(IDatabaseCopies copies, string file, string label)
    {
        var spec = await copies.CopyAsync();
        try
        {
            await using var ctx = await PurrDatabase.OpenAsync(spec);
            GC.Collect();
            var sw = Stopwatch.StartNew();
            var r = await ImportPayments.ImportAsync(ctx, new ImportPayments.Command(Path.GetFileName(file), null, null) { Path = file }, new Actor("bench"), TimeProvider.System, default);
            var seconds = sw.Elapsed.TotalSeconds;
            Console.WriteLine($"   import {label}: {seconds:0.000} s, {r.Created:N0} payments");
            return (seconds, r);
        }
        finally
        {
            await copies.DropAsync(spec);
        }
    }

    private static long ParseAndMatch(string file, IReadOnlyList<BenchPayment> payments)
    {
        var index = OpenItems(payments);
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        long matched = 0;
        foreach (var r in BankFileReader.Read(stream, Path.GetFileName(file)))
            if (r.Transaction is { } t && PaymentMatcher.Propose(PaymentToMatch.From(t), index).IsMatched) matched++;
        return matched;
    }

    private static OpenItemIndex OpenItems(IReadOnlyList<BenchPayment> payments) =>
        new(payments.Select((p, i) => new OpenItem(new Purr.Core.InvoiceId(i + 1), p.InvoiceNumber, new Purr.Core.CustomerId(i / 5 + 1),
            Purr.Core.Money.FromMinorUnits(p.InvoiceOre, Purr.Core.Currency.Nok), new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 15))
        { Kid = p.Kid, CustomerName = p.CustomerName }));

    private static long BareXml(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreWhitespace = true });
        long nodes = 0;
        while (reader.Read()) nodes++;
        return nodes;
    }

    // ---- OCR giro, 1 000 000 records -------------------------------------------------------------------------------
    private void OcrSpeed()
    {
        var payments = Generators.Payments(100_000);
        var file = Path.Combine(work, "payments.ocr.txt");
        var n = Generators.WriteOcr(file, payments, ocrRecords);
        var size = new FileInfo(file).Length;
        Console.WriteLine($"generated {file}: {size / 1e6:0.0} MB, {ocrRecords:N0} records, {n:N0} transactions");
        var bare = Best(() =>
        {
            using var r = new StreamReader(file, System.Text.Encoding.Latin1, false, 1 << 16);
            long lines = 0;
            while (r.ReadLine() is not null) lines++;
            return lines;
        });
        var parse = Best(() =>
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            long count = 0;
            foreach (var r in BankFileReader.Read(stream, "payments.ocr.txt")) if (!r.IsError) count++;
            return count;
        });
        var index = OpenItems(payments);
        var match = Best(() =>
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            long matched = 0;
            foreach (var r in BankFileReader.Read(stream, "payments.ocr.txt"))
                if (r.Transaction is { } t && PaymentMatcher.Propose(PaymentToMatch.From(t), index).IsMatched) matched++;
            return matched;
        });
        Console.WriteLine($"OCR giro {ocrRecords:N0} records ({size / 1e6:0.0} MB):");
        Console.WriteLine($"   bare line pass               {bare.Seconds,7:0.000} s   1.00×");
        Console.WriteLine($"   parse (BankFileReader)       {parse.Seconds,7:0.000} s   {parse.Seconds / bare.Seconds:0.00}×");
        Console.WriteLine($"   parse + match (in memory)    {match.Seconds,7:0.000} s   {match.Seconds / bare.Seconds:0.00}×   ({match.Result:N0} matched)");
        _rows.Add(("OCR giro 1M records: bare line pass", bare.Seconds, $"{size / 1e6:0} MB"));
        _rows.Add(("OCR giro 1M records: parse", parse.Seconds, $"{parse.Seconds / bare.Seconds:0.00}× bare"));
        _rows.Add(("OCR giro 1M records: parse + match", match.Seconds, $"{match.Seconds / bare.Seconds:0.00}× bare"));
        File.Delete(file);
    }

    public void Report()
    {
        Console.WriteLine();
        Console.WriteLine("| Measurement | Seconds | Note |");
        Console.WriteLine("|---|---:|---|");
        foreach (var (name, seconds, note) in _rows) Console.WriteLine($"| {name} | {seconds:0.000} | {note} |");
    }

    private (double Seconds, long Result) Best(Func<long> work)
    {
        work();                                            // warm-up: JIT, file cache
        var best = double.MaxValue;
        long result = 0;
        for (var i = 0; i < Math.Max(1, repeats); i++)
        {
            GC.Collect();
            var sw = Stopwatch.StartNew();
            result = work();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return (best, result);
    }

    private static (double Seconds, long Result) Time(Func<long> work)
    {
        var sw = Stopwatch.StartNew();
        var result = work();
        return (sw.Elapsed.TotalSeconds, result);
    }
}
