using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using Microsoft.Data.Sqlite;
using Npgsql;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Creditors;
using Purr.Features.Imports;

namespace Purr.Bench;

/// <summary>
/// Invoices in at scale: SAF-T Financial 1.30 files of several sizes (customers with opening and closing balances that
/// agree with the lines, invoices, payments, credit notes) and a zip of EHF invoices, each imported with the real
/// handler into a fresh migrated database. Printed per file: seconds, invoices/s, the peak working set and peak managed
/// heap (sampled every 20 ms) and the ratio to the raw floors measured in the same run: a bare XmlReader pass over the
/// same file, and (SQLite) a bare prepared INSERT of as many invoice rows.
/// </summary>
public static class InvoicesBench
{
    private const string CreditorOrg = "987654325";

    // --heap-trace: print the live data (a forced full GC) every second of each measured import; slows the import down.
    private static bool _heapTrace;

    // dotnet run -c Release --project bench/Purr.Bench -- invoices [--invoices 50000,200000] [--ehf 20000] [--work DIR] [--pg CONNECTION] [--scan-memory] [--heap-trace] [--write-only]
    public static async Task<int> RunAsync(string[] args)
    {
        string? Opt(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var sizes = (Opt("--invoices") ?? "50000,200000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var ehf = int.Parse(Opt("--ehf") ?? "20000", CultureInfo.InvariantCulture);
        var work = Opt("--work") ?? Path.Combine(Path.GetTempPath(), "purr-bench-invoices");
        var pg = Opt("--pg") ?? Environment.GetEnvironmentVariable("PURR_BENCH_PG");
        _heapTrace = args.Contains("--heap-trace");
        Directory.CreateDirectory(work);
        if (args.Contains("--write-only"))
        {
            // Only the SAF-T files (saft-N.xml in the work folder), kept, for measuring the CLI in its own process (and what their scan retains).
            foreach (var n in sizes.Where(n => n > 0))
            {
                var file = Path.Combine(work, $"saft-{n}.xml");
                var (customers, transactions) = WriteSafT(file, n);
                Console.WriteLine($"wrote {file}: {new FileInfo(file).Length / 1e6:0} MB, {n:N0} invoices, {customers:N0} customers, {transactions:N0} transactions");
                if (args.Contains("--scan-memory")) ScanMemory(file);
            }
            return 0;
        }
        Console.WriteLine($"Purr.Bench invoices — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, " +
                          $"chunk size {ImportInvoices.ChunkSize:N0} (SAF-T {ImportInvoices.ChunkSizeOr(ImportSafT.DefaultChunkSize):N0})");
        var rows = new List<string>();

        // Warm-up (JIT, file cache) on a small file, not reported.
        var warm = Path.Combine(work, "warmup.saft.xml");
        WriteSafT(warm, 2_000);
        await ImportAsync("sqlite", Path.Combine(work, "warmup.db"), warm, InvoiceFiles.SafT);

        foreach (var n in sizes.Where(n => n > 0))
        {
            var file = Path.Combine(work, $"saft-{n}.xml");
            var (customers, transactions) = WriteSafT(file, n);
            var size = new FileInfo(file).Length;
            Console.WriteLine($"generated {file}: {size / 1e6:0} MB, {n:N0} invoices, {customers:N0} customers, {transactions:N0} transactions");
            if (args.Contains("--scan-memory")) ScanMemory(file);
            var bare = BareXml([file]);
            var floor = await InsertFloorAsync(Path.Combine(work, "floor.db"), n);
            var sqlite = await ImportAsync("sqlite", Path.Combine(work, $"saft-{n}.db"), file, InvoiceFiles.SafT);
            rows.Add(Row($"SAF-T {n / 1000}k invoices ({size / 1e6:0} MB), SQLite", n, sqlite, bare, floor));
            if (pg is not null)
                rows.Add(Row($"SAF-T {n / 1000}k invoices ({size / 1e6:0} MB), PostgreSQL", n, await ImportAsync("pg", pg, file, InvoiceFiles.SafT), bare, null));
            File.Delete(file);
        }

        if (ehf > 0)
        {
            var zip = Path.Combine(work, $"ehf-{ehf}.zip");
            var credits = WriteEhfZip(zip, ehf);
            var size = new FileInfo(zip).Length;
            Console.WriteLine($"generated {zip}: {size / 1e6:0} MB, {ehf:N0} EHF documents ({credits:N0} negative invoice corrections)");
            var bare = BareXmlZip(zip);
            var floor = await InsertFloorAsync(Path.Combine(work, "floor.db"), ehf);
            rows.Add(Row($"EHF zip {ehf / 1000}k documents ({size / 1e6:0} MB), SQLite", ehf, await ImportAsync("sqlite", Path.Combine(work, "ehf.db"), zip, InvoiceFiles.Ehf), bare, floor));
            if (pg is not null)
                rows.Add(Row($"EHF zip {ehf / 1000}k documents ({size / 1e6:0} MB), PostgreSQL", ehf, await ImportAsync("pg", pg, zip, InvoiceFiles.Ehf), bare, null));
            File.Delete(zip);
        }

        Console.WriteLine();
        Console.WriteLine("| Input | Import s | Invoices/s | Peak working set | Peak GC heap | Bare XmlReader s | × XmlReader | Raw INSERT floor s | × floor |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows) Console.WriteLine(r);
        return 0;
    }

    // What the first SAF-T pass retains (live data after a full GC): all in memory, and with scratch files as the import scans.
    private static void ScanMemory(string file)
    {
        foreach (var spill in new[] { false, true }) ScanMemory(file, spill);
    }

    private static void ScanMemory(string file, bool spill)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        Func<Stream>? scratch = spill
            ? () => new FileStream(Path.Combine(Path.GetDirectoryName(file)!, $"scan-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite,
                FileShare.None, 1 << 16, FileOptions.DeleteOnClose)
            : null;
        Purr.Core.Formats.SafT.SafTScan scan;
        using (var stream = File.OpenRead(file)) scan = Purr.Core.Formats.SafT.SafTReader.Scan(stream, Path.GetFileName(file), scratch);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"   scan ({(spill ? "scratch files" : "in memory")}) retains {(after - before) / 1e6:0.0} MB ({scan.Customers.Count:N0} customers, " +
                          $"{scan.DocumentCount:N0} documents, {(after - before) / Math.Max(1, scan.DocumentCount):0} bytes per document)");
        scan.Dispose();
    }

    private static string Row(string name, int invoices, Measured m, double bare, double? floor) =>
        $"| {name} | {m.Seconds:0.00} | {invoices / m.Seconds:N0} | {m.PeakWorkingSet / 1e6:0} MB | {m.PeakHeap / 1e6:0} MB | {bare:0.00} | {m.Seconds / bare:0.0}× | " +
        (floor is { } f ? $"{f:0.00} | {m.Seconds / f:0.0}× |" : "– | – |");

    private sealed record Measured(double Seconds, long PeakWorkingSet, long PeakHeap);

    /// <summary>Imports one input with the real handler into a fresh migrated database, sampling memory every 20 ms.</summary>
    private static async Task<Measured> ImportAsync(string provider, string target, string path, string format)
    {
        string spec;
        string? database = null;
        if (provider == "pg")
        {
            database = $"purr_bench_inv_{Guid.NewGuid():N}"[..30];
            await ExecPgAsync(target, $"CREATE DATABASE \"{database}\"");
            spec = new NpgsqlConnectionStringBuilder(target) { Database = database, CommandTimeout = 600 }.ConnectionString;
        }
        else
        {
            foreach (var f in new[] { target, target + "-wal", target + "-shm" }) if (File.Exists(f)) File.Delete(f);
            spec = target;
        }
        try
        {
            var actor = new Actor("bench");
            long creditor;
            await using (var db = await PurrDatabase.OpenAsync(spec))
                creditor = (await AddCreditor.HandleAsync(db, new AddCreditor.Command("Bench AS", CreditorOrg, "86011117947", null, null, null, null), actor, TimeProvider.System, default)).Id;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            using var sampler = new MemorySampler();
            var sw = Stopwatch.StartNew();
            using var trace = _heapTrace ? new Timer(_ =>
            {
                var committed = GC.GetGCMemoryInfo().TotalCommittedBytes; // before the forced collection: what the import's own collections left
                var live = GC.GetTotalMemory(forceFullCollection: true);
                Console.WriteLine($"   t={sw.Elapsed.TotalSeconds,6:0.0} s  live {live / 1e6,6:0.0} MB  GC committed {committed / 1e6,6:0} MB  working set {Environment.WorkingSet / 1e6,6:0} MB");
            }, null, 1000, 1000) : null;
            ImportResult result;
            await using (var db = await PurrDatabase.OpenAsync(spec))
                result = format == InvoiceFiles.SafT
                    ? await ImportSafT.HandleAsync(db, new ImportSafT.Command(InvoiceFiles.Sources(path)[0], creditor), actor, TimeProvider.System, default)
                    : await ImportEhf.HandleAsync(db, new ImportEhf.Command(Path.GetFileName(path), InvoiceFiles.Sources(path), creditor), actor, TimeProvider.System, default);
            var seconds = sw.Elapsed.TotalSeconds;
            var (ws, heap) = sampler.Stop();
            Console.WriteLine($"   {provider} import {Path.GetFileName(path)}: {seconds:0.00} s, {result.Created:N0} created, {result.Unchanged:N0} unchanged, " +
                              $"differences {result.BalanceDifferences?.Count ?? 0}, peak working set {ws / 1e6:0} MB, peak GC heap {heap / 1e6:0} MB; " +
                              string.Join(", ", (result.Totals ?? new Dictionary<string, string>()).Select(t => $"{t.Key} {t.Value}")));
            return new Measured(seconds, ws, heap);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            if (database is not null) await ExecPgAsync(target, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
            else foreach (var f in new[] { target, target + "-wal", target + "-shm" }) if (File.Exists(f)) File.Delete(f);
        }
    }

    private static async Task ExecPgAsync(string server, string sql)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    // ---- raw floors ------------------------------------------------------------------------------------------------

    private static double BareXml(IEnumerable<string> paths)
    {
        var sw = Stopwatch.StartNew();
        foreach (var path in paths)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            Drain(stream);
        }
        return sw.Elapsed.TotalSeconds;
    }

    private static double BareXmlZip(string zip)
    {
        var sw = Stopwatch.StartNew();
        using var archive = ZipFile.OpenRead(zip);
        foreach (var entry in archive.Entries)
        {
            using var stream = entry.Open();
            Drain(stream);
        }
        return sw.Elapsed.TotalSeconds;
    }

    private static long Drain(Stream stream)
    {
        using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreWhitespace = true });
        long nodes = 0;
        while (reader.Read()) nodes++;
        return nodes;
    }

