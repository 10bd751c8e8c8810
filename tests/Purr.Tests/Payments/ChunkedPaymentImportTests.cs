using Microsoft.EntityFrameworkCore;
using Purr.Features.Common;
using Purr.Features.Imports;
using Purr.Features.Payments;
using Purr.Tests.Infrastructure;

namespace Purr.Tests.Payments;

public sealed class ChunkedPaymentImportTests_Sqlite(SqliteFixture f) : ChunkedPaymentImportTests<SqliteFixture>(f);
public sealed class ChunkedPaymentImportTests_Postgres(PostgresFixture f) : ChunkedPaymentImportTests<PostgresFixture>(f);

/// <summary>
/// The import streams a file in chunks inside one transaction: the rows must not depend on the chunk size, an error in
/// a later chunk must undo the earlier ones, and a large file lists its first lines while its totals count all.
/// </summary>
public abstract class ChunkedPaymentImportTests<TDb>(TDb fixture) : PaymentTest<TDb>(fixture) where TDb : DatabaseFixture
{
    // Payments, a partial payment, text and amount matches, a double payment, and reversals of payments made in
    // earlier chunks (by end-to-end id and by KID).
    private static byte[] Mixed => BankFiles.Camt054("MIX", [
        new Tx(1250m, "M-1") { Kid = "123456782", EndToEndId = "E2E-1" },
        new Tx(400m, "M-2") { Kid = "123456785", EndToEndId = "E2E-2" },
        new Tx(600m, "M-3") { Text = "Faktura 10042", Payer = "Bjørn Ærlig" },
        new Tx(1250m, "M-4") { Kid = "123456782", EndToEndId = "E2E-4" },
        new Tx(-500m, "M-5") { Text = "Husleie" },
        new Tx(-1250m, "M-6") { Reversal = true, EndToEndId = "E2E-1" },
        new Tx(300m, "M-7") { Kid = "2345676" },
        new Tx(-300m, "M-8") { Reversal = true, Kid = "2345676" },
        new Tx(99m, "M-9") { Payer = "Ukjent" },
    ]);

    private async Task<PaymentImportResult> ImportWithAsync(byte[] content, int chunkSize, int maxLines = 10_000, string name = "mix.camt054.xml")
    {
        await using var db = await OpenAsync();
        return await ImportPayments.ImportAsync(db, new ImportPayments.Command(name, content, Creditor) { ChunkSize = chunkSize, MaxLines = maxLines },
            Actor, Clock, Ct);
    }

    /// <summary>Everything the import wrote for the current creditor, ids replaced by what they stand for.</summary>
    private async Task<string> SnapshotAsync()
    {
        await using var db = await OpenAsync();
        var c = Creditor;
        var payments = await db.Payments.IgnoreQueryFilters().AsNoTracking().Where(p => p.CreditorId == c).OrderBy(p => p.Id).ToListAsync(Ct);
        var refOf = payments.ToDictionary(p => p.Id, p => p.BankReference);
        var invoices = await db.Invoices.IgnoreQueryFilters().AsNoTracking().Where(i => i.CreditorId == c).OrderBy(i => i.Number).ToListAsync(Ct);
        var numberOf = invoices.ToDictionary(i => i.Id, i => i.Number);
        var allocations = await db.Allocations.IgnoreQueryFilters().AsNoTracking().Where(a => a.CreditorId == c).OrderBy(a => a.Id).ToListAsync(Ct);
        var paymentEvents = await db.PaymentEvents.IgnoreQueryFilters().AsNoTracking().Where(e => e.CreditorId == c).OrderBy(e => e.Id).ToListAsync(Ct);
        var claimEvents = await db.ClaimEvents.IgnoreQueryFilters().AsNoTracking().Where(e => e.CreditorId == c && e.Kind != "creditor_created").OrderBy(e => e.Id).ToListAsync(Ct);
        return string.Join("\n",
            payments.Select(p => $"P {p.BankReference} {p.Amount} {p.Unallocated} {p.Status} {p.CustomerId is not null} {p.MatchMethod} {p.ReversesPaymentId.Map(refOf)}")
            .Concat(invoices.Select(i => $"I {i.Number} {i.Open} {i.SettledOn} {i.SettledBy}"))
            .Concat(allocations.Select(a => $"A {a.PaymentId.Map(refOf)} {numberOf[a.InvoiceId]} {a.Amount} {a.Reversed}"))
            .Concat(paymentEvents.Select(e => $"E {refOf[e.PaymentId]} {e.Kind} {e.Text}"))
            .Concat(claimEvents.Select(e => $"C {e.InvoiceId.Map(numberOf)} {e.Kind} {e.Text}")));
    }

