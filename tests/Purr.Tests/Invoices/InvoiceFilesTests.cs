using System.IO.Compression;
using Purr.Features.Imports;
using Purr.Features.Inspect;

namespace Purr.Tests.Invoices;

/// <summary>Format detection, the inputs a path stands for, and their content hash (no database).</summary>
public sealed class InvoiceFilesTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "purr-invoice-files-tests", Guid.NewGuid().ToString("N"));

    public InvoiceFilesTests() => Directory.CreateDirectory(_dir);

    private static string Data(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "data", .. parts]);

    [Theory]
    [InlineData("ehf", "ehf-ubl/OpenPEPPOL+peppol-bis-invoice-3/Norwegian-example-1.xml")]
    [InlineData("ehf", "ehf-ubl/OpenPEPPOL+peppol-bis-invoice-3/base-creditnote-correction.xml")]
    [InlineData("ehf", "ehf-ubl/synthetic/sbdh-wrapped-invoice.xml")]
    [InlineData("ehf", "ehf-ubl/synthetic/ehf-2.0-credit-note.xml")]
    [InlineData("ehf", "ehf-ubl/anskaffelser+ehf-postaward-g3/Reminder-Example.xml")]
    [InlineData("ehf", "bad-invoice-files/ubl-not-xml.xml")]
    [InlineData("ehf", "bad-invoice-files/ubl-truncated.xml")]
    [InlineData("ehf", "bad-invoice-files/ubl-order-not-invoice.xml")]
    [InlineData("saft", "saf-t/synthetic/saf-t-1.30-open-items.xml")]
    [InlineData("saft", "saf-t/Skatteetaten+saf-t/ExampleFile SAF-T Financial_999999999_20161125213512.xml")]
    [InlineData("saft", "saf-t/Skatteetaten+saf-t/Eksempelfil fra xmlSpy.xml")]
    [InlineData("saft", "bad-invoice-files/saft-truncated.xml")]
    [InlineData("saft", "bad-invoice-files/saft-wrong-namespace.xml")]
    [InlineData("csv", "csv/invoices.csv")]
    [InlineData("csv", "csv/invoices-excel-1252.csv")]
    [InlineData("csv", "csv/invoices-excel-utf8-bom.csv")]
    public void Auto_detection_picks_the_reader_by_content(string expected, string file)
    {
        Assert.Equal(expected, InvoiceFiles.Detect(Data(file.Split('/'))));
    }

    [Fact]
    public void A_folder_and_a_zip_are_ehf_and_a_folder_is_its_xml_files_in_name_order()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "inbox")).FullName;
        File.Copy(Data("ehf-ubl", "synthetic", "valid-invoice.xml"), Path.Combine(folder, "b.xml"));
        File.Copy(Data("ehf-ubl", "OpenPEPPOL+peppol-bis-invoice-3", "Norwegian-example-1.xml"), Path.Combine(folder, "a.XML"));
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not an invoice");
        var zip = Path.Combine(_dir, "inbox.zip");
        ZipFile.CreateFromDirectory(folder, zip);

        Assert.Equal(("ehf", "ehf"), (InvoiceFiles.Detect(folder), InvoiceFiles.Detect(zip)));
        Assert.Equal(["inbox/a.XML", "inbox/b.xml"], InvoiceFiles.Sources(folder).Select(s => s.Name));
        Assert.Equal(["inbox.zip"], InvoiceFiles.Sources(zip).Select(s => s.Name));
    }

    [Fact]
    public void The_hash_of_one_file_is_its_content_hash_and_a_folder_hash_follows_names_and_contents_not_the_folder()
    {
        var file = Data("csv", "invoices.csv");
        Assert.Equal(ImportFiles.Sha256(File.ReadAllBytes(file)), InvoiceFiles.Sha256(InvoiceFiles.Sources(file)));

        string Folder(string name, params (string File, string Content)[] files)
        {
            var dir = Directory.CreateDirectory(Path.Combine(_dir, name)).FullName;
            foreach (var (f, c) in files) File.WriteAllText(Path.Combine(dir, f), c);
            return InvoiceFiles.Sha256(InvoiceFiles.Sources(dir));
        }
        var one = Folder("one", ("a.xml", "<a/>"), ("b.xml", "<b/>"));
        var renamedFolder = Folder("two", ("a.xml", "<a/>"), ("b.xml", "<b/>"));
        var renamedFile = Folder("three", ("a.xml", "<a/>"), ("c.xml", "<b/>"));
        var moved = Folder("four", ("a.xml", "<a/><b/>"), ("b.xml", ""));

        Assert.Equal(one, renamedFolder);
        Assert.NotEqual(one, renamedFile);
        Assert.NotEqual(one, moved);
    }

    [Theory]
    [InlineData("invoices.csv", "invoices")]
    [InlineData("invoices-excel-1252.csv", "invoices")]
    [InlineData("customers.csv", "customers")]
    [InlineData("payments.csv", "payments")]
    public void Csv_kind_is_told_by_the_header(string file, string kind)
    {
        Assert.Equal(kind, InspectInvoices.CsvKind(File.ReadAllBytes(Data("csv", file))));
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
