using System.Numerics;
using System.Runtime.InteropServices;

namespace Purr.Core.Formats;

/// <summary>
/// The in-file uniqueness check for bank references: an exact set of strings in about 10 bytes per reference
/// for the sequential references banks write, with the line where each was first seen.
/// </summary>
/// <remarks>
/// <para>Two parts. (1) A filter: 40 bits of a seeded, non-cryptographic 64-bit hash over the UTF-16 code units (the
/// seed is random per reader, so a file cannot be crafted to collide). The low byte picks one of 256 open-addressing
/// tables (linear probing, at most 80 % full, grown by a quarter) that keeps the high 32 bits: 4 bytes per slot, 5–7
/// bytes per reference. The tables grow one at a time: a growing table briefly holds its old and new arrays, and one
/// contiguous table of 64-bit hashes grown by half needed 2.5 times its size at once (80 MB at two million
/// references). (2) A log of every reference in order, front-coded against the one before (shared prefix length, the
/// rest, the line as a delta: 3–5 bytes for "REF-1234-57" after "REF-1234-56"; a reference with nothing in common with
/// the previous one costs its length plus 3), in 64 KB chunks. Nothing else is kept: no string objects, no dictionary
/// entries.</para>
/// <para>A reference whose 40 bits are not in its table is new (the common case: one hash and one probe sequence).
/// Only when they are already there is the log read from the start to find an identical earlier reference: if there is
/// one, it is a duplicate and its first line is reported; if not (two different references with the same 40 bits,
/// about n²/2⁴¹ pairs: two for two million references), it is new. So a duplicate is reported exactly when the same
/// string was seen before — never on a hash collision alone. Each confirmation reads the
/// log once; a file has few duplicates, and the readers stop after <see cref="BankFileReading.MaxErrors"/> errors.</para>
/// </remarks>
public sealed class UniqueReferences
{
    private const int ChunkSize = 64 * 1024;
    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;
    private const ulong Prime3 = 0x165667B19E3779F9UL;

    private readonly ulong _seed;
    private const int Segments = 256;
    private readonly uint[][] _segments = new uint[Segments][];
    private readonly int[] _segmentCounts = new int[Segments];
    private int _count;

    private readonly List<byte[]> _chunks = [];
    private byte[] _chunk = new byte[ChunkSize];
    private int _used;
    private string _previous = "";
    private int _previousLine;

    public UniqueReferences() : this(unchecked((ulong)Random.Shared.NextInt64() ^ Prime3)) { }

    /// <summary>With a fixed seed (tests: forced collisions).</summary>
    internal UniqueReferences(ulong seed)
    {
        _seed = seed;
        for (var i = 0; i < Segments; i++) _segments[i] = new uint[16];
        _chunks.Add(_chunk);
    }

    /// <summary>
    /// Forgets every reference added so far (a caller that checks the earlier ones itself, see
    /// <see cref="BankFileReading.ForgetCheckedReferences"/>); the seed stays.
    /// </summary>
    public void Clear()
    {
        for (var i = 0; i < Segments; i++)
        {
            if (_segmentCounts[i] > 0) _segments[i] = new uint[16];
            _segmentCounts[i] = 0;
        }
        _count = 0;
        _chunks.Clear();
        _chunk = new byte[ChunkSize];
        _chunks.Add(_chunk);
        _used = 0;
        _previous = "";
        _previousLine = 0;
    }

    /// <summary>Number of references added.</summary>
    public int Count => _count;

    /// <summary>Bytes held (table and log).</summary>
    public long Bytes => _segments.Sum(s => (long)s.Length * sizeof(uint)) + (long)_chunks.Count * ChunkSize;

    /// <summary>
    /// Adds <paramref name="reference"/> seen at <paramref name="line"/>; false (with the line it was first seen
    /// at) when the identical string was added before.
    /// </summary>
    public bool Add(string reference, int line, out int firstLine) => Add(reference, line, Hash(reference), out firstLine);

    /// <summary>As <see cref="Add(string, int, out int)"/> with the hash given (tests force collisions with it).</summary>
    internal bool Add(string reference, int line, ulong hash, out int firstLine)
    {
        firstLine = 0;
        // The low byte picks the table; the high 32 bits are what the table keeps (0 marks an empty slot): 40 bits in all.
        var segment = (int)(hash & (Segments - 1));
        var print = (uint)(hash >> 32);
        if (print == 0) print = 1;
        var slots = _segments[segment];
        var i = Home(print, slots.Length);
        while (true)
        {
            var s = slots[i];
            if (s == 0) break;
            if (s == print)
            {
                // The same hash: a duplicate only if the identical string is in the log.
                if (FindInLog(reference, out firstLine)) return false;
                Append(reference, line);
                return true;
            }
            if (++i == slots.Length) i = 0;
        }
        slots[i] = print;
        _count++;
        Append(reference, line);
        if (++_segmentCounts[segment] > slots.Length / 5 * 4) Grow(segment);
        return true;
    }

