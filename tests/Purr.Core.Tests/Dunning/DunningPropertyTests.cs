using CsCheck;
using Purr.Core.Dunning;
using Purr.Core.Rules;
using Purr.Core.Rules.Norway;
using Purr.Core.Tests.Rules;

namespace Purr.Core.Tests.Dunning;

/// <summary>Random valid plans, due dates (2019–2026, across both fee changes), holds and run-date sequences.</summary>
public class DunningPropertyTests
{
    private static readonly RuleSet Rules = RuleSet.Norway(TestBankingCalendar.Instance);

    private sealed record Case(DunningPlan Plan, DateOnly Due, Hold? Stop, DateOnly[] Runs)
    {
        public override string ToString() =>
            $"due {Due:yyyy-MM-dd}, stop {Stop}, runs [{string.Join(",", Runs.Select(r => r.ToString("MM-dd", null)))}]\n{PlanJson.Write(Plan)}";
    }

    private static readonly Gen<FeeSpec> GenFee = Gen.Int[0, 3].SelectMany(k => k switch
    {
        0 => Gen.Const(FeeSpec.None),
        1 or 2 => Gen.Const(FeeSpec.Legal),
        _ => Gen.Int[1, 300].Select(a => FeeSpec.Fixed(Money.Nok(a))),
    });

