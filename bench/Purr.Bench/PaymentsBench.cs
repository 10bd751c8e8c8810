using System.Diagnostics;
using System.Globalization;
using System.Xml;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Purr.Core.Formats;
using Purr.Core.Ledger;
using Purr.Core.Matching;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Creditors;
using Purr.Features.Imports;
using Purr.Features.Payments;

namespace Purr.Bench;

/// <summary>
/// Bank payments at scale, each figure against a raw floor measured in the same process on the same file:
/// <list type="bullet">
/// <item>camt.054 with 100 000 transactions: a bare XmlReader pass vs our parse, and vs parse + match + allocate (the
/// Purr.Core pieces the import runs: reader, <see cref="PaymentMatcher"/>, <see cref="AllocationRules"/>, in memory); the
/// real import into SQLite vs a raw floor that writes the same rows per transaction with prepared SQL;</item>
/// <item>the real import of a 1 GB camt.054 into SQLite: peak working set and GC heap, sampled while it runs;</item>
/// <item>an OCR giro file of 1 000 000 records: a bare line pass vs parse, and vs parse + match + allocate.</item>
/// </list>
/// </summary>
public sealed class PaymentsBench(string work, int transactions, long bigBytes, int ocrRecords, int repeats, string? postgres)
{
    private readonly List<(string Name, double Seconds, string Note)> _rows = [];
    private string? _template;
    private List<BenchPayment>? _ledger;

    public async Task RunAsync(bool memory, bool speed, bool ocr)
    {
        Directory.CreateDirectory(work);
        Console.WriteLine($"Purr.Bench payments — {Environment.ProcessorCount} cores, {RuntimeInfo()}, work folder {work}");
        if (speed) await CamtSpeedAsync();
        if (memory) await MemoryAsync();
        if (ocr) OcrSpeed();
        if (_template is not null) File.Delete(_template);
    }

    private static string RuntimeInfo() => $".NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";

    // The ledger every import runs against: 20 000 customers with 100 000 open invoices (KIDs), built once with the real
    // customer and invoice imports (not measured) and copied for each measured import.
    private async Task<(string Template, List<BenchPayment> Payments)> LedgerAsync()
    {
        if (_template is not null) return (_template, _ledger!);
        _ledger = Generators.Payments(Math.Max(transactions, 1000));
        _template = Path.Combine(work, "template.db");
        var setup = Stopwatch.StartNew();
        await CreateLedgerAsync(_template, _ledger);
        Console.WriteLine($"ledger: {_ledger.Select(p => p.CustomerNumber).Distinct().Count():N0} customers, {_ledger.Count:N0} open invoices with KIDs (setup {setup.Elapsed.TotalSeconds:0.0} s, not measured)");
        return (_template, _ledger);
    }

