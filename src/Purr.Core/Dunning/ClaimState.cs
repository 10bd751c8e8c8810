namespace Purr.Core.Dunning;

/// <summary>How a claim was settled.</summary>
public enum Settlement
{
    /// <summary>Not settled.</summary>
    Open,

    /// <summary>Paid in full.</summary>
    Paid,

    /// <summary>Settled by a credit note.</summary>
    Credited,

    /// <summary>Written off by the creditor.</summary>
    WrittenOff,
}

/// <summary>Why dunning is held.</summary>
public enum HoldKind
{
    /// <summary>The debtor disputes the claim (tvist). Inkassoloven § 17 (2): no costs on a claim with reasonable objections.</summary>
    Dispute,

    /// <summary>A dunning stop set by the creditor (purrestopp).</summary>
    Stop,

    /// <summary>A deferral agreed with the debtor (utsettelse); does not change the due date (C7).</summary>
    Deferral,
}

/// <summary>A hold on a claim, in effect from <paramref name="From"/> to <paramref name="Until"/>, both inclusive.</summary>
/// <param name="Kind">Dispute, stop or deferral.</param>
/// <param name="From">First day in effect.</param>
/// <param name="Until">Last day in effect (inclusive); null = open-ended. For a dispute resolved on day R this is R − 1.</param>
/// <param name="Reason">Free text, for people.</param>
public sealed record Hold(HoldKind Kind, DateOnly From, DateOnly? Until, string? Reason = null)
{
    /// <summary>True when the hold is in effect on <paramref name="date"/>.</summary>
    public bool IsActiveOn(DateOnly date) => From <= date && (Until is not { } u || date <= u);
}

/// <summary>A step already taken on the claim (a notice sent, or the handover).</summary>
/// <param name="StepIndex">0-based index of the step in the plan (the natural key with the claim).</param>
/// <param name="Kind">What was sent.</param>
/// <param name="SentOn">The actual send date.</param>
/// <param name="Deadline">The deadline given; null for a handover.</param>
/// <param name="Fee">The fee charged (zero when none).</param>
public sealed record TakenStep(int StepIndex, StepKind Kind, DateOnly SentOn, DateOnly? Deadline, Money Fee)
{
    /// <summary>1-based step number, as shown to people.</summary>
    public int StepNumber => StepIndex + 1;
}

/// <summary>An immutable snapshot of one claim (an invoice) as the dunning policy sees it on one day.</summary>
/// <remarks>
/// The shell builds it from the ledger: payments and credit notes dated on or before "today" have already reduced
/// <see cref="OpenPrincipal"/> (C9, C10). Fees and interest are separate claims and are not part of the principal.
/// </remarks>
public sealed record ClaimState
{
    private readonly IReadOnlyList<TakenStep> _steps = [];
    private readonly IReadOnlyList<Hold> _holds = [];

    /// <summary>The claim (invoice).</summary>
    public required InvoiceId ClaimId { get; init; }

    /// <summary>The debtor.</summary>
    public required CustomerId CustomerId { get; init; }

    /// <summary>Private, business or public.</summary>
    public CustomerKind CustomerKind { get; init; }

    /// <summary>Invoice date.</summary>
    public required DateOnly IssueDate { get; init; }

    /// <summary>The contractual due date as written on the invoice (C1 is applied by the policy, not here).</summary>
    public required DateOnly DueDate { get; init; }

    /// <summary>The invoice amount.</summary>
    public required Money OriginalAmount { get; init; }

    /// <summary>Principal still unpaid today.</summary>
    public required Money OpenPrincipal { get; init; }

    /// <summary>Whether and how the claim was settled.</summary>
    public Settlement Settlement { get; init; }

    /// <summary>Steps already taken, in any order.</summary>
    public IReadOnlyList<TakenStep> StepsTaken
    {
        get => _steps;
        init => _steps = Array.AsReadOnly((value ?? throw new ArgumentNullException(nameof(value))).ToArray());
    }

    /// <summary>Disputes, stops and deferrals (past, present and future ones are all fine: each says when it applies).</summary>
    public IReadOnlyList<Hold> Holds
    {
        get => _holds;
        init => _holds = Array.AsReadOnly((value ?? throw new ArgumentNullException(nameof(value))).ToArray());
    }

    /// <summary>The creditor holds automatic dunning for this claim (e.g. manual dunning mode). Manual moves still work.</summary>
    public bool HeldByCreditor { get; init; }

    /// <summary>The day the collection agency took the claim over after a handover; null while it is waiting for transfer.</summary>
    public DateOnly? HandedOverOn { get; init; }

    /// <summary>The principal is settled but late interest is still to be billed on an interest note (rentenota).</summary>
    public bool InterestNotePending { get; init; }

    /// <summary>The list the shell last recorded for the claim, if any.</summary>
    public DunningList? CurrentList { get; init; }

    /// <summary>The day the claim entered <see cref="CurrentList"/>.</summary>
    public DateOnly? ListEnteredOn { get; init; }

    /// <summary>The step taken last (highest index), or null.</summary>
    public TakenStep? LastStep => StepsTaken.Count == 0 ? null : StepsTaken.MaxBy(s => (s.StepIndex, s.SentOn.DayNumber));

    /// <summary>The first hold of <paramref name="kind"/> in effect on <paramref name="date"/>, or null.</summary>
    public Hold? ActiveHold(HoldKind kind, DateOnly date) => Holds.FirstOrDefault(h => h.Kind == kind && h.IsActiveOn(date));

    /// <inheritdoc/>
    public bool Equals(ClaimState? other) =>
        other is not null && ClaimId == other.ClaimId && CustomerId == other.CustomerId && CustomerKind == other.CustomerKind &&
        IssueDate == other.IssueDate && DueDate == other.DueDate && OriginalAmount == other.OriginalAmount &&
        OpenPrincipal == other.OpenPrincipal && Settlement == other.Settlement && HeldByCreditor == other.HeldByCreditor &&
        HandedOverOn == other.HandedOverOn && InterestNotePending == other.InterestNotePending &&
        CurrentList == other.CurrentList && ListEnteredOn == other.ListEnteredOn &&
        StepsTaken.SequenceEqual(other.StepsTaken) && Holds.SequenceEqual(other.Holds);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ClaimId, DueDate, OpenPrincipal, StepsTaken.Count);
}