    /// <summary>A bare prepared INSERT of <paramref name="n"/> invoice-shaped rows in one SQLite transaction: the floor of the write.</summary>
    private static async Task<double> InsertFloorAsync(string path, int n)
    {
        foreach (var f in new[] { path, path + "-wal", path + "-shm" }) if (File.Exists(f)) File.Delete(f);
        await using var conn = new SqliteConnection($"Data Source={path};Pooling=False");
        await conn.OpenAsync();
        await using (var pragma = new SqliteCommand("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; " +
            "CREATE TABLE invoices (id INTEGER PRIMARY KEY AUTOINCREMENT, creditor_id INTEGER NOT NULL, customer_id INTEGER NOT NULL, number TEXT NOT NULL, " +
            "kind TEXT NOT NULL, issue_date TEXT NOT NULL, due_date TEXT, amount INTEGER NOT NULL, open INTEGER NOT NULL, currency TEXT NOT NULL, kid TEXT, text TEXT, " +
            "import_id INTEGER, created_at INTEGER NOT NULL); CREATE UNIQUE INDEX ix ON invoices (creditor_id, kind, number);", conn))
            await pragma.ExecuteNonQueryAsync();
        var sw = Stopwatch.StartNew();
        await using var tx = conn.BeginTransaction();
        await using var cmd = new SqliteCommand("INSERT INTO invoices (creditor_id, customer_id, number, kind, issue_date, due_date, amount, open, currency, kid, text, import_id, created_at) " +
                                                "VALUES (1, @c, @n, 'Invoice', '2026-01-05', '2026-01-19', @a, @a, 'NOK', @k, 'Kattemat', 1, 0)", conn, tx);
        var c = cmd.Parameters.Add("@c", SqliteType.Integer);
        var num = cmd.Parameters.Add("@n", SqliteType.Text);
        var a = cmd.Parameters.Add("@a", SqliteType.Integer);
        var k = cmd.Parameters.Add("@k", SqliteType.Text);
        cmd.Prepare();
        for (var i = 0; i < n; i++)
        {
            c.Value = i / 5 + 1;
            num.Value = (100000 + i).ToString(CultureInfo.InvariantCulture);
            a.Value = 10_000 + i;
            k.Value = (1000000 + i).ToString(CultureInfo.InvariantCulture);
            cmd.ExecuteNonQuery();
        }
        await tx.CommitAsync();
        var seconds = sw.Elapsed.TotalSeconds;
        SqliteConnection.ClearAllPools();
        return seconds;
    }