    private static readonly Gen<(int Kind, int Days, int Deadline, FeeSpec Fee, bool Extend, int MinDays)> GenStepParts =
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 10], Gen.Int[0, 21], GenFee, Gen.Bool, Gen.Int[0, 3].Select(x => x == 3 ? 5 : 0));

    private static readonly Gen<DunningPlan> GenPlan =
        Gen.Select(GenStepParts.Array[1, 5], Gen.Bool, Gen.Int[0, 4], Gen.Int[1, 30], Gen.Int[0, 10])
            .Select((parts, handover, postal, firstDays, handoverDays) =>
            {
                var steps = new List<DunningStep>();
                var seenNotice = false;
                foreach (var p in parts)
                {
                    var kind = p.Kind switch { 0 => StepKind.Reminder, 1 => StepKind.CollectionNotice, _ => seenNotice ? StepKind.PaymentDemand : StepKind.Reminder };
                    seenNotice |= kind == StepKind.CollectionNotice;
                    var prevCollection = steps.Count > 0 && steps[^1].Kind is StepKind.CollectionNotice or StepKind.PaymentDemand;
                    steps.Add(new DunningStep
                    {
                        Kind = kind,
                        DaysAfterDue = steps.Count == 0 ? firstDays : null,
                        DaysAfterPreviousDeadline = steps.Count == 0 ? null : kind == StepKind.PaymentDemand && prevCollection ? Math.Max(1, p.Days) : p.Days,
                        DeadlineDays = p.Deadline,
                        Fee = p.Fee,
                        ExtendDeadlineToBankingDay = p.Extend,
                        MinDaysInPreviousList = p.MinDays,
                    });
                }
                if (handover)
                {
                    var prevCollection = steps[^1].Kind is StepKind.CollectionNotice or StepKind.PaymentDemand;
                    steps.Add(new DunningStep { Kind = StepKind.Handover, DaysAfterPreviousDeadline = prevCollection ? Math.Max(1, handoverDays) : handoverDays });
                }
                return new DunningPlan { Code = "random", Name = "Random", PostalDays = postal, Steps = steps };
            });

    private static readonly Gen<Case> GenCase =
        Gen.Select(GenPlan, Gen.Int[0, 2500], Gen.Int[-5, 250].Array[1, 60], Gen.Int[0, 3], Gen.Int[0, 200], Gen.Int[0, 40])
            .Select((plan, dueOffset, runOffsets, stopKind, stopFrom, stopLength) =>
            {
                var due = new DateOnly(2019, 6, 1).AddDays(dueOffset);
                Hold? stop = stopKind switch
                {
                    1 => new Hold(HoldKind.Stop, due.AddDays(stopFrom), due.AddDays(stopFrom + stopLength)),
                    2 => new Hold(HoldKind.Deferral, due.AddDays(stopFrom), due.AddDays(stopFrom + stopLength)),
                    3 => new Hold(HoldKind.Dispute, due.AddDays(stopFrom), null),
                    _ => null,
                };
                return new Case(plan, due, stop, [.. runOffsets.Distinct().Order().Select(o => due.AddDays(o))]);
            });

    [Fact]
    public void No_run_sequence_breaks_the_fee_deadline_and_one_step_rules()
    {
        long taken = 0, secondFees = 0, demandFees = 0, derivedFees = 0, held = 0;
        GenCase.Sample(c =>
        {
            Assert.True(PlanValidator.Validate(c.Plan).IsValid, string.Join("; ", PlanValidator.Validate(c.Plan).Errors));
            var claim = Timeline.Claim(c.Due.ToString("yyyy-MM-dd", null)) with { Holds = c.Stop is null ? [] : [c.Stop] };
            var dueC1 = TestBankingCalendar.Instance.NextBankingDayOnOrAfter(c.Due);
            var steps = new List<DunningDecision.TakeStep>();
            foreach (var today in c.Runs)
            {
                var decision = DunningPolicy.Decide(claim, c.Plan, Rules, today);
                if (decision is not DunningDecision.TakeStep step) continue;
                Assert.Null(c.Stop is { } h && h.IsActiveOn(today) ? step : null);                    // nothing while held
                claim = claim.Apply(step);
                steps.Add(step);
                Assert.IsType<DunningDecision.NoAction>(DunningPolicy.Decide(claim, c.Plan, Rules, today)); // never two steps on one run date
            }

            Assert.Equal(steps.Count, steps.Select(s => s.SentOn).Distinct().Count());
            Assert.Equal(Enumerable.Range(0, steps.Count), steps.Select(s => s.StepIndex));             // in plan order, none skipped
            Assert.All(steps, s => Assert.True(s.SentOn > dueC1, "sent on or before the due date"));

            var noticeFees = steps.Where(s => s.Kind is StepKind.Reminder or StepKind.CollectionNotice && s.Fee.IsPositive).ToList();
            Assert.True(noticeFees.Count <= 2, "more than two reminder/inkassovarsel fees");
            Assert.All(noticeFees, s => Assert.True(s.SentOn >= dueC1.AddDays(14), "fee before due + 14"));
            if (noticeFees.Count == 2)
            {
                var first = noticeFees[0];
                Assert.Equal(StepKind.Reminder, first.Kind);
                Assert.True(first.Deadline!.Value.DayNumber - first.SentOn.DayNumber >= 14, "second fee after a short first deadline");
                Assert.True(noticeFees[1].SentOn > first.Deadline.Value, "second fee before the first deadline lapsed");
            }

            var demands = steps.Where(s => s.Kind == StepKind.PaymentDemand && s.Fee.IsPositive).ToList();
            Assert.True(demands.Count <= 1, "two betalingsoppfordring fees");
            Assert.All(demands, d => Assert.Contains(steps, s =>
                s.Kind is StepKind.Reminder or StepKind.CollectionNotice && s.Deadline!.Value.DayNumber - s.SentOn.DayNumber >= 14 && d.SentOn > s.Deadline.Value));

            foreach (var s in steps)
            {
                if (s.Kind is StepKind.CollectionNotice or StepKind.PaymentDemand)
                    Assert.True(s.Deadline!.Value.DayNumber - s.SentOn.DayNumber >= 14, "collection deadline under 14 days");
                if (s.Kind is StepKind.PaymentDemand or StepKind.Handover)
                    Assert.All(steps.TakeWhile(p => p != s).Where(p => p.Kind is StepKind.CollectionNotice or StepKind.PaymentDemand),
                        p => Assert.True(s.SentOn > p.Deadline!.Value, "collection step before an inkassovarsel deadline lapsed"));
                if (s.Kind == StepKind.Handover) Assert.Equal((null, true, (string?)null), (s.Deadline, s.Fee.IsZero, s.FeeReason));
                var max = CollectionFeeTable.Norway.LegalMaximum(s.Kind, s.SentOn);
                if (s.Fee.IsPositive) Assert.True(s.Fee <= max!.Amount, "fee above the legal maximum");
            }
            Interlocked.Add(ref taken, steps.Count);
            Interlocked.Add(ref secondFees, noticeFees.Count == 2 ? 1 : 0);
            Interlocked.Add(ref demandFees, demands.Count);
            Interlocked.Add(ref derivedFees, steps.Count(s => s.FeeCertainty == Certainty.Derived));
            Interlocked.Add(ref held, c.Stop is { } hold && c.Runs.Any(hold.IsActiveOn) ? 1 : 0);
        }, iter: 4000, print: c => c.ToString());

        // The generator must reach the interesting cases, or the properties above prove little.
        Assert.True(taken > 4000 && secondFees > 200 && demandFees > 50 && derivedFees > 50 && held > 200,
            $"coverage: steps {taken}, second fees {secondFees}, payment demand fees {demandFees}, derived fees {derivedFees}, held runs {held}");
    }
}
