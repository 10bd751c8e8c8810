using System.Text.Json;
using Purr.Core.Dunning;
using Purr.Core.Rules;
using Purr.Core.Tests.Rules;

namespace Purr.Core.Tests.Dunning;

/// <summary>Every scenario in tests/data/legal-scenarios/scenarios.json, run date by run date.</summary>
public class LegalScenarioTests
{
    private static readonly RuleSet Rules = RuleSet.Norway(TestBankingCalendar.Instance);

    public static TheoryData<string> Scenarios => [.. LegalScenarioHarness.ScenarioIds];

    [Fact]
    public void The_scenario_file_has_the_expected_format_and_ten_scenarios()
    {
        Assert.Equal("purr-legal-scenarios/1", LegalScenarioHarness.Root.GetProperty("format").GetString());
        Assert.Equal(10, LegalScenarioHarness.ScenarioIds.Count());
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scenario_runs_send_exactly_the_expected_notices_and_reasons(string id)
    {
        var scenario = LegalScenarioHarness.Scenario(id);
        var read = LegalScenarioHarness.ReadPlan(scenario.GetProperty("plan").GetString()!);
        Assert.True(read.Success, string.Join("; ", read.Errors));
        var results = LegalScenarioHarness.Run(scenario, read.Value!, Rules);

        var expectedRuns = scenario.GetProperty("expected").GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(expectedRuns.Count, results.Count);
        var problems = new List<string>();
        for (var r = 0; r < results.Count; r++)
        {
            var run = results[r];
            var expected = expectedRuns[r];
            Assert.Equal(LegalScenarioHarness.Date(expected.GetProperty("date")), run.Date);
            var at = $"{id} {run.Date:yyyy-MM-dd}";

            var actualNotices = run.Decisions.Where(d => d.Decision is DunningDecision.TakeStep)
                .Select(d => Describe(d.Invoice.Number, (DunningDecision.TakeStep)d.Decision)).ToList();
            var expectedNotices = expected.GetProperty("notices").EnumerateArray().Select(Describe).ToList();
            if (!actualNotices.SequenceEqual(expectedNotices))
                problems.Add($"{at}: notices\n  expected [{string.Join(" | ", expectedNotices)}]\n  actual   [{string.Join(" | ", actualNotices)}]");

            var expectedReasons = expected.GetProperty("reasons").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            var actualReasons = run.Decisions.Where(d => d.Decision is DunningDecision.NoAction)
                .ToDictionary(d => d.Invoice.Number, d => ((DunningDecision.NoAction)d.Decision).Reason);
            if (!expectedReasons.Keys.Order().SequenceEqual(actualReasons.Keys.Order()) ||
                expectedReasons.Any(e => !ReasonMatches(e.Value, actualReasons[e.Key])))
                problems.Add($"{at}: reasons expected {Show(expectedReasons)}, actual {Show(actualReasons)}");

            foreach (var (invoice, again) in run.Reruns)
                if (again is not DunningDecision.NoAction { Reason: DecisionReasons.StepTakenToday or DecisionReasons.PlanComplete })
                    problems.Add($"{at}: a repeated run for {invoice.Number} did not return step_taken_today/plan_complete but {again}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scenario_fees_carry_the_certainty_of_the_scenario(string id)
    {
        var scenario = LegalScenarioHarness.Scenario(id);
        var plan = LegalScenarioHarness.ReadPlan(scenario.GetProperty("plan").GetString()!).Value!;
        var steps = LegalScenarioHarness.Run(scenario, plan, Rules)
            .SelectMany(r => r.Decisions).Select(d => d.Decision).OfType<DunningDecision.TakeStep>().ToList();
        var certainty = scenario.GetProperty("certainty").GetString();
        // Every scenario that sends a fee in 2026 is 'derived' (the 750 inkassosats); 'law' scenarios use verified values only.
        if (certainty == "law")
            Assert.All(steps, s => Assert.Equal(Certainty.Law, s.FeeCertainty));
        Assert.All(steps.Where(s => s.Fee.IsPositive), s => Assert.Equal(s.SentOn.Year >= 2026 ? Certainty.Derived : Certainty.Law, s.FeeCertainty));
    }

    /// <summary>The scenario format has one code, too_early, for "the next step is not due yet"; the product splits off waiting_for_deadline.</summary>
    private static bool ReasonMatches(string expected, string actual) =>
        expected == actual || expected == DecisionReasons.TooEarly && actual == DecisionReasons.WaitingForDeadline;

    private static string Describe(string invoice, DunningDecision.TakeStep s) =>
        $"{JsonNamingPolicy.SnakeCaseLower.ConvertName(s.Kind.ToString())} step={s.StepNumber} invoices=[{invoice}] " +
        $"outstanding={s.Outstanding.ToDecimalString()} fee={s.Fee.ToDecimalString()} deadline={s.Deadline?.ToString("yyyy-MM-dd") ?? "null"} " +
        $"fee_reason={s.FeeReason ?? "-"}";

    private static string Describe(JsonElement n) =>
        $"{n.GetProperty("kind").GetString()} step={n.GetProperty("step").GetInt32()} " +
        $"invoices=[{string.Join(",", n.GetProperty("invoices").EnumerateArray().Select(i => i.GetString()))}] " +
        $"outstanding={n.GetProperty("outstanding").GetString()} fee={n.GetProperty("fee").GetString()} " +
        $"deadline={(n.GetProperty("deadline").ValueKind == JsonValueKind.Null ? "null" : n.GetProperty("deadline").GetString())} " +
        $"fee_reason={(n.TryGetProperty("fee_reason", out var r) ? r.GetString() : "-")}";

    private static string Show(Dictionary<string, string> d) => "{" + string.Join(", ", d.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}")) + "}";
}
