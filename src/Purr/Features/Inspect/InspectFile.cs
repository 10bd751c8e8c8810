using Purr.Core.Formats;
using Purr.Features.Common;
using Purr.Features.Imports;

namespace Purr.Features.Inspect;

/// <summary>
/// <c>purr inspect</c>: reads a file without a database and returns what an import would see. Picks the format (or
/// takes the one given) and hands the file to the reader for its family: bank files (camt.054, camt.053, OCR giro,
/// payments CSV) to <see cref="InspectPayments"/>; invoice files (CSV invoices and customers, EHF, SAF-T) to
/// <see cref="InspectInvoices"/>.
/// </summary>
public static class InspectFile
{
    private static readonly string[] PaymentFormats = ["camt054", "camt053", "ocr", "csv-payments"];

    /// <summary>Every value <c>--format</c> accepts.</summary>
    public static IReadOnlyList<string> Formats { get; } = [InvoiceFiles.Auto, .. PaymentFormats, InvoiceFiles.Csv, InvoiceFiles.Ehf, InvoiceFiles.SafT];

    /// <summary>Inspects <paramref name="path"/> (a file, or a folder of EHF files).</summary>
    /// <returns><see cref="PaymentFileInspection"/> or <see cref="InspectInvoices.Result"/>, printed as JSON by the hosts.</returns>
    public static Task<object> HandleAsync(string path, string? format, CancellationToken ct)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) throw RejectedInputException.Argument("file", path, "expected an existing file or folder");
        var chosen = (format ?? InvoiceFiles.Auto).ToLowerInvariant();
        if (!Formats.Contains(chosen))
            throw RejectedInputException.Argument("--format", format, $"expected one of {string.Join(", ", Formats)}");
        if (File.Exists(path) && (PaymentFormats.Contains(chosen) || (chosen == InvoiceFiles.Auto && IsPaymentFile(path))))
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return Task.FromResult<object>(InspectPayments.Inspect(path, stream, chosen == InvoiceFiles.Auto ? "auto" : chosen));
        }
        if (chosen == InvoiceFiles.Auto) chosen = InvoiceFiles.Detect(path);
        if (Directory.Exists(path) && chosen != InvoiceFiles.Ehf)
            throw RejectedInputException.Argument("--format", format, "expected ehf or auto for a folder (a folder is read as EHF files)");
        return Task.FromResult<object>(InspectInvoices.Inspect(path, chosen, ct));
    }

    /// <summary>The same, synchronously (the readers are synchronous; the hosts call <see cref="HandleAsync"/>).</summary>
    public static object Inspect(string path, string format = "auto") => HandleAsync(path, format, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>A bank file (camt, OCR giro) by its content, or a CSV whose header is a payments header.</summary>
    private static bool IsPaymentFile(string path)
    {
        var head = new byte[64 * 1024];
        int n;
        using (var f = File.OpenRead(path)) n = f.Read(head, 0, head.Length);
        var span = head.AsSpan(0, n);
        if (BankFileReader.Detect(span) != BankFileFormat.Unknown) return true;
        return InvoiceFiles.Detect(path) == InvoiceFiles.Csv && InspectInvoices.CsvKind(File.ReadAllBytes(path)) == "payments";
    }
}
