using System.IO.Compression;
using System.Xml;
using System.Xml.Linq;

namespace Purr.Core.Formats.Ubl;

/// <summary>
/// Reads EHF / PEPPOL BIS Billing 3.0 invoices and credit notes (UBL 2.1 Invoice and CreditNote; also EHF 2.0 and
/// documents wrapped in a PEPPOL StandardBusinessDocument envelope) into <see cref="InvoiceDocument"/>s.
/// </summary>
/// <remarks>
/// <para>Input: one XML document, or a zip archive of many (detected by its signature; entries not ending in .xml are
/// listed in <see cref="InvoiceReadResult.SkippedEntries"/>). For a folder the shell passes one
/// <see cref="InvoiceSource"/> per file to <see cref="ReadMany"/>: Purr.Core does no file-system I/O.</para>
/// <para>Documents are read one at a time with an <see cref="XmlReader"/>; embedded attachments
/// (EmbeddedDocumentBinaryObject) are skipped, not loaded.</para>
/// <para>Checked, each failure an <see cref="InputError"/> with file, line and XPath: well-formed XML; the UBL 2.1
/// namespace; mandatory ID (BT-1), IssueDate (BT-2), DocumentCurrencyCode (BT-5), PayableAmount (BT-115) and buyer
/// name (BT-44); dates (YYYY-MM-DD) and amounts (xs:decimal); currencyID = document currency (PEPPOL-EN16931-R051);
/// a due date or payment terms when an amount is due (BR-CO-25); a valid organisation number where the scheme is 0192;
/// the totals arithmetic BR-CO-10 to BR-CO-16 and the line net amount PEPPOL-EN16931-R120 (source:
/// OpenPEPPOL/peppol-bis-invoice-3 rules/sch, NORWAY-RULES §7).</para>
/// <para>An <b>EHF Reminder 3.0</b> (CustomizationID …:ehf:reminder:3.0, a UBL Invoice root; NORWAY-RULES §7.3) is
/// rejected with the error "an EHF Reminder is not an invoice": it is a dunning notice about an invoice already issued,
/// and importing it as a claim would count the debt twice.</para>
/// <para>Negative invoices (PEPPOL "negative invoice correction") are kept with their sign and act as credit notes;
/// see <see cref="InvoiceDocument"/> for the sign convention.</para>
/// </remarks>
public static class UblReader
{
    /// <summary>At most this many errors are listed; the rest are counted in a final error.</summary>
    public const int MaxErrors = 1000;

    /// <summary>Reads one XML document or a zip archive of documents.</summary>
    /// <param name="stream">The content; not closed. A non-seekable stream is buffered in memory first.</param>
    /// <param name="fileName">The name used in error locations.</param>
    public static InvoiceReadResult Read(Stream stream, string fileName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        var sink = new Sink();
        sink.Documents.AddRange(Documents(stream, fileName, sink.Add, sink.Skipped.Add));
        return sink.ToResult();
    }

    /// <summary>Reads several inputs (the files of a folder, several uploads) into one result.</summary>
    public static InvoiceReadResult ReadMany(IEnumerable<InvoiceSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var sink = new Sink();
        sink.Documents.AddRange(Stream(sources, sink.Add, sink.Skipped.Add));
        return sink.ToResult();
    }

    /// <summary>
    /// Reads several inputs one document at a time: each document is parsed when the enumeration reaches it and nothing
    /// of it is kept afterwards, so memory does not grow with the number of documents (a large zip or folder). The
    /// checks and errors are those of <see cref="ReadMany"/>, reported through <paramref name="onError"/> in input order
    /// as the enumeration goes (uncapped: the caller decides how many to keep). Enumerating again reads the inputs again.
    /// </summary>
    /// <param name="sources">The inputs, each opened when reached and closed after its last document.</param>
    /// <param name="onError">Called with every problem found.</param>
    /// <param name="onSkipped">Called with each zip entry that is not XML (named "archive/entry"), which is skipped.</param>
    public static IEnumerable<InvoiceDocument> Stream(IEnumerable<InvoiceSource> sources, Action<InputError> onError, Action<string>? onSkipped = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(onError);
        return StreamSources(sources, onError, onSkipped ?? (_ => { }));
    }

    private static IEnumerable<InvoiceDocument> StreamSources(IEnumerable<InvoiceSource> sources, Action<InputError> onError, Action<string> onSkipped)
    {
        foreach (var source in sources)
        {
            using var stream = source.Open();
            foreach (var document in Documents(stream, source.Name, onError, onSkipped)) yield return document;
        }
    }

