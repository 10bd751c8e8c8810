using System.IO.Compression;
using Purr.Core.Formats;
using Purr.Core.Formats.Ubl;
using static Purr.Core.Tests.Ubl.UblTestData;

namespace Purr.Core.Tests.Ubl;

// Zip archives, envelopes, older EHF, streams.
public partial class UblReaderTests
{
    private static MemoryStream Zip(params (string Name, byte[] Content)[] entries)
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var s = zip.CreateEntry(name).Open();
                s.Write(content);
            }
        }
        ms.Position = 0;
        return ms;
    }

    [Fact]
    public void Zip_of_many_reads_every_xml_entry_and_locates_errors_inside_the_archive()
    {
        using var zip = Zip(
            ("2026/Norwegian-example-1.xml", File.ReadAllBytes(Peppol("Norwegian-example-1.xml"))),
            ("2026/credit.xml", File.ReadAllBytes(Peppol("base-creditnote-correction.xml"))),
            ("2026/vedlegg.pdf", [0x25, 0x50, 0x44, 0x46]),
            ("2026/reminder.xml", File.ReadAllBytes(Ehf("Reminder-Example.xml"))));

        var result = UblReader.Read(zip, "batch.zip");

        Assert.Equal(["TOSL108", "Snippet1"], result.Documents.Select(d => d.Number));
        Assert.Equal("batch.zip/2026/Norwegian-example-1.xml", result.Documents[0].Source.File);
        Assert.Equal(["batch.zip/2026/vedlegg.pdf"], result.SkippedEntries);
        var error = Assert.Single(result.Errors);
        Assert.Equal("batch.zip/2026/reminder.xml", error.File);
        Assert.Equal(5, error.Line);
        Assert.Contains("an EHF Reminder is not an invoice", error.Expected);
    }

    [Fact]
    public void Damaged_zip_is_a_located_error()
    {
        using var zip = Zip(("a.xml", File.ReadAllBytes(Peppol("base-example.xml"))));
        var bytes = zip.ToArray()[..60]; // signature intact, archive cut off

        var result = UblReader.Read(new MemoryStream(bytes), "cut.zip");

        Assert.Empty(result.Documents);
        var error = Assert.Single(result.Errors);
        Assert.Equal("cut.zip", error.File);
        Assert.StartsWith("expected a readable zip archive", error.Expected);
    }

    [Fact]
    public void Invoice_inside_a_peppol_envelope_is_read_with_paths_from_the_envelope()
    {
        var result = ReadFile(PathOf("ehf-ubl", "synthetic", "sbdh-wrapped-invoice.xml"));

        Assert.Empty(result.Errors);
        var doc = Assert.Single(result.Documents);
        Assert.Equal("10042", doc.Number);
        Assert.Equal(new SourceLocation("sbdh-wrapped-invoice.xml", 19, "/StandardBusinessDocument/Invoice"), doc.Source);
        Assert.Equal("00100420", doc.Kid); // a valid MOD10 KID
        Assert.Equal("86011117947", doc.PayeeAccount);
        Assert.Equal(Money.Nok(1250m), doc.Amount);
        Assert.Equal("Kunde AS", doc.Customer.Name);
        Assert.Equal("987654325", doc.Customer.OrgNumber);
        Assert.Equal(["Storgata 1"], doc.Customer.AddressLines);
        Assert.Equal("0155", doc.Customer.PostalCode);
    }

    [Fact]
    public void Ehf_2_credit_note_takes_due_date_from_payment_means_and_legacy_org_schemes()
    {
        var result = ReadFile(PathOf("ehf-ubl", "synthetic", "ehf-2.0-credit-note.xml"));

        Assert.Empty(result.Errors);
        var doc = Assert.Single(result.Documents);
        Assert.Equal(InvoiceKind.CreditNote, doc.Kind);
        Assert.Null(doc.TypeCode);
        Assert.Equal("K-2026-7", doc.Number);
        Assert.Equal("10042", doc.CreditsNumber);
        Assert.Equal(new DateOnly(2026, 3, 24), doc.DueDate);
        Assert.Equal(Money.Nok(-187.50m), doc.Amount);
        Assert.Equal("00100438", doc.Kid);
        Assert.Equal("Kreditering av for mye fakturert kattesand", doc.Text);
        Assert.Equal("123456785", doc.SellerOrgNumber);
        var c = doc.Customer;
        Assert.Equal("Tromsø Kattepensjonat", c.Name); // ISO-8859-1 decoded
        Assert.Equal("K-1001", c.CustomerNumber);
        Assert.Equal("914778271", c.OrgNumber); // from the NO…MVA VAT number
        Assert.Equal("0192:914778271", c.PeppolId); // NO:ORGNR written as 0192
        Assert.Null(c.LegalId);
        Assert.Equal(["Havnegata 9", "Att. regnskap"], c.AddressLines);
        Assert.Equal("faktura@kattepensjonat.example", c.Email);
        Assert.Equal(CustomerKind.Business, c.Kind);
    }

    [Fact]
    public void Non_seekable_stream_is_read()
    {
        var bytes = File.ReadAllBytes(Peppol("Norwegian-example-1.xml"));
        using var stream = new ForwardOnlyStream(bytes);

        var result = UblReader.Read(stream, "upload");

        Assert.Equal("TOSL108", Assert.Single(result.Documents).Number);
    }

    [Fact]
    public void Embedded_attachments_are_skipped_without_disturbing_the_document()
    {
        var payload = Convert.ToBase64String(new byte[300_000]);
        var xml = File.ReadAllText(PathOf("ehf-ubl", "synthetic", "valid-invoice.xml")).Replace("  <cac:AccountingSupplierParty>",
            $"""
              <cac:AdditionalDocumentReference>
                <cbc:ID>Vedlegg</cbc:ID>
                <cac:Attachment>
                  <cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf" filename="faktura.pdf">{payload}</cbc:EmbeddedDocumentBinaryObject>
                </cac:Attachment>
              </cac:AdditionalDocumentReference>
              <cac:AccountingSupplierParty>
            """, StringComparison.Ordinal);

        var result = ReadText(xml);

        Assert.Empty(result.Errors);
        Assert.Equal(Money.Nok(1250m), Assert.Single(result.Documents).Amount);
    }

    [Fact]
    public void Invoice_root_with_a_credit_note_type_code_is_a_credit_note()
    {
        var xml = File.ReadAllText(PathOf("ehf-ubl", "synthetic", "valid-invoice.xml"))
            .Replace("<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>", "<cbc:InvoiceTypeCode>381</cbc:InvoiceTypeCode>", StringComparison.Ordinal);

        var doc = Assert.Single(ReadText(xml).Documents);

        Assert.Equal((InvoiceKind.CreditNote, "381"), (doc.Kind, doc.TypeCode));
        Assert.Equal(Money.Nok(-1250m), doc.Amount);
    }

    [Fact]
    public void At_most_a_thousand_errors_are_listed_and_the_rest_counted()
    {
        var entries = Enumerable.Range(1, 1005).Select(i => ($"bad{i}.xml", "not xml"u8.ToArray())).ToArray();
        using var zip = Zip(entries);

        var result = UblReader.Read(zip, "many.zip");

        Assert.Equal(UblReader.MaxErrors + 1, result.Errors.Count);
        Assert.Equal("only the first 1000 errors are listed; 5 more were found", result.Errors[^1].Expected);
    }

    [Theory]
    [InlineData("Oslo kommune", true, CustomerKind.Public)]
    [InlineData("Helse Bergen HF", true, CustomerKind.Public)]
    [InlineData("Statens vegvesen", true, CustomerKind.Public)]
    [InlineData("Kunde AS", true, CustomerKind.Business)]
    [InlineData("Kari Nordmann", false, CustomerKind.Private)]
    [InlineData("", false, null)]
    public void Customer_kind_is_guessed_from_name_and_identifiers(string name, bool hasCompanyId, CustomerKind? expected) =>
        Assert.Equal(expected, InvoiceCustomer.GuessKind(name, hasCompanyId));

    private sealed class ForwardOnlyStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
        public override long Position { get => base.Position; set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }
}
