using Purr.Core.Rules;

namespace Purr.Core.Dunning;

/// <summary>Stable codes saying why no step is taken (scenario format <c>reasons</c>, plus finer ones).</summary>
/// <remarks>
/// Checked in this order; the first that applies is returned: currency_mismatch, paid, credited, written_off,
/// disputed, stopped, deferred, held_by_creditor, plan_complete, below_minimum, step_taken_today, not_allowed,
/// too_early / waiting_for_deadline, min_days_in_list.
/// The scenario format knows only <c>too_early</c> for "the next step is not due yet"; <see cref="WaitingForDeadline"/>
/// is the finer case of it where the previous notice's deadline has not run out yet.
/// </remarks>
public static class DecisionReasons
{
    /// <summary>The principal is paid (or the open principal is ≤ 0 without another settlement).</summary>
    public const string Paid = "paid";

    /// <summary>A credit note settled the claim.</summary>
    public const string Credited = "credited";

    /// <summary>The creditor wrote the claim off.</summary>
    public const string WrittenOff = "written_off";

    /// <summary>A dispute is open.</summary>
    public const string Disputed = "disputed";

    /// <summary>A dunning stop is in effect (its end date is inclusive, C8).</summary>
    public const string Stopped = "stopped";

    /// <summary>A deferral is in effect (C7).</summary>
    public const string Deferred = "deferred";

    /// <summary>The creditor holds automatic dunning for this claim (input flag).</summary>
    public const string HeldByCreditor = "held_by_creditor";

    /// <summary>Every step of the plan has been taken (or the handover was).</summary>
    public const string PlanComplete = "plan_complete";

    /// <summary>The open principal is below the plan's minimum amount.</summary>
    public const string BelowMinimum = "below_minimum";

    /// <summary>A step was already taken on this claim today: never two steps on one day (C3); a repeated run is a no-op.</summary>
    public const string StepTakenToday = "step_taken_today";

    /// <summary>A rule or creditor switch forbids the next step; see the detail.</summary>
    public const string NotAllowed = "not_allowed";

    /// <summary>The next step is not due yet (also: on or before the due date).</summary>
    public const string TooEarly = "too_early";

    /// <summary>The next step is not due yet because the previous notice's deadline has not run out.</summary>
    public const string WaitingForDeadline = "waiting_for_deadline";

    /// <summary>The claim has not stayed the step's minimum days in its current list.</summary>
    public const string MinDaysInList = "min_days_in_list";

    /// <summary>The claim's currency differs from the plan's.</summary>
    public const string CurrencyMismatch = "currency_mismatch";
}

/// <summary>Detail codes for <see cref="DecisionReasons.NotAllowed"/>.</summary>
public static class NotAllowedDetails
{
    /// <summary>The creditor may not send its own inkassovarsel (<see cref="CreditorSwitches.OwnCollectionNoticeAllowed"/>).</summary>
    public const string OwnCollectionNoticeDisabled = "own_collection_notice_disabled";

    /// <summary>A betalingsoppfordring needs an earlier inkassovarsel whose deadline has lapsed (inkassoloven § 10).</summary>
    public const string NoLapsedCollectionNotice = "no_lapsed_collection_notice";

    /// <summary>An inkassovarsel/betalingsoppfordring deadline has not lapsed, so no further collection step (inkassoloven § 9).</summary>
    public const string CollectionDeadlineNotLapsed = "collection_deadline_not_lapsed";

    /// <summary>The claim is not overdue yet: nothing may be sent on or before the due date.</summary>
    public const string NotOverdue = "not_overdue";
}

/// <summary>Codes for adjustments the law made to a step as planned.</summary>
public static class StepNotes
{
    /// <summary>The deadline was raised to the statutory 14 days (inkassoloven § 9 (2), § 10; C5).</summary>
    public const string DeadlineRaisedTo14Days = "deadline_raised_to_14_days";

    /// <summary>The deadline fell on a non-banking day and the step asks to extend it to the next banking day.</summary>
    public const string DeadlineMovedToBankingDay = "deadline_moved_to_banking_day";

    /// <summary>The fee amount rests on a value not verified in the law text (see <see cref="Certainty"/>).</summary>
    public const string FeeUnverified = "fee_unverified";
}

/// <summary>Which letter a step goes into: claims with equal keys taken on the same run share one letter.</summary>
/// <param name="Customer">The debtor.</param>
/// <param name="Claim">The claim when the plan sends one letter per invoice; null when grouping per customer.</param>
/// <param name="Kind">The notice kind: different kinds never share a letter (an inkassovarsel has its own legal form).</param>
/// <param name="Template">The letter template key.</param>
public readonly record struct LetterGroupKey(CustomerId Customer, InvoiceId? Claim, StepKind Kind, string Template)
{
    /// <summary>E.g. "customer:42/reminder/reminder" or "customer:42/claim:17/collection_notice/collection_notice".</summary>
    public override string ToString() =>
        Claim is { } c
            ? $"customer:{Customer}/claim:{c}/{KindCode(Kind)}/{Template}"
            : $"customer:{Customer}/{KindCode(Kind)}/{Template}";

    private static string KindCode(StepKind kind) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());
}

