using Microsoft.EntityFrameworkCore;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Imports;
using Purr.Tests.Infrastructure;

namespace Purr.Tests.Invoices;

public sealed class ChunkedImportTests_Sqlite(SqliteFixture f) : ChunkedImportTests<SqliteFixture>(f);
public sealed class ChunkedImportTests_Postgres(PostgresFixture f) : ChunkedImportTests<PostgresFixture>(f);

/// <summary>
/// The invoice import posts in chunks inside one transaction. With a tiny chunk size the small test files span several
/// chunks: the rows must be those of the one-chunk path, an error in a later chunk must leave nothing written, and the
/// import stays idempotent.
/// </summary>
public abstract class ChunkedImportTests<TDb>(TDb fixture) : InvoiceImportTest<TDb>(fixture) where TDb : DatabaseFixture
{
    [Fact]
    public async Task A_saft_file_posted_in_chunks_of_two_gives_the_rows_of_one_chunk()
    {
        var whole = await CreditorAsync(name: "Hel AS");
        var chunked = await CreditorAsync(name: "Bit AS");

        var one = await ImportSafTAsync(whole, SafTSynthetic);
        ImportResult many;
        using (ImportInvoices.UseChunkSize(2)) many = await ImportSafTAsync(chunked, SafTSynthetic);

        Assert.Equal((one.Records, one.Created, one.Unchanged), (many.Records, many.Created, many.Unchanged));
        Assert.Equal(one.Totals, many.Totals);
        var expected = await SnapshotAsync(whole);
        Assert.True(expected.Invoices.Count > 4 && expected.Allocations.Count > 4, "the file spans several chunks of two");
        var actual = await SnapshotAsync(chunked);
        Assert.Equal(expected.Customers, actual.Customers);
        Assert.Equal(expected.Invoices, actual.Invoices);
        Assert.Equal(expected.Payments, actual.Payments);
        Assert.Equal(expected.Allocations, actual.Allocations);
        Assert.Equal(expected.Events, actual.Events);
    }

    [Fact]
    public async Task An_ehf_folder_posted_in_chunks_of_one_gives_the_rows_of_one_chunk()
    {
        var whole = await CreditorAsync(name: "Hel AS");
        var chunked = await CreditorAsync(name: "Bit AS");
        var folder = FolderOf("mixed", ("1.xml", Peppol("base-example.xml")), ("2.xml", Synthetic("valid-invoice.xml")),
            ("3.xml", Peppol("base-negative-inv-correction.xml")), ("4.xml", ValidInvoiceNumbered("10043")), ("5.xml", Peppol("Norwegian-example-1.xml")));

        await ImportEhfAsync(whole, folder);
        using (ImportInvoices.UseChunkSize(1)) await ImportEhfAsync(chunked, folder);

        var expected = await SnapshotAsync(whole);
        var actual = await SnapshotAsync(chunked);
        Assert.Equal(5, expected.Invoices.Count);
        Assert.Contains(expected.Invoices, i => i.StartsWith("CreditNote ", StringComparison.Ordinal));
        Assert.Equal(expected.Customers, actual.Customers);
        Assert.Equal(expected.Invoices, actual.Invoices);
        Assert.Equal(expected.Allocations, actual.Allocations);
        Assert.Equal(expected.Events, actual.Events);
    }

    [Fact]
    public async Task An_error_in_a_later_chunk_leaves_nothing_written_and_the_good_part_imports_afterwards()
    {
        var creditor = await CreditorAsync();
        var empty = await CountsAsync();
        // Two good invoices in chunks 1 and 2; the credit note (chunk 3) credits an invoice that is neither in the ledger nor in the folder.
        var unknownCredit = FolderOf("credit", ("1.xml", ValidInvoiceNumbered("20011")), ("2.xml", ValidInvoiceNumbered("20012")),
            ("3.xml", Peppol("base-creditnote-correction.xml")));
        RejectedInputException credit;
        using (ImportInvoices.UseChunkSize(1)) credit = await Assert.ThrowsAsync<RejectedInputException>(() => ImportEhfAsync(creditor, unknownCredit));
        var c = Assert.Single(credit.Errors);
        Assert.Equal(("credit/3.xml", "Snippet1"), (c.File, c.RawValue));
        Assert.Contains("expected the number of an invoice in the ledger or in this file", c.Expected);
        Assert.Equal(empty, await CountsAsync());

        await ImportEhfAsync(creditor, Peppol("base-example.xml"));
        var before = await CountsAsync();
        // Four good invoices in chunks 1..4; chunk 5 holds a number already in the ledger with other content.
        var folder = FolderOf("late", ("1.xml", ValidInvoiceNumbered("20001")), ("2.xml", ValidInvoiceNumbered("20002")), ("3.xml", ValidInvoiceNumbered("20003")),
            ("4.xml", ValidInvoiceNumbered("20004")), ("5.xml", Peppol("Allowance-example.xml")));
        RejectedInputException late;
        using (ImportInvoices.UseChunkSize(1)) late = await Assert.ThrowsAsync<RejectedInputException>(() => ImportEhfAsync(creditor, folder));

        var e = Assert.Single(late.Errors);
        Assert.Equal(("late/5.xml", "Snippet1"), (e.File, e.RawValue));
        Assert.Contains("already in the ledger with different content", e.Expected);
        Assert.Equal(before, await CountsAsync());

        File.Delete(Path.Combine(folder, "5.xml"));
        ImportResult ok, again;
        using (ImportInvoices.UseChunkSize(1))
        {
            ok = await ImportEhfAsync(creditor, folder);
            again = await ImportEhfAsync(creditor, folder);
        }
        Assert.Equal((4, 4, 0), (ok.Records, ok.Created, ok.Unchanged));
        Assert.True(again.AlreadyImported);
        Assert.Equal(before.Invoices + 4, (await CountsAsync()).Invoices);
    }

