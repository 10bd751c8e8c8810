using Purr.Core.Dunning;

namespace Purr.Core.Tests.Dunning;

public class PlanCatalogTests
{
    private static readonly PlanCatalog Catalog = DefaultPlans.Catalog with
    {
        Rules =
        [
            new PlanRule { PlanCode = "fixed_fees", CustomerKind = CustomerKind.Public },
            new PlanRule { PlanCode = "two_reminders", CustomerKind = CustomerKind.Business, MinAmount = Money.Nok(10000) },
            new PlanRule { PlanCode = "standard", Category = "vip", MaxPriority = 2 },
            new PlanRule { PlanCode = "fixed_fees", MinPaymentTermsDays = 45, MaxPaymentTermsDays = 60 },
        ],
    };

    public static TheoryData<string, PlanSubject, string, int?> Cases => new()
    {
        { "public authority", new(CustomerKind.Public, null, 0, Money.Nok(50), 30), "fixed_fees", 0 },
        { "large business claim", new(CustomerKind.Business, null, 0, Money.Nok(10000), 30), "two_reminders", 1 },
        { "small business claim", new(CustomerKind.Business, null, 0, Money.Nok(9999.99m), 30), "standard_no", null },
        { "vip category, case-insensitive", new(CustomerKind.Private, "VIP", 2, Money.Nok(50), 14), "standard", 2 },
        { "vip with too high priority", new(CustomerKind.Private, "vip", 3, Money.Nok(50), 14), "standard_no", null },
        { "long payment terms", new(CustomerKind.Private, null, 0, Money.Nok(50), 60), "fixed_fees", 3 },
        { "unknown payment terms never match a terms rule", new(CustomerKind.Private, null, 0, Money.Nok(50), null), "standard_no", null },
        { "first match wins", new(CustomerKind.Public, "vip", 0, Money.Nok(50000), 50), "fixed_fees", 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_first_matching_rule_wins_and_the_default_plan_catches_the_rest(string name, PlanSubject subject, string plan, int? rule)
    {
        Assert.False(string.IsNullOrEmpty(name));
        Assert.True(PlanValidator.Validate(Catalog).IsValid);
        var choice = Catalog.Select(subject);
        Assert.Equal((plan, rule), (choice.Plan.Code, choice.RuleIndex));
    }

    [Fact]
    public void An_amount_in_another_currency_does_not_match_an_amount_rule()
    {
        var subject = new PlanSubject(CustomerKind.Business, null, 0, new Money(20000m, Currency.Parse("EUR")), 30);
        Assert.Equal("standard_no", Catalog.Select(subject).Plan.Code);
    }
}
