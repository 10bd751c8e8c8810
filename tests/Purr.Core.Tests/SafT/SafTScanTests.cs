using Purr.Core.Formats;
using Purr.Core.Formats.SafT;

namespace Purr.Core.Tests.SafT;

/// <summary>The two streaming passes (<see cref="SafTReader.Scan"/>, <see cref="SafTScan.Entries"/>) against the whole result of <see cref="SafTReader.Read"/>.</summary>
public class SafTScanTests
{
    private static SafTScan Scan(string path)
    {
        using var stream = File.OpenRead(path);
        return SafTReader.Scan(stream, Path.GetFileName(path));
    }

    private static List<SafTEntry> Entries(SafTScan scan, string path)
    {
        using var stream = File.OpenRead(path);
        return scan.Entries(stream).ToList();
    }

    private static object Key(InvoiceDocument d) =>
        (d.Number, d.Kind, d.IssueDate, d.DueDate, d.Amount, d.OpenAmount, d.Kid, d.Text, d.CreditsNumber, d.Customer.CustomerNumber, d.Source);

    [Fact]
    public void Entries_yield_every_document_open_item_and_settlement_of_read_in_file_order()
    {
        var read = SafTTestData.ReadFile(SafTTestData.Synthetic);
        var scan = Scan(SafTTestData.Synthetic);

        var entries = Entries(scan, SafTTestData.Synthetic);

        Assert.Equal(read.Errors, scan.Errors);
        Assert.Equal(read.BalanceDifferences, scan.BalanceDifferences);
        Assert.Equal(read.Documents.Where(d => d.OpenAmount is not null).OrderBy(d => d.Number).Select(Key),
            entries.Select(e => e.Document).OfType<InvoiceDocument>().OrderBy(d => d.Number).Select(Key));
        Assert.Equal(read.OpenItems.Where(i => i.Kind != OpenItemKind.OpeningBalance).OrderBy(i => i.Source.Line),
            entries.Select(e => e.Item).OfType<OpenItem>().OrderBy(i => i.Source.Line));
        Assert.Equal(read.Settlements, entries.Select(e => e.Settlement).OfType<SafTSettlement>());
        Assert.Equal(entries.Select(e => e.Ordinal).Order(), entries.Select(e => e.Ordinal)); // file order
        Assert.Equal(read.Documents.Count(d => d.OpenAmount is not null), scan.DocumentCount);
    }