/// <summary>What to do with one claim on one day: the pure output of <see cref="DunningPolicy.Decide"/>.</summary>
/// <remarks>Either <see cref="NoAction"/> with a reason, or <see cref="TakeStep"/>. The shell interprets it; a preview shows it.</remarks>
public abstract record DunningDecision
{
    private protected DunningDecision(InvoiceId claimId, DateOnly? nextReviewOn)
    {
        ClaimId = claimId;
        NextReviewOn = nextReviewOn;
    }

    /// <summary>The claim.</summary>
    public InvoiceId ClaimId { get; }

    /// <summary>The first day something may change without new facts (a step falls due, a hold ends); null when unknown or never.</summary>
    public DateOnly? NextReviewOn { get; }

    /// <summary>Nothing is sent.</summary>
    /// <param name="ClaimId">The claim.</param>
    /// <param name="Reason">A <see cref="DecisionReasons"/> code.</param>
    /// <param name="NextReviewOn">When to look again, if known.</param>
    /// <param name="Detail">A finer code (e.g. a <see cref="NotAllowedDetails"/> code) or null.</param>
    public sealed record NoAction(InvoiceId ClaimId, string Reason, DateOnly? NextReviewOn, string? Detail = null)
        : DunningDecision(ClaimId, NextReviewOn);

    /// <summary>Take one step today.</summary>
    public sealed record TakeStep : DunningDecision
    {
        private readonly IReadOnlyList<string> _notes = [];

        /// <summary>Creates the decision.</summary>
        public TakeStep(InvoiceId claimId, DateOnly? nextReviewOn) : base(claimId, nextReviewOn) { }

        /// <summary>The debtor.</summary>
        public required CustomerId CustomerId { get; init; }

        /// <summary>0-based index of the step in the plan.</summary>
        public required int StepIndex { get; init; }

        /// <summary>1-based step number, as shown to people and in the scenario format.</summary>
        public int StepNumber => StepIndex + 1;

        /// <summary>The kind of step.</summary>
        public required StepKind Kind { get; init; }

        /// <summary>The send date (today).</summary>
        public required DateOnly SentOn { get; init; }

        /// <summary>The payment deadline (send date + effective days, C2/C5); null for a handover.</summary>
        public required DateOnly? Deadline { get; init; }

        /// <summary>The fee to charge; zero when none.</summary>
        public required Money Fee { get; init; }

        /// <summary>A fee reason code when the fee is zero or below what the plan asked; null otherwise.</summary>
        public required string? FeeReason { get; init; }

        /// <summary>How sure the fee amount is (e.g. <see cref="Certainty.Derived"/> for 37.50 in 2026).</summary>
        public required Certainty FeeCertainty { get; init; }

        /// <summary>The legal maximum at the send date, when one was looked up.</summary>
        public required Money? LegalMaximumFee { get; init; }

        /// <summary>Open principal at the send date (fees and interest excluded).</summary>
        public required Money Outstanding { get; init; }

        /// <summary>Show and claim accrued late interest on the letter.</summary>
        public required bool IncludeInterest { get; init; }

        /// <summary>The delivery channel asked by the step.</summary>
        public required DeliveryChannel Channel { get; init; }

        /// <summary>The letter template key; "" for a handover.</summary>
        public required string Template { get; init; }

        /// <summary>Which letter the step goes into.</summary>
        public required LetterGroupKey GroupKey { get; init; }

        /// <summary>The list the claim moves to.</summary>
        public required DunningList MovesTo { get; init; }

        /// <summary>True when made by <see cref="ManualMove"/> rather than the automatic run.</summary>
        public bool Manual { get; init; }

        /// <summary><see cref="StepNotes"/> codes: what the law changed compared with the plan.</summary>
        public IReadOnlyList<string> Notes
        {
            get => _notes;
            init => _notes = Array.AsReadOnly((value ?? throw new ArgumentNullException(nameof(value))).ToArray());
        }

        /// <summary>The record of this step once it is applied, for the next <see cref="ClaimState"/>.</summary>
        public TakenStep ToTakenStep() => new(StepIndex, Kind, SentOn, Deadline, Fee);

        /// <inheritdoc/>
        public bool Equals(TakeStep? other) =>
            other is not null && ClaimId == other.ClaimId && NextReviewOn == other.NextReviewOn && CustomerId == other.CustomerId &&
            StepIndex == other.StepIndex && Kind == other.Kind && SentOn == other.SentOn && Deadline == other.Deadline &&
            Fee == other.Fee && FeeReason == other.FeeReason && FeeCertainty == other.FeeCertainty &&
            LegalMaximumFee == other.LegalMaximumFee && Outstanding == other.Outstanding && IncludeInterest == other.IncludeInterest &&
            Channel == other.Channel && Template == other.Template && GroupKey == other.GroupKey && MovesTo == other.MovesTo &&
            Manual == other.Manual && Notes.SequenceEqual(other.Notes);

        /// <inheritdoc/>
        public override int GetHashCode() => HashCode.Combine(ClaimId, StepIndex, SentOn);
    }
}
