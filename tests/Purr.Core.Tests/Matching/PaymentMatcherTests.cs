using Purr.Core.Identifiers;
using Purr.Core.Matching;
using Purr.Core.Tests.Camt;

namespace Purr.Core.Tests.Matching;

public class PaymentMatcherTests
{
    private static readonly CustomerId Hansen = new(1), Nordmann = new(2), Olsen = new(3);

    // Open items of one creditor. KIDs: 123456782 (MOD10), 123456785 (MOD11), 1000005- (MOD11 '-'),
    // 12344 (MOD10 only), 12343 (MOD11 only), 2345676 (both). 2345674 fails both.
    private static readonly OpenItem[] Items =
    [
        Item(101, "10042", Hansen, 1000.00m, "2026-01-10", "2026-01-24", kid: "123456782", name: "Ola Hansen AS", accounts: ["8601.11.17947"]),
        Item(102, "10043", Hansen, 500.00m, "2026-01-12", "2026-01-26", kid: "123456785", name: "Ola Hansen AS", accounts: ["8601.11.17947"]),
        Item(103, "INV-2026-007", Nordmann, 750.00m, "2026-01-05", "2026-01-19", kid: "1000005-", name: "Kari Nordmann"),
        Item(104, "000123", Nordmann, 750.00m, "2026-01-06", "2026-01-20", kid: "12344", name: "Kari Nordmann", accounts: ["NO93 8601 1117 947"]),
        Item(105, "10044", Olsen, 250.00m, "2026-01-08", null, kid: "2345674", name: "Per Olsen"),
        Item(106, "10045", Olsen, 250.00m, "2026-01-09", null, kid: "12343", name: "Per Olsen"),
        Item(107, "20001", Hansen, 300.00m, "2026-02-01", "2026-02-15", kid: "2345676", name: "Ola Hansen AS"),
        Item(108, "20002", Olsen, 300.00m, "2026-02-01", "2026-02-15", kid: "2345676", name: "Per Olsen"),
        Item(109, "30001", Hansen, 400.00m, "2026-02-03", "2026-02-17", kid: "0000531", name: "Ola Hansen AS"),
        Item(110, "30002", Hansen, 400.00m, "2026-02-02", "2026-02-17", kid: "0000531", name: "Ola Hansen AS"),
        Item(111, "40001", Olsen, 99.00m, "2026-02-02", "2026-02-17", kid: "008000011688373", name: "Per Olsen") with { OpenAmount = new Money(99m, Currency.Parse("EUR")) },
        Item(112, "50001", new CustomerId(4), 123.45m, "2026-02-02", "2026-02-17", name: "Søren Åsheim Bærum"),
    ];

    private static readonly OpenItemIndex View = new(Items);

