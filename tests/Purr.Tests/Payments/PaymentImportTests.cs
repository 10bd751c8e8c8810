using Microsoft.EntityFrameworkCore;
using Purr.Data;
using Purr.Features.Imports;
using Purr.Features.Payments;
using Purr.Tests.Infrastructure;

namespace Purr.Tests.Payments;

public sealed class PaymentImportTests_Sqlite(SqliteFixture f) : PaymentImportTests<SqliteFixture>(f);
public sealed class PaymentImportTests_Postgres(PostgresFixture f) : PaymentImportTests<PostgresFixture>(f);

/// <summary>Bank payment files through the real import: matching order, allocation rules, duplicates, debits and reversals.</summary>
public abstract class PaymentImportTests<TDb>(TDb fixture) : PaymentTest<TDb>(fixture) where TDb : DatabaseFixture
{
    private static byte[] KidBatch => File.ReadAllBytes(Data("camt054", "purr+synthetic", "kid-batch.camt054.xml"));

    [Fact]
    public async Task A_camt054_kid_batch_is_matched_by_kid_and_by_invoice_numbers_in_the_text()
    {
        await SetupAsync();

        var r = await ImportAsync("kid-batch.camt054.xml", KidBatch);

        Assert.Equal("camt054", r.Format);
        Assert.Equal(4, r.Records);
        Assert.Equal(4, r.Created);                                   // three payments and the unmatched reversal
        Assert.Equal(("2", "2125.50"), (r.Totals["kid"], r.Totals["kid_nok"]));
        Assert.Equal(("1", "1000.00"), (r.Totals["invoice_number"], r.Totals["invoice_number_nok"]));
        Assert.Equal(("1", "-300.00"), (r.Totals["unmatched_reversals"], r.Totals["unmatched_reversals_nok"]));
        Assert.Equal(("0", "0"), (r.Totals["unmatched"], r.Totals["duplicates"]));
        Assert.Equal(("3125.50", "300.00"), (r.Totals["credit_total_nok"], r.Totals["debit_total_nok"]));

        var kid = Line(r, "NO20260302OCR0001-1");
        Assert.Equal(("kid", "2001", "0.00"), (kid.Outcome, kid.CustomerNumber, kid.Unallocated));
        Assert.Equal(["10040"], kid.Invoices);
        Assert.Contains("KID 123456782 matches invoice 10040 of customer 2001", kid.Reason);
        var text = Line(r, "NO20260302OCR0001-3");
        Assert.Equal(("invoice_number", "2003"), (text.Outcome, text.CustomerNumber));
        Assert.Equal(["10042", "10043"], text.Invoices);              // both named, oldest first

        Assert.Equal("0.00", await OpenOfAsync("10040"));
        Assert.Equal("124.50", await OpenOfAsync("10041"));          // 875.50 of 1000: a partial payment
        Assert.Equal("0.00", await OpenOfAsync("10042"));
        Assert.Equal("200.00", await OpenOfAsync("10043"));
        Assert.Equal("300.00", await OpenOfAsync("10044"));          // the reversal found no original
        await AssertLedgerBalancesAsync();

        var p = await PaymentAsync("NO20260302OCR0001-3");
        Assert.Equal(("kid", "86011117947"), ((await PaymentAsync("NO20260302OCR0001-1")).MatchMethod, p.PayerAccount)); // IBAN kept as its BBAN
        Assert.Equal(("10042", "86011117947", "E2E-2"), (p.InvoiceNumber, p.Account, (await PaymentAsync("NO20260302OCR0001-2")).EndToEndId));
        var customer = await CustomerAsync("2003");
        Assert.Contains(customer.History, h => h.Kind == "payment_allocated" && h.Actor == "test" && h.InvoiceNumber == "10043");
    }

