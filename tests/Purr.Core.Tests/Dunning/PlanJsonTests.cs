using System.Text;
using System.Text.Json;
using Purr.Core.Dunning;

namespace Purr.Core.Tests.Dunning;

public class PlanJsonTests
{
    public static TheoryData<string> ShippedPlans => [.. DefaultPlans.Catalog.Plans.Select(p => p.Code)];

    [Theory]
    [MemberData(nameof(ShippedPlans))]
    public void Shipped_plans_round_trip_through_json(string code)
    {
        var plan = DefaultPlans.Catalog.Find(code)!;
        var json = PlanJson.Write(plan);
        var read = PlanJson.Read(json);
        Assert.True(read.Success, string.Join("; ", read.Errors));
        Assert.Equal(plan, read.Value);
        Assert.Equal(json, PlanJson.Write(read.Value!));
    }

    [Fact]
    public void Export_uses_snake_case_names_and_enum_values()
    {
        var plan = DefaultPlans.TwoReminders with
        {
            Grouping = LetterGrouping.PerCustomer,
            Steps = [DefaultPlans.TwoReminders.Steps[0] with { Channel = DeliveryChannel.Ehf, MinDaysInPreviousList = 2, IncludeInterest = true, ExtendDeadlineToBankingDay = true }, .. DefaultPlans.TwoReminders.Steps.Skip(1)],
        };
        using var doc = JsonDocument.Parse(PlanJson.Write(plan));
        var root = doc.RootElement;
        Assert.Equal("per_customer", root.GetProperty("grouping").GetString());
        Assert.Equal("0.00", root.GetProperty("minimum_amount").GetString());
        var first = root.GetProperty("steps")[0];
        Assert.Equal(["kind", "days_after_due", "deadline_days", "extend_deadline_to_banking_day", "fee", "include_interest", "channel", "min_days_in_previous_list"],
            first.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("reminder", "legal", "ehf"), (first.GetProperty("kind").GetString(), first.GetProperty("fee").GetString(), first.GetProperty("channel").GetString()));
        Assert.Equal("collection_notice", root.GetProperty("steps")[2].GetProperty("kind").GetString());
        Assert.Equal("none", root.GetProperty("steps")[3].GetProperty("fee").GetString());
        Assert.Equal("25.00", JsonDocument.Parse(PlanJson.Write(DefaultPlans.FixedFees)).RootElement.GetProperty("steps")[0].GetProperty("fee").GetString());
    }

    [Theory]
    [InlineData("standard")]
    [InlineData("two_reminders")]
    [InlineData("fixed_fees")]
    public void The_scenario_plans_read_into_the_shipped_ones(string name)
    {
        var read = LegalScenarioHarness.ReadPlan(name);
        Assert.True(read.Success, string.Join("; ", read.Errors));
        var shipped = DefaultPlans.Catalog.Find(name)!;
        Assert.Equal(shipped.Steps, read.Value!.Steps);
        Assert.Equal((shipped.PostalDays, shipped.Grouping, shipped.MinimumAmount), (read.Value.PostalDays, read.Value.Grouping, read.Value.MinimumAmount));
    }

    [Fact]
    public void Reading_lists_every_error_with_its_path_and_returns_no_plan()
    {
        const string json = """
        {
          "code": "x", "postal_days": "three", "grouping": "per_team", "colour": "red",
          "steps": [
            {"kind": "reminder", "days_after_due": 14, "deadline_days": 1.5, "fee": "lots"},
            {"kind": "sms", "days_after_previous_deadline": 1, "deadline_days": 14},
            {"kind": "collection_notice", "days_after_previous_deadline": 1, "deadline_days": -3, "fee": -10, "channel": "fax"},
            {"kind": "handover", "days_after_previous_deadline": 1},
            {"kind": "payment_demand", "days_after_previous_deadline": 1, "deadline_days": 14, "include_interest": "yes"},
            42
          ]
        }
        """;
        var read = PlanJson.Read(json);
        Assert.Null(read.Value);
        Assert.False(read.Success);
        Assert.Equal(
        [
            "colour: unknown property; expected one of code, name, description, currency, postal_days, minimum_amount, grouping, steps",
            "steps[0].deadline_days: 1.5 must be a whole number",
            "steps[0].fee: \"lots\" must be \"none\", \"legal\" or a decimal amount such as \"25.00\"",
            "steps[1].kind: unknown kind \"sms\"; expected one of reminder, collection_notice, payment_demand, handover",
            "steps[2].channel: unknown channel \"fax\"; expected one of default, email, letter, ehf",
            "steps[4].include_interest: \"yes\" must be true or false",
            "steps[5]: must be an object, not a number",
            "name: is required",
            "postal_days: \"three\" must be a whole number",
            "grouping: unknown grouping \"per_team\"; expected one of per_invoice, per_customer",
            "steps[2].deadline_days: must be between 0 and 365",
            "steps[2].fee: must be ≥ 0",
            "steps[3].kind: handover must be the last step",
        ], read.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Broken_json_is_one_located_error()
    {
        var read = PlanJson.Read("{\"code\": \"x\",\n \"steps\": [}");
        var error = Assert.Single(read.Errors);
        Assert.StartsWith("is not valid JSON at line 2", error.Message);
    }

    [Fact]
    public void A_plan_can_be_read_from_a_stream_and_fees_may_be_numbers()
    {
        const string json = """{"code": "n", "name": "N", "steps": [{"kind": "reminder", "days_after_due": 14, "deadline_days": 14, "fee": 30}]}""";
        var read = PlanJson.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        Assert.True(read.Success);
        Assert.Equal(FeeSpec.Fixed(Money.Nok(30m)), read.Value!.Steps[0].Fee);
        Assert.Equal(FeeSpec.None, PlanJson.Read("""{"code": "n", "name": "N", "steps": [{"kind": "reminder", "days_after_due": 14, "deadline_days": 14}]}""").Value!.Steps[0].Fee);
    }

    [Fact]
    public void Warnings_are_returned_with_a_valid_plan()
    {
        var read = PlanJson.Read(PlanJson.Write(DefaultPlans.FixedFees));
        Assert.True(read.Success);
        Assert.Equal(2, read.Warnings.Count);
    }

    [Fact]
    public void A_catalog_round_trips_and_reports_errors_with_paths()
    {
        var catalog = DefaultPlans.Catalog with
        {
            Rules =
            [
                new PlanRule { PlanCode = "two_reminders", CustomerKind = CustomerKind.Business, Category = "VIP", MinPriority = 1, MaxPriority = 3, MinAmount = Money.Nok(10), MaxAmount = Money.Nok(100000), MinPaymentTermsDays = 10, MaxPaymentTermsDays = 30 },
                new PlanRule { PlanCode = "fixed_fees", CustomerKind = CustomerKind.Public },
            ],
        };
        var json = PlanJson.Write(catalog);
        var read = PlanJson.ReadCatalog(json);
        Assert.True(read.Success, string.Join("; ", read.Errors));
        Assert.Equal(catalog, read.Value);
        Assert.Contains("\"customer_kind\": \"business\"", json);

        var broken = PlanJson.ReadCatalog("""{"default_plan_code": "zzz", "plans": [{"code": "a", "name": "A", "steps": []}], "rules": [{"plan_code": "a", "customer_kind": "alien"}]}""");
        Assert.Equal(
        [
            "rules[0].customer_kind: unknown customer kind \"alien\"; expected one of private, business, public",
            "plans[0].steps: must contain at least one step",
            "default_plan_code: no plan has code 'zzz'",
        ], broken.Errors.Select(e => e.ToString()));
    }
}
