using System.Globalization;
using System.Text.Json;
using Purr.Core.Calendar;
using Purr.Core.Interest;

namespace Purr.Core.Tests.Interest;

/// <summary>
/// expected.interest and expected.standard_compensation of every legal scenario that has them
/// (tests/data/legal-scenarios/scenarios.json, conventions C1, C11, C12).
/// </summary>
public class ScenarioInterestTests
{
    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static decimal M(string s) => decimal.Parse(s, CultureInfo.InvariantCulture);

    private static readonly Lazy<JsonElement[]> Scenarios = new(() =>
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestData.PathOf("legal-scenarios", "scenarios.json")));
        return [.. doc.RootElement.GetProperty("scenarios").EnumerateArray().Select(e => e.Clone())];
    });

    private static JsonElement Scenario(string id) => Scenarios.Value.Single(s => s.GetProperty("id").GetString() == id);

    private static IEnumerable<JsonElement> Expected(JsonElement scenario, string name) =>
        scenario.GetProperty("expected").TryGetProperty(name, out var list) ? list.EnumerateArray() : [];

    public static TheoryData<string, int> InterestCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var s in Scenarios.Value)
            for (var i = 0; i < Expected(s, "interest").Count(); i++) data.Add(s.GetProperty("id").GetString()!, i);
        return data;
    }

    public static TheoryData<string, int> CompensationCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var s in Scenarios.Value)
            for (var i = 0; i < Expected(s, "standard_compensation").Count(); i++) data.Add(s.GetProperty("id").GetString()!, i);
        return data;
    }

    private static (JsonElement Invoice, DateOnly EffectiveDue) Invoice(JsonElement scenario, string number)
    {
        var invoice = scenario.GetProperty("invoices").EnumerateArray().Single(i => i.GetProperty("number").GetString() == number);
        return (invoice, NorwegianCalendar.Default.MoveToBankingDay(D(invoice.GetProperty("due_date").GetString()!))); // C1
    }

    private static CustomerKind Debtor(JsonElement scenario) =>
        scenario.GetProperty("debtor").GetProperty("kind").GetString() switch
        {
            "private" => CustomerKind.Private,
            "business" => CustomerKind.Business,
            "public" => CustomerKind.Public,
            var k => throw new InvalidDataException($"unknown debtor kind {k}"),
        };

    [Fact]
    public void There_are_scenarios_with_interest_and_compensation()
    {
        Assert.NotEmpty(InterestCases());
        Assert.NotEmpty(CompensationCases());
    }

    [Theory]
    [MemberData(nameof(InterestCases))]
    public void Scenario_interest_matches(string id, int index)
    {
        var scenario = Scenario(id);
        var expected = Expected(scenario, "interest").ElementAt(index);
        var number = expected.GetProperty("invoice").GetString()!;
        var (invoice, due) = Invoice(scenario, number);
        // C9/C11: payments and credit notes reduce the principal from the day after their date.
        var payments = scenario.GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("type").GetString() is "payment" or "credit_note" && e.GetProperty("invoice").GetString() == number)
            .Select(e => new InterestPayment(D(e.GetProperty("date").GetString()!), Money.Nok(M(e.GetProperty("amount").GetString()!))))
            .ToList();
        var result = LateInterest.Calculate(
            Money.Nok(M(invoice.GetProperty("amount").GetString()!)), due, D(expected.GetProperty("as_of").GetString()!),
            Debtor(scenario), InterestRateTable.Default, payments);
        Assert.True(result.IsComplete);
        Assert.Equal(expected.GetProperty("amount").GetString(), result.Total!.Value.ToDecimalString());
    }

    [Theory]
    [MemberData(nameof(CompensationCases))]
    public void Scenario_standard_compensation_matches(string id, int index)
    {
        var scenario = Scenario(id);
        var expected = Expected(scenario, "standard_compensation").ElementAt(index);
        var number = expected.GetProperty("invoice").GetString()!;
        var asOf = D(expected.GetProperty("as_of").GetString()!);
        var expectedReason = expected.TryGetProperty("reason", out var reason) ? reason.GetString() : null;
        if (!scenario.GetProperty("debtor").GetProperty("claims_standard_compensation").GetBoolean())
        {
            // "not_claimed" is the creditor's choice, decided before the calculation is asked for.
            Assert.Equal("not_claimed", expectedReason);
            Assert.Equal("0.00", expected.GetProperty("amount").GetString());
            return;
        }
        var (_, due) = Invoice(scenario, number);
        // Reminder fees charged up to as_of are the reminder notices of the expected runs on or before that date
        // (C12 deducts purregebyr only; it is asked only before any inkassovarsel or betalingsoppfordring fee).
        var fees = scenario.GetProperty("expected").GetProperty("runs").EnumerateArray()
            .Where(run => D(run.GetProperty("date").GetString()!) <= asOf)
            .SelectMany(run => run.GetProperty("notices").EnumerateArray())
            .Where(n => n.GetProperty("kind").GetString() == "reminder" && n.GetProperty("invoices").EnumerateArray().Any(i => i.GetString() == number))
            .Sum(n => M(n.GetProperty("fee").GetString()!));
        var result = StandardCompensation.Calculate(Debtor(scenario), due.AddDays(1), Money.Nok(fees), InterestRateTable.Default);
        Assert.Equal(expected.GetProperty("amount").GetString(), result.Amount!.Value.ToDecimalString());
        if (expectedReason is not null) Assert.Equal(expectedReason, result.ReasonCode);
    }
}
