using Microsoft.EntityFrameworkCore;
using Purr.Data;
using Purr.Features.Imports;
using Purr.Tests.Infrastructure;

namespace Purr.Tests.Invoices;

public sealed class SafTUnappliedPaymentTests_Sqlite(SqliteFixture f) : SafTUnappliedPaymentTests<SqliteFixture>(f);
public sealed class SafTUnappliedPaymentTests_Postgres(PostgresFixture f) : SafTUnappliedPaymentTests<PostgresFixture>(f);

/// <summary>
/// A SAF-T payment whose ReferenceNumber names no invoice of its customer in the file, while the customer has other open
/// invoices in the same posting chunk. The rule (ImportSafT, as SafTReader applies it): such a payment pays the customer's
/// opening balance (the invoices from before the period) as far as that is open, and the rest stays the customer's credit
/// balance. It never pays another invoice of the file: the bookkeeper's ledger did not apply it there, and the
/// customer's balance is right either way (the closing balance the file states).
/// </summary>
public abstract class SafTUnappliedPaymentTests<TDb>(TDb fixture) : InvoiceImportTest<TDb>(fixture) where TDb : DatabaseFixture
{
    // Customer 20001 (no opening balance): invoices A 1000.00 and B 500.00, a payment of 400.00 with reference X-999 (no such
    // invoice) and one of 200.00 without a reference. Closing 1500 − 600 = 900.00.
    // Customer 20002 (opening balance 1000.00): invoice C 800.00, a payment of 1500.00 with reference OLD-1 (an invoice from
    // before the period). Closing 1000 + 800 − 1500 = 300.00.
    private static string File()
    {
        var t = new System.Text.StringBuilder();
        void Tx(string id, string date, string text, params string[] lines) =>
            t.Append($"<Transaction><TransactionID>{id}</TransactionID><TransactionDate>{date}</TransactionDate><Description>{text}</Description>{string.Concat(lines)}</Transaction>");
        string Line(int record, string account, string? customer, string side, string amount, string? reference = null) =>
            $"<Line><RecordID>{record}</RecordID><AccountID>{account}</AccountID>{(customer is null ? "" : $"<CustomerID>{customer}</CustomerID>")}" +
            $"<{side}Amount><Amount>{amount}</Amount></{side}Amount>{(reference is null ? "" : $"<ReferenceNumber>{reference}</ReferenceNumber>")}</Line>";
        t.Append("<Journal><JournalID>S</JournalID>");
        Tx("S-1", "2026-01-05", "Faktura A", Line(1, "1500", "20001", "Debit", "1000.00", "A"), Line(2, "3000", null, "Credit", "1000.00"));
        Tx("S-2", "2026-01-10", "Faktura B", Line(1, "1500", "20001", "Debit", "500.00", "B"), Line(2, "3000", null, "Credit", "500.00"));
        Tx("S-3", "2026-01-06", "Faktura C", Line(1, "1500", "20002", "Debit", "800.00", "C"), Line(2, "3000", null, "Credit", "800.00"));
        t.Append("</Journal><Journal><JournalID>B</JournalID>");
        Tx("B-1", "2026-01-20", "Innbetaling", Line(1, "1500", "20001", "Credit", "400.00", "X-999"), Line(2, "1920", null, "Debit", "400.00"));
        Tx("B-2", "2026-01-21", "Innbetaling", Line(1, "1500", "20001", "Credit", "200.00"), Line(2, "1920", null, "Debit", "200.00"));
        Tx("B-3", "2026-01-22", "Innbetaling", Line(1, "1500", "20002", "Credit", "1500.00", "OLD-1"), Line(2, "1920", null, "Debit", "1500.00"));
        t.Append("</Journal>");
        return $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <AuditFile xmlns="urn:StandardAuditFile-Taxation-Financial:NO">
              <Header><AuditFileVersion>1.30</AuditFileVersion><AuditFileCountry>NO</AuditFileCountry><Company><Name>Purr Testselskap AS</Name></Company>
                <DefaultCurrencyCode>NOK</DefaultCurrencyCode>
                <SelectionCriteria><SelectionStartDate>2026-01-01</SelectionStartDate><SelectionEndDate>2026-01-31</SelectionEndDate></SelectionCriteria></Header>
              <MasterFiles><Customers>
                <Customer><CustomerID>20001</CustomerID><Name>Pus AS</Name>
                  <BalanceAccount><AccountID>1500</AccountID><OpeningDebitBalance>0.00</OpeningDebitBalance><ClosingDebitBalance>900.00</ClosingDebitBalance></BalanceAccount>
                  <PartyInfo><PaymentTerms><Days>14</Days></PaymentTerms></PartyInfo></Customer>
                <Customer><CustomerID>20002</CustomerID><Name>Mons AS</Name>
                  <BalanceAccount><AccountID>1500</AccountID><OpeningDebitBalance>1000.00</OpeningDebitBalance><ClosingDebitBalance>300.00</ClosingDebitBalance></BalanceAccount>
                  <PartyInfo><PaymentTerms><Days>14</Days></PaymentTerms></PartyInfo></Customer>
              </Customers></MasterFiles>
              <GeneralLedgerEntries><NumberOfEntries>6</NumberOfEntries><TotalDebit>4400.00</TotalDebit><TotalCredit>4400.00</TotalCredit>{t}</GeneralLedgerEntries>
            </AuditFile>
            """;
    }

    [Theory]
    [InlineData(10_000)]
    [InlineData(1)]
    public async Task A_payment_for_no_invoice_in_the_file_pays_the_opening_balance_or_stays_credit_never_another_invoice(int chunk)
    {
        var creditor = await CreditorAsync();
        using var _ = ImportInvoices.UseChunkSize(chunk);

        var r = await ImportSafTAsync(creditor, TempFile("unapplied.xml", File()));

        Assert.Empty(r.BalanceDifferences!);
        // The invoices of the file stay open in full although their customers have unapplied money.
        foreach (var (number, amount) in new[] { ("A", 100000L), ("B", 50000L), ("C", 80000L) })
        {
            var invoice = await InvoiceAsync(number);
            Assert.Equal((number, amount, amount), (invoice.Number, invoice.Amount, invoice.Open));
        }
        // The opening balance of 20002 takes 1000.00 of the OLD-1 payment.
        Assert.Equal(0L, (await InvoiceAsync(ImportSafT.OpeningNumber("20002"))).Open);

        await using var db = await OpenAsync();
        var allocated = await db.Allocations.AsNoTracking().Select(a => a.PaymentId).ToListAsync(Ct);
        var payments = (await db.Payments.AsNoTracking().OrderBy(p => p.Id).ToListAsync(Ct))
            .Select(p => new { p.InvoiceNumber, p.Amount, p.Unallocated, p.Status, Allocated = allocated.Count(id => id == p.Id) }).ToList();
        Assert.Equal(
            [("X-999", 40000L, 40000L, PaymentStatus.Unmatched, 0), (null, 20000L, 20000L, PaymentStatus.Unmatched, 0),
             ("OLD-1", 150000L, 50000L, PaymentStatus.PartlyMatched, 1)],
            payments.Select(p => (p.InvoiceNumber, p.Amount, p.Unallocated, p.Status, p.Allocated)));
        foreach (var (customer, net) in new[] { ("20001", "900.00"), ("20002", "300.00") })
            Assert.Equal(net, (await Purr.Features.Ledger.LedgerBalance.HandleAsync(db, new Purr.Features.Ledger.LedgerBalance.Query(creditor, customer), Ct)).Net);
    }
}
