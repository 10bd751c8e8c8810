using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Xml;
using Purr.Core.Formats;
using Purr.Core.Formats.Camt;
using Purr.Core.Formats.OcrGiro;

namespace Purr.Bench;

/// <summary>
/// The bank-file readers alone (no database, no matching), each against its raw floor on the same file in the same
/// process: camt.054 with 100 000 transactions and a 1 GB camt.054 against a bare <c>XmlReader</c> pass
/// (<c>while (reader.Read())</c>), and an OCR giro file of 1 000 000 records against a bare ISO-8859-1 line pass.
/// Every run enumerates the reader and touches every field of every transaction. Best of N after a warm-up, the floor
/// and the reader run alternately, by wall time and by the process's CPU time (which a machine shared with other work disturbs less); allocated bytes per
/// transaction; for the 1 GB file also the peak GC heap and peak working set, sampled every 20 ms.
/// </summary>
/// <remarks>
/// dotnet run -c Release --project bench/Purr.Bench -- parse [--transactions 100000] [--big-mb 1024] [--ocr-records 1000000]
/// [--repeats 3] [--only camt|big|ocr] [--work DIR]
/// </remarks>
public static class ParseBench
{
    private static readonly XmlReaderSettings BareSettings = new() { DtdProcessing = DtdProcessing.Prohibit, IgnoreWhitespace = true };

