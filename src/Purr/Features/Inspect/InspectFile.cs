using Purr.Features.Common;
using Purr.Features.Imports;

namespace Purr.Features.Inspect;

/// <summary>
/// <c>purr inspect</c>: reads a file without a database and returns what an import would see. Picks the format
/// (or takes the one given) and hands the file to the reader for its family: invoice files (CSV invoices and customers,
/// EHF, SAF-T) to <see cref="InspectInvoices"/>. Bank files (camt, OCR giro) are added next to it.
/// </summary>
public static class InspectFile
{
    /// <summary>Inspects <paramref name="path"/> (a file, or a folder of EHF files).</summary>
    /// <param name="path">The file or folder.</param>
    /// <param name="format">auto (or null), csv, ehf or saft.</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>The family's result record (for invoice files <see cref="InspectInvoices.Result"/>), printed as JSON by the hosts.</returns>
    public static Task<object> HandleAsync(string path, string? format, CancellationToken ct)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) throw RejectedInputException.Argument("file", path, "expected an existing file or folder");
        var chosen = (format ?? InvoiceFiles.Auto).ToLowerInvariant();
        if (chosen == InvoiceFiles.Auto) chosen = InvoiceFiles.Detect(path);
        if (Directory.Exists(path) && chosen != InvoiceFiles.Ehf)
            throw RejectedInputException.Argument("--format", format, "expected ehf or auto for a folder (a folder is read as EHF files)");
        if (chosen == InvoiceFiles.Csv && InspectInvoices.CsvKind(File.ReadAllBytes(path)) == "payments")
            throw RejectedInputException.Argument("file", path, "expected an invoices or customers CSV: payments CSV files are not inspected yet");
        object result = chosen switch
        {
            InvoiceFiles.Csv or InvoiceFiles.Ehf or InvoiceFiles.SafT => InspectInvoices.Inspect(path, chosen, ct),
            _ => throw RejectedInputException.Argument("--format", format, $"expected one of {string.Join(", ", InvoiceFiles.Formats)}: '{format}' is not a supported format"),
        };
        return Task.FromResult(result);
    }
}