    // ---- generators ------------------------------------------------------------------------------------------------

    /// <summary>
    /// Writes a SAF-T Financial 1.30 file with <paramref name="invoices"/> invoices (5 per customer, from
    /// <see cref="Generators.Payments"/>): each invoice a transaction (customer debit with ReferenceNumber, CID and
    /// DueDate, revenue credit); its payment (in full or half, by the generator's kind) a transaction on the bank account
    /// with the same reference; every 40th unpaid invoice gets a credit note of a quarter; every fourth customer has an
    /// opening balance of 1000.00 of which 400.00 is paid in the period (a reference to an invoice from before). The
    /// customers' closing balances are opening + the lines, so the file reconciles. Returns customers and transactions.
    /// </summary>
    public static (int Customers, int Transactions) WriteSafT(string path, int invoices)
    {
        var list = Generators.Payments(invoices);
        var customers = list.GroupBy(p => p.CustomerNumber).Select(g => (Number: g.Key, Name: g.First().CustomerName, Index: int.Parse(g.Key[1..], CultureInfo.InvariantCulture))).ToList();
        var balance = customers.ToDictionary(c => c.Number, c => c.Index % 4 == 0 ? 100_000L - 40_000L : 0L);
        long debit = 0;
        var transactions = 0;
        foreach (var p in list)
        {
            balance[p.CustomerNumber] += p.InvoiceOre;
            debit += p.InvoiceOre;
            transactions++;
            var paid = Paid(p);
            if (paid > 0) { balance[p.CustomerNumber] -= paid; debit += paid; transactions++; }
            if (CreditNote(p, list) is { } credit) { balance[p.CustomerNumber] -= credit; debit += credit; transactions++; }
        }
        foreach (var c in customers.Where(c => c.Index % 4 == 0)) { debit += 40_000; transactions++; }

        using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        w.Write($"""
            <?xml version="1.0" encoding="UTF-8"?>
            <AuditFile xmlns="urn:StandardAuditFile-Taxation-Financial:NO">
              <Header>
                <AuditFileVersion>1.30</AuditFileVersion>
                <AuditFileCountry>NO</AuditFileCountry>
                <AuditFileDateCreated>2026-04-02</AuditFileDateCreated>
                <SoftwareCompanyName>Purr.Bench</SoftwareCompanyName>
                <SoftwareID>generator</SoftwareID>
                <SoftwareVersion>1</SoftwareVersion>
                <Company>
                  <RegistrationNumber>{CreditorOrg}</RegistrationNumber>
                  <Name>Bench AS</Name>
                </Company>
                <DefaultCurrencyCode>NOK</DefaultCurrencyCode>
                <SelectionCriteria>
                  <SelectionStartDate>2026-01-01</SelectionStartDate>
                  <SelectionEndDate>2026-03-31</SelectionEndDate>
                </SelectionCriteria>
                <TaxAccountingBasis>A</TaxAccountingBasis>
              </Header>
              <MasterFiles>
                <Customers>

            """);
        foreach (var c in customers)
        {
            var opening = c.Index % 4 == 0 ? 100_000L : 0L;
            var closing = balance[c.Number];
            w.Write($"""
                      <Customer>
                        <Name>{c.Name}</Name>
                        <CustomerID>{c.Number}</CustomerID>
                        <BalanceAccount>
                          <AccountID>1500</AccountID>
                          <OpeningDebitBalance>{Generators.Amount(opening)}</OpeningDebitBalance>
                          {(closing >= 0 ? $"<ClosingDebitBalance>{Generators.Amount(closing)}</ClosingDebitBalance>" : $"<ClosingCreditBalance>{Generators.Amount(-closing)}</ClosingCreditBalance>")}
                        </BalanceAccount>
                        <PartyInfo><PaymentTerms><Days>14</Days></PaymentTerms><Type>Company</Type></PartyInfo>
                      </Customer>

                """);
        }
        w.Write($"""
                </Customers>
              </MasterFiles>
              <GeneralLedgerEntries>
                <NumberOfEntries>{transactions}</NumberOfEntries>
                <TotalDebit>{Generators.Amount(debit)}</TotalDebit>
                <TotalCredit>{Generators.Amount(debit)}</TotalCredit>
                <Journal>
                  <JournalID>S</JournalID>
                  <Description>Salg</Description>
                  <Type>S</Type>

            """);
        var t = 0;
        for (var i = 0; i < list.Count; i++)
        {
            var p = list[i];
            var day = new DateOnly(2026, 1, 1).AddDays(i % 50);
            Transaction(w, ++t, day, $"Faktura {p.InvoiceNumber}",
                Line(1, "1500", p.CustomerNumber, p.InvoiceOre, debit: true, p.InvoiceNumber, p.Kid, day.AddDays(14), null),
                Line(2, "3000", null, p.InvoiceOre, debit: false, null, null, null, null));
        }
        for (var i = 0; i < list.Count; i++)
        {
            var p = list[i];
            var day = new DateOnly(2026, 2, 20).AddDays(i % 30);
            if (Paid(p) is var paid and > 0)
                Transaction(w, ++t, day, $"Innbetaling {p.InvoiceNumber}",
                    Line(1, "1920", null, paid, debit: true, null, null, null, null),
                    Line(2, "1500", p.CustomerNumber, paid, debit: false, p.InvoiceNumber, p.Kid, null, day));
            if (CreditNote(p, list) is { } credit)
                Transaction(w, ++t, day, $"Kreditnota K{p.InvoiceNumber}",
                    Line(1, "3000", null, credit, debit: true, null, null, null, null),
                    Line(2, "1500", p.CustomerNumber, credit, debit: false, "K" + p.InvoiceNumber, null, null, null));
        }
        foreach (var c in customers.Where(c => c.Index % 4 == 0))
            Transaction(w, ++t, new DateOnly(2026, 1, 15), $"Innbetaling eldre faktura {c.Number}",
                Line(1, "1920", null, 40_000, debit: true, null, null, null, null),
                Line(2, "1500", c.Number, 40_000, debit: false, "OLD-" + c.Number, null, null, new DateOnly(2026, 1, 15)));
        w.Write("    </Journal>\n  </GeneralLedgerEntries>\n</AuditFile>\n");
        return (customers.Count, transactions);
    }