    [Fact]
    public async Task Several_invoices_of_one_customer_are_paid_oldest_first_and_the_rest_is_credit()
    {
        await SetupAsync();
        var r = await ImportAsync("a.xml", BankFiles.Camt054("A", [
            new Tx(1500m, "A-1") { Text = "Faktura 10043", Payer = "Bjørn Ærlig" },   // names the newer one: it first, then the older, 300 left
            new Tx(500m, "A-2") { Kid = "123456782" },                               // a part of 10040
        ]));

        var over = Line(r, "A-1");
        Assert.Equal(["10043", "10042"], over.Invoices);
        Assert.Equal("300.00", over.Unallocated);
        Assert.Equal(("0.00", "0.00", "750.00"), (await OpenOfAsync("10042"), await OpenOfAsync("10043"), await OpenOfAsync("10040")));
        var bjorn = await CustomerAsync("2003");
        Assert.Equal(("0.00", "300.00"), (bjorn.Customer.Open, bjorn.Customer.CreditBalance));
        Assert.Equal("partlymatched", bjorn.Payments.Single().Status);
        Assert.Contains(bjorn.History, h => h.Kind == "credit_balance" && h.Text.StartsWith("300.00 NOK", StringComparison.Ordinal));
        await AssertLedgerBalancesAsync();
    }

    [Fact]
    public async Task Amount_and_payer_match_only_one_candidate_and_payer_accounts_are_learned_from_earlier_payments()
    {
        await SetupAsync();
        await ImportAsync("kid-batch.camt054.xml", KidBatch);        // Bjørn Ærlig paid from NO93 8601 1117 947; 10043 has 200.00 open

        var r = await ImportAsync("b.xml", BankFiles.Camt054("B", [
            new Tx(124.50m, "B-1") { Payer = "OLA HANSEN" },                          // name without the legal form, the only 124.50
            new Tx(200m, "B-2") { PayerAccount = "8601.11.17947" },                  // no name: the account seen on Bjørn's earlier payment
            new Tx(300m, "B-3") { Payer = "Someone Else" },                          // 10044 has 300.00 but another payer
        ]));

        Assert.Equal(("amount_payer", "2002"), (Line(r, "B-1").Outcome, Line(r, "B-1").CustomerNumber));
        Assert.Equal(("amount_payer", "2003"), (Line(r, "B-2").Outcome, Line(r, "B-2").CustomerNumber));
        Assert.Equal("unmatched", Line(r, "B-3").Outcome);
        Assert.Contains("no open invoice of 300.00 for the payer", Line(r, "B-3").Reason);
        Assert.Equal(("0.00", "0.00", "300.00"), (await OpenOfAsync("10041"), await OpenOfAsync("10043"), await OpenOfAsync("10044")));
    }

    [Fact]
    public async Task An_amount_that_fits_two_invoices_of_the_payer_stays_unmatched()
    {
        await SetupAsync();
        var r = await ImportAsync("c.xml", BankFiles.Camt054("C", [new Tx(600m, "C-1") { Payer = "Bjørn Ærlig" }]));

        var line = Line(r, "C-1");
        Assert.Equal("unmatched", line.Outcome);
        Assert.Contains("2 open invoices of 600.00 fit the payer (10042, 10043)", line.Reason);
        await using var db = await OpenAsync();
        var queue = await ListPayments.HandleAsync(db, new(Creditor, "unmatched"), Ct);
        Assert.Equal("600.00", Assert.Single(queue.Items).Amount);
        Assert.Contains("fit the payer", queue.Items[0].Note);
    }

    [Fact]
    public async Task Within_one_file_a_settled_invoice_is_no_longer_a_candidate()
    {
        await SetupAsync();
        // The second 1250.00 names 10040 again by KID: it is paid already, so the KID points at no open invoice and a
        // person looks at it (a double payment); the same for a second 300.00 from Per once 10044 is settled.
        var r = await ImportAsync("d.xml", BankFiles.Camt054("D", [
            new Tx(1250m, "D-1") { Kid = "123456782" },
            new Tx(1250m, "D-2") { Kid = "123456782" },
            new Tx(300m, "D-3") { Payer = "Per Olsen" },
            new Tx(300m, "D-4") { Payer = "Per Olsen" },
        ]));

        Assert.Equal(("unmatched", "1250.00"), (Line(r, "D-2").Outcome, Line(r, "D-2").Unallocated));
        Assert.Contains("KID 123456782 matches no open invoice", Line(r, "D-2").Reason);
        Assert.Equal("amount_payer", Line(r, "D-3").Outcome);
        Assert.Equal("unmatched", Line(r, "D-4").Outcome);           // 10044 was settled by D-3 in the same file
        Assert.Equal("0.00", (await CustomerAsync("2001")).Customer.CreditBalance);
        await AssertLedgerBalancesAsync();
    }

