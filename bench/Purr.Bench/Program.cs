using System.Globalization;
using Purr.Bench;

// Purr.Bench: scale benchmarks, each measured against the raw floor in the same process (docs/performance.md).
//   dotnet run -c Release --project bench/Purr.Bench -- dunning [--invoices 1000000] [--customers 200000] [--overdue 10] [--rounds 3] [--dir DIR]
//   dotnet run -c Release --project bench/Purr.Bench -- payments [--only memory|speed|ocr] [--transactions 100000]
//       [--big-mb 1024] [--ocr-records 1000000] [--repeats 3] [--work DIR] [--pg "Host=...;Username=..."]
//   dotnet run -c Release --project bench/Purr.Bench -- parse [--transactions 100000] [--big-mb 1024] [--ocr-records 1000000] [--repeats 3] [--only camt|big|ocr]
//   With --pg (or PURR_BENCH_PG) the payment import is also measured on PostgreSQL (a scratch database is created and dropped).
switch (args.FirstOrDefault())
{
    case "invoices": return await InvoicesBench.RunAsync(args[1..]);   // [--invoices 50000,200000] [--ehf 20000] [--work DIR] [--pg CONNECTION] [--scan-memory] [--heap-trace] [--write-only]
    case "dunning":
        return await DunningBench.RunAsync(args[1..]);
    case "parse":
        return ParseBench.Run(args[1..]);
    case "payments":
        string? Opt(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Int(string name, int fallback) => Opt(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var only = Opt("--only");
        var work = Opt("--work") ?? Path.Combine(Path.GetTempPath(), "purr-bench");
        var bench = new PaymentsBench(work, Int("--transactions", 100_000), Int("--big-mb", 1024) * 1024L * 1024L, Int("--ocr-records", 1_000_000), Int("--repeats", 3),
            Opt("--pg") ?? Environment.GetEnvironmentVariable("PURR_BENCH_PG"));
        await bench.RunAsync(only is null or "memory", only is null or "speed", only is null or "ocr");
        bench.Report();
        return 0;
    default:
        Console.Error.WriteLine("usage: Purr.Bench dunning [--invoices N] [--customers N] [--overdue PCT] [--rounds N] [--dir DIR]");
        Console.Error.WriteLine("       Purr.Bench parse [--transactions N] [--big-mb N] [--ocr-records N] [--repeats N] [--only camt|big|ocr] [--work DIR]");
        Console.Error.WriteLine("       Purr.Bench payments [--only memory|speed|ocr] [--transactions N] [--big-mb N] [--ocr-records N] [--repeats N] [--work DIR] [--pg CONNECTION]");
        return 1;
}