    private static IEnumerable<InvoiceDocument> Documents(Stream stream, string name, Action<InputError> onError, Action<string> onSkipped)
    {
        var s = stream;
        if (!s.CanSeek)
        {
            var copy = new MemoryStream();
            s.CopyTo(copy);
            copy.Position = 0;
            s = copy;
        }
        var start = s.Position;
        var head = new byte[4];
        var n = s.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        s.Position = start;
        if (n == 0)
        {
            onError(new InputError(name, 0, null, null, "expected a UBL invoice or credit note; the file is empty"));
            yield break;
        }
        if (n == 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6)))
        {
            foreach (var document in ZipDocuments(s, name, onError, onSkipped)) yield return document;
        }
        else if (ReadXml(s, name, onError) is { } document)
            yield return document;
    }

    private static IEnumerable<InvoiceDocument> ZipDocuments(Stream stream, string name, Action<InputError> onError, Action<string> onSkipped)
    {
        ZipArchive zip;
        IReadOnlyList<ZipArchiveEntry> entries;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            entries = zip.Entries;
        }
        catch (InvalidDataException ex)
        {
            onError(new InputError(name, 0, null, null, $"expected a readable zip archive: {ex.Message}"));
            yield break;
        }
        using (zip)
        {
            foreach (var entry in entries)
            {
                var entryName = entry.FullName;
                if (entryName.EndsWith('/') || entryName.StartsWith("__MACOSX/", StringComparison.Ordinal)) continue;
                var located = name + "/" + entryName;
                if (!entryName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
                {
                    onSkipped(located);
                    continue;
                }
                if (ReadEntry(entry, located, onError) is { } document) yield return document;
            }
        }
    }

    private static InvoiceDocument? ReadEntry(ZipArchiveEntry entry, string located, Action<InputError> onError)
    {
        try
        {
            using var entryStream = entry.Open();
            return ReadXml(entryStream, located, onError);
        }
        catch (InvalidDataException ex)
        {
            onError(new InputError(located, 0, null, null, $"expected a readable zip entry: {ex.Message}"));
            return null;
        }
    }

    private static InvoiceDocument? ReadXml(Stream stream, string name, Action<InputError> onError)
    {
        var builder = new XmlRecordBuilder(n => n == UblNames.Cbc + "EmbeddedDocumentBinaryObject");
        try
        {
            using var reader = XmlReader.Create(stream, XmlRecordBuilder.Settings());
            if (reader.MoveToContent() != XmlNodeType.Element)
            {
                onError(new InputError(name, 0, null, null, "expected a UBL invoice or credit note; the file has no XML element"));
                return null;
            }
            var top = builder.Load(reader);
            while (reader.Read())
            {
                // Read to the end so that garbage after the root element is reported.
            }
            return UblDocumentParser.Parse(top, name, onError);
        }
        catch (XmlException ex)
        {
            var at = builder.Current;
            var xpath = at is null ? null : UblNames.PathOf(at);
            onError(new InputError(name, ex.LineNumber, null, null,
                $"expected well-formed XML; the file is truncated or damaged: {XmlRecords.Describe(ex)}", xpath));
            return null;
        }
        catch (InvalidDataException ex)
        {
            onError(new InputError(name, 0, null, null, $"expected a readable zip entry: {ex.Message}"));
            return null;
        }
    }

    private sealed class Sink
    {
        private int _suppressed;
        public List<InvoiceDocument> Documents { get; } = [];
        public List<InputError> Errors { get; } = [];
        public List<string> Skipped { get; } = [];

        public void Add(InputError error)
        {
            if (Errors.Count < MaxErrors) Errors.Add(error);
            else _suppressed++;
        }

        public InvoiceReadResult ToResult()
        {
            var errors = Errors;
            if (_suppressed > 0)
                errors = [.. errors, new InputError(errors[^1].File, 0, null, null, $"only the first {MaxErrors} errors are listed; {_suppressed} more were found")];
            return new InvoiceReadResult(Documents, errors) { SkippedEntries = Skipped };
        }
    }
}

/// <summary>UBL 2.1 namespaces and how their element names are written in XPaths.</summary>
internal static class UblNames
{
    public const string UblPrefix = "urn:oasis:names:specification:ubl:schema:xsd:";
    public const string InvoiceNs = UblPrefix + "Invoice-2";
    public const string CreditNoteNs = UblPrefix + "CreditNote-2";
    public static readonly XNamespace Cbc = UblPrefix + "CommonBasicComponents-2";
    public static readonly XNamespace Cac = UblPrefix + "CommonAggregateComponents-2";
    public static readonly XNamespace Ext = UblPrefix + "CommonExtensionComponents-2";
    public static readonly XNamespace Sbdh = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader";

    public static string Step(XName name) =>
        name.Namespace == Cbc ? "cbc:" + name.LocalName
        : name.Namespace == Cac ? "cac:" + name.LocalName
        : name.Namespace == Ext ? "ext:" + name.LocalName
        : name.LocalName;

    /// <summary>The XPath of an element from the document's top element, e.g. /Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount.</summary>
    public static string PathOf(XElement e)
    {
        var top = e;
        while (top.Parent is not null) top = top.Parent;
        return XmlRecords.PathOf(e, "/" + Step(top.Name), Step);
    }
}
