using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Purr.Core.Formats.Ubl;

// Shared by the UBL and SAF-T readers (internal): a streaming XmlReader hands one record (a whole UBL document, one
// SAF-T Transaction or Customer) at a time to a small XElement tree annotated with line numbers. Memory is bounded
// by the largest record, not by the file.

/// <summary>Line and column of an element, kept as an annotation on the XElement.</summary>
internal sealed class LinePosition(int line, int column)
{
    public int Line { get; } = line;
    public int Column { get; } = column;
}

/// <summary>Reads the subtree at an XmlReader's current element into an XElement with line annotations.</summary>
internal sealed class XmlRecordBuilder
{
    private readonly Func<XName, bool>? _skipContent;

    /// <param name="skipContent">Elements whose content is skipped (kept empty): e.g. embedded base64 attachments.</param>
    public XmlRecordBuilder(Func<XName, bool>? skipContent = null) => _skipContent = skipContent;

    /// <summary>The innermost element still open: where a malformed document broke off.</summary>
    public XElement? Current { get; private set; }

    /// <summary>The element being built when the last record started (the record root).</summary>
    public XElement? Root { get; private set; }

    public static XmlReaderSettings Settings() => new()
    {
        DtdProcessing = DtdProcessing.Prohibit, // no entity expansion, no external resources
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = false,
    };

    /// <summary>Reads the element the reader is positioned on, leaving the reader on the node after its end tag.</summary>
    /// <exception cref="XmlException">The XML is malformed; <see cref="Current"/> tells where.</exception>
    public XElement Load(XmlReader reader)
    {
        var lineInfo = reader as IXmlLineInfo;
        var root = Start(reader, lineInfo);
        Root = root;
        Current = root;
        if (reader.IsEmptyElement || Skips(root.Name))
        {
            reader.Skip();
            Current = null;
            return root;
        }
        reader.Read();
        while (true)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    var child = Start(reader, lineInfo);
                    Current!.Add(child);
                    if (reader.IsEmptyElement || Skips(child.Name))
                    {
                        Current = child;
                        reader.Skip();
                        Current = (XElement)child.Parent!;
                    }
                    else
                    {
                        Current = child;
                        reader.Read();
                    }
                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.SignificantWhitespace:
                case XmlNodeType.Whitespace:
                    Current!.Add(new XText(reader.Value));
                    reader.Read();
                    break;
                case XmlNodeType.EndElement:
                    if (ReferenceEquals(Current, root))
                    {
                        reader.Read();
                        Current = null;
                        return root;
                    }
                    Current = Current!.Parent;
                    reader.Read();
                    break;
                case XmlNodeType.None:
                    // XmlReader reports unclosed elements itself; this is a guard for readers that do not.
                    throw new XmlException("Unexpected end of file", null, (lineInfo?.LineNumber) ?? 0, (lineInfo?.LinePosition) ?? 0);
                default:
                    reader.Read();
                    break;
            }
        }
    }

    private bool Skips(XName name) => _skipContent is not null && _skipContent(name);

    private static XElement Start(XmlReader reader, IXmlLineInfo? lineInfo)
    {
        var e = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
        if (lineInfo is not null && lineInfo.HasLineInfo()) e.AddAnnotation(new LinePosition(lineInfo.LineNumber, lineInfo.LinePosition));
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                if (reader.NamespaceURI == "http://www.w3.org/2000/xmlns/") continue;
                e.Add(new XAttribute(XName.Get(reader.LocalName, reader.NamespaceURI), reader.Value));
            } while (reader.MoveToNextAttribute());
            reader.MoveToElement();
        }
        return e;
    }
}

/// <summary>Navigation, location and value parsing on annotated XElements.</summary>
internal static class XmlRecords
{
    /// <summary>The 1-based line of an element read by <see cref="XmlRecordBuilder"/> (0 when unknown).</summary>
    public static int LineOf(XElement? e) => e?.Annotation<LinePosition>()?.Line ?? 0;

    /// <summary>The trimmed text of an element, null when missing or blank.</summary>
    public static string? TextOf(XElement? e)
    {
        if (e is null) return null;
        var v = e.Value.Trim();
        return v.Length == 0 ? null : v;
    }

    /// <summary>
    /// The path of <paramref name="e"/>: <paramref name="rootPath"/> (the record root's own path) followed by the steps
    /// below the record root. A step gets a position [n] when its parent has more than one child of that name.
    /// </summary>
    public static string PathOf(XElement e, string rootPath, Func<XName, string> step)
    {
        var steps = new List<string>();
        for (var x = e; x.Parent is not null; x = x.Parent)
        {
            var name = step(x.Name);
            var same = x.Parent.Elements(x.Name);
            var count = 0;
            var index = 0;
            foreach (var s in same)
            {
                count++;
                if (ReferenceEquals(s, x)) index = count;
            }
            steps.Add(count > 1 ? $"{name}[{index}]" : name);
        }
        steps.Reverse();
        return steps.Count == 0 ? rootPath : rootPath + "/" + string.Join("/", steps);
    }

    /// <summary>Parses an xs:decimal: optional sign, digits, optional fraction; no exponent, no group separators.</summary>
    public static bool TryParseDecimal(string? raw, out decimal value)
    {
        value = 0m;
        if (raw is null) return false;
        var s = raw.Trim();
        if (s.Length == 0) return false;
        var digits = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsAsciiDigit(c)) digits++;
            else if ((c is '+' or '-') && i == 0) continue;
            else if (c != '.') return false;
        }
        if (digits == 0 || s.Count(c => c == '.') > 1) return false;
        return decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Parses an xs:date "YYYY-MM-DD", allowing the optional time-zone suffix the type permits (Z, +hh:mm, -hh:mm), which is ignored.</summary>
    public static bool TryParseDate(string? raw, out DateOnly value)
    {
        value = default;
        if (raw is null) return false;
        var s = raw.Trim();
        if (s.Length > 10)
        {
            var tz = s[10..];
            var tzOk = tz == "Z" || (tz.Length == 6 && (tz[0] is '+' or '-') && char.IsAsciiDigit(tz[1]) && char.IsAsciiDigit(tz[2]) && tz[3] == ':' && char.IsAsciiDigit(tz[4]) && char.IsAsciiDigit(tz[5]));
            if (!tzOk) return false;
            s = s[..10];
        }
        return DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    /// <summary>Parses an ISO 4217 code: exactly three capital letters.</summary>
    public static bool TryParseCurrency(string? raw, out Currency currency)
    {
        currency = default;
        var s = raw?.Trim();
        if (s is null || s.Length != 3 || !s.All(c => c is >= 'A' and <= 'Z')) return false;
        return Currency.TryParse(s, out currency);
    }

    /// <summary>Invariant text for a decimal, as written (scale kept).</summary>
    public static string Invariant(decimal d) => d.ToString(CultureInfo.InvariantCulture);

    /// <summary>Describes an XmlException without the location the error already carries.</summary>
    public static string Describe(XmlException ex)
    {
        var msg = ex.Message;
        var at = msg.IndexOf(" Line ", StringComparison.Ordinal);
        if (at > 0) msg = msg[..at].TrimEnd('.', ',') + ".";
        return msg;
    }
}