    [Fact]
    public async Task Chunks_of_one_transaction_write_exactly_what_one_chunk_writes()
    {
        await SetupAsync(name: "Ett stykke AS");
        var whole = await ImportWithAsync(Mixed, chunkSize: 10_000);
        var wholeRows = await SnapshotAsync();
        await SetupAsync(name: "Biter AS");
        var chunked = await ImportWithAsync(Mixed, chunkSize: 1);
        var chunkedRows = await SnapshotAsync();

        Assert.Equal(wholeRows, chunkedRows);
        Assert.Equal(whole.Summary, chunked.Summary);
        Assert.Equal(whole.Totals, chunked.Totals);
        Assert.Equal(whole.Transactions.Select(t => (t.Reference, t.Outcome, t.Unallocated, t.CustomerNumber, string.Join(",", t.Invoices), t.Reason)),
            chunked.Transactions.Select(t => (t.Reference, t.Outcome, t.Unallocated, t.CustomerNumber, string.Join(",", t.Invoices), t.Reason)));
        // The reversals found payments written by earlier chunks.
        Assert.Equal((Outcomes.Reversal, Outcomes.Reversal), (Line(chunked, "M-6").Outcome, Line(chunked, "M-8").Outcome));
        Assert.Equal(8, chunked.Created);                              // every transaction but the debit M-5
        await AssertLedgerBalancesAsync();
    }

    // Each chunk reads only the part of the ledger its transactions can reach. Later transactions must still see what
    // earlier ones changed: a partial payment leaves an open amount that the next payment matches by amount and payer;
    // a reversal reopens an invoice of a customer no other transaction of its chunk names, and the next payment spills
    // over from it into credit.
    private static byte[] Dependent => BankFiles.Camt054("DEP", [
        new Tx(700m, "D-1") { Kid = "123456785", EndToEndId = "E2E-D1" },
        new Tx(300m, "D-2") { Payer = "Ola Hansen AS", Text = "Innbetaling" },
        new Tx(600m, "D-3") { Text = "Betaling faktura 010043" },
        new Tx(-700m, "D-4") { Reversal = true, EndToEndId = "E2E-D1" },
        new Tx(900m, "D-5") { Kid = "123456785" },
    ]);

    [Fact]
    public async Task Transactions_see_what_earlier_ones_changed_whatever_the_chunk()
    {
        await SetupAsync(name: "Ett stykke AS");
        var whole = await ImportWithAsync(Dependent, chunkSize: 10_000, name: "dep.camt054.xml");
        var wholeRows = await SnapshotAsync();
        await SetupAsync(name: "Biter AS");
        var chunked = await ImportWithAsync(Dependent, chunkSize: 1, name: "dep.camt054.xml");

        Assert.Equal(wholeRows, await SnapshotAsync());
        Assert.Equal(whole.Transactions.Select(t => (t.Reference, t.Outcome, t.Unallocated, t.CustomerNumber, string.Join(",", t.Invoices), t.Reason)),
            chunked.Transactions.Select(t => (t.Reference, t.Outcome, t.Unallocated, t.CustomerNumber, string.Join(",", t.Invoices), t.Reason)));
        Assert.Equal([Outcomes.Kid, Outcomes.AmountPayer, Outcomes.InvoiceNumber, Outcomes.Reversal, Outcomes.Kid], chunked.Transactions.Select(t => t.Outcome));
        Assert.Equal(["10041"], Line(chunked, "D-2").Invoices);          // 300.00 left by D-1's 700.00 of 1 000.00
        Assert.Equal(["10043"], Line(chunked, "D-3").Invoices);          // leading zero ignored
        Assert.Equal("2002", Line(chunked, "D-4").CustomerNumber);
        Assert.Equal(["10041"], Line(chunked, "D-4").Invoices);          // open again
        Assert.Equal(("2002", "200.00"), (Line(chunked, "D-5").CustomerNumber, Line(chunked, "D-5").Unallocated));
        Assert.Equal("0.00", await OpenOfAsync("10041"));
        await AssertLedgerBalancesAsync();
    }

