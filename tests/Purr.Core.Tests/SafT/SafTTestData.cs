using Purr.Core.Formats.SafT;

namespace Purr.Core.Tests.SafT;

internal static class SafTTestData
{
    public static string PathOf(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "data", .. parts]);

    public static string Skatteetaten(string file) => PathOf("saf-t", "Skatteetaten+saf-t", file);

    public static string Synthetic => PathOf("saf-t", "synthetic", "saf-t-1.30-open-items.xml");

    public static SafTReadResult ReadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return SafTReader.Read(stream, Path.GetFileName(path));
    }

    public static SafTReadResult ReadText(string xml, string name)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(xml));
        return SafTReader.Read(stream, name);
    }
}