    [Fact]
    public async Task The_same_documents_in_another_file_are_unchanged_across_chunks()
    {
        var creditor = await CreditorAsync();
        var first = FolderOf("first", ("1.xml", ValidInvoiceNumbered("30001")), ("2.xml", ValidInvoiceNumbered("30002")), ("3.xml", ValidInvoiceNumbered("30003")));
        var second = FolderOf("second", ("a.xml", ValidInvoiceNumbered("30001")), ("b.xml", ValidInvoiceNumbered("30002")), ("c.xml", ValidInvoiceNumbered("30003")),
            ("d.xml", ValidInvoiceNumbered("30004")));

        ImportResult r1, r2;
        using (ImportInvoices.UseChunkSize(2))
        {
            r1 = await ImportEhfAsync(creditor, first);
            r2 = await ImportEhfAsync(creditor, second);
        }

        Assert.Equal((3, 0), (r1.Created, r1.Unchanged));
        Assert.Equal((1, 3), (r2.Created, r2.Unchanged));
        var counts = await CountsAsync();
        Assert.Equal((4, 1, 2), (counts.Invoices, counts.Customers, counts.Imports));
    }

    private sealed record Snapshot(List<string> Customers, List<string> Invoices, List<string> Payments, List<string> Allocations, List<string> Events);

    // Every row of one creditor as text without ids (the two creditors' rows differ only in ids).
    private async Task<Snapshot> SnapshotAsync(long creditor)
    {
        await using var db = await OpenAsync();
        var customers = await db.Customers.IgnoreQueryFilters().AsNoTracking().Where(c => c.CreditorId == creditor).ToListAsync(Ct);
        var number = customers.ToDictionary(c => c.Id, c => c.CustomerNumber);
        var invoices = await db.Invoices.IgnoreQueryFilters().AsNoTracking().Where(i => i.CreditorId == creditor).ToListAsync(Ct);
        var invoice = invoices.ToDictionary(i => i.Id, i => $"{i.Kind} {i.Number}");
        var payments = await db.Payments.IgnoreQueryFilters().AsNoTracking().Where(p => p.CreditorId == creditor).ToListAsync(Ct);
        var payment = payments.ToDictionary(p => p.Id, p => p.BankReference ?? "");
        var allocations = await db.Allocations.IgnoreQueryFilters().AsNoTracking().Where(a => a.CreditorId == creditor).ToListAsync(Ct);
        var events = await db.ClaimEvents.IgnoreQueryFilters().AsNoTracking().Where(e => e.CreditorId == creditor && (e.CustomerId != null || e.InvoiceId != null)).ToListAsync(Ct);
        return new Snapshot(
            customers.Select(c => $"{c.CustomerNumber} {c.Name} {c.Kind} {c.OrganizationNumber} {c.PeppolId} {c.Email} {c.AddressLine1} {c.PostalCode} {c.City} {c.PaymentTermsDays}").Order().ToList(),
            invoices.Select(i => $"{i.Kind} {i.Number} {number[i.CustomerId]} {i.IssueDate} {i.DueDate} {i.Amount} {i.Open} {i.Currency} {i.Kid} {i.CreditsNumber} {i.SettledOn} {i.SettledBy} {i.Text}")
                .Order(StringComparer.Ordinal).ToList(),
            payments.Select(p => $"{p.BankReference} {(p.CustomerId is { } c ? number[c] : "")} {p.PaymentDate} {p.Amount} {p.Unallocated} {p.Status} {p.MatchMethod} {p.Kid}")
                .Order(StringComparer.Ordinal).ToList(),
            allocations.Select(a => $"{invoice[a.InvoiceId]} {(a.PaymentId is { } p ? payment[p] : "")} {(a.CreditNoteId is { } n ? invoice[n] : "")} {a.Amount} {a.Date}")
                .Order(StringComparer.Ordinal).ToList(),
            events.Select(e => $"{(e.CustomerId is { } c ? number[c] : "")} {(e.InvoiceId is { } i ? invoice[i] : "")} {e.Kind} {e.Text}").Order(StringComparer.Ordinal).ToList());
    }
}