    [Fact]
    public async Task A_reversal_finds_its_original_by_kid_and_amount_and_reopens_the_invoice()
    {
        await SetupAsync();
        await ImportAsync("e.xml", BankFiles.Camt054("E", [new Tx(300m, "E-1") { Kid = "2345676", Payer = "Per Olsen" }]));
        Assert.Equal("0.00", await OpenOfAsync("10044"));

        var r = await ImportAsync("kid-batch.camt054.xml", KidBatch);

        var reversal = Line(r, "NO20260302RV0001");
        Assert.Equal(("reversal", "2004"), (reversal.Outcome, reversal.CustomerNumber));
        Assert.Equal(["10044"], reversal.Invoices);
        Assert.Contains("same amount and KID 2345676", reversal.Reason);
        Assert.Equal(("1", "-300.00"), (r.Totals["reversals"], r.Totals["reversals_nok"]));
        Assert.Equal("300.00", await OpenOfAsync("10044"));
        var original = await PaymentAsync("E-1");
        var row = await PaymentAsync("NO20260302RV0001");
        Assert.Equal((PaymentStatus.Reversed, 0L), (original.Status, original.Unallocated));
        Assert.Equal((PaymentStatus.Reversed, original.Id, -30000L), (row.Status, row.ReversesPaymentId, row.Amount));
        var per = await CustomerAsync("2004");
        Assert.Equal(("300.00", "0.00"), (per.Customer.Open, per.Customer.CreditBalance));
        Assert.Contains(per.History, h => h.Kind == "payment_reversed" && h.InvoiceNumber == "10044");
        await AssertLedgerBalancesAsync();
        await using var db = await OpenAsync();
        Assert.Contains(await db.PaymentEvents.Where(e => e.PaymentId == original.Id).Select(e => e.Kind).ToListAsync(Ct), k => k == "reversed");
    }

    [Fact]
    public async Task A_reversal_in_the_same_file_as_its_payment_undoes_it_and_matches_by_end_to_end_id()
    {
        await SetupAsync();
        var r = await ImportAsync("f.xml", BankFiles.Camt054("F", [
            new Tx(1000m, "F-1") { Kid = "123456785", EndToEndId = "E2E-77" },
            new Tx(1000m, "F-2") { Kid = "123456785", EndToEndId = "E2E-78" },
            new Tx(-1000m, "F-3") { Reversal = true, EndToEndId = "E2E-77" },
        ]));

        Assert.Equal(("kid", "0.00"), (Line(r, "F-1").Outcome, Line(r, "F-1").Unallocated));
        Assert.Equal("unmatched", Line(r, "F-2").Outcome);            // 10041 was paid by F-1: a double payment
        Assert.Contains("end-to-end id E2E-77", Line(r, "F-3").Reason);
        Assert.Equal(PaymentStatus.Reversed, (await PaymentAsync("F-1")).Status);
        // 10041 is open again; F-2 stays in the queue (a reversal never re-allocates other payments).
        Assert.Equal("1000.00", await OpenOfAsync("10041"));
        Assert.Equal(PaymentStatus.Unmatched, (await PaymentAsync("F-2")).Status);
        await AssertLedgerBalancesAsync();
    }

    [Fact]
    public async Task Debits_and_entries_not_booked_are_skipped_and_counted()
    {
        await SetupAsync();
        var before = await CountsAsync();
        var r = await ImportAsync("g.xml", BankFiles.Camt054("G", [
            new Tx(-500m, "G-1") { Text = "Husleie mars" },
            new Tx(1250m, "G-2") { Kid = "123456782", Status = "PDNG" },
            new Tx(75m, "G-3") { Reversal = true },                          // a debit taken back: money in, not a customer payment
        ]));

        Assert.Equal(("2", "1", "0"), (r.Totals["debits_skipped"], r.Totals["not_booked"], r.Totals["kid"]));
        Assert.Equal(0, r.Created);
        Assert.Equal("1250.00", await OpenOfAsync("10040"));
        var after = await CountsAsync();
        Assert.Equal((before.Payments, before.Imports + 1), (after.Payments, after.Imports));
    }

