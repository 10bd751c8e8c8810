using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace Purr.Core.Formats.Camt;

/// <summary>
/// Streaming reader for ISO 20022 camt.053 (BankToCustomerStatement) and camt.054
/// (BankToCustomerDebitCreditNotification), message versions .001.02 and later (tested .02 to .08).
/// </summary>
/// <remarks>
/// <para>Source: ISO 20022 message definitions camt.053.001.02–.08 / camt.054.001.02–.08; NORWAY-RULES §6.
/// The document is read with an <see cref="XmlReader"/>: only one Ntry header, one TxDtls and the statement
/// header are in memory at a time, and the per-transaction parts are read field by field from the reader (no
/// XElement per transaction), so memory stays flat as files grow apart from the uniqueness check of the bank
/// references (about 16 bytes per reference, exact: see <see cref="UniqueReferences"/>). DTDs are refused (no
/// external entities).</para>
/// <para><b>Transactions.</b> An entry (Ntry) without TxDtls is one transaction. An entry with one TxDtls is one
/// transaction with the entry's booked amount (a differing TxDtls amount gives a warning). An entry with several
/// TxDtls (a batch, e.g. all KID payments of a day) gives one transaction per TxDtls with amount
/// <c>AmtDtls/TxAmt/Amt</c>, else <c>TxDtls/Amt</c> (v3+), signed by the TxDtls CdtDbtInd (v3+) or the entry's;
/// these must add up to the entry amount (else a located error). When the first two TxDtls of a batch do not
/// both carry an amount in the entry's currency, the batch is taken as one transaction of the entry amount whose
/// references and texts merge those of all its details (<see cref="CamtEntryDetails.IsMergedBatch"/>).</para>
/// <para><b>Sign and reversals.</b> Credit positive, debit negative, following CdtDbtInd also when
/// <c>RvslInd</c> is true: ISO 20022 defines a reversal entry as one booked in the direction opposite to the
/// original (CRDT + RvslInd reverses a debit), and a real PostFinance camt.053 statement reconciles opening +
/// entries = closing only this way. <see cref="BankTransaction.IsReversal"/> carries the flag. The Finnish
/// guideline sample's TtlNetNtryAmt counts its (unbooked, INFO) CRDT reversal negatively; such a net-total
/// difference is reported as a warning, never silently "fixed".</para>
/// <para><b>Bank reference</b> (the idempotency key, unique within the file, checked): for a transaction that
/// is a whole entry, the entry's AcctSvcrRef, else the single TxDtls's AcctSvcrRef; for a TxDtls of a batch,
/// its own Refs/AcctSvcrRef, else "{entry AcctSvcrRef}/{n}" (n = 1-based TxDtls position in the entry). Without
/// any AcctSvcrRef the entry key is derived: "camt:{MsgId}:{statement position}:{entry position}". A reference
/// repeated in the file is a located error naming the line of its first use. The check is exact with little
/// memory: a table of seeded 64-bit hashes finds candidates, and a front-coded log of the references confirms a
/// candidate by comparing the strings, so two different references with the same hash are never reported as a
/// duplicate (<see cref="UniqueReferences"/>).</para>
/// <para><b>Control totals.</b> TxsSummry NbOfNtries and Sum (total, credit and debit) are checked against the
/// entries (errors); TtlNetNtryAmt / TtlNetNtry and the camt.053 balance equation are checked as warnings.</para>
/// </remarks>
public static partial class CamtReader
{
    /// <summary>The ISO 20022 camt namespace stem; the full namespace is e.g. <c>urn:iso:std:iso:20022:tech:xsd:camt.054.001.02</c>.</summary>
    public const string NamespaceStem = "urn:iso:std:iso:20022:tech:xsd:camt.";

    private const string IsoStem = "urn:iso:std:iso:20022:tech:xsd:";

