using System.Collections;

namespace Purr.Core.Formats.SafT;

/// <summary>
/// The customers of a SAF-T file kept compactly for the whole import: each <see cref="SafTCustomer"/> is written as bytes
/// (UTF-8 texts, the balances' amounts and locations; a balance's XPath as a suffix of the customer's) into one arena, and
/// rebuilt on each access. About 150 bytes per customer of the bench file against about 900 as objects (the customer, its
/// party, address and balance lists, balances, two locations and two XPath strings). The arena is a scratch stream (a
/// temporary file) when one is given, so that memory keeps only an offset per customer, else a byte array. A list view in
/// file order; reading is safe from several threads once every customer is added.
/// </summary>
internal sealed class SafTCustomers(string file, Stream? scratch) : IReadOnlyList<SafTCustomer>, IDisposable
{
    private readonly Stream _arena = scratch ?? new MemoryStream();
    private readonly List<long> _offsets = [];
    private readonly Lock _gate = new();
    private long _length;
    private BinaryWriter? _writer;

    public int Count => _offsets.Count;

    public SafTCustomer this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return Read(index);
        }
    }

    /// <summary>Writes a customer; its index is the number of customers before it.</summary>
    public int Add(SafTCustomer c)
    {
        var w = _writer ??= new BinaryWriter(_arena, System.Text.Encoding.UTF8, leaveOpen: true);
        _arena.Position = _length;
        _offsets.Add(_length);
        var p = c.Party;
        w.Write(c.CustomerId);
        w.WriteText(p.CustomerNumber == c.CustomerId ? null : p.CustomerNumber);
        w.Write(p.CustomerNumber == c.CustomerId);
        w.Write(p.Name);
        w.WriteText(p.OrgNumber);
        w.WriteText(p.LegalId);
        w.WriteText(p.VatNumber);
        w.WriteText(p.PeppolId);
        w.WriteText(p.Email);
        w.Write7BitEncodedInt(p.AddressLines.Count);
        foreach (var line in p.AddressLines) w.Write(line);
        w.WriteText(p.PostalCode);
        w.WriteText(p.City);
        w.WriteText(p.Country);
        w.Write(p.Kind is { } kind ? (byte)kind : byte.MaxValue); // byte.MaxValue: unknown
        w.Write(c.PaymentTermsDays.HasValue);
        if (c.PaymentTermsDays is { } days) w.Write(days);
        Location(w, c.Source, null);
        w.Write7BitEncodedInt(c.Balances.Count);
        foreach (var b in c.Balances)
        {
            w.WriteText(b.AccountId);
            w.Write(b.Opening.Amount);
            w.Write(b.Opening.Currency.Code);
            w.Write(b.Closing.Amount);
            w.Write(b.Closing.Currency.Code);
            Location(w, b.Source, c.Source.XPath);
        }
        w.Flush();
        _length = _arena.Position;
        return _offsets.Count - 1;
    }

    /// <summary>Gives back what an arena in memory reserved for growth (after the last customer).</summary>
    public void Trim()
    {
        if (_arena is MemoryStream m) m.Capacity = (int)_length;
    }

    private BinaryReader Reader(int index)
    {
        var start = _offsets[index];
        var length = checked((int)((index + 1 < _offsets.Count ? _offsets[index + 1] : _length) - start));
        if (_arena is MemoryStream m) return new BinaryReader(new MemoryStream(m.GetBuffer(), (int)start, length, writable: false), System.Text.Encoding.UTF8);
        var bytes = new byte[length];
        lock (_gate)
        {
            _arena.Position = start;
            _arena.ReadExactly(bytes);
        }
        return new BinaryReader(new MemoryStream(bytes, writable: false), System.Text.Encoding.UTF8);
    }

    /// <summary>The customer as a debtor alone (what a document needs), without rebuilding its balances and locations.</summary>
    public InvoiceCustomer PartyOf(int index)
    {
        using var r = Reader(index);
        return ReadParty(r, r.ReadString());
    }

    private SafTCustomer Read(int index)
    {
        using var r = Reader(index);
        var id = r.ReadString();
        var party = ReadParty(r, id);
        int? days = r.ReadBoolean() ? r.ReadInt32() : null;
        var source = Location(r, null);
        var balances = new SafTBalance[r.Read7BitEncodedInt()];
        for (var i = 0; i < balances.Length; i++)
        {
            var account = r.ReadText();
            var opening = new Money(r.ReadDecimal(), Currency.Parse(r.ReadString()));
            var closing = new Money(r.ReadDecimal(), Currency.Parse(r.ReadString()));
            balances[i] = new SafTBalance(account, opening, closing, Location(r, source.XPath));
        }
        return new SafTCustomer { CustomerId = id, Party = party, Balances = balances, PaymentTermsDays = days, Source = source };
    }

    private static InvoiceCustomer ReadParty(BinaryReader r, string id)
    {
        var otherNumber = r.ReadText();
        var numberIsId = r.ReadBoolean();
        var name = r.ReadString();
        var org = r.ReadText();
        var legal = r.ReadText();
        var vat = r.ReadText();
        var peppol = r.ReadText();
        var email = r.ReadText();
        var lineCount = r.Read7BitEncodedInt();
        string[] lines = lineCount == 0 ? [] : new string[lineCount];
        for (var i = 0; i < lines.Length; i++) lines[i] = r.ReadString();
        var postal = r.ReadText();
        var city = r.ReadText();
        var country = r.ReadText();
        var kindByte = r.ReadByte();
        CustomerKind? kind = kindByte == byte.MaxValue ? null : (CustomerKind)kindByte;
        return new InvoiceCustomer
        {
            CustomerNumber = numberIsId ? id : otherNumber,
            Name = name,
            OrgNumber = org,
            LegalId = legal,
            VatNumber = vat,
            PeppolId = peppol,
            Email = email,
            AddressLines = lines,
            PostalCode = postal,
            City = city,
            Country = country,
            Kind = kind,
        };
    }


    // A location in this file; an XPath under the customer's is written as its suffix.
    private void Location(BinaryWriter w, SourceLocation s, string? under)
    {
        if (s.File != file) throw new InvalidOperationException($"a SAF-T customer located in {s.File}, not {file}");
        w.Write(s.Line);
        var relative = under is not null && s.XPath is not null && s.XPath.StartsWith(under, StringComparison.Ordinal);
        w.Write((byte)(s.XPath is null ? 0 : relative ? 1 : 2));
        if (s.XPath is not null) w.Write(relative ? s.XPath[under!.Length..] : s.XPath);
    }

    private SourceLocation Location(BinaryReader r, string? under)
    {
        var line = r.ReadInt32();
        var xpath = r.ReadByte() switch
        {
            0 => null,
            1 => under + r.ReadString(),
            _ => r.ReadString(),
        };
        return new SourceLocation(file, line, xpath);
    }

    public IEnumerator<SafTCustomer> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return Read(i);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose()
    {
        _writer?.Dispose();
        _arena.Dispose();
    }
}

/// <summary>The scratch streams' way of writing a text that may be missing: a flag, then the string.</summary>
internal static class ScratchText
{
    public static void WriteText(this BinaryWriter w, string? s)
    {
        w.Write(s is not null);
        if (s is not null) w.Write(s);
    }

    public static string? ReadText(this BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;
}
