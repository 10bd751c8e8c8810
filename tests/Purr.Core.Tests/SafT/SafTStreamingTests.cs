using Purr.Core.Formats.SafT;

namespace Purr.Core.Tests.SafT;

[CollectionDefinition(nameof(MemoryMeasurement), DisableParallelization = true)]
public sealed class MemoryMeasurement;

// Runs alone (no parallel tests) so that the process-wide GC numbers belong to this test.
[Collection(nameof(MemoryMeasurement))]
public class SafTStreamingTests
{
    [Fact]
    public void Large_file_of_200k_lines_streams_with_memory_below_the_file_size_and_reconciles()
    {
        var path = Path.Combine(Path.GetTempPath(), $"purr-saft-{Guid.NewGuid():N}.xml");
        try
        {
            var expected = SafTGenerator.Write(path, lines: 200_000);
            var fileSize = new FileInfo(path).Length;

            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            var baseline = GC.GetTotalMemory(forceFullCollection: true);
            var baselineHeap = GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes;
            long peakHeap = baselineHeap;
            var done = false;
            var sampler = new Thread(() =>
            {
                while (!Volatile.Read(ref done))
                {
                    // The heap size right after the latest GC: live data plus older garbage, without the gen0
                    // allocation budget (which depends on the machine's cache size, not on our reader).
                    peakHeap = Math.Max(peakHeap, GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes);
                    Thread.Sleep(2);
                }
            });
            sampler.Start();
            var started = GC.GetAllocatedBytesForCurrentThread();
            SafTReadResult result;
            using (var stream = File.OpenRead(path)) result = SafTReader.Read(stream, "large.xml");
            var allocated = GC.GetAllocatedBytesForCurrentThread() - started;
            Volatile.Write(ref done, true);
            sampler.Join();
            var retained = GC.GetTotalMemory(forceFullCollection: true) - baseline;

            Assert.Empty(result.Errors);
            Assert.Empty(result.BalanceDifferences);
            Assert.Equal(expected.Lines, result.LineCount);
            Assert.Equal(expected.Transactions, result.TransactionCount);
            Assert.Equal(expected.Invoices, result.Documents.Count);
            Assert.Equal(expected.OpenInvoices, result.OpenItems.Count);
            Assert.Equal(expected.OpenTotal, result.OpenItems.Sum(i => i.Open.Amount));

            // A DOM of the file would need several times its size. Streaming keeps the heap to the output (one
            // document per invoice) plus one accumulator per (customer, reference) and one transaction at a time.
            // Measured here: 106 MB file, heap after GC at most ~68 MB, result ~27 MB. Generous bounds: a sanity
            // check, not a benchmark.
            Assert.True(fileSize > 50_000_000, $"the generated file should be large, was {fileSize:N0} bytes");
            Assert.True(peakHeap - baselineHeap < fileSize, $"the heap after GC grew to {peakHeap - baselineHeap:N0} bytes for a {fileSize:N0}-byte file");
            Assert.True(retained < fileSize / 2, $"the result retains {retained:N0} bytes for a {fileSize:N0}-byte file");
            Assert.True(allocated < fileSize * 20, $"reading allocated {allocated:N0} bytes for a {fileSize:N0}-byte file");
            GC.KeepAlive(result);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
