using Purr.Core.Dunning;
using Purr.Core.Rules;

namespace Purr.Core.Tests.Dunning;

public class PlanValidatorTests
{
    private static DunningStep Letter(StepKind kind, int? afterDue = null, int? afterDeadline = null, int? deadline = 14, FeeSpec? fee = null) =>
        new() { Kind = kind, DaysAfterDue = afterDue, DaysAfterPreviousDeadline = afterDeadline, DeadlineDays = deadline, Fee = fee ?? FeeSpec.Legal };

    private static DunningPlan Plan(params DunningStep[] steps) => new() { Code = "p", Name = "P", Steps = steps };

    private static string[] Errors(DunningPlan plan) => [.. PlanValidator.Validate(plan).Errors.Select(e => e.ToString())];

    [Fact]
    public void Every_shipped_plan_is_valid()
    {
        foreach (var plan in DefaultPlans.Catalog.Plans)
            Assert.True(PlanValidator.Validate(plan).IsValid, plan.Code + ": " + string.Join("; ", PlanValidator.Validate(plan).Errors));
        Assert.True(PlanValidator.Validate(DefaultPlans.Catalog).IsValid);
    }

    [Fact]
    public void Every_error_is_listed_at_once_with_its_path()
    {
        var plan = new DunningPlan
        {
            Code = "Bad Code", Name = " ", PostalDays = -1, MinimumAmount = Money.Nok(-1),
            Steps =
            [
                new DunningStep { Kind = StepKind.Reminder, DaysAfterPreviousDeadline = 3, DeadlineDays = 14, Fee = FeeSpec.Fixed(Money.Nok(-5)) },
                new DunningStep { Kind = StepKind.Handover, DaysAfterPreviousDeadline = 1 },
                new DunningStep { Kind = StepKind.Reminder, DaysAfterDue = 3, DeadlineDays = -1, Fee = FeeSpec.Legal, Template = "Not OK" },
                new DunningStep { Kind = (StepKind)42, DaysAfterPreviousDeadline = 1, DeadlineDays = 14 },
                new DunningStep { Kind = StepKind.PaymentDemand, DaysAfterPreviousDeadline = 1, DeadlineDays = 14, Fee = FeeSpec.Fixed(Money.Nok(0.001m)), MinDaysInPreviousList = -2 },
            ],
        };
        Assert.Equal(
        [
            "code: 'Bad Code' must be 1–64 characters: lower-case letters, digits, '_', '-' or '.'",
            "name: must not be empty",
            "postal_days: must be between 0 and 365",
            "minimum_amount: must be ≥ 0",
            "steps[0].days_after_due: is required on the first step",
            "steps[0].days_after_previous_deadline: is not allowed on the first step (use days_after_due)",
            "steps[0].fee: must be ≥ 0",
            "steps[1].kind: handover must be the last step",
            "steps[2].days_after_due: is only allowed on the first step (use days_after_previous_deadline)",
            "steps[2].days_after_previous_deadline: is required on every step after the first",
            "steps[2].deadline_days: must be between 0 and 365",
            "steps[2].template: 'Not OK' must be 1–64 characters: lower-case letters, digits, '_', '-' or '.'",
            "steps[3].kind: unknown kind '42'",
            "steps[4].min_days_in_previous_list: must be between 0 and 365",
            "steps[4].fee: must be whole NOK minor units",
            "steps[4].kind: payment_demand must come after a collection_notice (inkassoloven § 10 needs a lapsed § 9 inkassovarsel)",
        ], Errors(plan));
    }

    [Fact]
    public void A_plan_without_steps_is_invalid() =>
        Assert.Equal(["steps: must contain at least one step"], Errors(Plan()));

    [Fact]
    public void A_handover_is_not_a_letter()
    {
        var plan = Plan(Letter(StepKind.Reminder, afterDue: 14),
            new DunningStep { Kind = StepKind.Handover, DaysAfterPreviousDeadline = 1, DeadlineDays = 14, Fee = FeeSpec.Legal, Template = "x", Channel = DeliveryChannel.Email, IncludeInterest = true, ExtendDeadlineToBankingDay = true });
        Assert.Equal(
        [
            "steps[1].deadline_days: a handover has no deadline",
            "steps[1].extend_deadline_to_banking_day: a handover has no deadline",
            "steps[1].fee: a handover carries no fee (use \"none\")",
            "steps[1].template: a handover sends no letter",
            "steps[1].channel: a handover sends no letter",
            "steps[1].include_interest: a handover sends no letter",
        ], Errors(plan));
    }