    /// <summary>
    /// Whether <paramref name="reference"/> was added (with the line it was first seen at), without adding it.
    /// </summary>
    public bool Contains(string reference, out int firstLine)
    {
        firstLine = 0;
        var hash = Hash(reference);
        var print = (uint)(hash >> 32);
        if (print == 0) print = 1;
        var slots = _segments[(int)(hash & (Segments - 1))];
        for (var i = Home(print, slots.Length); slots[i] != 0; i = i + 1 == slots.Length ? 0 : i + 1)
            if (slots[i] == print) return FindInLog(reference, out firstLine);
        return false;
    }

    /// <summary>The seeded 64-bit hash of a string's UTF-16 code units.</summary>
    internal ulong Hash(string s)
    {
        unchecked
        {
            var bytes = MemoryMarshal.AsBytes(s.AsSpan());
            var h = _seed ^ ((ulong)bytes.Length * Prime1);
            while (bytes.Length >= 8)
            {
                var k = MemoryMarshal.Read<ulong>(bytes);
                h = BitOperations.RotateLeft(h ^ (BitOperations.RotateLeft(k * Prime2, 31) * Prime1), 27) * Prime1 + Prime3;
                bytes = bytes[8..];
            }
            if (bytes.Length > 0)
            {
                ulong k = 0;
                for (var j = 0; j < bytes.Length; j++) k |= (ulong)bytes[j] << (8 * j);
                h ^= BitOperations.RotateLeft(k * Prime2, 31) * Prime1;
            }
            h ^= h >> 33;
            h *= Prime2;
            h ^= h >> 29;
            h *= Prime3;
            h ^= h >> 32;
            return h;
        }
    }

    // Maps a fingerprint onto [0, length) by its high bits (length need not be a power of two).
    private static int Home(uint print, int length) => (int)(((ulong)print * (ulong)length) >> 32);

    private void Grow(int segment)
    {
        var old = _segments[segment];
        var slots = new uint[old.Length + old.Length / 4];
        foreach (var print in old)
        {
            if (print == 0) continue;
            var i = Home(print, slots.Length);
            while (slots[i] != 0) if (++i == slots.Length) i = 0;
            slots[i] = print;
        }
        _segments[segment] = slots;
    }

    // ---- The log ------------------------------------------------------------------------------------------------

    private void Append(string reference, int line)
    {
        var previous = _previous;
        var shared = reference.AsSpan().CommonPrefixLength(previous);
        PutVarint((uint)shared);
        PutVarint((uint)(reference.Length - shared));
        for (var i = shared; i < reference.Length; i++) PutVarint(reference[i]);
        PutVarint(ZigZag(line - _previousLine));
        _previous = reference;
        _previousLine = line;
    }

    private bool FindInLog(string reference, out int firstLine)
    {
        var current = new char[Math.Max(64, reference.Length)];
        var length = 0;
        var line = 0;
        var cursor = new LogCursor(_chunks, _used);
        while (!cursor.End)
        {
            var shared = (int)cursor.Varint();
            var rest = (int)cursor.Varint();
            var total = shared + rest;
            if (total > current.Length) Array.Resize(ref current, Math.Max(total, current.Length * 2));
            for (var i = 0; i < rest; i++) current[shared + i] = (char)cursor.Varint();
            length = total;
            line += UnZigZag(cursor.Varint());
            if (length == reference.Length && current.AsSpan(0, length).SequenceEqual(reference))
            {
                firstLine = line;
                return true;
            }
        }
        firstLine = 0;
        return false;
    }

    private void PutVarint(uint value)
    {
        while (value >= 0x80)
        {
            Put(unchecked((byte)(value | 0x80)));
            value >>= 7;
        }
        Put((byte)value);
    }

    private void Put(byte b)
    {
        if (_used == _chunk.Length)
        {
            _chunk = new byte[ChunkSize];
            _chunks.Add(_chunk);
            _used = 0;
        }
        _chunk[_used++] = b;
    }

    private static uint ZigZag(int value) => unchecked((uint)((value << 1) ^ (value >> 31)));

    private static int UnZigZag(uint value) => unchecked((int)(value >> 1) ^ -(int)(value & 1));

    private struct LogCursor(List<byte[]> chunks, int usedInLast)
    {
        private int _chunk, _offset;

        public readonly bool End => _chunk == chunks.Count - 1 && _offset >= usedInLast;

        public uint Varint()
        {
            uint value = 0;
            var shift = 0;
            while (true)
            {
                var b = Next();
                value |= (uint)(b & 0x7F) << shift;
                if (b < 0x80) return value;
                shift += 7;
            }
        }

        private byte Next()
        {
            if (_offset == ChunkSize)
            {
                _chunk++;
                _offset = 0;
            }
            return chunks[_chunk][_offset++];
        }
    }
}
