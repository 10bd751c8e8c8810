using System.Globalization;
using System.Text;

namespace Purr.Core.Tests.SafT;

/// <summary>
/// Writes a large, internally consistent SAF-T Financial 1.30 file: customers with closing balances that agree with
/// the lines, invoices (AR debit, revenue with VAT, VAT) and payments (bank, AR credit). Every tenth invoice is paid
/// half, every fiftieth not at all; the rest in full.
/// </summary>
internal static class SafTGenerator
{
    public sealed record Expectation(int Transactions, int Lines, int Invoices, int OpenInvoices, decimal OpenTotal, decimal TotalDebit);

    private static decimal InvoiceAmount(int i) => 100m + i % 97 * 10.25m;

    private static decimal Paid(int i) => i % 50 == 0 ? 0m : i % 10 == 0 ? Round(InvoiceAmount(i) / 2m) : InvoiceAmount(i);

    private static decimal Round(decimal d) => Money.Nok(d).RoundToMinorUnit().Amount;

    private static string Customer(int i, int customers) => (10000 + i % customers).ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes about <paramref name="lines"/> GL lines (whole invoice/payment cycles) to <paramref name="path"/>.</summary>
    public static Expectation Write(string path, int lines, int customers = 1000)
    {
        // First pass: the numbers the header and master files need (the file is written in one forward pass).
        var invoices = 0;
        var lineCount = 0;
        var transactions = 0;
        decimal totalDebit = 0m;
        var closing = new decimal[customers];
        var openInvoices = 0;
        decimal openTotal = 0m;
        while (lineCount < lines)
        {
            var amount = InvoiceAmount(invoices);
            var paid = Paid(invoices);
            totalDebit += amount;
            closing[invoices % customers] += amount - paid;
            lineCount += 3;
            transactions++;
            if (paid > 0m)
            {
                totalDebit += paid;
                lineCount += 2;
                transactions++;
            }
            if (paid != amount) { openInvoices++; openTotal += amount - paid; }
            invoices++;
        }

        using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        w.WriteLine("""<?xml version="1.0" encoding="UTF-8"?>""");
        w.WriteLine("""<n1:AuditFile xmlns:n1="urn:StandardAuditFile-Taxation-Financial:NO">""");
        w.WriteLine("""
          <n1:Header>
            <n1:AuditFileVersion>1.30</n1:AuditFileVersion>
            <n1:AuditFileCountry>NO</n1:AuditFileCountry>
            <n1:AuditFileDateCreated>2026-04-02</n1:AuditFileDateCreated>
            <n1:SoftwareCompanyName>Purr</n1:SoftwareCompanyName>
            <n1:SoftwareID>SafTGenerator</n1:SoftwareID>
            <n1:SoftwareVersion>1</n1:SoftwareVersion>
            <n1:Company>
              <n1:RegistrationNumber>123456785</n1:RegistrationNumber>
              <n1:Name>Purr Testselskap AS</n1:Name>
            </n1:Company>
            <n1:DefaultCurrencyCode>NOK</n1:DefaultCurrencyCode>
            <n1:SelectionCriteria>
              <n1:SelectionStartDate>2026-01-01</n1:SelectionStartDate>
              <n1:SelectionEndDate>2026-12-31</n1:SelectionEndDate>
            </n1:SelectionCriteria>
            <n1:TaxAccountingBasis>A</n1:TaxAccountingBasis>
          </n1:Header>
          <n1:MasterFiles>
            <n1:Customers>
        """);
        for (var c = 0; c < customers; c++)
        {
            var balance = closing[c];
            var tag = balance >= 0m ? "ClosingDebitBalance" : "ClosingCreditBalance";
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
                  <n1:Customer>
                    <n1:RegistrationNumber>912000001</n1:RegistrationNumber>
                    <n1:Name>Kunde {c} AS</n1:Name>
                    <n1:CustomerID>{Customer(c, customers)}</n1:CustomerID>
                    <n1:BalanceAccount>
                      <n1:AccountID>1500</n1:AccountID>
                      <n1:OpeningDebitBalance>0.00</n1:OpeningDebitBalance>
                      <n1:{tag}>{Math.Abs(balance):F2}</n1:{tag}>
                    </n1:BalanceAccount>
                  </n1:Customer>
            """));
        }
        w.WriteLine("    </n1:Customers>\n  </n1:MasterFiles>\n  <n1:GeneralLedgerEntries>");
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    <n1:NumberOfEntries>{transactions}</n1:NumberOfEntries>"));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    <n1:TotalDebit>{totalDebit:F2}</n1:TotalDebit>"));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    <n1:TotalCredit>{totalDebit:F2}</n1:TotalCredit>"));
        w.WriteLine("    <n1:Journal>\n      <n1:JournalID>A</n1:JournalID>\n      <n1:Description>Alt</n1:Description>\n      <n1:Type>A</n1:Type>");
        for (var i = 0; i < invoices; i++)
        {
            var amount = InvoiceAmount(i);
            var net = Round(amount * 0.8m);
            var vat = amount - net;
            var day = new DateOnly(2026, 1, 1).AddDays(i % 300);
            var customer = Customer(i, customers);
            var number = (1_000_000 + i).ToString(CultureInfo.InvariantCulture);
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
                  <n1:Transaction>
                    <n1:TransactionID>F{number}</n1:TransactionID>
                    <n1:Period>{day.Month}</n1:Period>
                    <n1:PeriodYear>2026</n1:PeriodYear>
                    <n1:TransactionDate>{day:yyyy-MM-dd}</n1:TransactionDate>
                    <n1:Description>Faktura {number}</n1:Description>
                    <n1:SystemEntryDate>{day:yyyy-MM-dd}</n1:SystemEntryDate>
                    <n1:GLPostingDate>{day:yyyy-MM-dd}</n1:GLPostingDate>
                    <n1:Line>
                      <n1:RecordID>1</n1:RecordID>
                      <n1:AccountID>1500</n1:AccountID>
                      <n1:CustomerID>{customer}</n1:CustomerID>
                      <n1:Description>Faktura {number}</n1:Description>
                      <n1:DebitAmount><n1:Amount>{amount:F2}</n1:Amount></n1:DebitAmount>
                      <n1:ReferenceNumber>{number}</n1:ReferenceNumber>
                      <n1:CID>{number}</n1:CID>
                      <n1:DueDate>{day.AddDays(14):yyyy-MM-dd}</n1:DueDate>
                    </n1:Line>
                    <n1:Line>
                      <n1:RecordID>2</n1:RecordID>
                      <n1:AccountID>3000</n1:AccountID>
                      <n1:Description>Salg</n1:Description>
                      <n1:CreditAmount><n1:Amount>{net:F2}</n1:Amount></n1:CreditAmount>
                      <n1:TaxInformation><n1:TaxType>MVA</n1:TaxType><n1:TaxCode>3</n1:TaxCode><n1:TaxPercentage>25</n1:TaxPercentage><n1:TaxBase>{net:F2}</n1:TaxBase><n1:CreditTaxAmount><n1:Amount>{vat:F2}</n1:Amount></n1:CreditTaxAmount></n1:TaxInformation>
                    </n1:Line>
                    <n1:Line>
                      <n1:RecordID>3</n1:RecordID>
                      <n1:AccountID>2700</n1:AccountID>
                      <n1:Description>Utgående mva</n1:Description>
                      <n1:CreditAmount><n1:Amount>{vat:F2}</n1:Amount></n1:CreditAmount>
                    </n1:Line>
                  </n1:Transaction>
            """));
            var paid = Paid(i);
            if (paid == 0m) continue;
            var payday = day.AddDays(10);
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
                  <n1:Transaction>
                    <n1:TransactionID>B{number}</n1:TransactionID>
                    <n1:Period>{payday.Month}</n1:Period>
                    <n1:PeriodYear>2026</n1:PeriodYear>
                    <n1:TransactionDate>{payday:yyyy-MM-dd}</n1:TransactionDate>
                    <n1:Description>Innbetaling</n1:Description>
                    <n1:SystemEntryDate>{payday:yyyy-MM-dd}</n1:SystemEntryDate>
                    <n1:GLPostingDate>{payday:yyyy-MM-dd}</n1:GLPostingDate>
                    <n1:Line>
                      <n1:RecordID>1</n1:RecordID>
                      <n1:AccountID>1920</n1:AccountID>
                      <n1:Description>Innbetaling</n1:Description>
                      <n1:DebitAmount><n1:Amount>{paid:F2}</n1:Amount></n1:DebitAmount>
                    </n1:Line>
                    <n1:Line>
                      <n1:RecordID>2</n1:RecordID>
                      <n1:AccountID>1500</n1:AccountID>
                      <n1:ValueDate>{payday:yyyy-MM-dd}</n1:ValueDate>
                      <n1:CustomerID>{customer}</n1:CustomerID>
                      <n1:Description>Innbetaling</n1:Description>
                      <n1:CreditAmount><n1:Amount>{paid:F2}</n1:Amount></n1:CreditAmount>
                      <n1:ReferenceNumber>{number}</n1:ReferenceNumber>
                    </n1:Line>
                  </n1:Transaction>
            """));
        }
        w.WriteLine("    </n1:Journal>\n  </n1:GeneralLedgerEntries>\n</n1:AuditFile>");
        return new Expectation(transactions, lineCount, invoices, openInvoices, openTotal, totalDebit);
    }
}
