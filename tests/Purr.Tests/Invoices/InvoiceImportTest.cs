using System.IO.Compression;
using Microsoft.EntityFrameworkCore;
using Purr.Data;
using Purr.Features.Creditors;
using Purr.Features.Imports;
using Purr.Tests.Infrastructure;

namespace Purr.Tests.Invoices;

/// <summary>Shared steps of the EHF and SAF-T import tests: a creditor, the handlers, counts, and temporary folders and zips.</summary>
public abstract class InvoiceImportTest<TDb>(TDb fixture) : DbTest<TDb>(fixture), IDisposable where TDb : DatabaseFixture
{
    private readonly List<string> _temp = [];

    protected static string Ehf(string folder, string file) => Data("ehf-ubl", folder, file);
    protected static string Peppol(string file) => Ehf("OpenPEPPOL+peppol-bis-invoice-3", file);
    protected static string Synthetic(string file) => Ehf("synthetic", file);
    protected static string SafT(string folder, string file) => Data("saf-t", folder, file);
    protected static string SafTSynthetic => SafT("synthetic", "saf-t-1.30-open-items.xml");
    protected static string Bad(string file) => Data("bad-invoice-files", file);

    protected async Task<long> CreditorAsync(string? orgNumber = null, string name = "Purr Testselskap AS")
    {
        await using var db = await OpenAsync();
        return (await AddCreditor.HandleAsync(db, new AddCreditor.Command(name, orgNumber, null, null, null, null, null), Actor, Clock, Ct)).Id;
    }

    protected async Task<ImportResult> ImportEhfAsync(long creditor, string path)
    {
        await using var db = await OpenAsync();
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(path));
        return await ImportEhf.HandleAsync(db, new ImportEhf.Command(name, InvoiceFiles.Sources(path), creditor), Actor, Clock, Ct);
    }

    protected async Task<ImportResult> ImportSafTAsync(long creditor, string path)
    {
        await using var db = await OpenAsync();
        return await ImportSafT.HandleAsync(db, new ImportSafT.Command(InvoiceFiles.Sources(path)[0], creditor), Actor, Clock, Ct);
    }

    protected async Task<(int Invoices, int Payments, int Allocations, int Events, int Customers, int Imports)> CountsAsync()
    {
        await using var db = await OpenAsync();
        return (await db.Invoices.CountAsync(Ct), await db.Payments.CountAsync(Ct), await db.Allocations.CountAsync(Ct),
            await db.ClaimEvents.CountAsync(Ct), await db.Customers.CountAsync(Ct), await db.Imports.CountAsync(Ct));
    }

    protected async Task<Invoice> InvoiceAsync(string number, DocumentKind kind = DocumentKind.Invoice)
    {
        await using var db = await OpenAsync();
        return await db.Invoices.AsNoTracking().Include(i => i.Customer).SingleAsync(i => i.Number == number && i.Kind == kind, Ct);
    }

    protected async Task<Customer> CustomerAsync(string number)
    {
        await using var db = await OpenAsync();
        return await db.Customers.AsNoTracking().SingleAsync(c => c.CustomerNumber == number, Ct);
    }

    /// <summary>A new empty folder, deleted after the test.</summary>
    protected string TempFolder(string name)
    {
        var root = Path.Combine(Path.GetTempPath(), "purr-inv-tests", Guid.NewGuid().ToString("N"));
        _temp.Add(root);
        var dir = Path.Combine(root, name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>A folder holding copies of <paramref name="files"/> (name → source path).</summary>
    protected string FolderOf(string name, params (string Name, string Source)[] files)
    {
        var dir = TempFolder(name);
        foreach (var (n, source) in files) File.Copy(source, Path.Combine(dir, n));
        return dir;
    }

    /// <summary>A zip archive of <paramref name="files"/> (entry name → source path).</summary>
    protected string ZipOf(string name, params (string Name, string Source)[] files)
    {
        var path = Path.Combine(TempFolder("zip"), name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (n, source) in files) zip.CreateEntryFromFile(source, n);
        return path;
    }

    /// <summary>A copy of the synthetic valid invoice 10042 under another number (and KID), written to a temporary file.</summary>
    protected string ValidInvoiceNumbered(string number)
    {
        var xml = File.ReadAllText(Synthetic("valid-invoice.xml")).Replace("<cbc:ID>10042</cbc:ID>", $"<cbc:ID>{number}</cbc:ID>", StringComparison.Ordinal);
        var path = Path.Combine(TempFolder("copy"), $"invoice-{number}.xml");
        File.WriteAllText(path, xml);
        return path;
    }

    /// <summary>A temporary file with <paramref name="content"/>.</summary>
    protected string TempFile(string name, string content)
    {
        var path = Path.Combine(TempFolder("file"), name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        foreach (var dir in _temp)
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        GC.SuppressFinalize(this);
    }
}
