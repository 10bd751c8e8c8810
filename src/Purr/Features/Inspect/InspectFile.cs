using Purr.Features.Common;

namespace Purr.Features.Inspect;

/// <summary>
/// <c>purr inspect FILE</c>: parses any supported file without a database and returns its normalized records and
/// totals. This dispatcher knows the payment formats (<see cref="InspectPayments"/>); invoice formats plug in beside them.
/// </summary>
public static class InspectFile
{
    /// <summary>The formats <c>--format</c> accepts.</summary>
    public static IReadOnlyList<string> Formats => InspectPayments.Formats;

    /// <summary>Inspects the file at <paramref name="path"/> (streamed).</summary>
    /// <exception cref="RejectedInputException">The file is missing or has errors (all of them, located).</exception>
    public static object Inspect(string path, string format = "auto")
    {
        if (!File.Exists(path)) throw RejectedInputException.Argument("file", path, "an existing file");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return InspectPayments.Inspect(path, stream, format);
    }
}