    public static int Run(string[] args)
    {
        string? Opt(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Int(string name, int fallback) => Opt(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var transactions = Int("--transactions", 100_000);
        var bigBytes = Int("--big-mb", 1024) * 1024L * 1024L;
        var ocrRecords = Int("--ocr-records", 1_000_000);
        var repeats = Math.Max(1, Int("--repeats", 3));
        var only = Opt("--only");
        var work = Opt("--work") ?? Path.Combine(Path.GetTempPath(), "purr-bench");
        Directory.CreateDirectory(work);
        Console.WriteLine($"Purr.Bench parse — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        var rows = new List<string>();
        var payments = Generators.Payments(100_000);

        if (only is null or "camt")
        {
            var file = Path.Combine(work, "parse.camt054.xml");
            var written = Generators.WriteCamt054(file, payments, transactions, messageId: "PARSE");
            rows.Add(Camt($"camt.054, {written:N0} transactions", file, repeats, sample: false));
            File.Delete(file);
        }
        if (only is null or "big")
        {
            var file = Path.Combine(work, "parse-big.camt054.xml");
            Generators.WriteCamt054(file, payments, 0, batchSize: 100, minBytes: bigBytes, messageId: "BIG");
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            rows.Add(Camt($"camt.054, {new FileInfo(file).Length / 1e6:0} MB", file, repeats, sample: true));
            File.Delete(file);
        }
        if (only is null or "ocr")
        {
            var file = Path.Combine(work, "parse.ocr.txt");
            Generators.WriteOcr(file, payments, ocrRecords);
            rows.Add(Ocr($"OCR giro, {ocrRecords:N0} records", file, repeats));
            File.Delete(file);
        }
        Console.WriteLine();
        Console.WriteLine("| File | Bare floor (s) | Parse (s) | × bare | × bare (CPU time) | Allocated per transaction | Peak GC heap | Peak working set |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows) Console.WriteLine(row);
        return 0;
    }

    private static string Camt(string name, string file, int repeats, bool sample) =>
        Compare(name, file, repeats,
            () =>
            {
                using var stream = Open(file);
                using var reader = XmlReader.Create(stream, BareSettings);
                long nodes = 0;
                while (reader.Read()) nodes++;
                return nodes;
            },
            () =>
            {
                using var stream = Open(file);
                return Measure(sample, () => Consume(CamtReader.Read(stream, Path.GetFileName(file))));
            });

    private static string Ocr(string name, string file, int repeats) =>
        Compare(name, file, repeats,
            () =>
            {
                using var stream = Open(file);
                using var reader = new StreamReader(stream, Encoding.Latin1, false, 1 << 16);
                long lines = 0;
                while (reader.ReadLine() is not null) lines++;
                return lines;
            },
            () =>
            {
                using var stream = Open(file);
                return Measure(false, () => Consume(OcrGiroReader.Read(stream, Path.GetFileName(file))));
            });

    /// <summary>
    /// The floor and the reader, each run once for warm-up and then <paramref name="repeats"/> times, alternately (the
    /// order swapped every round), so that both meet the same machine: on a shared machine the load changes from one
    /// second to the next. The best time of each, by wall time and by CPU time; the fastest parse's allocation, and the
    /// highest peaks of any parse run.
    /// </summary>
    private static string Compare(string name, string file, int repeats, Func<long> floor, Func<Measured> parse)
    {
        floor();
        parse();
        double floorBest = double.MaxValue, floorCpu = double.MaxValue, parseCpu = double.MaxValue;
        long floorResult = 0;
        Measured? best = null;
        for (var round = 0; round < repeats; round++)
        {
            for (var turn = 0; turn < 2; turn++)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                var cpu = CpuSeconds();
                if ((round + turn) % 2 == 0)
                {
                    var sw = Stopwatch.StartNew();
                    floorResult = floor();
                    floorBest = Math.Min(floorBest, sw.Elapsed.TotalSeconds);
                    floorCpu = Math.Min(floorCpu, CpuSeconds() - cpu);
                }
                else
                {
                    var m = parse();
                    parseCpu = Math.Min(parseCpu, CpuSeconds() - cpu);
                    var fastest = best is null || m.Seconds < best.Seconds ? m : best;
                    best = fastest with { PeakHeap = Math.Max(m.PeakHeap, best?.PeakHeap ?? 0), PeakWorkingSet = Math.Max(m.PeakWorkingSet, best?.PeakWorkingSet ?? 0) };
                }
            }
        }
        return Row(name, new FileInfo(file).Length, (floorBest, floorCpu, floorResult), best!, parseCpu);
    }

    private static string Row(string name, long size, (double Seconds, double Cpu, long Result) floor, Measured parse, double parseCpu)
    {
        var bare = floor.Seconds;
        var perTx = parse.Count == 0 ? 0 : (double)parse.Allocated / parse.Count;
        Console.WriteLine($"{name} ({size / 1e6:0.0} MB): bare {bare:0.000} s, parse {parse.Seconds:0.000} s = {parse.Seconds / bare:0.00}× bare; "
            + $"CPU time: bare {floor.Cpu:0.000} s, parse {parseCpu:0.000} s = {parseCpu / floor.Cpu:0.00}×; "
            + $"{parse.Count:N0} transactions, {parse.Errors} errors; {perTx:0} bytes allocated per transaction"
            + (parse.PeakHeap > 0 ? $"; peak GC heap {parse.PeakHeap / 1e6:0} MB, peak working set {parse.PeakWorkingSet / 1e6:0} MB" : ""));
        if (parse.Errors > 0) throw new InvalidOperationException($"{name}: the benchmark file has {parse.Errors} errors");
        return $"| {name} ({size / 1e6:0} MB) | {bare:0.000} | {parse.Seconds:0.000} | {parse.Seconds / bare:0.00}× | {parseCpu / floor.Cpu:0.00}× | {perTx:0} B | "
            + (parse.PeakHeap > 0 ? $"{parse.PeakHeap / 1e6:0} MB | {parse.PeakWorkingSet / 1e6:0} MB |" : "– | – |");
    }

    private sealed record Measured(double Seconds, long Count, long Errors, long Allocated, long PeakHeap, long PeakWorkingSet);

    private static Measured Measure(bool sample, Func<(long Count, long Errors, long Checksum)> run)
    {
        using var sampler = sample ? new MemorySampler() : null;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        var (count, errors, _) = run();
        var seconds = sw.Elapsed.TotalSeconds;
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        sampler?.Stop();
        return new Measured(seconds, count, errors, allocated, sampler?.PeakHeap ?? 0, sampler?.PeakWorkingSet ?? 0);
    }

    /// <summary>Enumerates a reading and touches every field of every transaction (so nothing lazy is left unpaid).</summary>
    private static (long Count, long Errors, long Checksum) Consume(BankFileReading reading)
    {
        long count = 0, errors = 0, check = 0;
        foreach (var record in reading)
        {
            if (record.Error is not null) { errors++; continue; }
            var t = record.Transaction!;
            count++;
            check += t.Sequence + t.Source.Line + (t.Source.XPath?.Length ?? 0) + (long)(t.Amount.Amount * 100) + t.Amount.Currency.Code.Length
                + (t.BookingDate?.DayNumber ?? 0) + (t.ValueDate?.DayNumber ?? 0) + t.BankReference.Length + (t.EndToEndId?.Length ?? 0)
                + (t.Kid?.Length ?? 0) + (t.FreeText?.Length ?? 0) + (t.PayerName?.Length ?? 0) + (t.PayerAccount?.Length ?? 0)
                + (t.Account?.Length ?? 0) + (t.IsReversal ? 1 : 0) + (t.IsBooked ? 1 : 0) + (int)t.Format;
            foreach (var r in t.References) check += r.Length;
            foreach (var d in t.DocumentNumbers) check += d.Length;
            if (t.Camt is { } c)
                check += (c.MessageId?.Length ?? 0) + (c.StatementId?.Length ?? 0) + c.EntrySequence + c.DetailSequence + (long)c.EntryAmount.Amount
                    + (c.EntryAccountServicerReference?.Length ?? 0) + (c.AccountServicerReference?.Length ?? 0) + (c.EntryReference?.Length ?? 0)
                    + (c.Status?.Length ?? 0) + (c.BankTransactionCode?.Length ?? 0) + (c.InstructionId?.Length ?? 0) + (c.TransactionId?.Length ?? 0)
                    + (c.AdditionalInfo?.Length ?? 0) + (c.ReturnReason?.Length ?? 0) + (c.IsMergedBatch ? 1 : 0);
            if (t.Ocr is { } o)
                check += (int)o.TransactionType + o.TransactionNumber + o.NetsDate.DayNumber + o.CentreId.Length + o.DayCode + o.PartialSettlementNumber
                    + o.SerialNumber.Length + o.Sign + o.AmountInOre + (o.FormNumber?.Length ?? 0) + (o.ArchiveReference?.Length ?? 0)
                    + (o.Filler?.Length ?? 0) + (o.BankDate?.DayNumber ?? 0) + (o.DebitAccount?.Length ?? 0) + (o.Text?.Length ?? 0)
                    + o.AgreementId.Length + o.AssignmentNumber.Length + o.AssignmentAccount.Length + o.TransmissionNumber.Length
                    + o.AmountItem2Line + (o.AmountItem3Line ?? 0);
        }
        check += reading.Summary?.TransactionCount ?? 0;
        return (count, errors, check);
    }

    private static FileStream Open(string file) =>
        new(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

    private static double CpuSeconds()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime.TotalSeconds;
    }
}
