using Purr.Core.Formats;
using Purr.Core.Formats.SafT;
using static Purr.Core.Tests.SafT.SafTTestData;

namespace Purr.Core.Tests.SafT;

// Skatteetaten's example files (MANIFEST.md section 4).
public partial class SafTReaderTests
{
    private const string Example999 = "ExampleFile SAF-T Financial_999999999_20161125213512.xml";
    private const string XmlSpy = "Eksempelfil fra xmlSpy.xml";

    [Fact]
    public void Example_999999999_reads_header_customer_and_balanced_ledger()
    {
        var result = ReadFile(Skatteetaten(Example999));

        Assert.Empty(result.Errors); // NumberOfEntries 2 and TotalDebit = TotalCredit = 25000 agree with the lines
        var header = result.Header!;
        Assert.Equal("1.0", header.AuditFileVersion);
        Assert.True(header.HasNamespace);
        Assert.Equal("Selskapet AS", header.CompanyName);
        Assert.Equal("999999999", header.CompanyOrgNumber);
        Assert.Equal(Currency.Nok, header.DefaultCurrency);
        Assert.Equal((1, 2015, 12, 2015), (header.PeriodStart, header.PeriodStartYear, header.PeriodEnd, header.PeriodEndYear));
        Assert.Equal(new DateOnly(2016, 1, 15), header.DateCreated);
        Assert.Equal(2, result.TransactionCount);
        Assert.Equal(5, result.LineCount);
        Assert.Equal(0, result.ReceivableLineCount); // its lines are on the supplier side
        Assert.Empty(result.Documents);

        var customer = Assert.Single(result.Customers);
        Assert.Equal("12000", customer.CustomerId);
        Assert.Equal("Kunden AS", customer.Party.Name);
        Assert.Equal("12000", customer.Party.CustomerNumber);
        Assert.Equal("999999999", customer.Party.OrgNumber);
        Assert.Equal("999999999MVA", customer.Party.VatNumber);
        Assert.Equal(["Postboks 123"], customer.Party.AddressLines); // the PostalAddress is preferred
        Assert.Equal(("7001", "Trondheim", "NO"), (customer.Party.PostalCode, customer.Party.City, customer.Party.Country));
        Assert.Equal("kontaktperson@domene.offline", customer.Party.Email);
        Assert.Equal(CustomerKind.Business, customer.Party.Kind); // PartyInfo/Type Company
        Assert.Equal(30, customer.PaymentTermsDays);
        var balance = Assert.Single(customer.Balances); // 1.10 layout: AccountID and balances directly on Customer
        Assert.Equal("1500", balance.AccountId);
        Assert.Equal(Money.Nok(1234.56m), balance.Opening);
        Assert.Equal(Money.Nok(12345.67m), balance.Closing);
    }

    [Fact]
    public void Example_999999999_customer_balance_is_not_explained_by_its_lines()
    {
        var result = ReadFile(Skatteetaten(Example999));

        var opening = Assert.Single(result.OpenItems);
        Assert.Equal(OpenItemKind.OpeningBalance, opening.Kind);
        Assert.Equal(Money.Nok(1234.56m), opening.Open);
        // The example moves the customer from 1234.56 to 12345.67 without a single customer line.
        Assert.Collection(result.BalanceDifferences,
            d =>
            {
                Assert.Equal(("12000", "1500", BalanceCheck.Movements), (d.CustomerId, d.AccountId, d.Check));
                Assert.Equal((Money.Nok(12345.67m), Money.Nok(1234.56m), Money.Nok(11111.11m)), (d.Expected, d.Derived, d.Difference));
                Assert.Equal(new SourceLocation(Example999, 145, "/AuditFile/MasterFiles/Customers/Customer[1]/AccountID"), d.Source);
            },
            d =>
            {
                Assert.Equal(("12000", (string?)null, BalanceCheck.OpenItems), (d.CustomerId, d.AccountId, d.Check));
                Assert.Equal(Money.Nok(11111.11m), d.Difference);
            });
        Assert.False(result.IsReconciled);
    }

    [Fact]
    public void XmlSpy_placeholder_file_without_namespace_is_parsed_and_rejected_with_located_reasons()
    {
        var result = ReadFile(Skatteetaten(XmlSpy));

        Assert.False(result.Header!.HasNamespace);
        Assert.Equal("a", Assert.Single(result.Customers).CustomerId);
        Assert.Equal(1, result.TransactionCount);
        Assert.Collection(result.Errors,
            e => AssertError(e, XmlSpy, 5, "/AuditFile/Header/AuditFileVersion", "a", "expected the SAF-T Financial version"),
            e => AssertError(e, XmlSpy, 6, "/AuditFile/Header/AuditFileCountry", "aa", "expected NO"),
            e => AssertError(e, XmlSpy, 12, "/AuditFile/Header/Company/RegistrationNumber", "a", "expected the company's Norwegian organisation number"),
            e => AssertError(e, XmlSpy, 52, "/AuditFile/Header/DefaultCurrencyCode", "aaa", "expected an ISO 4217 currency code"),
            e => AssertError(e, XmlSpy, 377, "/AuditFile/GeneralLedgerEntries/Journal[1]/Transaction[1]/Line/DebitAmount/CurrencyCode", "aaa",
                "expected an ISO 4217 currency code"),
            e => AssertError(e, XmlSpy, 335, "/AuditFile/GeneralLedgerEntries/NumberOfEntries", "0",
                "expected the number of Transaction elements in the file, 1"));
    }

    private static void AssertError(InputError error, string file, int line, string? xpath, string? raw, string expectedStart)
    {
        Assert.Equal(file, error.File);
        Assert.Equal(line, error.Line);
        Assert.Equal(xpath, error.XPath);
        Assert.Equal(raw, error.RawValue);
        Assert.StartsWith(expectedStart, error.Expected);
    }
}
