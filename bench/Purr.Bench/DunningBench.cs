using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Purr.Core.Dunning;
using Purr.Core.Rules.Norway;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Dunning;

namespace Purr.Bench;

/// <summary>
/// The daily dunning run on a large SQLite ledger, against its raw floor: the same selection and the same inserts
/// written by hand as prepared SQL, with values computed trivially (no policy). Both run in this process on two
/// identical copies of one generated database file; the ratio our/floor is printed.
/// </summary>
/// <remarks>
/// Data set: one creditor, <c>--customers</c> customers, <c>--invoices</c> open invoices spread at random over them;
/// <c>--overdue</c> percent are 20–60 days past due (the default plan's first step, a purring, is due), the rest fall
/// due today or later. A few overdue claims are held (an invoice stop on 0.5 % of them, a deferral on 0.1 % of the
/// customers) so that both sides read holds and move held claims to their list without a step.
/// </remarks>
public static class DunningBench
{
    private static readonly DateOnly Today = new(2026, 11, 23);
    private static readonly DateTimeOffset Stamp = new(2026, 11, 23, 5, 0, 0, TimeSpan.Zero);
    private const int ChunkSize = 2000; // the applicator's default chunk: whole customers, one transaction each
    private static string Synchronous = "NORMAL"; // replaced by the product's setting before anything is measured
    private static string CacheSize = "-2000";    // likewise

