using Purr.Core.Formats;

namespace Purr.Core.Tests.Formats;

public class UniqueReferencesTests
{
    [Fact]
    public void Different_references_with_the_same_hash_are_both_new_and_each_is_still_caught_when_repeated()
    {
        var set = new UniqueReferences(seed: 1);

        // Force a collision: every reference gets the same 64-bit hash.
        Assert.True(set.Add("REF-A", 10, hash: 42, out _));
        Assert.True(set.Add("REF-B", 20, hash: 42, out _));
        Assert.True(set.Add("REF-C", 30, hash: 42, out _));
        Assert.False(set.Add("REF-B", 40, hash: 42, out var firstB));
        Assert.False(set.Add("REF-A", 50, hash: 42, out var firstA));

        Assert.Equal(20, firstB);
        Assert.Equal(10, firstA);
    }

    [Fact]
    public void A_repeat_is_found_with_its_first_line_after_the_table_and_the_log_have_grown()
    {
        var set = new UniqueReferences();
        const int count = 200_000; // several growths of the table; the log spans several 64 KB chunks
        for (var i = 0; i < count; i++)
            Assert.True(set.Add($"NO-{i:0000000}-{(i % 7 == 0 ? "kid payment with a long reference text" : "x")}", i + 1, out _));

        Assert.False(set.Add("NO-0000007-kid payment with a long reference text", 999_999, out var first));
        Assert.Equal(8, first);
        Assert.False(set.Add($"NO-{count - 1:0000000}-x", 1_000_000, out var last));
        Assert.Equal(count, last);
        Assert.True(set.Add("NO-0000007-x", 1_000_001, out _)); // a prefix of a stored one, and one differing in its end, are new
        Assert.True(set.Add("NO-0000007-kid payment with a long reference tex", 1_000_002, out _));
        Assert.Equal(count + 2, set.Count);
        Assert.True(set.Bytes < count * 24L, $"{set.Bytes:N0} bytes for {count:N0} references");
    }

    [Fact]
    public void References_outside_ascii_and_empty_ones_compare_exactly()
    {
        var set = new UniqueReferences(seed: 7);

        Assert.True(set.Add("Ré€-1-😀", 1, out _));
        Assert.True(set.Add("Ré€-1-😁", 2, out _));
        Assert.True(set.Add("", 3, out _));
        Assert.False(set.Add("Ré€-1-😀", 4, out var first));
        Assert.False(set.Add("", 5, out var empty));

        Assert.Equal(1, first);
        Assert.Equal(3, empty);
    }

    [Fact]
    public void The_hash_depends_on_the_seed_so_a_file_cannot_be_made_to_collide()
    {
        Assert.NotEqual(new UniqueReferences(seed: 1).Hash("REF-1"), new UniqueReferences(seed: 2).Hash("REF-1"));
        Assert.NotEqual(new UniqueReferences(seed: 1).Hash("REF-1"), new UniqueReferences(seed: 1).Hash("REF-2"));
        Assert.Equal(new UniqueReferences(seed: 1).Hash("REF-1"), new UniqueReferences(seed: 1).Hash("REF-1"));
    }

    [Fact]
    public void Contains_finds_what_was_added_with_its_first_line_and_adds_nothing()
    {
        var set = new UniqueReferences(seed: 3);
        for (var i = 0; i < 5_000; i++) set.Add($"R-{i}", i + 2, out _);

        Assert.True(set.Contains("R-4321", out var line));
        Assert.Equal(4323, line);
        Assert.False(set.Contains("R-5000", out _));
        Assert.False(set.Contains("R-43210", out _));   // shares a prefix with a stored one
        Assert.Equal(5_000, set.Count);
        Assert.True(set.Add("R-5000", 9, out _));   // Contains did not add it
    }

    [Fact]
    public void After_clear_nothing_is_known_and_repeats_are_caught_again_from_there()
    {
        var set = new UniqueReferences(seed: 5);
        for (var i = 0; i < 100_000; i++) set.Add($"R-{i}", i + 1, out _);

        set.Clear();

        Assert.Equal(0, set.Count);
        Assert.False(set.Contains("R-7", out _));
        Assert.True(set.Add("R-7", 200_000, out _));
        Assert.False(set.Add("R-7", 200_001, out var first));
        Assert.Equal(200_000, first);
        Assert.True(set.Bytes < 100_000, $"{set.Bytes:N0} bytes after clear");
    }
}