    [Fact]
    public void Only_lines_that_originate_something_carry_an_xpath_and_the_scan_keeps_none()
    {
        var scan = Scan(SafTTestData.Synthetic);

        var entries = Entries(scan, SafTTestData.Synthetic);

        Assert.All(entries, e => Assert.StartsWith("/AuditFile/GeneralLedgerEntries/Journal[",
            (e.Document?.Source ?? e.Item?.Source ?? e.Settlement!.Source).XPath, StringComparison.Ordinal));
        Assert.True(entries.Count <= scan.ReceivableLineCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Payments_by_date_are_the_payments_sorted_by_date_in_file_order_within_a_date_in_one_pass(bool scratchFile)
    {
        var path = Path.Combine(Path.GetTempPath(), $"purr-saft-order-{Guid.NewGuid():N}.xml");
        var spill = path + ".spill";
        try
        {
            // Payments out of date order: the same file with its bank journal reversed.
            var xml = File.ReadAllText(SafTTestData.Synthetic);
            var bank = xml.IndexOf("<JournalID>B</JournalID>", StringComparison.Ordinal);
            var first = xml.IndexOf("<Transaction>", bank, StringComparison.Ordinal);
            var end = xml.IndexOf("</Journal>", first, StringComparison.Ordinal);
            var transactions = xml[first..end].Split("<Transaction>", StringSplitOptions.RemoveEmptyEntries).Select(t => "<Transaction>" + t.TrimEnd()).Reverse();
            File.WriteAllText(path, xml[..first] + string.Join("\n", transactions) + "\n    " + xml[end..]);
            var scan = Scan(path);
            Assert.Empty(scan.Errors);
            var inFile = Entries(scan, path).Select(e => e.Settlement).OfType<SafTSettlement>().Where(s => s.Kind == SettlementKind.Payment).ToList();
            // The test needs a customer whose payments are out of date order.
            Assert.Contains(inFile.GroupBy(p => p.CustomerId), g => !g.Select(p => p.Date).SequenceEqual(g.Select(p => p.Date).Order()));

            var opened = 0;
            var spills = 0;
            Func<Stream>? scratch = scratchFile
                ? () => new FileStream(spill + spills++, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 4096, FileOptions.DeleteOnClose)
                : null;
            var byDate = scan.PaymentsByDate(() => { opened++; return File.OpenRead(path); }, scratch).ToList();

            Assert.Equal(inFile.OrderBy(p => p.Date), byDate); // a customer's payments were out of order: all of them by date, every field read back
            Assert.Equal(1, opened);
            Assert.Equal(scratchFile ? 2 : 0, spills);
            Assert.False(File.Exists(spill + 0) || File.Exists(spill + 1));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Payments_are_one_pass_in_file_order_when_each_customers_payments_are_in_date_order()
    {
        var scan = Scan(SafTTestData.Synthetic);
        var inFile = Entries(scan, SafTTestData.Synthetic).Select(e => e.Settlement).OfType<SafTSettlement>().Where(s => s.Kind == SettlementKind.Payment).ToList();
        Assert.All(inFile.GroupBy(p => p.CustomerId), g => Assert.Equal(g.Select(p => p.Date).Order(), g.Select(p => p.Date)));

        var opened = 0;
        var payments = scan.PaymentsByDate(() => { opened++; return File.OpenRead(SafTTestData.Synthetic); }, () => throw new InvalidOperationException("no scratch needed")).ToList();

        Assert.Equal(inFile, payments);
        Assert.Equal(1, opened);
    }

    [Fact]
    public void A_scan_whose_aggregates_and_customers_are_in_scratch_files_yields_what_one_in_memory_does()
    {
        // About 25 000 references: more pages of aggregates than the scratch store keeps in memory.
        var path = Path.Combine(Path.GetTempPath(), $"purr-saft-scratch-{Guid.NewGuid():N}.xml");
        var files = new List<string>();
        try
        {
            SafTGenerator.Write(path, lines: 125_000);
            using var inMemory = Scan(path);
            SafTScan spilled;
            using (var stream = File.OpenRead(path))
                spilled = SafTReader.Scan(stream, Path.GetFileName(path), () =>
                {
                    var file = Path.Combine(Path.GetTempPath(), $"purr-saft-scratch-{Guid.NewGuid():N}.tmp");
                    files.Add(file);
                    return new FileStream(file, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 4096, FileOptions.DeleteOnClose);
                });
            using (spilled)
            {
                Assert.Equal(3, files.Count);
                Assert.True(inMemory.DocumentCount > 128 * 128, $"{inMemory.DocumentCount} documents");
                Assert.Empty(spilled.Errors);
                Assert.Equal(inMemory.BalanceDifferences, spilled.BalanceDifferences);
                Assert.Equal(inMemory.Customers, spilled.Customers, (a, b) => a.CustomerId == b.CustomerId && a.Party.Name == b.Party.Name
                    && a.Balances.SequenceEqual(b.Balances) && a.Source == b.Source);
                Assert.Equal((inMemory.DocumentCount, inMemory.DateRange), (spilled.DocumentCount, spilled.DateRange));
                var expected = Entries(inMemory, path);
                var actual = Entries(spilled, path);
                Assert.Equal(expected.Count, actual.Count);
                Assert.Equal(expected.Select(e => e.Document).OfType<InvoiceDocument>().Select(Key), actual.Select(e => e.Document).OfType<InvoiceDocument>().Select(Key));
                Assert.Equal(expected.Select(e => e.Item), actual.Select(e => e.Item));
                Assert.Equal(expected.Select(e => e.Settlement), actual.Select(e => e.Settlement));
                Assert.All(inMemory.Customers.Take(50), c => Assert.Equal(inMemory.Movement(c.CustomerId), spilled.Movement(c.CustomerId)));
            }
            Assert.All(files, f => Assert.False(File.Exists(f), $"{f} is deleted with the scan"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Read_of_a_stream_that_cannot_seek_gives_the_same_result()
    {
        var bytes = File.ReadAllBytes(SafTTestData.Synthetic);
        var seekable = SafTReader.Read(new MemoryStream(bytes), "f.xml");

        var forward = SafTReader.Read(new Purr.Core.Tests.Camt.BankTestFiles.ForwardOnlyStream(new MemoryStream(bytes)), "f.xml");

        Assert.Equal(seekable.Documents.Select(Key), forward.Documents.Select(Key));
        Assert.Equal(seekable.OpenItems, forward.OpenItems);
        Assert.Equal(seekable.Settlements, forward.Settlements);
    }
}