    [GeneratedRegex(@"^urn:iso:std:iso:20022:tech:xsd:camt\.(?<msg>[0-9]{3})\.001\.(?<ver>[0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex CamtNamespace();

    [GeneratedRegex(@"\s*Line \d+, position \d+\.\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex XmlExceptionPosition();

    /// <summary>Reads a camt.053 or camt.054 document. Enumerate the result once; see <see cref="BankFileReading"/>.</summary>
    public static BankFileReading Read(Stream stream, string fileName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        return new BankFileReading(fileName, BankFileFormat.Unknown, builder =>
        {
            var parser = new CamtParser(stream, fileName, builder);
            return Guard(parser, parser.Parse());
        });
    }

    // An XmlException (not well-formed, truncated, bad bytes for the declared encoding, a DTD) ends the reading
    // with one located error. The try/catch sits around MoveNext so that the parser itself can stream with yield.
    private static IEnumerable<BankRecord> Guard(CamtParser parser, IEnumerable<BankRecord> inner)
    {
        using var e = inner.GetEnumerator();
        while (true)
        {
            InputError? fault = null;
            bool has;
            try
            {
                has = e.MoveNext();
            }
            catch (XmlException ex)
            {
                has = false;
                fault = XmlFault(parser, ex.LineNumber, ex.LinePosition, XmlExceptionPosition().Replace(ex.Message, ""));
            }
            catch (DecoderFallbackException ex)
            {
                has = false;
                fault = XmlFault(parser, parser.CurrentLine, 0, "bytes that are not valid in the declared encoding: " + ex.Message);
            }
            if (fault is not null)
            {
                yield return BankRecord.Of(fault);
                yield break;
            }
            if (!has) yield break;
            yield return e.Current;
        }
    }

    private static InputError XmlFault(CamtParser parser, int line, int position, string message)
    {
        var where = position > 0 ? $" (position {position})" : "";
        var expected = message.Contains("DTD", StringComparison.Ordinal)
            ? "a document without a DTD (<!DOCTYPE ...>): document type definitions are refused because they can pull in other files"
            : $"well-formed XML in its declared encoding; {message}{where}";
        return new InputError(parser.File, line > 0 ? line : Math.Max(parser.CurrentLine, 1), null, null, expected, parser.CurrentPath);
    }

    /// <summary>True when the bytes start (after a byte order mark and white space) with '&lt;'.</summary>
    internal static bool LooksLikeXml(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
        {
            var little = head[0] == 0xFF;
            for (var i = 2; i + 1 < head.Length; i += 2)
            {
                var c = little ? (char)(head[i] | head[i + 1] << 8) : (char)(head[i] << 8 | head[i + 1]);
                if (char.IsWhiteSpace(c)) continue;
                return c == '<';
            }
            return false;
        }
        if (head.Length >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) head = head[3..];
        foreach (var b in head)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') continue;
            return b == (byte)'<';
        }
        return false;
    }

    /// <summary>Camt053, Camt054 or Unknown, from the first element in a camt namespace within the head bytes.</summary>
    internal static BankFileFormat DetectKind(ReadOnlySpan<byte> head)
    {
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(head.ToArray()), CamtParser.Settings);
            var found = FindCamtElement(reader, out _, out _);
            return found is null ? BankFileFormat.Unknown : KindOf(found.Value.Message);
        }
        catch (XmlException)
        {
            return BankFileFormat.Unknown; // the head ended (or broke) before a camt element was seen
        }
    }

    internal static BankFileFormat KindOf(string message) => message switch
    {
        "053" => BankFileFormat.Camt053,
        "054" => BankFileFormat.Camt054,
        _ => BankFileFormat.Unknown,
    };

    /// <summary>The message number ("053") and version (2..99) of a camt namespace, or null.</summary>
    internal static (string Message, int Version)? ParseNamespace(string ns)
    {
        var m = CamtNamespace().Match(ns);
        if (!m.Success) return null;
        return (m.Groups["msg"].Value, int.Parse(m.Groups["ver"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Moves the reader to the first element in an ISO 20022 camt namespace: the root, or an element at most two
    /// levels below a wrapper (business application header envelopes). Returns null when there is none; then
    /// <paramref name="root"/> describes the document's root element. <paramref name="path"/> is the XPath of
    /// the element found.
    /// </summary>
    internal static (string Message, int Version)? FindCamtElement(XmlReader reader, out (string Name, string Ns, int Line) root, out string path)
    {
        root = ("", "", 0);
        path = "";
        if (reader.MoveToContent() != XmlNodeType.Element) return null;
        root = (reader.LocalName, reader.NamespaceURI, (reader as IXmlLineInfo)?.LineNumber ?? 0);
        var names = new List<string>();
        var examined = 0;
        while (!reader.EOF && examined++ < 64)
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                if (names.Count > reader.Depth) names.RemoveRange(reader.Depth, names.Count - reader.Depth);
                names.Add(reader.LocalName);
                if (reader.NamespaceURI.StartsWith(NamespaceStem, StringComparison.Ordinal))
                {
                    path = "/" + string.Join("/", names);
                    return ParseNamespace(reader.NamespaceURI) ?? ("?", 0);
                }
                // Another ISO 20022 message (pain.001, ...) is not an envelope around camt.
                if (reader.Depth == 0 && reader.NamespaceURI.StartsWith(IsoStem, StringComparison.Ordinal)) return null;
                if (reader.Depth >= 2) { reader.Skip(); continue; }
            }
            reader.Read();
        }
        return null;
    }
}
