using System.Globalization;

namespace Purr.Tests.Invoices;

/// <summary>
/// Builds small SAF-T Financial 1.30 files for the tests: customers with one accounts-receivable balance, journals of
/// general-ledger transactions, and the document around them (January 2026, NOK).
/// </summary>
internal static class SafTFiles
{
    private static string A(decimal d) => Math.Abs(d).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>A ledger line: <paramref name="side"/> is "Debit" or "Credit"; <paramref name="vat"/> adds output VAT (code 3).</summary>
    public static string Line(int record, string account, string? customer, string side, string amount, string? reference = null, string? valueDate = null,
        bool vat = false) =>
        $"<Line><RecordID>{record}</RecordID><AccountID>{account}</AccountID>{(customer is null ? "" : $"<CustomerID>{customer}</CustomerID>")}" +
        $"<{side}Amount><Amount>{amount}</Amount></{side}Amount>{(reference is null ? "" : $"<ReferenceNumber>{reference}</ReferenceNumber>")}" +
        $"{(valueDate is null ? "" : $"<ValueDate>{valueDate}</ValueDate>")}{(vat ? "<TaxInformation><TaxType>MVA</TaxType><TaxCode>3</TaxCode></TaxInformation>" : "")}</Line>";

    public static string Transaction(string id, string date, string text, params string[] lines) =>
        $"<Transaction><TransactionID>{id}</TransactionID><TransactionDate>{date}</TransactionDate><Description>{text}</Description>{string.Concat(lines)}</Transaction>";

    public static string Journal(string id, params string[] transactions) => $"<Journal><JournalID>{id}</JournalID>{string.Concat(transactions)}</Journal>";

    /// <summary>A customer with accounts-receivable account 1500; a negative balance is a credit balance; <paramref name="org"/> its RegistrationNumber.</summary>
    public static string Customer(string id, string name, decimal opening, decimal closing, int paymentDays = 14, string? org = null) =>
        $"<Customer>{(org is null ? "" : $"<RegistrationNumber>{org}</RegistrationNumber>")}<CustomerID>{id}</CustomerID><Name>{name}</Name><BalanceAccount><AccountID>1500</AccountID>" +
        $"<Opening{(opening < 0 ? "Credit" : "Debit")}Balance>{A(opening)}</Opening{(opening < 0 ? "Credit" : "Debit")}Balance>" +
        $"<Closing{(closing < 0 ? "Credit" : "Debit")}Balance>{A(closing)}</Closing{(closing < 0 ? "Credit" : "Debit")}Balance></BalanceAccount>" +
        $"<PartyInfo><PaymentTerms><Days>{paymentDays}</Days></PaymentTerms></PartyInfo></Customer>";

    /// <summary>The file: its customers, and journals whose transactions count <paramref name="entries"/> with the given totals.</summary>
    public static string Document(IEnumerable<string> customers, int entries, decimal totalDebit, decimal totalCredit, params string[] journals) =>
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <AuditFile xmlns="urn:StandardAuditFile-Taxation-Financial:NO">
          <Header><AuditFileVersion>1.30</AuditFileVersion><AuditFileCountry>NO</AuditFileCountry><Company><Name>Purr Testselskap AS</Name></Company>
            <DefaultCurrencyCode>NOK</DefaultCurrencyCode>
            <SelectionCriteria><SelectionStartDate>2026-01-01</SelectionStartDate><SelectionEndDate>2026-01-31</SelectionEndDate></SelectionCriteria></Header>
          <MasterFiles><Customers>{string.Concat(customers)}</Customers></MasterFiles>
          <GeneralLedgerEntries><NumberOfEntries>{entries}</NumberOfEntries><TotalDebit>{A(totalDebit)}</TotalDebit><TotalCredit>{A(totalCredit)}</TotalCredit>{string.Concat(journals)}</GeneralLedgerEntries>
        </AuditFile>
        """;
}
