using System.Security.Cryptography;
using System.Text;
using System.Xml;
using Purr.Core.Formats;

namespace Purr.Features.Imports;

/// <summary>
/// The invoice file formats (CSV, EHF / PEPPOL UBL, SAF-T Financial), how <c>auto</c> picks one, and the inputs a
/// path stands for (one file, or every *.xml in a folder) with their content hash.
/// </summary>
public static class InvoiceFiles
{
    public const string Auto = "auto", Csv = "csv", Ehf = "ehf", SafT = "saft";

    /// <summary>The values of <c>--format</c>.</summary>
    public static readonly string[] Formats = [Auto, Csv, Ehf, SafT];

    /// <summary>
    /// Picks the format of a path: a folder or a zip archive is EHF; an XML document (a name ending in .xml, or
    /// content starting with '&lt;') is SAF-T when its root element is AuditFile and EHF otherwise (the EHF reader then
    /// says precisely what is wrong with it); anything else is CSV.
    /// </summary>
    public static string Detect(string path)
    {
        if (Directory.Exists(path)) return Ehf;
        using var stream = File.OpenRead(path);
        Span<byte> head = stackalloc byte[4];
        var n = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        if (n == 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] is 3 or 5 && head[3] is 4 or 6) return Ehf;
        stream.Position = 0;
        var (root, _) = XmlRoot(stream);
        if (root == "AuditFile") return SafT;
        if (root is not null || path.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || StartsWithAngle(path)) return Ehf;
        return Csv;
    }

    /// <summary>The local name and namespace of the root element, or (null, null) when the content is not XML.</summary>
    public static (string? LocalName, string? Namespace) XmlRoot(Stream stream)
    {
        try
        {
            using var reader = XmlReader.Create(stream, new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Ignore, XmlResolver = null, IgnoreComments = true, IgnoreWhitespace = true, CloseInput = false,
            });
            return reader.MoveToContent() == XmlNodeType.Element ? (reader.LocalName, reader.NamespaceURI) : (null, null);
        }
        catch (XmlException)
        {
            return (null, null);
        }
    }

    private static bool StartsWithAngle(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> head = stackalloc byte[64];
        var n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var text = head[..n];
        if (text.StartsWith("\uFEFF"u8)) text = text[3..];
        foreach (var b in text)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') continue;
            return b == (byte)'<';
        }
        return false;
    }

    /// <summary>
    /// The inputs a path stands for: the file itself (named by its file name), or every *.xml file directly in a folder,
    /// sorted by name (ordinal), each named "folder/file.xml" in error locations.
    /// </summary>
    public static IReadOnlyList<InvoiceSource> Sources(string path)
    {
        if (!Directory.Exists(path))
        {
            var full = Path.GetFullPath(path);
            return [new InvoiceSource(Path.GetFileName(full), () => File.OpenRead(full))];
        }
        var folder = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
        return Directory.EnumerateFiles(path, "*", SearchOption.TopDirectoryOnly)
            .Where(f => f.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
            .Select(f => (Name: Path.GetFileName(f), Full: Path.GetFullPath(f)))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => new InvoiceSource(folder + "/" + f.Name, () => File.OpenRead(f.Full)))
            .ToList();
    }

    /// <summary>
    /// SHA-256 (lower-case hex) identifying the input: for one source the hash of its content (the same as for a CSV
    /// file), for several the hash over their names (without the folder) and contents in order. Streams; never holds a
    /// whole file.
    /// </summary>
    public static string Sha256(IReadOnlyList<InvoiceSource> sources)
    {
        if (sources.Count == 1)
        {
            using var s = sources[0].Open();
            return Convert.ToHexStringLower(SHA256.HashData(s));
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        Span<byte> length = stackalloc byte[8];
        foreach (var source in sources)
        {
            var name = source.Name[(source.Name.LastIndexOf('/') + 1)..];
            hash.AppendData(Encoding.UTF8.GetBytes(name));
            hash.AppendData([0]);
            using var s = source.Open();
            long total = 0;
            int read;
            while ((read = s.Read(buffer, 0, buffer.Length)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                total += read;
            }
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(length, total);
            hash.AppendData(length);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
