using Microsoft.EntityFrameworkCore;
using Purr.Data;
using Purr.Features.Imports;
using Purr.Tests.Infrastructure;

namespace Purr.Tests.Invoices;

public sealed class SafTPostingOrderTests_Sqlite(SqliteFixture f) : SafTPostingOrderTests<SqliteFixture>(f);
public sealed class SafTPostingOrderTests_Postgres(PostgresFixture f) : SafTPostingOrderTests<PostgresFixture>(f);

/// <summary>
/// The order the streaming SAF-T import posts in: records in file order (set-off of credit notes is oldest open first
/// by due date, so it does not depend on it), payments by date whatever their order in the file, so that when several
/// payments hit one invoice the earlier payment is allocated first and the later one keeps what is left over.
/// </summary>
public abstract class SafTPostingOrderTests<TDb>(TDb fixture) : InvoiceImportTest<TDb>(fixture) where TDb : DatabaseFixture
{
    // Customer 20001: invoice A 1000.00 (10 Jan, due 24 Jan) listed before the older invoice B 500.00 (5 Jan, due 19 Jan);
    // a credit note K1 of 300.00 (VAT, no invoice named); two payments on A, the later one (20 Jan, 700.00) listed first in
    // the bank journal, then the earlier one (15 Jan, 600.00). Closing balance 1000 + 500 − 300 − 1300 = −100.
    private static string File()
    {
        var t = new System.Text.StringBuilder();
        void Tx(string id, string date, string text, params string[] lines) =>
            t.Append($"<Transaction><TransactionID>{id}</TransactionID><TransactionDate>{date}</TransactionDate><Description>{text}</Description>{string.Concat(lines)}</Transaction>");
        string Line(int record, string account, string? customer, string side, string amount, string? reference = null, string? valueDate = null, bool vat = false) =>
            $"<Line><RecordID>{record}</RecordID><AccountID>{account}</AccountID>{(customer is null ? "" : $"<CustomerID>{customer}</CustomerID>")}" +
            $"<{side}Amount><Amount>{amount}</Amount></{side}Amount>{(reference is null ? "" : $"<ReferenceNumber>{reference}</ReferenceNumber>")}" +
            $"{(valueDate is null ? "" : $"<ValueDate>{valueDate}</ValueDate>")}{(vat ? "<TaxInformation><TaxType>MVA</TaxType><TaxCode>3</TaxCode></TaxInformation>" : "")}</Line>";
        t.Append("<Journal><JournalID>S</JournalID>");
        Tx("S-1", "2026-01-10", "Faktura A", Line(1, "1500", "20001", "Debit", "1000.00", "A"), Line(2, "3000", null, "Credit", "1000.00"));
        Tx("S-2", "2026-01-05", "Faktura B", Line(1, "1500", "20001", "Debit", "500.00", "B"), Line(2, "3000", null, "Credit", "500.00"));
        Tx("S-3", "2026-01-25", "Kreditnota K1", Line(1, "1500", "20001", "Credit", "300.00", "K1"), Line(2, "3000", null, "Debit", "300.00", vat: true));
        t.Append("</Journal><Journal><JournalID>B</JournalID>");
        Tx("B-1", "2026-01-21", "Innbetaling", Line(1, "1500", "20001", "Credit", "700.00", "A", "2026-01-20"), Line(2, "1920", null, "Debit", "700.00"));
        Tx("B-2", "2026-01-16", "Innbetaling", Line(1, "1500", "20001", "Credit", "600.00", "A", "2026-01-15"), Line(2, "1920", null, "Debit", "600.00"));
        t.Append("</Journal>");
        return $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <AuditFile xmlns="urn:StandardAuditFile-Taxation-Financial:NO">
              <Header><AuditFileVersion>1.30</AuditFileVersion><AuditFileCountry>NO</AuditFileCountry><Company><Name>Purr Testselskap AS</Name></Company>
                <DefaultCurrencyCode>NOK</DefaultCurrencyCode>
                <SelectionCriteria><SelectionStartDate>2026-01-01</SelectionStartDate><SelectionEndDate>2026-01-31</SelectionEndDate></SelectionCriteria></Header>
              <MasterFiles><Customers><Customer><CustomerID>20001</CustomerID><Name>Pus AS</Name>
                <BalanceAccount><AccountID>1500</AccountID><OpeningDebitBalance>0.00</OpeningDebitBalance><ClosingCreditBalance>100.00</ClosingCreditBalance></BalanceAccount>
                <PartyInfo><PaymentTerms><Days>14</Days></PaymentTerms></PartyInfo></Customer></Customers></MasterFiles>
              <GeneralLedgerEntries><NumberOfEntries>5</NumberOfEntries><TotalDebit>3100.00</TotalDebit><TotalCredit>3100.00</TotalCredit>{t}</GeneralLedgerEntries>
            </AuditFile>
            """;
    }

    [Theory]
    [InlineData(10_000)]
    [InlineData(1)]
    public async Task Payments_are_applied_by_date_and_credit_notes_to_the_oldest_open_invoice_whatever_the_file_order(int chunk)
    {
        var creditor = await CreditorAsync();
        using var _ = ImportInvoices.UseChunkSize(chunk);

        var r = await ImportSafTAsync(creditor, TempFile("order.xml", File()));

        Assert.Empty(r.BalanceDifferences!);
        // B is older (due 19 Jan): the credit note is set off against it, not against A that comes first in the file.
        var b = await InvoiceAsync("B");
        var a = await InvoiceAsync("A");
        Assert.Equal((50000L, 20000L), (b.Amount, b.Open));
        Assert.Equal((100000L, 0L, new DateOnly(2026, 1, 20)), (a.Amount, a.Open, a.SettledOn));
        Assert.Equal(0L, (await InvoiceAsync("K1", DocumentKind.CreditNote)).Open);
        await using var db = await OpenAsync();
        // The 15 Jan payment (second in the file) is applied in full; the 20 Jan one gets what is left and keeps 300.00.
        var payments = await db.Payments.AsNoTracking().OrderBy(p => p.Id).Select(p => new { p.PaymentDate, p.Amount, p.Unallocated }).ToListAsync(Ct);
        Assert.Equal([(new DateOnly(2026, 1, 15), 60000L, 0L), (new DateOnly(2026, 1, 20), 70000L, 30000L)],
            payments.Select(p => (p.PaymentDate, p.Amount, p.Unallocated)));
        var net = (await Purr.Features.Ledger.LedgerBalance.HandleAsync(db, new Purr.Features.Ledger.LedgerBalance.Query(creditor, "20001"), Ct)).Net;
        Assert.Equal("-100.00", net);
    }
}