    public static async Task<int> RunAsync(string[] args)
    {
        int invoices = 1_000_000, customers = 200_000, rounds = 1;
        double overduePercent = 10;
        string dir = Path.Combine(Path.GetTempPath(), "purr-bench");
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--invoices": invoices = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--customers": customers = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--overdue": overduePercent = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--dir": dir = Next(); break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}; options: --invoices N --customers N --overdue PERCENT --rounds N --dir PATH");
                    return 2;
            }
        }
        Directory.CreateDirectory(dir);
        Console.WriteLine($"dunning run benchmark: {invoices:N0} open invoices, {customers:N0} customers, {overduePercent}% overdue, SQLite, today {Today:yyyy-MM-dd}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");

        // Warm-up on a small copy: JIT, the EF model and SQLite's code paths, so that neither side pays them below.
        var small = await GenerateAsync(Path.Combine(dir, "warmup.db"), Math.Max(1, customers / 100), Math.Max(1, invoices / 100), overduePercent);

        // The floor runs with the settings the product's own connections end up with (PurrDatabase sets some pragmas on
        // the connection that migrates; EF opens a fresh connection afterwards): measure code, not configuration.
        await using (var probe = await PurrDatabase.OpenAsync(small.Path))
        {
            await probe.Database.OpenConnectionAsync();
            string Pragma(string name)
            {
                using var cmd = probe.Database.GetDbConnection().CreateCommand();
                cmd.CommandText = "PRAGMA " + name;
                return Convert.ToString(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "";
            }
            Synchronous = Pragma("synchronous");
            CacheSize = Pragma("cache_size");
            Console.WriteLine($"the product's connection (used by the floor too): journal_mode={Pragma("journal_mode")}, synchronous={Synchronous}, foreign_keys={Pragma("foreign_keys")}, cache_size={Pragma("cache_size")}");
        }

        await FloorAsync(Copy(small.Path, Path.Combine(dir, "warmup-floor.db")), small.CreditorId);
        await OursAsync(Copy(small.Path, Path.Combine(dir, "warmup-ours.db")), small.CreditorId);

        var gen = Stopwatch.StartNew();
        var data = await GenerateAsync(Path.Combine(dir, "seed.db"), customers, invoices, overduePercent);
        Console.WriteLine($"generated in {gen.Elapsed.TotalSeconds:F1} s: {data.Overdue:N0} overdue claims, {data.Held:N0} of them held; file {new FileInfo(data.Path).Length / (1 << 20)} MiB");

        List<double> ratios = [], cpuRatios = [];
        var same = true;
        for (var r = 1; r <= rounds; r++)
        {
            var floorPath = Copy(data.Path, Path.Combine(dir, "floor.db"));
            var oursPath = Copy(data.Path, Path.Combine(dir, "ours.db"));
            // Alternate which side goes first, so that neither always meets a warmer or colder page cache.
            Measured floor, ours;
            if (r % 2 == 1)
            {
                floor = await MeasureAsync(() => FloorAsync(floorPath, data.CreditorId));
                ours = await MeasureAsync(() => OursAsync(oursPath, data.CreditorId));
            }
            else
            {
                ours = await MeasureAsync(() => OursAsync(oursPath, data.CreditorId));
                floor = await MeasureAsync(() => FloorAsync(floorPath, data.CreditorId));
            }
            var wf = Written.Read(floorPath);
            var wo = Written.Read(oursPath);
            Console.WriteLine();
            Console.WriteLine($"round {r}:");
            Print("raw floor (prepared SQL)", floor, wf);
            Print("our run (RunDunning)", ours, wo);
            var ratio = ours.Elapsed.TotalSeconds / floor.Elapsed.TotalSeconds;
            ratios.Add(ratio);
            cpuRatios.Add(ours.Cpu.TotalSeconds / floor.Cpu.TotalSeconds);
            Console.WriteLine($"  same rows written: {(wf.SameAs(wo) ? "yes" : "NO: " + wf + " vs " + wo)}");
            same &= wf.SameAs(wo);
            Console.WriteLine($"  ratio our/floor: {ratio:F2} wall clock, {cpuRatios[^1]:F2} CPU time");
        }
        ratios.Sort();
        cpuRatios.Sort();
        Console.WriteLine();
        Console.WriteLine($"ratio our/floor, median of {rounds} round(s): {ratios[ratios.Count / 2]:F2} wall clock, {cpuRatios[cpuRatios.Count / 2]:F2} CPU time (target ≤ 2.00)");
        return same ? 0 : 1; // a benchmark, not a timed test: only different rows fail it
    }

    private static void Print(string name, Measured m, Written w) =>
        Console.WriteLine($"  {name,-26} {m.Elapsed.TotalSeconds,7:F2} s (CPU {m.Cpu.TotalSeconds:F2} s)   rows {w.Total,9:N0} (notices {w.Notices:N0}, letters {w.Letters:N0}, charges {w.Charges:N0}, " +
            $"events {w.Events:N0}, invoices listed {w.Listed:N0}, runs {w.Runs:N0})   peak GC heap {m.PeakGcHeap / (1 << 20):N0} MiB, " +
            $"peak working set {m.PeakWorkingSet / (1 << 20):N0} MiB, allocated {m.Allocated / (1 << 20):N0} MiB");

    // ---------------------------------------------------------------------------------------------------------------
    // Our run: the real handler, as `purr run` calls it.

    private static async Task<int> OursAsync(string path, long creditorId)
    {
        await using var db = await PurrDatabase.OpenAsync(path);
        var result = await RunDunning.HandleAsync(db, new RunDunning.Command(creditorId, Today), Actor.System, TimeProvider.System, CancellationToken.None);
        return result.Steps;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The raw floor: the same selection and the same rows, by hand.

    private sealed record FloorClaim(long Id, long CustomerId, long Open, string Currency, string? List, string Channel, int Steps);

    private static Task<int> FloorAsync(string path, long creditorId)
    {
        using var conn = Open(path);
        var now = ToProvider(DateTimeOffset.UtcNow);
        var fee = CollectionFeeTable.Norway.LegalMaximum(StepKind.Reminder, Today)!.Amount.ToMinorUnits();
        var deadline = Today.AddDays(14);
        var closed = ListCodes.Of(DunningList.Closed);
        var reminder1 = ListCodes.Of(DunningList.Reminder1);

        long runId;
        using (var cmd = Command(conn, null, "INSERT INTO dunning_runs (creditor_id, today, mode, status, steps, letters, actor, started_at) VALUES ($c, $t, 'automatic', 'Running', 0, 0, 'system', $at) RETURNING id", "$c", "$t", "$at"))
        {
            Bind(cmd, creditorId, Today, now);
            runId = (long)cmd.ExecuteScalar()!;
        }

        // Holds: one small query; an invoice's own hold wins over its customer's.
        var invoiceHold = new Dictionary<long, string>();
        var customerHold = new Dictionary<long, string>();
        using (var cmd = Command(conn, null, "SELECT invoice_id, customer_id, type FROM dunning_holds WHERE creditor_id = $c AND \"from\" <= $t AND (until IS NULL OR until >= $t)", "$c", "$t"))
        {
            Bind(cmd, creditorId, Today);
            using var rd = cmd.ExecuteReader();
            while (rd.Read())
            {
                var list = rd.GetString(2) switch { "Dispute" => "disputed", "Stop" => "stopped", _ => "deferred" };
                if (!rd.IsDBNull(0)) invoiceHold[rd.GetInt64(0)] = list;
                else if (!rd.IsDBNull(1)) customerHold[rd.GetInt64(1)] = list;
            }
        }

        // Overdue open claims (and claims still in a list), with their customer and how many steps they have had.
        var claims = new List<FloorClaim>();
        using (var cmd = Command(conn, null, """
            SELECT i.id, i.customer_id, i.open, i.currency, i.dunning_list, c.preferred_channel,
                   (SELECT count(*) FROM notices n WHERE n.invoice_id = i.id)
            FROM invoices i JOIN customers c ON c.id = i.customer_id
            WHERE i.creditor_id = $c AND i.kind <> 'CreditNote' AND i.due_date IS NOT NULL
              AND ((i.open > 0 AND i.due_date < $t) OR (i.dunning_list IS NOT NULL AND i.dunning_list <> $closed))
            """, "$c", "$t", "$closed"))
        {
            Bind(cmd, creditorId, Today, closed);
            using var rd = cmd.ExecuteReader();
            while (rd.Read())
                claims.Add(new FloorClaim(rd.GetInt64(0), rd.GetInt64(1), rd.GetInt64(2), rd.GetString(3), rd.IsDBNull(4) ? null : rd.GetString(4), rd.GetString(5), rd.GetInt32(6)));
        }

        using var letter = Command(conn, null, """
            INSERT INTO letters (creditor_id, customer_id, group_key, kind, template, channel, language, letter_date, deadline, principal, fees, interest, currency, status, run_id, created_at)
            VALUES ($c, $cu, $g, 'reminder', 'reminder', $ch, 'nb', $d, $dl, $p, $f, 0, $cur, 'Queued', $r, $at) RETURNING id
            """, "$c", "$cu", "$g", "$ch", "$d", "$dl", "$p", "$f", "$cur", "$r", "$at");
        using var notice = Command(conn, null, """
            INSERT INTO notices (creditor_id, invoice_id, customer_id, step_index, kind, plan_code, sent_on, deadline, fee, outstanding, currency, letter_id, run_id, manual, created_at)
            VALUES ($c, $i, $cu, $s, 'reminder', 'standard_no', $d, $dl, $f, $o, $cur, $l, $r, 0, $at)
            """, "$c", "$i", "$cu", "$s", "$d", "$dl", "$f", "$o", "$cur", "$l", "$r", "$at");
        using var charge = Command(conn, null, """
            INSERT INTO charges (creditor_id, invoice_id, kind, amount, open, currency, date, text, actor, created_at)
            VALUES ($c, $i, 'ReminderFee', $f, $f, $cur, $d, $tx, 'system', $at)
            """, "$c", "$i", "$f", "$cur", "$d", "$tx", "$at");
        using var evt = Command(conn, null, """
            INSERT INTO claim_events (creditor_id, customer_id, invoice_id, at, actor, kind, text) VALUES ($c, $cu, $i, $at, 'system', 'step_reminder', $tx)
            """, "$c", "$cu", "$i", "$at", "$tx");
        using var move = Command(conn, null, "UPDATE invoices SET dunning_list = $l, list_entered_on = $d WHERE id = $i", "$l", "$d", "$i");
        SqliteCommand[] all = [letter, notice, charge, evt, move];
        foreach (var c in all) c.Prepare();

        int steps = 0, letters = 0;
        var feeText = (fee / 100m).ToString("0.00", CultureInfo.InvariantCulture);
        foreach (var chunk in Chunks(claims))
        {
            using var tx = conn.BeginTransaction();
            foreach (var c in all) c.Transaction = tx;
            foreach (var cl in chunk)
            {
                var held = invoiceHold.GetValueOrDefault(cl.Id) ?? customerHold.GetValueOrDefault(cl.CustomerId);
                var list = held ?? reminder1;
                if (list != cl.List)
                {
                    Bind(move, list, Today, cl.Id);
                    move.ExecuteNonQuery();
                }
                if (held is not null || cl.Steps > 0) continue;
                Bind(letter, creditorId, cl.CustomerId, $"customer:{cl.CustomerId}/claim:{cl.Id}/reminder/reminder", cl.Channel, Today, deadline, cl.Open, fee, cl.Currency, runId, now);
                var letterId = (long)letter.ExecuteScalar()!;
                letters++;
                Bind(notice, creditorId, cl.Id, cl.CustomerId, 0, Today, deadline, fee, cl.Open, cl.Currency, letterId, runId, now);
                notice.ExecuteNonQuery();
                Bind(charge, creditorId, cl.Id, fee, cl.Currency, Today, $"purring {Today:dd.MM.yyyy}", now);
                charge.ExecuteNonQuery();
                var open = (cl.Open / 100m).ToString("0.00", CultureInfo.InvariantCulture);
                Bind(evt, creditorId, cl.CustomerId, cl.Id, now, $"purring (step 1, plan standard_no): outstanding {open}, fee {feeText}, deadline {deadline:yyyy-MM-dd}");
                evt.ExecuteNonQuery();
                steps++;
            }
            tx.Commit();
        }
        using (var cmd = Command(conn, null, "UPDATE dunning_runs SET status = 'Completed', steps = $s, letters = $l, finished_at = $at WHERE id = $id", "$s", "$l", "$at", "$id"))
        {
            Bind(cmd, steps, letters, ToProvider(DateTimeOffset.UtcNow), runId);
            cmd.ExecuteNonQuery();
        }
        return Task.FromResult(steps);
    }

    /// <summary>Chunks of about <see cref="ChunkSize"/> claims that never split a customer, as the applicator makes them.</summary>
    private static IEnumerable<List<FloorClaim>> Chunks(List<FloorClaim> claims)
    {
        var chunk = new List<FloorClaim>();
        foreach (var group in claims.GroupBy(c => c.CustomerId).OrderBy(g => g.Key))
        {
            if (chunk.Count > 0 && chunk.Count + group.Count() > ChunkSize) { yield return chunk; chunk = []; }
            chunk.AddRange(group.OrderBy(c => c.Id));
        }
        if (chunk.Count > 0) yield return chunk;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The data set.

    private sealed record DataSet(string Path, long CreditorId, int Overdue, int Held);

    private static async Task<DataSet> GenerateAsync(string path, int customers, int invoices, double overduePercent)
    {
        Delete(path);
        long creditorId;
        await using (var db = await PurrDatabase.OpenAsync(path))
        {
            var creditor = new Creditor { Name = "Benk AS", OrganizationNumber = "987654325", AccountNumber = "12345678903", CreatedAt = Stamp };
            db.Creditors.Add(creditor);
            await db.SaveChangesAsync();
            creditorId = creditor.Id;
        }
        var rng = new Random(20261123);
        var at = ToProvider(Stamp);
        using var conn = Open(path);
        using (var cache = Command(conn, null, "PRAGMA cache_size=-524288")) cache.ExecuteNonQuery(); // generation only: 512 MiB
        using var tx = conn.BeginTransaction();
        var deferred = new HashSet<long>();
        using (var cmd = Command(conn, tx, """
            INSERT INTO customers (id, creditor_id, customer_number, name, kind, priority, language, preferred_channel, country, created_at, updated_at)
            VALUES ($id, $c, $no, $name, $kind, 0, 'nb', $ch, 'NO', $at, $at)
            """, "$id", "$c", "$no", "$name", "$kind", "$ch", "$at"))
        {
            cmd.Prepare();
            for (long id = 1; id <= customers; id++)
            {
                var business = rng.Next(4) == 0;
                Bind(cmd, id, creditorId, id.ToString("D7", CultureInfo.InvariantCulture), (business ? "Kunde AS " : "Kari Nordmann ") + id.ToString(CultureInfo.InvariantCulture),
                    business ? "Business" : "Private", rng.Next(3) == 0 ? "letter" : "email", at);
                cmd.ExecuteNonQuery();
                if (rng.Next(1000) == 0) deferred.Add(id);
            }
        }
        int overdue = 0, held = 0;
        var stopped = new List<(long Invoice, long Customer)>();
        using (var cmd = Command(conn, tx, """
            INSERT INTO invoices (id, creditor_id, customer_id, number, number_key, kind, issue_date, due_date, amount, open, currency, created_at)
            VALUES ($id, $c, $cu, $no, '=' || $no, 'Invoice', $issue, $due, $a, $a, 'NOK', $at)
            """, "$id", "$c", "$cu", "$no", "$issue", "$due", "$a", "$at"))
        {
            cmd.Prepare();
            for (long id = 1; id <= invoices; id++)
            {
                var customer = (long)rng.Next(1, customers + 1);
                var isOverdue = rng.NextDouble() * 100 < overduePercent;
                var due = isOverdue ? Today.AddDays(-rng.Next(20, 61)) : Today.AddDays(rng.Next(0, 61));
                var amount = rng.NextInt64(10_000, 5_000_000);
                Bind(cmd, id, creditorId, customer, "F" + id.ToString("D8", CultureInfo.InvariantCulture), due.AddDays(-14), due, amount, at);
                cmd.ExecuteNonQuery();
                if (!isOverdue) continue;
                overdue++;
                var stop = rng.Next(200) == 0;
                if (stop) stopped.Add((id, customer));
                if (stop || deferred.Contains(customer)) held++;
            }
        }
        using (var cmd = Command(conn, tx, """
            INSERT INTO dunning_holds (creditor_id, type, invoice_id, customer_id, "from", until, reason, created_by, created_at)
            VALUES ($c, $type, $i, $cu, $from, $until, 'benchmark', 'bench', $at)
            """, "$c", "$type", "$i", "$cu", "$from", "$until", "$at"))
        {
            cmd.Prepare();
            foreach (var (invoice, customer) in stopped)
            {
                Bind(cmd, creditorId, "Stop", invoice, customer, Today.AddDays(-3), null, at);
                cmd.ExecuteNonQuery();
            }
            foreach (var customer in deferred)
            {
                Bind(cmd, creditorId, "Deferral", null, customer, Today.AddDays(-3), Today.AddDays(10), at);
                cmd.ExecuteNonQuery();
            }
        }
        tx.Commit();
        using (var cmd = Command(conn, null, "PRAGMA wal_checkpoint(TRUNCATE)")) cmd.ExecuteNonQuery();
        return new DataSet(path, creditorId, overdue, held);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Rows written, read back from each file after its run.

    private sealed record Written(long Notices, long Letters, long Charges, long Events, long Listed, long Runs, long RunsCompleted, long NoticeKeys, long Fees, long Principal)
    {
        public long Total => Notices + Letters + Charges + Events + Listed + Runs;

        public bool SameAs(Written o) => this == o;

        public static Written Read(string path)
        {
            using var conn = Open(path);
            long Scalar(string sql)
            {
                using var cmd = Command(conn, null, sql);
                return cmd.ExecuteScalar() is long n ? n : 0;
            }
            return new Written(
                Scalar("SELECT count(*) FROM notices"), Scalar("SELECT count(*) FROM letters"), Scalar("SELECT count(*) FROM charges"),
                Scalar("SELECT count(*) FROM claim_events"), Scalar("SELECT count(*) FROM invoices WHERE dunning_list IS NOT NULL"),
                Scalar("SELECT count(*) FROM dunning_runs"), Scalar("SELECT count(*) FROM dunning_runs WHERE status = 'Completed'"),
                Scalar("SELECT sum(invoice_id * 7 + step_index) FROM notices"), Scalar("SELECT sum(fee) FROM notices"), Scalar("SELECT sum(principal) FROM letters"));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Measuring.

    private sealed record Measured(TimeSpan Elapsed, TimeSpan Cpu, long PeakGcHeap, long PeakWorkingSet, long Allocated);

    private static async Task<Measured> MeasureAsync(Func<Task<int>> body)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        using var sampler = new MemorySampler();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        await body();
        sw.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var (peakWs, peakHeap) = sampler.Stop();
        return new Measured(sw.Elapsed, cpu, peakHeap, peakWs, GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // SQLite helpers.

    private static readonly DateTimeOffsetToBinaryConverter Instant = new();

    private static long ToProvider(DateTimeOffset value) => (long)Instant.ConvertToProvider(value)!;

    /// <summary>A connection set up as the product's are (WAL, foreign keys, the product's synchronous setting).</summary>
    private static SqliteConnection Open(string path)
    {
        var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 60 }.ToString());
        conn.Open();
        using var cmd = Command(conn, null, $"PRAGMA journal_mode=WAL; PRAGMA synchronous={Synchronous}; PRAGMA foreign_keys=ON; PRAGMA cache_size={CacheSize};");
        cmd.ExecuteNonQuery();
        return conn;
    }

    private static SqliteCommand Command(SqliteConnection conn, SqliteTransaction? tx, string sql, params string[] parameters)
    {
        var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var p in parameters) cmd.Parameters.Add(new SqliteParameter { ParameterName = p });
        return cmd;
    }

    private static void Bind(SqliteCommand cmd, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
    }

    private static string Copy(string from, string to)
    {
        Delete(to);
        File.Copy(from, to);
        return to;
    }

    private static void Delete(string path)
    {
        foreach (var p in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
            if (File.Exists(p)) File.Delete(p);
    }
}
