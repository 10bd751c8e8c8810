using Purr.Features.Common;
using Purr.Features.Imports;
using Purr.Tests.Infrastructure;

namespace Purr.Tests.Invoices;

public sealed class StreamingImportTests_Sqlite(SqliteFixture f) : StreamingImportTests<SqliteFixture>(f);
public sealed class StreamingImportTests_Postgres(PostgresFixture f) : StreamingImportTests<PostgresFixture>(f);

/// <summary>
/// The EHF and SAF-T imports read their input one document (or record) at a time and keep only compact aggregates:
/// what is found late in a large input must still reject all of it, and the findings must be those of reading it whole.
/// </summary>
public abstract class StreamingImportTests<TDb>(TDb fixture) : InvoiceImportTest<TDb>(fixture) where TDb : DatabaseFixture
{
    [Fact]
    public async Task Errors_late_in_a_large_zip_reject_every_document_and_nothing_is_written()
    {
        var creditor = await CreditorAsync();
        var empty = await CountsAsync();
        var entries = Enumerable.Range(1, 40).Select(i => ($"{i:000}.xml", ValidInvoiceNumbered((40000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))))
            .Append(("900.xml", Peppol("Vat-category-S.xml")))
            .Append(("950.xml", Peppol("Allowance-example.xml")))  // the number Snippet1 again, other content
            .Append(("999.xml", Bad("ubl-truncated.xml")))
            .ToArray();
        var zip = ZipOf("late.zip", entries);

        RejectedInputException rejected;
        using (ImportInvoices.UseChunkSize(7)) rejected = await Assert.ThrowsAsync<RejectedInputException>(() => ImportEhfAsync(creditor, zip));

        Assert.Equal(2, rejected.Errors.Count);
        Assert.Equal("late.zip/999.xml", rejected.Errors[0].File);
        Assert.StartsWith("expected well-formed XML", rejected.Errors[0].Expected);
        Assert.Equal(("late.zip/950.xml", "/Invoice/cbc:ID", "Snippet1"), (rejected.Errors[1].File, rejected.Errors[1].XPath, rejected.Errors[1].RawValue));
        Assert.Contains("late.zip/900.xml", rejected.Errors[1].Expected);
        Assert.Equal(empty, await CountsAsync());
    }

    [Fact]
    public async Task A_large_zip_imports_every_document_once_with_the_buyer_created_once()
    {
        var creditor = await CreditorAsync();
        var entries = Enumerable.Range(1, 30).Select(i => ($"{i:000}.xml", ValidInvoiceNumbered((41000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToArray();
        var zip = ZipOf("many.zip", entries);

        ImportResult result, again;
        using (ImportInvoices.UseChunkSize(4))
        {
            result = await ImportEhfAsync(creditor, zip);
            again = await ImportEhfAsync(creditor, zip);
        }

        Assert.Equal((30, 30, 0), (result.Records, result.Created, result.Unchanged));
        Assert.Equal(("30", "1", "1"), (result.Totals!["documents"], result.Totals["customers"], result.Totals["customers_created"]));
        Assert.True(again.AlreadyImported);
        var counts = await CountsAsync();
        Assert.Equal((30, 1, 1), (counts.Invoices, counts.Customers, counts.Imports));
    }

    [Fact]
    public async Task A_saft_file_exported_again_in_chunks_of_one_skips_every_payment_already_posted()
    {
        var creditor = await CreditorAsync();
        ImportResult first, second;
        using (ImportInvoices.UseChunkSize(1))
        {
            first = await ImportSafTAsync(creditor, SafTSynthetic);
            var before = await CountsAsync();
            // The same content under another hash (a new export of the same period): nothing new to post.
            second = await ImportSafTAsync(creditor, TempFile("again.xml", File.ReadAllText(SafTSynthetic) + "\n"));
            var after = await CountsAsync();
            Assert.Equal((before.Invoices, before.Payments, before.Allocations), (after.Invoices, after.Payments, after.Allocations));
        }

        Assert.False(second.AlreadyImported);
        Assert.NotEqual("0", first.Totals!["payments"]);
        Assert.Equal(first.Totals["payments"], second.Totals!["payment_duplicates"]);
        Assert.Equal((first.Records, 0, first.Records), (second.Records, second.Created, second.Unchanged));
    }

    [Fact]
    public async Task Saft_balance_differences_are_reported_and_posted_when_the_file_is_posted_in_chunks()
    {
        var creditor = await CreditorAsync();
        var xml = File.ReadAllText(SafTSynthetic).Replace("<ClosingDebitBalance>625.00</ClosingDebitBalance>", "<ClosingDebitBalance>700.00</ClosingDebitBalance>", StringComparison.Ordinal);

        ImportResult r;
        using (ImportInvoices.UseChunkSize(2)) r = await ImportSafTAsync(creditor, TempFile("changed.xml", xml));

        Assert.Equal([("10002", "movements", "75.00"), ("10002", "open_items", "75.00")],
            r.BalanceDifferences!.Select(d => (d.CustomerNumber, d.Check, d.Difference)));
        Assert.Contains(r.Notes!, n => n.Contains("AVVIK-10002", StringComparison.Ordinal));
        Assert.Equal(7500L, (await InvoiceAsync("AVVIK-10002")).Amount);
    }
}