    [Fact]
    public async Task The_same_file_twice_changes_nothing_and_a_known_bank_reference_is_a_duplicate()
    {
        await SetupAsync();
        await ImportAsync("kid-batch.camt054.xml", KidBatch);
        var before = await CountsAsync();

        var again = await ImportAsync("renamed.xml", KidBatch);
        Assert.True(again.AlreadyImported);
        Assert.Contains("already imported", again.Notes[0]);
        Assert.Equal(before, await CountsAsync());

        var other = await ImportAsync("h.xml", BankFiles.Camt054("H", [
            new Tx(1250m, "NO20260302OCR0001-1") { Kid = "123456782" },
            new Tx(124.50m, "H-2") { Kid = "123456785" },
        ]));
        Assert.False(other.AlreadyImported);
        Assert.Equal(("1", "1250.00", "1"), (other.Totals["duplicates"], other.Totals["duplicates_nok"], other.Totals["kid"]));
        var dup = Line(other, "NO20260302OCR0001-1");
        Assert.Equal("duplicate", dup.Outcome);
        Assert.Equal((await PaymentAsync("NO20260302OCR0001-1")).Id, dup.PaymentId);
        Assert.Equal(before.Payments + 1, (await CountsAsync()).Payments);
        Assert.Equal("0.00", await OpenOfAsync("10041"));
    }

    [Fact]
    public async Task Bank_references_are_unique_per_creditor_not_across_creditors()
    {
        await SetupAsync();
        await ImportAsync("kid-batch.camt054.xml", KidBatch);
        var first = Creditor;
        await SetupAsync(name: "Annen Kreditor AS");
        Assert.NotEqual(first, Creditor);

        var r = await ImportAsync("kid-batch.camt054.xml", KidBatch);

        Assert.False(r.AlreadyImported);
        Assert.Equal(("0", "2"), (r.Totals["duplicates"], r.Totals["kid"]));
        await using var db = await OpenAsync();
        Assert.Equal(2, await db.Payments.CountAsync(p => p.BankReference == "NO20260302OCR0001-1", Ct));
    }

    [Fact]
    public async Task A_payment_in_another_currency_is_not_matched_to_nok_invoices()
    {
        await SetupAsync();
        var r = await ImportAsync("i.xml", BankFiles.Camt054("I", [new Tx(1250m, "I-1") { Kid = "123456782", Currency = "EUR" }]));

        var line = Line(r, "I-1");
        Assert.Equal(("unmatched", "EUR"), (line.Outcome, line.Currency));
        Assert.Contains("another currency than EUR", line.Reason);
        Assert.Equal("1250.00", await OpenOfAsync("10040"));
    }

    [Fact]
    public async Task The_nets_ocr_sample_is_matched_by_kid_end_to_end()
    {
        await SetupAsync("ocr-customers.csv", "ocr-invoices.csv");

        var r = await ImportFileAsync("ocr-giro", "otovo+python-netsgiro", "ocr_giro_transactions.txt");

        Assert.Equal(("ocr", 20, 20), (r.Format, r.Records, r.Created));
        Assert.Equal(("20", "51449.00", "0"), (r.Totals["kid"], r.Totals["kid_nok"], r.Totals["unmatched"]));
        Assert.All(r.Transactions, t => Assert.Equal("kid", t.Outcome));
        Assert.Equal("ocr:001008566:0000002:0000001", r.Transactions[0].Reference);
        Assert.Equal(new DateOnly(1992, 1, 20), r.Transactions[0].Date);
        Assert.Equal("420.00", await OpenOfAsync("O01"));            // 1500 − 1020, − the 60.00 O06 was overpaid by
        Assert.Equal("0.00", await OpenOfAsync("O06"));
        var b = await BalanceAsync();
        Assert.Equal(("51449.00", "420.00", "0.00"), (b.Paid, b.Open, b.CreditBalance));
        await AssertLedgerBalancesAsync();
    }

    [Fact]
    public async Task An_ocr_reversal_with_kid_reverses_the_payment_with_that_kid_and_amount()
    {
        await SetupAsync();
        await ImportAsync("ocr1.txt", BankFiles.Ocr("0000001", [(125000, "123456782"), (30000, "2345676")]));
        Assert.Equal(("0.00", "0.00"), (await OpenOfAsync("10040"), await OpenOfAsync("10044")));

        var r = await ImportAsync("ocr2.txt", BankFiles.Ocr("0000002", [(-30000, "2345676")]));

        var reversal = Assert.Single(r.Transactions);
        Assert.Equal(("reversal", "-300.00"), (reversal.Outcome, reversal.Amount));
        Assert.Equal(("0.00", "300.00"), (await OpenOfAsync("10040"), await OpenOfAsync("10044")));
        Assert.Equal(PaymentStatus.Reversed, (await PaymentAsync("ocr:001008566:0000001:0000002")).Status);
        await AssertLedgerBalancesAsync();
    }

