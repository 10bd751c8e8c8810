using System.Runtime.InteropServices;
using System.Text;

namespace Purr.Core.Formats.SafT;

/// <summary>
/// What the first pass keeps per (customer, reference) on the accounts-receivable side: sums in hundredths, dates and the
/// ordinals of the lines that describe the item (its first debit, the first debit with a CID, its first credit, its first
/// credit with VAT). 80 bytes, no references to other objects; the reference itself is in <see cref="SafTGroups"/>' arena.
/// </summary>
/// <remarks>Amounts are SAF-T amounts (at most 2 decimals, checked by the reader) as whole hundredths in a <c>long</c>;
/// the decimal properties convert. Sums are checked: a file whose sums per reference leave ±9.2·10^16 is an internal error.</remarks>
[StructLayout(LayoutKind.Sequential)]
internal struct SafTGroup
{
    public long DebitCents, CreditCents, CreditNoteCreditCents, SettledCents;
    public int Customer;
    public int FirstDebit, DebitCid, FirstCredit, FirstCreditNote;
    public DateOnly InvoiceDate, CreditDate, CreditFirst, CreditLast;
    private int _dueDate, _creditDue; // DayNumber + 1; 0 when none
    private byte _kind; // OpenItemKind + 1; 0 while not derived

    public decimal Debit { readonly get => DebitCents / 100m; set => DebitCents = SafTGroups.Cents(value); }
    public decimal Credit { readonly get => CreditCents / 100m; set => CreditCents = SafTGroups.Cents(value); }
    public decimal CreditNoteCredit { readonly get => CreditNoteCreditCents / 100m; set => CreditNoteCreditCents = SafTGroups.Cents(value); }
    public decimal Settled { readonly get => SettledCents / 100m; set => SettledCents = SafTGroups.Cents(value); }

    public OpenItemKind? Kind
    {
        readonly get => _kind == 0 ? null : (OpenItemKind)(_kind - 1);
        set => _kind = value is { } k ? (byte)(k + 1) : (byte)0;
    }

    public DateOnly? DueDate { readonly get => Day(_dueDate); set => _dueDate = Day(value); }
    public DateOnly? CreditDue { readonly get => Day(_creditDue); set => _creditDue = Day(value); }

    private static DateOnly? Day(int stored) => stored == 0 ? null : DateOnly.FromDayNumber(stored - 1);
    private static int Day(DateOnly? value) => value is { } d ? d.DayNumber + 1 : 0;
}

/// <summary>
/// The (customer, reference) aggregates of the first pass: the look-up part in a <see cref="SafTKeys"/> (in memory, about
/// 16 + 4 + the reference's UTF-8 length bytes per reference), the aggregates themselves (<see cref="SafTGroup"/>, 80
/// bytes) in a <see cref="PagedStore{T}"/>: in a scratch stream (a temporary file) when one is given, with only a few pages
/// in memory, else all in memory.
/// </summary>
/// <remarks>Aggregates are read and written by copy (<see cref="this[int]"/>, <see cref="Set"/>). Look-ups
/// (<see cref="Find(int, string)"/>) and reads are safe from several threads once the table is complete.</remarks>
internal sealed class SafTGroups(Stream? scratch) : IDisposable
{
    private readonly SafTKeys _keys = new();
    private readonly PagedStore<SafTGroup> _values = new(scratch);

    public int Count => _values.Count;

    /// <summary>A copy of the aggregate at <paramref name="index"/>.</summary>
    public SafTGroup this[int index] => _values[index];

    /// <summary>Replaces the aggregate at <paramref name="index"/> (its customer stays what it was added with).</summary>
    public void Set(int index, in SafTGroup group) => _values.Set(index, group);

    /// <summary>Whole hundredths of a SAF-T amount (at most 2 decimals).</summary>
    public static long Cents(decimal amount) => checked((long)(amount * 100m));

    /// <summary>The index of (customer, reference), or -1. Safe to call from several threads once the table is complete.</summary>
    public int Find(int customer, string reference) => _keys.Find(customer, reference);

    /// <summary>The index of (customer, reference), added (with no amounts, lines or dates) when new.</summary>
    public int FindOrAdd(int customer, string reference)
    {
        var (index, added) = _keys.FindOrAdd(customer, reference);
        if (added) _values.Add(new SafTGroup { Customer = customer, FirstDebit = -1, DebitCid = -1, FirstCredit = -1, FirstCreditNote = -1 });
        return index;
    }

    /// <summary>The reference of an aggregate (a new string).</summary>
    public string ReferenceOf(int index) => _keys.KeyOf(index);

    /// <summary>Gives back what the key arena reserved for growth.</summary>
    public void Trim() => _keys.Trim();