    [Fact]
    public async Task A_reference_from_an_earlier_file_is_a_duplicate_in_any_chunk()
    {
        await SetupAsync();
        var first = await ImportWithAsync("payment_date,amount,kid,reference\n2026-03-02,100.00,123456782,R-1\n"u8.ToArray(), chunkSize: 1, name: "a.csv");
        var csv = "payment_date,amount,kid,reference\n2026-03-02,200.00,123456785,R-2\n2026-03-02,100.00,123456782,R-1\n2026-03-02,50.00,123456782,R-3\n"u8.ToArray();

        var r = await ImportWithAsync(csv, chunkSize: 1, name: "b.csv");

        Assert.Equal((2, "1"), (r.Created, r.Totals["duplicates"]));
        Assert.Equal((Outcomes.Duplicate, first.Transactions[0].PaymentId), (r.Transactions[1].Outcome, r.Transactions[1].PaymentId));
        Assert.Equal("1100.00", await OpenOfAsync("10040"));
    }

    [Fact]
    public async Task An_error_in_the_last_chunk_undoes_the_chunks_already_written()
    {
        await SetupAsync();
        var before = await CountsAsync();
        var text = System.Text.Encoding.UTF8.GetString(Mixed);
        var broken = System.Text.Encoding.UTF8.GetBytes(text.Replace("<Amt Ccy=\"NOK\">99.00</Amt>", "<Amt Ccy=\"NOK\">99,00</Amt>", StringComparison.Ordinal));

        var e = await Assert.ThrowsAsync<RejectedInputException>(() => ImportWithAsync(broken, chunkSize: 1));

        var error = Assert.Single(e.Errors);
        Assert.Equal("99,00", error.RawValue);
        Assert.Contains("Ntry[9]", error.XPath);
        Assert.Equal(before, await CountsAsync());
        // Nothing was kept: the corrected file imports in full afterwards.
        var r = await ImportWithAsync(Mixed, chunkSize: 1);
        Assert.Equal(9, r.Records);
    }

    [Fact]
    public async Task An_unknown_customer_in_a_later_chunk_rejects_the_file_and_every_such_row_is_reported()
    {
        await SetupAsync();
        var before = await CountsAsync();
        var csv = "payment_date,amount,customer_number,reference\n2026-03-02,100.00,2001,X-1\n2026-03-02,50.00,9999,X-2\n2026-03-02,50.00,2002,X-3\n2026-03-02,50.00,9998,X-4\n"u8.ToArray();

        var e = await Assert.ThrowsAsync<RejectedInputException>(() => ImportWithAsync(csv, chunkSize: 1, name: "p.csv"));

        Assert.Equal([(3, "9999"), (5, "9998")], e.Errors.Select(x => (x.Line, x.RawValue)));
        Assert.Equal(before, await CountsAsync());
    }