    // ---- 1 GB camt.054: memory of the real import ------------------------------------------------------------------
    private async Task MemoryAsync()
    {
        var (template, ledger) = await LedgerAsync();
        var path = Path.Combine(work, "big.camt054.xml");
        var sw = Stopwatch.StartNew();
        var written = Generators.WriteCamt054(path, ledger, 0, batchSize: 100, minBytes: bigBytes, messageId: "BIG");
        var size = new FileInfo(path).Length;
        Console.WriteLine($"generated {path}: {size / 1e6:0} MB, {written:N0} transactions in {sw.Elapsed.TotalSeconds:0.0} s");
        var small = Path.Combine(work, "small.camt054.xml");
        var smallCount = Generators.WriteCamt054(small, ledger, Math.Min(transactions, 100_000), messageId: "SMALL");

        // The real command in its own process (`purr import payments FILE --db DB --json`): its peak resident set is the
        // product's, not this benchmark's (which holds the generated ledger).
        // And the same 1 GB as one camt.053 statement: its entries are stored for reconciliation too.
        var statement = Path.Combine(work, "big.camt053.xml");
        var statementCount = Generators.WriteCamt053(statement, ledger, 0, batchSize: 100, minBytes: bigBytes, messageId: "BIGSTMT");

        var copies = new SqliteCopies(template);
        foreach (var (file, count) in new[] { (small, smallCount), (path, written), (statement, statementCount) })
        {
            var spec = await copies.CopyAsync();
            try
            {
                var run = await CliMemory.RunAsync(["import", "payments", file, "--db", spec, "--json"]);
                using var json = System.Text.Json.JsonDocument.Parse(run.Stdout);
                var created = json.RootElement.GetProperty("created").GetInt32();
                var kind = file == statement ? "camt.053" : "camt.054";
                var label = $"{kind} {new FileInfo(file).Length / 1e6:0} MB ({count:N0} transactions): `purr import payments` into SQLite";
                Console.WriteLine($"{label}: {run.Seconds:0.0} s, {created:N0} payments; peak resident set {run.PeakRss / 1e6:0} MB " +
                    $"(resident set at 25/50/75/100 % of the run: {string.Join(" / ", run.Quartiles.Select(q => (q / 1e6).ToString("0", CultureInfo.InvariantCulture)))} MB)");
                _rows.Add((label, run.Seconds, $"peak resident set {run.PeakRss / 1e6:0} MB"));
            }
            finally
            {
                await copies.DropAsync(spec);
            }
        }
        File.Delete(path);
        File.Delete(small);
        File.Delete(statement);
    }

    /// <summary>
    /// Runs the real CLI (<c>dotnet Purr.Cli.dll ARGS</c>, built with the bench) and samples its resident set every 20 ms
    /// from /proc: VmHWM is the kernel's own peak, so the last reading before exit is the peak of the whole run.
    /// </summary>
    private static class CliMemory
    {
        public sealed record Run(double Seconds, long PeakRss, long[] Quartiles, string Stdout);