    private static long Paid(BenchPayment p) => p.Kind switch { "kid" => p.InvoiceOre, "partial" => p.InvoiceOre / 2, _ => 0 };

    private static long? CreditNote(BenchPayment p, List<BenchPayment> list) =>
        p.Kind is "text" or "payer" && int.Parse(p.InvoiceNumber, CultureInfo.InvariantCulture) % 40 == 0 ? p.InvoiceOre / 4 : null;

    private static string Line(int record, string account, string? customer, long ore, bool debit, string? reference, string? cid, DateOnly? due, DateOnly? valueDate)
    {
        var sb = new StringBuilder();
        sb.Append("        <Line>\n          <RecordID>").Append(record).Append("</RecordID>\n          <AccountID>").Append(account).Append("</AccountID>\n");
        if (customer is not null) sb.Append("          <CustomerID>").Append(customer).Append("</CustomerID>\n");
        if (valueDate is { } v) sb.Append("          <ValueDate>").Append(v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("</ValueDate>\n");
        sb.Append(debit ? "          <DebitAmount><Amount>" : "          <CreditAmount><Amount>").Append(Generators.Amount(ore))
          .Append(debit ? "</Amount></DebitAmount>\n" : "</Amount></CreditAmount>\n");
        if (reference is not null) sb.Append("          <ReferenceNumber>").Append(reference).Append("</ReferenceNumber>\n");
        if (cid is not null) sb.Append("          <CID>").Append(cid).Append("</CID>\n");
        if (due is { } d) sb.Append("          <DueDate>").Append(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("</DueDate>\n");
        return sb.Append("        </Line>\n").ToString();
    }

    private static void Transaction(StreamWriter w, int id, DateOnly date, string text, params string[] lines)
    {
        var d = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        w.Write($"      <Transaction>\n        <TransactionID>T-{id}</TransactionID>\n        <Period>{date.Month}</Period>\n        <PeriodYear>{date.Year}</PeriodYear>\n" +
                $"        <TransactionDate>{d}</TransactionDate>\n        <Description>{text}</Description>\n        <SystemEntryDate>{d}</SystemEntryDate>\n        <GLPostingDate>{d}</GLPostingDate>\n");
        foreach (var l in lines) w.Write(l);
        w.Write("      </Transaction>\n");
    }

    /// <summary>
    /// Writes a zip of <paramref name="count"/> EHF (PEPPOL BIS 3.0) invoices from <see cref="Generators.Payments"/>, the
    /// buyer identified by PartyIdentification (its customer number) and a PEPPOL endpoint; every 25th document is a
    /// negative invoice correction of a quarter of the invoice before it (same buyer). Returns the corrections.
    /// </summary>
    public static int WriteEhfZip(string path, int count)
    {
        var list = Generators.Payments(count);
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        var corrections = 0;
        for (var i = 0; i < list.Count; i++)
        {
            var p = list[i];
            var correction = i % 25 == 24 && list[i - 1].CustomerNumber == p.CustomerNumber;
            var ore = correction ? -(list[i - 1].InvoiceOre / 4) : p.InvoiceOre;
            if (correction) corrections++;
            var entry = archive.CreateEntry($"ehf-{i:000000}.xml", CompressionLevel.Fastest);
            using var w = new StreamWriter(entry.Open(), new UTF8Encoding(false));
            w.Write(Ehf(p, ore, new DateOnly(2026, 1, 1).AddDays(i % 60), correction ? list[i - 1].InvoiceNumber : null));
        }
        return corrections;
    }

    private static string Ehf(BenchPayment p, long ore, DateOnly issue, string? corrects)
    {
        // Payable = net + 25 % VAT: the net is ore / 1.25 rounded to øre, the VAT the rest, so BR-CO-10..16 hold.
        var net = (long)Math.Round(ore / 1.25m, MidpointRounding.AwayFromZero);
        var vat = ore - net;
        string A(long x) => (x < 0 ? "-" : "") + Generators.Amount(Math.Abs(x));
        var endpoint = "70800" + p.CustomerNumber[1..];
        return $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
              <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
              <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
              <cbc:ID>{p.InvoiceNumber}</cbc:ID>
              <cbc:IssueDate>{issue:yyyy-MM-dd}</cbc:IssueDate>
              <cbc:DueDate>{issue.AddDays(14):yyyy-MM-dd}</cbc:DueDate>
              <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
              <cbc:DocumentCurrencyCode>NOK</cbc:DocumentCurrencyCode>
              <cbc:BuyerReference>{p.CustomerNumber}</cbc:BuyerReference>
            {(corrects is null ? "" : $"  <cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>{corrects}</cbc:ID></cac:InvoiceDocumentReference></cac:BillingReference>\n")}  <cac:AccountingSupplierParty>
                <cac:Party>
                  <cbc:EndpointID schemeID="0192">{CreditorOrg}</cbc:EndpointID>
                  <cac:PartyLegalEntity><cbc:RegistrationName>Bench AS</cbc:RegistrationName><cbc:CompanyID schemeID="0192">{CreditorOrg}</cbc:CompanyID></cac:PartyLegalEntity>
                </cac:Party>
              </cac:AccountingSupplierParty>
              <cac:AccountingCustomerParty>
                <cac:Party>
                  <cbc:EndpointID schemeID="0088">{endpoint}</cbc:EndpointID>
                  <cac:PartyIdentification><cbc:ID>{p.CustomerNumber}</cbc:ID></cac:PartyIdentification>
                  <cac:PostalAddress><cbc:StreetName>Storgata 1</cbc:StreetName><cbc:CityName>Oslo</cbc:CityName><cbc:PostalZone>0155</cbc:PostalZone><cac:Country><cbc:IdentificationCode>NO</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
                  <cac:PartyLegalEntity><cbc:RegistrationName>{p.CustomerName}</cbc:RegistrationName></cac:PartyLegalEntity>
                </cac:Party>
              </cac:AccountingCustomerParty>
              <cac:PaymentMeans>
                <cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>
                <cbc:PaymentID>{p.Kid}</cbc:PaymentID>
                <cac:PayeeFinancialAccount><cbc:ID>86011117947</cbc:ID></cac:PayeeFinancialAccount>
              </cac:PaymentMeans>
              <cac:TaxTotal>
                <cbc:TaxAmount currencyID="NOK">{A(vat)}</cbc:TaxAmount>
                <cac:TaxSubtotal>
                  <cbc:TaxableAmount currencyID="NOK">{A(net)}</cbc:TaxableAmount>
                  <cbc:TaxAmount currencyID="NOK">{A(vat)}</cbc:TaxAmount>
                  <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
                </cac:TaxSubtotal>
              </cac:TaxTotal>
              <cac:LegalMonetaryTotal>
                <cbc:LineExtensionAmount currencyID="NOK">{A(net)}</cbc:LineExtensionAmount>
                <cbc:TaxExclusiveAmount currencyID="NOK">{A(net)}</cbc:TaxExclusiveAmount>
                <cbc:TaxInclusiveAmount currencyID="NOK">{A(ore)}</cbc:TaxInclusiveAmount>
                <cbc:PayableAmount currencyID="NOK">{A(ore)}</cbc:PayableAmount>
              </cac:LegalMonetaryTotal>
              <cac:InvoiceLine>
                <cbc:ID>1</cbc:ID>
                <cbc:InvoicedQuantity unitCode="EA">1</cbc:InvoicedQuantity>
                <cbc:LineExtensionAmount currencyID="NOK">{A(net)}</cbc:LineExtensionAmount>
                <cac:Item><cbc:Name>Kattemat</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>
                <cac:Price><cbc:PriceAmount currencyID="NOK">{A(net)}</cbc:PriceAmount></cac:Price>
              </cac:InvoiceLine>
            </Invoice>
            """;
    }
}