    public void Dispose() => _values.Dispose();
}

/// <summary>
/// Finds an index by (owner, key string) with little memory: per entry a 16-byte struct (owner, where its key is in one
/// UTF-8 byte arena, the next entry of its hash chain) in segments of 4 096, the key's UTF-8 bytes, and an open hash index
/// of one int per bucket. Entries are numbered in the order they are added. <see cref="Find(int, string)"/> is safe from several threads
/// once every entry is added.
/// </summary>
internal sealed class SafTKeys
{
    private const int SegmentBits = 12;
    private const int SegmentSize = 1 << SegmentBits;

    [StructLayout(LayoutKind.Sequential)]
    private struct Entry
    {
        public int Owner, KeyOffset, Next; // Next: index + 1 of the next entry in the chain, 0 at its end
        public ushort KeyLength;
    }

    private readonly List<Entry[]> _entries = [];
    private byte[] _arena = new byte[4096];
    private int _arenaLength;
    private int[] _buckets = new int[1024]; // index + 1; 0 is empty
    private byte[] _scratch = new byte[256];

    public int Count { get; private set; }

    private ref Entry At(int index) => ref _entries[index >> SegmentBits][index & (SegmentSize - 1)];

    /// <summary>The index of (owner, key), or -1.</summary>
    public int Find(int owner, string key)
    {
        var max = Encoding.UTF8.GetMaxByteCount(key.Length);
        Span<byte> buffer = max <= 512 ? stackalloc byte[max] : new byte[max];
        return Find(owner, buffer[..Encoding.UTF8.GetBytes(key, buffer)]);
    }

    private int Find(int owner, ReadOnlySpan<byte> bytes)
    {
        var hash = Hash(owner, bytes);
        for (var i = _buckets[hash & (_buckets.Length - 1)] - 1; i >= 0; i = At(i).Next - 1)
        {
            ref var e = ref At(i);
            if (e.Owner == owner && bytes.SequenceEqual(_arena.AsSpan(e.KeyOffset, e.KeyLength))) return i;
        }
        return -1;
    }

    /// <summary>The index of (owner, key), and whether it was added now (single-threaded).</summary>
    public (int Index, bool Added) FindOrAdd(int owner, string key)
    {
        var bytes = Encode(key);
        var found = Find(owner, bytes);
        if (found >= 0) return (found, false);
        if (bytes.Length > ushort.MaxValue) throw new InvalidOperationException($"a key of {bytes.Length} bytes is longer than the reader keeps");
        if (_arenaLength + bytes.Length > _arena.Length) Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaLength + bytes.Length));
        bytes.CopyTo(_arena.AsSpan(_arenaLength));
        var index = Count;
        if ((index & (SegmentSize - 1)) == 0) _entries.Add(new Entry[SegmentSize]);
        At(index) = new Entry { Owner = owner, KeyOffset = _arenaLength, KeyLength = (ushort)bytes.Length };
        _arenaLength += bytes.Length;
        Count++;
        if (Count > _buckets.Length) Rehash(_buckets.Length * 2);
        else Link(index, Hash(owner, bytes));
        return (index, true);
    }

    /// <summary>The key of an entry (a new string).</summary>
    public string KeyOf(int index)
    {
        ref var e = ref At(index);
        return Encoding.UTF8.GetString(_arena, e.KeyOffset, e.KeyLength);
    }

    /// <summary>Gives back what the arena reserved for growth (after the last key).</summary>
    public void Trim() => Array.Resize(ref _arena, _arenaLength);

    private void Link(int index, int hash)
    {
        ref var bucket = ref _buckets[hash & (_buckets.Length - 1)];
        At(index).Next = bucket;
        bucket = index + 1;
    }

    private void Rehash(int size)
    {
        _buckets = new int[size];
        for (var i = 0; i < Count; i++)
        {
            ref var e = ref At(i);
            Link(i, Hash(e.Owner, _arena.AsSpan(e.KeyOffset, e.KeyLength)));
        }
    }

    // The key as UTF-8 in a buffer reused by FindOrAdd (single-threaded).
    private ReadOnlySpan<byte> Encode(string key)
    {
        var max = Encoding.UTF8.GetMaxByteCount(key.Length);
        if (max > _scratch.Length) _scratch = new byte[Math.Max(max, _scratch.Length * 2)];
        return _scratch.AsSpan(0, Encoding.UTF8.GetBytes(key, _scratch));
    }

    private static int Hash(int owner, ReadOnlySpan<byte> bytes)
    {
        var h = new HashCode();
        h.Add(owner);
        h.AddBytes(bytes);
        return h.ToHashCode() & int.MaxValue;
    }
}