        public static async Task<Run> RunAsync(string[] args)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(CliPath());
            foreach (var a in args) start.ArgumentList.Add(a);
            var sw = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            var samples = new List<long>();
            long peak = 0;
            while (!process.HasExited)
            {
                try
                {
                    foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
                    {
                        if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = Math.Max(peak, Kb(line));
                        else if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) samples.Add(Kb(line));
                    }
                }
                catch (IOException) { }                 // exited between the check and the read
                await Task.Delay(20);
            }
            await process.WaitForExitAsync();
            var seconds = sw.Elapsed.TotalSeconds;
            if (process.ExitCode != 0) throw new InvalidOperationException($"purr {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}");
            long At(double f) => samples.Count == 0 ? 0 : samples[Math.Min(samples.Count - 1, (int)(f * samples.Count))];
            return new Run(seconds, peak, [At(0.25), At(0.5), At(0.75), samples.LastOrDefault()], await stdout);
        }

        private static long Kb(string line) => long.Parse(line.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;

        // src/Purr.Cli/bin/<configuration>/net10.0/Purr.Cli.dll next to this bench's own output folder.
        private static string CliPath()
        {
            var bin = new DirectoryInfo(AppContext.BaseDirectory);                        // bench/Purr.Bench/bin/Release/net10.0/
            var root = bin.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;               // the repository
            var path = Path.Combine(root, "src", "Purr.Cli", "bin", bin.Parent!.Name, bin.Name, "Purr.Cli.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("build the CLI first (dotnet build -c Release)", path);
        }
    }

    // ---- camt.054, 100 000 transactions: parse + match + allocate, and the real import ------------------------------
    private async Task CamtSpeedAsync()
    {
        var (template, ledger) = await LedgerAsync();
        var file = Path.Combine(work, "payments.camt054.xml");
        Generators.WriteCamt054(file, ledger, transactions, messageId: "BENCH");
        var small = Path.Combine(work, "warmup.camt054.xml");
        Generators.WriteCamt054(small, ledger, 2_000, messageId: "WARM");
        var size = new FileInfo(file).Length;
        Console.WriteLine($"generated {file}: {size / 1e6:0.0} MB, {transactions:N0} transactions");

        var bare = Best(() => BareXml(file));
        var parse = Best(() =>
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return BankFileReader.Read(stream, Path.GetFileName(file)).Count(r => !r.IsError);
        });
        var state = new PipelineState(ledger);
        var pipeline = Best(() => ParseMatchAllocate(file, state), state.Reset);
        Console.WriteLine($"   in memory: bare pass {bare.Seconds:0.000} s, parse {parse.Seconds / bare.Seconds:0.00}×, parse + match + allocate {pipeline.Seconds / bare.Seconds:0.00}×");

        var sqlite = new SqliteCopies(template);
        await ImportOnceAsync(sqlite, small, "SQLite warm-up");
        await FloorOnceAsync(sqlite, small, "SQLite warm-up");
        var imports = new List<double>();
        var floors = new List<double>();
        PaymentImportResult? result = null;
        long importPeak = 0;
        for (var i = 0; i < repeats; i++)
        {
            // Alternate which side goes first: the machine's load drifts.
            if (i % 2 == 1) floors.Add(await FloorOnceAsync(sqlite, file, $"SQLite run {i + 1}"));
            using (var sampler = new MemorySampler())
            {
                var (seconds, r) = await ImportOnceAsync(sqlite, file, $"SQLite run {i + 1}");
                sampler.Stop();
                importPeak = Math.Max(importPeak, sampler.PeakWorkingSet);
                imports.Add(seconds);
                result = r;
            }
            if (i % 2 == 0) floors.Add(await FloorOnceAsync(sqlite, file, $"SQLite run {i + 1}"));
        }
        List<double>? pgImports = null;
        if (postgres is not null)
        {
            var pg = new PostgresCopies(postgres);
            var setup = Stopwatch.StartNew();
            await CreateLedgerAsync(await pg.CreateTemplateAsync(), ledger);
            Console.WriteLine($"PostgreSQL ledger ready (setup {setup.Elapsed.TotalSeconds:0.0} s, not measured)");
            await ImportOnceAsync(pg, small, "PostgreSQL warm-up");
            pgImports = [];
            for (var i = 0; i < repeats; i++) pgImports.Add((await ImportOnceAsync(pg, file, $"PostgreSQL run {i + 1}")).Seconds);
            await pg.DropTemplateAsync();
        }
        var import = imports.Min();
        var floor = floors.Min();
        static string Runs(List<double> xs) => string.Join(", ", xs.Select(x => x.ToString("0.00", CultureInfo.InvariantCulture)));
        Console.WriteLine($"camt.054 {transactions:N0} transactions ({size / 1e6:0.0} MB):");
        Console.WriteLine($"   bare XmlReader pass                      {bare.Seconds,7:0.000} s   1.00×");
        Console.WriteLine($"   parse (BankFileReader)                   {parse.Seconds,7:0.000} s   {parse.Seconds / bare.Seconds:0.00}×");
        Console.WriteLine($"   parse + match + allocate (in memory)     {pipeline.Seconds,7:0.000} s   {pipeline.Seconds / bare.Seconds:0.00}×   ({pipeline.Result:N0} allocated)");
        Console.WriteLine($"   raw SQLite floor (same rows, prepared)   {floor,7:0.000} s   (runs: {Runs(floors)})");
        Console.WriteLine($"   real import into SQLite                  {import,7:0.000} s   {import / floor:0.00}× the raw floor   (runs: {Runs(imports)}; peak working set {importPeak / 1e6:0} MB)");
        if (pgImports is not null)
            Console.WriteLine($"   real import into PostgreSQL              {pgImports.Min(),7:0.000} s   (runs: {Runs(pgImports)})");
        if (result is not null)
            Console.WriteLine("   outcomes: " + string.Join(", ", result.Summary.Select(s => $"{s.Outcome} {s.Count:N0}")));
        _rows.Add(($"camt.054 {transactions / 1000}k: bare XmlReader pass", bare.Seconds, $"{size / 1e6:0} MB"));
        _rows.Add(($"camt.054 {transactions / 1000}k: parse", parse.Seconds, $"{parse.Seconds / bare.Seconds:0.00}× bare"));
        _rows.Add(($"camt.054 {transactions / 1000}k: parse + match + allocate (Purr.Core, in memory)", pipeline.Seconds, $"{pipeline.Seconds / bare.Seconds:0.00}× bare"));
        _rows.Add(($"camt.054 {transactions / 1000}k: raw SQLite floor (bare parse, KID look-up, same rows by prepared SQL)", floor, $"{floor / bare.Seconds:0.00}× bare"));
        _rows.Add(($"camt.054 {transactions / 1000}k: real import into SQLite", import, $"{import / floor:0.00}× the raw floor; {import / bare.Seconds:0.0}× bare; peak working set {importPeak / 1e6:0} MB"));
        if (pgImports is not null)
            _rows.Add(($"camt.054 {transactions / 1000}k: real import into PostgreSQL", pgImports.Min(), $"{pgImports.Min() / bare.Seconds:0.0}× bare"));
        File.Delete(small);
        File.Delete(file);
    }

    /// <summary>
    /// The ledger as the import holds it once per file (built before the timed part, like the import's one-off load of
    /// the open items): the open-item index the matcher looks up, and each customer's open invoices for the allocation.
    /// </summary>
    private sealed class PipelineState(IReadOnlyList<BenchPayment> ledger)
    {
        public OpenItemIndex Index { get; private set; } = OpenItems(ledger);
        public Dictionary<long, List<OpenInvoice>> Open { get; private set; } = [];

        public void Reset()
        {
            Index = OpenItems(ledger);
            Open = ledger.Select((p, i) => (Customer: i / 5 + 1, Invoice: new OpenInvoice(i + 1, p.InvoiceNumber, new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 15),
                    Purr.Core.Money.FromMinorUnits(p.InvoiceOre, Purr.Core.Currency.Nok))))
                .GroupBy(x => x.Customer).ToDictionary(g => (long)g.Key, g => g.Select(x => x.Invoice).ToList());
        }
    }

    /// <summary>
    /// What the import computes per transaction, without the database: the reader, the matcher (KID, invoice number,
    /// amount + payer) over the open items, and the allocation rules over the matched customer's open invoices, which
    /// then shrink.
    /// </summary>
    private static long ParseMatchAllocate(string file, PipelineState state)
    {
        var (index, open) = (state.Index, state.Open);
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        long allocated = 0;
        foreach (var r in BankFileReader.Read(stream, Path.GetFileName(file)))
        {
            if (r.Transaction is not { } t) continue;
            var proposal = PaymentMatcher.Propose(PaymentToMatch.From(t), index);
            if (!proposal.IsMatched) continue;
            var invoices = open[proposal.Customer!.Value.Value];
            var result = AllocationRules.Apply(t.Amount, invoices, proposal.Invoices[0].InvoiceId.Value);
            foreach (var line in result.Lines)
            {
                var at = invoices.FindIndex(i => i.Id == line.InvoiceId);
                var left = invoices[at].Open - line.Amount;
                if (left.IsZero) invoices.RemoveAt(at);
                else invoices[at] = invoices[at] with { Open = left };
                allocated++;
            }
        }
        return allocated;
    }

    /// <summary>
    /// The raw floor of the import's database work: a bare XmlReader pass picking the reference, amount, payer and KID of
    /// each TxDtls, a KID look-up in a dictionary of the open invoices (loaded with one SELECT), and per transaction the
    /// rows the import writes — the payment, its history line, and for a KID match the allocation, the invoice's history
    /// line and the invoice's new open amount — by prepared statements in one transaction.
    /// </summary>
    private static async Task<double> FloorOnceAsync(IDatabaseCopies copies, string file, string label)
    {
        var spec = await copies.CopyAsync();
        try
        {
            // The product's connection settings (pragmas), so the floor compares code, not configuration.
            await using var ctx = await PurrDatabase.OpenAsync(spec);
            await ctx.Database.OpenConnectionAsync();
            var conn = (Microsoft.Data.Sqlite.SqliteConnection)ctx.Database.GetDbConnection();
            GC.Collect();
            var sw = Stopwatch.StartNew();
            var rows = RawFloor(conn, file);
            var seconds = sw.Elapsed.TotalSeconds;
            Console.WriteLine($"   floor  {label}: {seconds:0.000} s, {rows:N0} rows");
            return seconds;
        }
        finally
        {
            await copies.DropAsync(spec);
        }
    }

    private static long RawFloor(Microsoft.Data.Sqlite.SqliteConnection conn, string file)
    {
        using var tx = conn.BeginTransaction();
        Microsoft.Data.Sqlite.SqliteCommand Prepared(string sql, int parameters)
        {
            var c = conn.CreateCommand();
            c.Transaction = tx;
            c.CommandText = sql;
            for (var i = 0; i < parameters; i++) c.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("@p" + i, null));
            c.Prepare();
            return c;
        }
        long creditor;
        var open = new Dictionary<string, (long Id, long Open)>(StringComparer.Ordinal);
        using (var q = conn.CreateCommand())
        {
            q.Transaction = tx;
            q.CommandText = "SELECT id FROM creditors LIMIT 1";
            creditor = (long)q.ExecuteScalar()!;
            q.CommandText = "SELECT id, kid, open FROM invoices WHERE open > 0 AND kid IS NOT NULL";
            using var reader = q.ExecuteReader();
            while (reader.Read()) open[reader.GetString(1)] = (reader.GetInt64(0), reader.GetInt64(2));
        }
        long import;
        using (var q = conn.CreateCommand())
        {
            q.Transaction = tx;
            q.CommandText = "INSERT INTO imports (creditor_id, kind, format, file_name, sha256, records, imported_at) VALUES (@c, 'payments', 'camt054', 'floor', 'floor', 0, 0) RETURNING id";
            q.Parameters.AddWithValue("@c", creditor);
            import = (long)q.ExecuteScalar()!;
        }
        using var payment = Prepared("INSERT INTO payments (creditor_id, payment_date, amount, unallocated, currency, kid, bank_reference, payer_name, " +
            "end_to_end_id, source, status, match_method, import_id, created_at) VALUES (@p0, '2026-03-02', @p1, @p2, 'NOK', @p3, @p4, @p5, @p6, 'camt054', @p7, @p8, @p9, 0) RETURNING id", 10);
        using var paymentEvent = Prepared("INSERT INTO payment_events (creditor_id, payment_id, at, actor, kind, text) VALUES (@p0, @p1, 0, 'bench', @p2, @p3)", 4);
        using var allocation = Prepared("INSERT INTO allocations (creditor_id, invoice_id, payment_id, amount, date, reversed, created_at) VALUES (@p0, @p1, @p2, @p3, '2026-03-02', 0, 0)", 4);
        using var claimEvent = Prepared("INSERT INTO claim_events (creditor_id, invoice_id, at, actor, kind, text) VALUES (@p0, @p1, 0, 'bench', 'payment_allocated', @p2)", 3);
        using var invoice = Prepared("UPDATE invoices SET open = @p0 WHERE id = @p1", 2);

        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var xml = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreWhitespace = true });
        string? reference = null, e2e = null, payer = null, kid = null;
        long amount = 0, rows = 0;
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.EndElement && xml.LocalName == "TxDtls")
            {
                var matched = kid is not null && open.TryGetValue(kid, out var inv);
                payment.Parameters[0].Value = creditor;
                payment.Parameters[1].Value = amount;
                var paid = matched ? Math.Min(amount, open[kid!].Open) : 0;
                payment.Parameters[2].Value = amount - paid;
                payment.Parameters[3].Value = (object?)kid ?? DBNull.Value;
                payment.Parameters[4].Value = reference!;
                payment.Parameters[5].Value = (object?)payer ?? DBNull.Value;
                payment.Parameters[6].Value = (object?)e2e ?? DBNull.Value;
                payment.Parameters[7].Value = matched ? "Matched" : "Unmatched";
                payment.Parameters[8].Value = matched ? "kid" : DBNull.Value;
                payment.Parameters[9].Value = import;
                var id = (long)payment.ExecuteScalar()!;
                paymentEvent.Parameters[0].Value = creditor;
                paymentEvent.Parameters[1].Value = id;
                paymentEvent.Parameters[2].Value = matched ? "matched" : "unmatched";
                paymentEvent.Parameters[3].Value = "imported from the file: " + (matched ? "KID " + kid : "not matched");
                paymentEvent.ExecuteNonQuery();
                rows += 2;
                if (matched && paid > 0)
                {
                    var (invoiceId, before) = open[kid!];
                    allocation.Parameters[0].Value = creditor;
                    allocation.Parameters[1].Value = invoiceId;
                    allocation.Parameters[2].Value = id;
                    allocation.Parameters[3].Value = paid;
                    allocation.ExecuteNonQuery();
                    claimEvent.Parameters[0].Value = creditor;
                    claimEvent.Parameters[1].Value = invoiceId;
                    claimEvent.Parameters[2].Value = "payment " + reference + " allocated";
                    claimEvent.ExecuteNonQuery();
                    invoice.Parameters[0].Value = before - paid;
                    invoice.Parameters[1].Value = invoiceId;
                    invoice.ExecuteNonQuery();
                    open[kid!] = (invoiceId, before - paid);
                    rows += 3;
                }
                reference = e2e = payer = kid = null;
                amount = 0;
                continue;
            }
            if (xml.NodeType != XmlNodeType.Element) continue;
            switch (xml.LocalName)
            {
                case "AcctSvcrRef" when xml.Depth > 6: reference = xml.ReadElementContentAsString(); break;
                case "EndToEndId": e2e = xml.ReadElementContentAsString(); break;
                case "Amt" when xml.Depth > 6:
                    amount = (long)(decimal.Parse(xml.ReadElementContentAsString(), CultureInfo.InvariantCulture) * 100);
                    break;
                case "Nm": payer = xml.ReadElementContentAsString(); break;
                case "Ref": kid = xml.ReadElementContentAsString(); break;
            }
        }
        tx.Commit();
        return rows;
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
        var state = new PipelineState(payments);
        var pipeline = Best(() => ParseMatchAllocate(file, state), state.Reset);
        Console.WriteLine($"OCR giro {ocrRecords:N0} records ({size / 1e6:0.0} MB):");
        Console.WriteLine($"   bare line pass               {bare.Seconds,7:0.000} s   1.00×");
        Console.WriteLine($"   parse (BankFileReader)       {parse.Seconds,7:0.000} s   {parse.Seconds / bare.Seconds:0.00}×");
        Console.WriteLine($"   parse + match + allocate     {pipeline.Seconds,7:0.000} s   {pipeline.Seconds / bare.Seconds:0.00}×   ({pipeline.Result:N0} allocated)");
        _rows.Add(("OCR giro 1M records: bare line pass", bare.Seconds, $"{size / 1e6:0} MB"));
        _rows.Add(("OCR giro 1M records: parse", parse.Seconds, $"{parse.Seconds / bare.Seconds:0.00}× bare"));
        _rows.Add(("OCR giro 1M records: parse + match + allocate (Purr.Core, in memory)", pipeline.Seconds, $"{pipeline.Seconds / bare.Seconds:0.00}× bare"));
        File.Delete(file);
    }

    public void Report()
    {
        Console.WriteLine();
        Console.WriteLine("| Measurement | Seconds | Note |");
        Console.WriteLine("|---|---:|---|");
        foreach (var (name, seconds, note) in _rows) Console.WriteLine($"| {name} | {seconds:0.000} | {note} |");
    }

    private (double Seconds, long Result) Best(Func<long> work, Action? before = null)
    {
        before?.Invoke();
        work();                                            // warm-up: JIT, file cache
        var best = double.MaxValue;
        long result = 0;
        for (var i = 0; i < Math.Max(1, repeats); i++)
        {
            before?.Invoke();                              // not timed
            GC.Collect();
            var sw = Stopwatch.StartNew();
            result = work();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return (best, result);
    }
}