    // A bank reference used twice in one file: once for a payment written by an earlier chunk (the reader has forgotten
    // it by then: the ledger row of this import finds it), a debit (no payment row: the reader keeps it), a duplicate of
    // an earlier file (skipped, not a row of this import: kept too), and twice in a row.
    private static byte[] Repeats(bool badAmountFirst) => BankFiles.Camt054("REP", [
        new Tx(badAmountFirst ? 77.5m : 100m, "D-0") { Kid = "123456782" },
        new Tx(100m, "D-1") { Kid = "123456782" },
        new Tx(-50m, "D-2") { Text = "Husleie" },
        new Tx(100m, "E-1") { Kid = "123456785" },
        new Tx(200m, "D-3") { Kid = "123456785" },
        new Tx(100m, "D-1") { Kid = "123456782" },
        new Tx(10m, "D-5"),
        new Tx(-50m, "D-2") { Text = "Husleie" },
        new Tx(100m, "E-1") { Kid = "123456785" },
        new Tx(20m, "D-7"),
        new Tx(20m, "D-7"),
    ]);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_reference_repeated_in_the_file_is_reported_as_the_reader_reports_it_whatever_the_chunk(bool badAmountFirst)
    {
        await SetupAsync();
        await ImportWithAsync("payment_date,amount,kid,reference\n2026-03-01,100.00,123456785,E-1\n"u8.ToArray(), chunkSize: 1, name: "earlier.csv");
        var content = Repeats(badAmountFirst);
        if (badAmountFirst) content = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(content).Replace(">77.50<", ">77,5<", StringComparison.Ordinal));
        using var stream = new MemoryStream(content);
        var read = Purr.Core.Formats.BankFileReader.Read(stream, "rep.camt054.xml").ReadAll();
        var expected = read.Errors.Select(e => (e.Line, e.RawValue, e.Expected, e.XPath)).Order().ToList();
        Assert.Equal(badAmountFirst ? 5 : 4, expected.Count);
        Assert.Equal(4, expected.Count(e => e.Expected.Contains("bank reference (AcctSvcrRef) used once", StringComparison.Ordinal)));
        var before = await CountsAsync();