    [Fact]
    public async Task Csv_payments_go_through_the_same_matcher_with_explicit_columns_first()
    {
        await SetupAsync();
        var csv = """
            payment_date,amount,kid,invoice_number,customer_number,reference,payer_name,text
            2026-03-02,100.00,123456785,10040,,CSV-1,Ola Hansen AS,KID of 10041 but the row names 10040
            2026-03-02,50.00,,,2003,CSV-2,,
            2026-03-02,1000.00,,,,CSV-3,Ukjent,betaler faktura 10041
            2026-03-02,20.00,,,,CSV-4,Ukjent,
            """u8.ToArray();

        var r = await ImportAsync("payments.csv", csv);

        Assert.Equal("csv-plain", r.Format);
        Assert.Equal(("invoice_number", "2001"), (Line(r, "CSV-1").Outcome, Line(r, "CSV-1").CustomerNumber));
        Assert.Equal(("customer", "2003"), (Line(r, "CSV-2").Outcome, Line(r, "CSV-2").CustomerNumber));
        Assert.Equal(["10042"], Line(r, "CSV-2").Invoices);          // oldest first
        Assert.Equal(("invoice_number", "2002"), (Line(r, "CSV-3").Outcome, Line(r, "CSV-3").CustomerNumber));
        Assert.Equal("unmatched", Line(r, "CSV-4").Outcome);
        Assert.Equal(("1150.00", "0.00", "550.00"), (await OpenOfAsync("10040"), await OpenOfAsync("10041"), await OpenOfAsync("10042")));
    }

    [Fact]
    public async Task A_csv_row_naming_an_unknown_customer_rejects_the_whole_file()
    {
        await SetupAsync();
        var before = await CountsAsync();
        var csv = "payment_date,amount,customer_number,reference\n2026-03-02,100.00,2001,X-1\n2026-03-02,50.00,9999,X-2\n"u8.ToArray();

        var e = await Assert.ThrowsAsync<Purr.Features.Common.RejectedInputException>(() => ImportAsync("p.csv", csv));

        var error = Assert.Single(e.Errors);
        Assert.Equal((3, "customer_number", "9999"), (error.Line, error.Column, error.RawValue));
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task A_named_format_that_does_not_fit_the_file_is_a_located_error()
    {
        await SetupAsync();
        var e = await Assert.ThrowsAsync<Purr.Features.Common.RejectedInputException>(() => ImportAsync("kid-batch.camt054.xml", KidBatch, "ocr"));
        var error = Assert.Single(e.Errors);
        Assert.Equal((1, "camt054"), (error.Line, error.RawValue));
        Assert.Contains("a Nets OCR giro file (--format ocr)", error.Expected);
        var e2 = await Assert.ThrowsAsync<Purr.Features.Common.RejectedInputException>(() => ImportAsync("kid-batch.camt054.xml", KidBatch, "camt054", statementOnly: true));
        Assert.Equal("--statement-only", Assert.Single(e2.Errors).Column);
    }

    [Fact]
    public async Task Progress_is_reported_and_the_short_result_keeps_the_common_import_fields()
    {
        await SetupAsync();
        var reports = new List<(int Done, int Total)>();
        await using var db = await OpenAsync();
        var r = await ImportPayments.HandleAsync(db, new ImportPayments.Command("kid-batch.camt054.xml", KidBatch, Creditor), Actor, Clock, Ct,
            new SyncProgress(reports));
        Assert.Equal(("payments", "camt054", 4, 4, 0), (r.Kind, r.Format, r.Records, r.Created, r.Unchanged));
        Assert.Equal((KidBatch.Length / 1024, KidBatch.Length / 1024), reports.Last());   // kilobytes read of the file
    }

    private sealed class SyncProgress(List<(int, int)> sink) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => sink.Add(value);
    }
}