    [Fact]
    public void The_first_step_must_come_after_the_due_date_and_letters_need_deadlines()
    {
        Assert.Equal(["steps[0].days_after_due: must be between 1 and 365: a claim is overdue only after its due date"], Errors(Plan(Letter(StepKind.Reminder, afterDue: 0))));
        Assert.Equal(["steps[0].deadline_days: is required on a letter step"], Errors(Plan(Letter(StepKind.Reminder, afterDue: 14, deadline: null))));
    }

    [Fact]
    public void A_collection_step_on_the_deadline_day_of_an_inkassovarsel_is_refused()
    {
        var plan = Plan(Letter(StepKind.CollectionNotice, afterDue: 14), Letter(StepKind.PaymentDemand, afterDeadline: 0),
            new DunningStep { Kind = StepKind.Handover, DaysAfterPreviousDeadline = 0 });
        Assert.Equal(
        [
            "steps[1].days_after_previous_deadline: must be ≥ 1: the previous inkassovarsel/betalingsoppfordring deadline must have run out first (inkassoloven § 9, § 10)",
            "steps[2].days_after_previous_deadline: must be ≥ 1: the previous inkassovarsel/betalingsoppfordring deadline must have run out first (inkassoloven § 9, § 10)",
        ], Errors(plan));
        // After a reminder, 0 days (on the reminder's deadline day) is allowed: only the second fee is affected.
        Assert.Empty(Errors(Plan(Letter(StepKind.Reminder, afterDue: 14), Letter(StepKind.CollectionNotice, afterDeadline: 0))));
    }

    [Fact]
    public void Short_statutory_deadlines_are_warnings_not_errors()
    {
        var v = PlanValidator.Validate(DefaultPlans.FixedFees);
        Assert.True(v.IsValid);
        Assert.Equal(["steps[1].deadline_days", "steps[2].deadline_days"], v.Warnings.Select(w => w.Path));
        var shortReminder = PlanValidator.Validate(Plan(Letter(StepKind.Reminder, afterDue: 14, deadline: 10)));
        Assert.Equal(["steps[0].deadline_days: a fee-bearing reminder with a deadline under 14 days blocks a second fee (inkassoforskriften § 1-3)"], shortReminder.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void Fees_exist_only_in_NOK_and_amounts_must_be_in_the_plan_currency()
    {
        var eur = Currency.Parse("EUR");
        var plan = Plan(Letter(StepKind.Reminder, afterDue: 14, fee: FeeSpec.Fixed(new Money(5m, eur)))) with { Currency = eur, MinimumAmount = Money.Nok(1) };
        Assert.Equal(
        [
            "minimum_amount: must be in the plan currency EUR",
            "steps[0].fee: fees are capped in NOK (inkassoforskriften § 1-2); a plan in EUR can only use \"none\"",
        ], Errors(plan));
        Assert.Equal(["steps[0].fee: must be in the plan currency NOK"], Errors(Plan(Letter(StepKind.Reminder, afterDue: 14, fee: FeeSpec.Fixed(new Money(5m, eur))))));
        Assert.Equal(["steps[0].fee: must be > 0 (use \"none\" for no fee)"], Errors(Plan(Letter(StepKind.Reminder, afterDue: 14, fee: FeeSpec.Fixed(Money.Nok(0))))));
    }

    [Fact]
    public void A_collection_notice_is_refused_for_a_creditor_who_may_not_send_one()
    {
        var v = PlanValidator.Validate(DefaultPlans.Norwegian, new CreditorSwitches { OwnCollectionNoticeAllowed = false });
        Assert.Equal(["steps[1].kind: this creditor may not send its own collection_notice (own inkassovarsel is switched off)"], v.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Catalog_errors_carry_their_paths()
    {
        var catalog = new PlanCatalog
        {
            DefaultPlanCode = "missing",
            Plans = [DefaultPlans.TwoReminders, DefaultPlans.TwoReminders with { Name = "dup" }, Plan() with { Code = "empty" }],
            Rules =
            [
                new PlanRule { PlanCode = "nope" },
                new PlanRule { PlanCode = "two_reminders", MinPriority = 5, MaxPriority = 1, MinAmount = Money.Nok(10), MaxAmount = Money.Nok(5), MinPaymentTermsDays = -1 },
            ],
        };
        Assert.Equal(
        [
            "plans[1].code: duplicate plan code 'two_reminders'",
            "plans[2].steps: must contain at least one step",
            "default_plan_code: no plan has code 'missing'",
            "rules[0].plan_code: no plan has code 'nope'",
            "rules[1].max_priority: must be ≥ min_priority",
            "rules[1].min_payment_terms_days: must be ≥ 0",
            "rules[1].max_amount: must be ≥ min_amount",
        ], PlanValidator.Validate(catalog).Errors.Select(e => e.ToString()));
    }
}