        foreach (var chunkSize in new[] { 1, 2, 3, 4, 10_000 })
        {
            var e = await Assert.ThrowsAsync<RejectedInputException>(() => ImportWithAsync(content, chunkSize, name: "rep.camt054.xml"));
            Assert.Equal(expected, e.Errors.Select(x => (x.Line, x.RawValue, x.Expected, x.XPath)).Order().ToList());
            Assert.Equal(before, await CountsAsync());
        }
    }

    // Three statements of one file: two with entries (one a statement imported before from another file), one without.
    private static byte[] Statements(string messageId) => BankFiles.Camt053(messageId,
        new BankFiles.Statement("S-A", 100m, 1450m, "2026-03-01", "2026-03-03", [
            new Tx(1250m, $"{messageId}-A1") { Kid = "123456782", Date = "2026-03-02" },
            new Tx(-300m, $"{messageId}-A2") { Text = "Husleie", Date = "2026-03-02" },
            new Tx(400m, $"{messageId}-A3") { Payer = "Ukjent", Date = "2026-03-03", Status = "PDNG" },
            new Tx(400m, $"{messageId}-A4") { Payer = "Ukjent", Date = "2026-03-03" },
        ]),
        new BankFiles.Statement("S-OLD", 0m, 50m, "2026-02-27", "2026-02-28", [new Tx(50m, "OLD-1") { Date = "2026-02-28" }]),
        new BankFiles.Statement("S-EMPTY", 1450m, 1450m, "2026-03-04", "2026-03-04", []));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(10_000)]
    public async Task Statement_entries_are_stored_chunk_by_chunk_with_the_statement_they_belong_to(int chunkSize)
    {
        await SetupAsync();
        await ImportWithAsync(BankFiles.Camt053("EARLIER", new BankFiles.Statement("S-OLD", 0m, 50m, "2026-02-27", "2026-02-28",
            [new Tx(50m, "OLD-1") { Date = "2026-02-28" }])), chunkSize: 1, name: "earlier.camt053.xml");
        var before = await CountsAsync();

        var r = await ImportWithAsync(Statements("STMT"), chunkSize, name: "stmt.camt053.xml");

        Assert.Equal([("S-A", false, 4, "1650.00", "300.00", "2026-03-01", "2026-03-03"), ("S-OLD", true, 1, "50.00", "0.00", "2026-02-27", "2026-02-28"),
                ("S-EMPTY", false, 0, "0.00", "0.00", "2026-03-04", "2026-03-04")],
            r.Statements.Select(s => (s.StatementId!, s.AlreadyImported, s.Transactions, s.Credits, s.Debits, s.FromDate.ToString("yyyy-MM-dd"), s.ToDate.ToString("yyyy-MM-dd"))));
        await using var db = await OpenAsync();
        var c = Creditor;
        var rows = await db.BankStatements.IgnoreQueryFilters().AsNoTracking().Where(b => b.CreditorId == c && b.ImportId == r.ImportId).OrderBy(b => b.Id).ToListAsync(Ct);
        Assert.Equal([("S-A", "86011117947", 10000L, 145000L, 165000L, 30000L, 4, (bool?)true), ("S-EMPTY", "86011117947", 145000L, 145000L, 0L, 0L, 0, (bool?)true)],
            rows.Select(b => (b.StatementId!, b.Account, b.OpeningBalance!.Value, b.ClosingBalance!.Value, b.Credits, b.Debits, b.Entries, b.Reconciles)));
        var entries = await db.BankStatementEntries.IgnoreQueryFilters().AsNoTracking().Where(e => e.CreditorId == c && e.StatementId == rows[0].Id)
            .OrderBy(e => e.Line).Select(e => new { e.BankReference, e.Amount, e.IsBooked, HasPayment = e.PaymentId != null }).ToListAsync(Ct);
        Assert.Equal([("STMT-A1", 125000L, true, true), ("STMT-A2", -30000L, true, false), ("STMT-A3", 40000L, false, false), ("STMT-A4", 40000L, true, true)],
            entries.Select(e => (e.BankReference, e.Amount, e.IsBooked, e.HasPayment)));
        // The statement imported before keeps its one row and entry; nothing provisional is left.
        Assert.Equal((before.Statements + 2, before.Entries + 4), ((await CountsAsync()).Statements, (await CountsAsync()).Entries));
        Assert.False(await db.BankStatements.IgnoreQueryFilters().AnyAsync(b => b.Account == "(pending)", Ct));
    }

    [Fact]
    public async Task A_rejected_statement_file_leaves_no_statement_or_entry_behind()
    {
        await SetupAsync();
        var before = await CountsAsync();
        var text = System.Text.Encoding.UTF8.GetString(Statements("BAD"));
        var broken = System.Text.Encoding.UTF8.GetBytes(text.Replace("<Amt Ccy=\"NOK\">50.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>", "<Amt Ccy=\"NOK\">50,00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>", StringComparison.Ordinal));
        Assert.NotEqual(text, System.Text.Encoding.UTF8.GetString(broken));

        await Assert.ThrowsAsync<RejectedInputException>(() => ImportWithAsync(broken, chunkSize: 1, name: "bad.camt053.xml"));

        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Imported_payments_keep_the_line_of_the_file_they_came_from()
    {
        await SetupAsync();
        var r = await ImportWithAsync(Mixed, chunkSize: 2);
        await using var db = await OpenAsync();
        var c = Creditor;
        var lines = await db.Payments.IgnoreQueryFilters().AsNoTracking().Where(p => p.CreditorId == c && p.ImportId == r.ImportId)
            .ToDictionaryAsync(p => p.BankReference!, p => p.Line, Ct);
        Assert.Equal(r.Transactions.Where(t => t.PaymentId is not null).ToDictionary(t => t.Reference!, t => (int?)t.Line), lines);
    }

    [Fact]
    public async Task A_large_file_lists_its_first_lines_and_the_rest_can_be_paged_by_import()
    {
        await SetupAsync();

        var r = await ImportWithAsync(Mixed, chunkSize: 2, maxLines: 3);

        Assert.Equal((9, 3, 6), (r.Records, r.Transactions.Count, r.TransactionsOmitted));
        Assert.Equal(["M-1", "M-2", "M-3"], r.Transactions.Select(t => t.Reference));
        Assert.Equal("9", r.Totals["transactions"]);
        Assert.Equal(9, r.Summary.Sum(s => s.Count));
        await using var db = await OpenAsync();
        var page = await ListPayments.HandleAsync(db, new ListPayments.Query(Creditor, ImportId: r.ImportId, PageSize: 100), Ct);
        Assert.Equal(["M-1", "M-2", "M-3", "M-4", "M-6", "M-7", "M-8", "M-9"], page.Items.Select(p => p.Reference));   // M-5, a debit, is not a payment
        await Assert.ThrowsAsync<NotFoundException>(() => ListPayments.HandleAsync(db, new ListPayments.Query(Creditor, ImportId: 999_999), Ct));
    }
}

internal static class SnapshotMaps
{
    public static string? Map<TKey, TValue>(this TKey? key, IReadOnlyDictionary<TKey, TValue> names) where TKey : struct =>
        key is { } k ? names.TryGetValue(k, out var v) ? v?.ToString() : k.ToString() : null;
}
