using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Purr.Core.Formats.SafT;

/// <summary>
/// A growable array of plain structs kept in a scratch stream (a temporary file) of which only a few pages are in memory:
/// a page that is needed and not there is read from the stream, taking the place of the page not used for the longest
/// while (a clock), which is written back first when it was changed. Without a stream every page stays in memory. Items
/// are read and written by copy (<see cref="this[int]"/>, <see cref="Set"/>), never by reference, so that no caller holds
/// a page that is replaced; each access takes a lock, so reading from several threads is safe.
/// </summary>
/// <remarks>The pages go to the stream at their own offsets (page × page bytes), so the stream must be readable,
/// writable and seekable; it is disposed with the store.</remarks>
internal sealed class PagedStore<T> : IDisposable where T : unmanaged
{
    private const int PageBits = 7;
    private const int PageSize = 1 << PageBits; // items per page
    private const int PageMask = PageSize - 1;

    /// <summary>Pages kept in memory when there is a stream (128 pages of 128 items: 1.3 MB of 80-byte items).</summary>
    public const int CachedPages = 128;

    private readonly Stream? _stream;
    private readonly Lock _gate = new();
    private readonly List<T[]?> _pages = []; // by page number: the page when it is in memory
    private readonly List<int> _slotOf = []; // by page number: its slot, -1 when not in memory
    private readonly List<bool> _dirty = []; // by page number: changed since it was last written
    private readonly int[] _pageIn;          // by slot: the page in it, -1 when free
    private readonly bool[] _used;           // by slot: used since the clock hand last passed
    private int _hand, _slots;

    public PagedStore(Stream? stream)
    {
        if (stream is not null && (!stream.CanRead || !stream.CanWrite || !stream.CanSeek))
            throw new ArgumentException("expected a readable, writable and seekable scratch stream", nameof(stream));
        _stream = stream;
        _pageIn = new int[stream is null ? 0 : CachedPages];
        _used = new bool[_pageIn.Length];
        Array.Fill(_pageIn, -1);
    }

    /// <summary>Items added.</summary>
    public int Count { get; private set; }

    /// <summary>A copy of the item at <paramref name="index"/>.</summary>
    public T this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            lock (_gate) return Page(index >> PageBits)[index & PageMask];
        }
    }

    /// <summary>Replaces the item at <paramref name="index"/>.</summary>
    public void Set(int index, in T value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        lock (_gate)
        {
            var page = index >> PageBits;
            Page(page)[index & PageMask] = value;
            _dirty[page] = true;
        }
    }

    /// <summary>Adds an item; its index is the number of items before it.</summary>
    public int Add(in T value)
    {
        lock (_gate)
        {
            var index = Count;
            var page = index >> PageBits;
            if (page == _pages.Count)
            {
                _pages.Add(null);
                _slotOf.Add(-1);
                _dirty.Add(true);
                Place(page, fresh: true);
            }
            Count++;
            Page(page)[index & PageMask] = value;
            _dirty[page] = true;
            return index;
        }
    }

    // The page in memory, read from the stream into a slot when it is not.
    private T[] Page(int page)
    {
        if (_pages[page] is { } items)
        {
            if (_slotOf[page] >= 0) _used[_slotOf[page]] = true;
            return items;
        }
        return Place(page, fresh: false);
    }

    // Puts a page into memory: into a free slot, or into the slot of the page the clock finds unused, written back when changed.
    private T[] Place(int page, bool fresh)
    {
        if (_stream is null)
        {
            var all = new T[PageSize];
            _pages[page] = all;
            return all;
        }
        T[] items;
        int slot;
        if (_slots < _pageIn.Length)
        {
            slot = _slots++;
            items = new T[PageSize];
        }
        else
        {
            while (_used[_hand])
            {
                _used[_hand] = false;
                _hand = (_hand + 1) % _pageIn.Length;
            }
            slot = _hand;
            _hand = (_hand + 1) % _pageIn.Length;
            var old = _pageIn[slot];
            items = _pages[old]!;
            if (_dirty[old])
            {
                _stream.Position = Offset(old);
                _stream.Write(MemoryMarshal.AsBytes(items.AsSpan()));
                _dirty[old] = false;
            }
            _pages[old] = null;
            _slotOf[old] = -1;
        }
        if (fresh) Array.Clear(items);
        else
        {
            _stream.Position = Offset(page);
            _stream.ReadExactly(MemoryMarshal.AsBytes(items.AsSpan()));
        }
        _pages[page] = items;
        _slotOf[page] = slot;
        _pageIn[slot] = page;
        _used[slot] = true;
        return items;
    }

    private static long Offset(int page) => (long)page * PageSize * Unsafe.SizeOf<T>();

    public void Dispose() => _stream?.Dispose();
}
