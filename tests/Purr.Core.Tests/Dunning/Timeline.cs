using Purr.Core.Dunning;
using Purr.Core.Rules;

namespace Purr.Core.Tests.Dunning;

/// <summary>Test builders and a tiny pure timeline: run Decide on given dates and apply what it takes.</summary>
internal static class Timeline
{
    public static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static ClaimState Claim(string due, decimal amount = 1000m, long id = 1, long customer = 7) => new()
    {
        ClaimId = new InvoiceId(id),
        CustomerId = new CustomerId(customer),
        IssueDate = D(due).AddDays(-14),
        DueDate = D(due),
        OriginalAmount = Money.Nok(amount),
        OpenPrincipal = Money.Nok(amount),
    };

    public static ClaimState Apply(this ClaimState state, DunningDecision decision) =>
        decision is DunningDecision.TakeStep t
            ? state with { StepsTaken = [.. state.StepsTaken, t.ToTakenStep()], CurrentList = t.MovesTo, ListEnteredOn = t.SentOn }
            : state;

    /// <summary>Runs Decide on each date in order (one call per date), applying every step taken.</summary>
    public static (ClaimState Final, List<(DateOnly Date, DunningDecision Decision)> Log) Run(
        ClaimState state, DunningPlan plan, RuleSet rules, IEnumerable<DateOnly> dates, Func<ClaimState, DateOnly, ClaimState>? asOf = null)
    {
        var log = new List<(DateOnly, DunningDecision)>();
        foreach (var date in dates)
        {
            var current = asOf is null ? state : asOf(state, date);
            var decision = DunningPolicy.Decide(current, plan, rules, date);
            log.Add((date, decision));
            state = state.Apply(decision);
        }
        return (state, log);
    }

    public static IEnumerable<DateOnly> Daily(string from, string to)
    {
        for (var d = D(from); d <= D(to); d = d.AddDays(1)) yield return d;
    }

    public static List<DunningDecision.TakeStep> Steps(this List<(DateOnly Date, DunningDecision Decision)> log) =>
        [.. log.Select(l => l.Decision).OfType<DunningDecision.TakeStep>()];

    public static string Reason(this DunningDecision decision) =>
        decision is DunningDecision.NoAction n ? n.Reason : "take_step";
}
