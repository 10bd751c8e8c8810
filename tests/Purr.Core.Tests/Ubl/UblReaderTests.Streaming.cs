using Purr.Core.Formats;
using Purr.Core.Formats.Ubl;
using static Purr.Core.Tests.Ubl.UblTestData;

namespace Purr.Core.Tests.Ubl;

// UblReader.Stream: one document at a time, the same documents and errors as ReadMany.
public partial class UblReaderTests
{
    [Fact]
    public void Stream_reads_a_source_only_when_the_enumeration_reaches_it()
    {
        var opened = new List<string>();
        InvoiceSource Source(string name, string path) => new(name, () =>
        {
            opened.Add(name);
            return File.OpenRead(path);
        });
        var sources = new[] { Source("a.xml", Peppol("base-example.xml")), Source("b.xml", Peppol("Norwegian-example-1.xml")) };
        var errors = new List<InputError>();

        var documents = UblReader.Stream(sources, errors.Add);
        Assert.Empty(opened);
        var first = documents.First();

        Assert.Equal("a.xml", first.Source.File);
        Assert.Equal(["a.xml"], opened);
        Assert.Empty(errors);
    }

    [Fact]
    public void Stream_over_a_zip_gives_the_documents_errors_and_skipped_entries_of_read()
    {
        byte[] Zipped() => Zip(
            ("1.xml", File.ReadAllBytes(Peppol("base-example.xml"))),
            ("readme.txt", "hello"u8.ToArray()),
            ("2.xml", File.ReadAllBytes(Bad("ubl-truncated.xml"))),
            ("3.xml", File.ReadAllBytes(Peppol("Norwegian-example-1.xml"))),
            ("4.xml", File.ReadAllBytes(Bad("ubl-totals-mismatch.xml")))).ToArray();
        var read = UblReader.Read(new MemoryStream(Zipped()), "batch.zip");
        var errors = new List<InputError>();
        var skipped = new List<string>();

        var streamed = UblReader.Stream([new InvoiceSource("batch.zip", () => new MemoryStream(Zipped()))], errors.Add, skipped.Add).ToList();

        Assert.Equal(read.Documents.Select(d => (d.Number, d.Source)), streamed.Select(d => (d.Number, d.Source)));
        Assert.Equal(read.Errors, errors);
        Assert.Equal(read.SkippedEntries, skipped);
        Assert.Equal(["batch.zip/readme.txt"], skipped);
        Assert.Contains(errors, e => e.File == "batch.zip/2.xml");
        Assert.Contains(errors, e => e.File == "batch.zip/4.xml");
    }
}
