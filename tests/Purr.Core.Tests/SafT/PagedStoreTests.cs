using Purr.Core.Formats.SafT;

namespace Purr.Core.Tests.SafT;

public class PagedStoreTests
{
    private struct Item
    {
        public long A;
        public int B;
        public DateOnly C;
    }

    private static Item Make(int i, int round) => new() { A = (long)i * 1_000_003 + round, B = i ^ round, C = DateOnly.FromDayNumber(700_000 + i % 5000 + round) };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Items_read_back_what_was_written_last_whichever_pages_were_evicted(bool scratch)
    {
        // Many more pages than the cache holds, changed in a random order over several rounds, and read back in another.
        var count = PagedStore<Item>.CachedPages * 128 * 3 + 77;
        var random = new Random(7);
        var expected = new Item[count];
        using var store = new PagedStore<Item>(scratch ? new MemoryStream() : null);
        for (var i = 0; i < count; i++) Assert.Equal(i, store.Add(expected[i] = Make(i, 0)));
        for (var round = 1; round <= 3; round++)
            for (var n = 0; n < count / 2; n++)
            {
                var i = random.Next(count);
                store.Set(i, expected[i] = Make(i, round));
                var j = random.Next(count);
                Assert.Equal(expected[j], store[j]);
            }

        Assert.Equal(count, store.Count);
        foreach (var i in Enumerable.Range(0, count).OrderBy(_ => random.Next())) Assert.Equal(expected[i], store[i]);
        Assert.Throws<ArgumentOutOfRangeException>(() => store[count]);
    }

    [Fact]
    public void A_stream_that_cannot_seek_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new PagedStore<Item>(new Purr.Core.Tests.Camt.BankTestFiles.ForwardOnlyStream(new MemoryStream())));
    }
}
