using Purr.Core.Formats;
using Purr.Core.Formats.Ubl;

namespace Purr.Core.Tests.Ubl;

internal static class UblTestData
{
    public static string PathOf(params string[] parts) =>
        Path.Combine([AppContext.BaseDirectory, "data", .. parts]);

    public static string Peppol(string file) => PathOf("ehf-ubl", "OpenPEPPOL+peppol-bis-invoice-3", file);

    public static string Ehf(string file) => PathOf("ehf-ubl", "anskaffelser+ehf-postaward-g3", file);

    public static string Bad(string file) => PathOf("bad-invoice-files", file);

    public static InvoiceReadResult ReadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return UblReader.Read(stream, Path.GetFileName(path));
    }

    public static InvoiceReadResult ReadText(string xml, string name = "test.xml")
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(xml));
        return UblReader.Read(stream, name);
    }
}