    // Table: KID / text / payer -> method and invoice ids. Amount defaults to 100.00 NOK.
    public static TheoryData<string, string?, string?, string?, string?, decimal, MatchMethod, long[]> Cases => new()
    {
        { "MOD10 KID equal to an open invoice's KID", "123456782", null, null, null, 100m, MatchMethod.Kid, [101] },
        { "MOD11 KID", "123456785", null, null, null, 100m, MatchMethod.Kid, [102] },
        { "MOD11 KID ending in '-'", "1000005-", null, null, null, 100m, MatchMethod.Kid, [103] },
        { "KID with spaces", "1234 5678 2", null, null, null, 100m, MatchMethod.Kid, [101] },
        { "customer-level KID on two invoices: both, oldest first", "0000531", null, null, null, 100m, MatchMethod.Kid, [110, 109] },
        { "KID typed in the text", null, "Betaling KID 123456785 takk", null, null, 100m, MatchMethod.Kid, [102] },
        { "KID of two customers: no KID match, falls through", "2345676", null, null, null, 100m, MatchMethod.None, [] },
        { "invalid check digit is not a KID even if an invoice carries it", "2345674", null, null, null, 100m, MatchMethod.None, [] },
        { "valid KID matching nothing falls to the invoice number", "12345678903", "faktura 10043", null, null, 100m, MatchMethod.InvoiceNumber, [102] },
        { "invoice number as a token", null, "Faktura 10042", null, null, 100m, MatchMethod.InvoiceNumber, [101] },
        { "invoice number with punctuation around", null, "Gjelder fakt.nr:10042, mvh", null, null, 100m, MatchMethod.InvoiceNumber, [101] },
        { "invoice number glued to letters", null, "Faktura10042", null, null, 100m, MatchMethod.InvoiceNumber, [101] },
        { "not a substring of longer digits", null, "Ref 9100421", null, null, 100m, MatchMethod.None, [] },
        { "alphanumeric invoice number", null, "inv-2026-007 betalt", null, null, 100m, MatchMethod.InvoiceNumber, [103] },
        { "leading zeros may be left out", null, "Faktura 123", null, null, 100m, MatchMethod.InvoiceNumber, [104] },
        { "two invoice numbers of one customer", null, "Invoices 10042 and 10043", null, null, 100m, MatchMethod.InvoiceNumber, [101, 102] },
        { "invoice numbers of two customers do not match", null, "10042 og 10044", null, null, 100m, MatchMethod.None, [] },
        { "short numbers (dates) are ignored", null, "Betalt 19/03/04", null, null, 100m, MatchMethod.None, [] },
        { "amount and payer account (IBAN against BBAN)", null, null, null, "NO9386011117947", 1000.00m, MatchMethod.AmountAndPayer, [101] },
        { "amount and payer name, case and legal form ignored", null, "takk for sist", "OLA HANSEN", null, 500.00m, MatchMethod.AmountAndPayer, [102] },
        { "amount and payer with Norwegian letters folded", null, null, "SOREN ASHEIM BAERUM", null, 123.45m, MatchMethod.AmountAndPayer, [112] },
        { "amount and payer: two invoices of that amount for the payer", null, null, "KARI NORDMANN", null, 750.00m, MatchMethod.None, [] },
        { "amount and payer: two candidates", null, null, "Per Olsen", null, 250.00m, MatchMethod.None, [] },
        { "amount without a payer", null, null, null, null, 1000.00m, MatchMethod.None, [] },
        { "KID of an invoice in another currency", "008000011688373", null, null, null, 99.00m, MatchMethod.None, [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Proposes_the_documented_method(string scenario, string? kid, string? text, string? payerName, string? payerAccount, decimal amount, MatchMethod method, long[] invoices)
    {
        var payment = new PaymentToMatch(Money.Nok(amount)) { Kid = kid, FreeText = text, PayerName = payerName, PayerAccount = payerAccount };

        var proposal = PaymentMatcher.Propose(payment, View);

        Assert.True(method == proposal.Method, $"{scenario}: {proposal.Method} ({proposal.Reason})");
        Assert.Equal(invoices, proposal.Invoices.Select(i => i.InvoiceId.Value));
        Assert.False(string.IsNullOrWhiteSpace(proposal.Reason));
        if (method != MatchMethod.None) Assert.Equal(proposal.Invoices[0].CustomerId, proposal.Customer);
    }

    [Fact]
    public void Reasons_say_what_matched_and_why_nothing_did()
    {
        var byKid = PaymentMatcher.Propose(new PaymentToMatch(Money.Nok(100m)) { Kid = "123456782" }, View);
        Assert.Equal("KID 123456782 matches invoice 10042 of customer 1", byKid.Reason);
        Assert.Equal("kid", byKid.MethodCode);

        var none = PaymentMatcher.Propose(new PaymentToMatch(Money.Nok(250m)) { Kid = "2345674", FreeText = "Ref 9100421", PayerName = "Per Olsen" }, View);
        Assert.StartsWith("reference 2345674 is not a valid KID (the check digit is wrong under both MOD10", none.Reason);
        Assert.EndsWith("; no open invoice number found in the text; 2 open invoices of 250.00 fit the payer (10044, 10045)", none.Reason);
        Assert.Null(none.MethodCode);

        var twoCustomers = PaymentMatcher.Propose(new PaymentToMatch(Money.Nok(100m)) { Kid = "2345676" }, View);
        Assert.StartsWith("KID 2345676 points at invoices of 2 different customers", twoCustomers.Reason);
    }

    [Fact]
    public void Several_structured_references_of_one_customer_match_all_their_invoices()
    {
        var payment = new PaymentToMatch(Money.Nok(1500m)) { Kid = "123456782", References = ["123456782", "123456785"] };

        var proposal = PaymentMatcher.Propose(payment, View);

        Assert.Equal(MatchMethod.Kid, proposal.Method);
        Assert.Equal([101L, 102L], proposal.Invoices.Select(i => i.InvoiceId.Value));
        Assert.Equal("KID 123456782, 123456785 matches 2 invoices (10042, 10043) of customer 1", proposal.Reason);
    }

    [Fact]
    public void Referred_document_numbers_are_invoice_numbers()
    {
        var payment = new PaymentToMatch(Money.Nok(100m)) { DocumentNumbers = ["10045"] };

        Assert.Equal([106L], PaymentMatcher.Propose(payment, View).Invoices.Select(i => i.InvoiceId.Value));
    }

    [Fact]
    public void The_kid_method_of_the_agreement_is_respected()
    {
        var mod10Only = new PaymentToMatch(Money.Nok(100m)) { Kid = "12344" };

        Assert.Equal(MatchMethod.Kid, PaymentMatcher.Propose(mod10Only, View).Method);
        var proposal = PaymentMatcher.Propose(mod10Only, View, new MatchOptions { KidMethod = KidMethod.Mod11 });
        Assert.Equal(MatchMethod.None, proposal.Method);
        Assert.Contains("the check digit is wrong under MOD11", proposal.Reason);
    }

    [Theory]
    [InlineData(true, 100.00)]
    [InlineData(false, -100.00)]
    [InlineData(false, 0.00)]
    public void Reversals_and_money_out_are_never_matched(bool reversal, decimal amount)
    {
        var payment = new PaymentToMatch(Money.Nok(amount)) { Kid = "123456782", IsReversal = reversal };

        var proposal = PaymentMatcher.Propose(payment, View);

        Assert.Equal(MatchMethod.None, proposal.Method);
        Assert.Empty(proposal.Invoices);
    }

    [Fact]
    public void Payments_read_from_a_bank_file_match_end_to_end()
    {
        var transactions = BankTestFiles.Read("camt054", "purr+synthetic", "kid-batch.camt054.xml").Transactions;

        var proposals = transactions.Select(t => PaymentMatcher.Propose(PaymentToMatch.From(t), View)).ToList();

        Assert.Equal([MatchMethod.Kid, MatchMethod.Kid, MatchMethod.InvoiceNumber, MatchMethod.None], proposals.Select(p => p.Method));
        Assert.Equal([101L], proposals[0].Invoices.Select(i => i.InvoiceId.Value));
        Assert.Equal([102L], proposals[1].Invoices.Select(i => i.InvoiceId.Value));
        Assert.Equal([101L, 102L], proposals[2].Invoices.Select(i => i.InvoiceId.Value)); // "Faktura 10042 og 10043"
        Assert.Contains("reversal", proposals[3].Reason);
    }

    [Theory]
    [InlineData("Ola Hansen AS", "OLA HANSEN")]
    [InlineData("Bjørn Ærlig Å", "BJORN AERLIG A")]
    [InlineData("  Hansen & Sønn ANS ", "HANSEN SONN")]
    public void Names_are_compared_normalized(string name, string normalized) =>
        Assert.Equal(normalized, PaymentMatcher.NormalizeName(name));

    [Theory]
    [InlineData("NO93 8601 1117 947", "86011117947")]
    [InlineData("8601.11.17947", "86011117947")]
    [InlineData("DE89 3704 0044 0532 0130 00", "DE89370400440532013000")]
    public void Accounts_are_compared_as_bban(string account, string normalized) =>
        Assert.Equal(normalized, PaymentMatcher.NormalizeAccount(account));

    [Theory]
    [InlineData("Faktura 10042, 10043 og INV-2026-007.", new[] { "10042", "10043", "INV-2026-007", "2026" })] // "007" is too short without its zeros
    [InlineData("Ref9100421 19/03/04", new[] { "Ref9100421", "19/03/04", "9100421" })]
    public void Text_tokens_are_whole_words_letter_digit_runs_and_digit_runs(string text, string[] tokens) =>
        Assert.Equal(tokens, PaymentMatcher.Tokens(text, 3));

    internal static OpenItem Item(long id, string number, CustomerId customer, decimal open, string issued, string? due,
        string? kid = null, string? name = null, string[]? accounts = null) =>
        new(new InvoiceId(id), number, customer, Money.Nok(open), DateOnly.Parse(issued, System.Globalization.CultureInfo.InvariantCulture),
            due is null ? null : DateOnly.Parse(due, System.Globalization.CultureInfo.InvariantCulture))
        {
            Kid = kid,
            CustomerName = name,
            CustomerAccounts = accounts ?? [],
        };
}
