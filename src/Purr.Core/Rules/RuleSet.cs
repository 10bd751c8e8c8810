using Purr.Core.Rules.Norway;

namespace Purr.Core.Rules;

/// <summary>Everything outside the plan and the claim that a dunning decision depends on.</summary>
/// <param name="Fees">The effective-dated legal fee table (inkassosats and fee fractions).</param>
/// <param name="Calendar">Banking days, for due dates on non-banking days (C1) and optional deadline extension.</param>
/// <param name="Creditor">The creditor's switches.</param>
public sealed record RuleSet(CollectionFeeTable Fees, IBankingCalendar Calendar, CreditorSwitches Creditor)
{
    /// <summary>Norwegian law (<see cref="CollectionFeeTable.Norway"/>) with the given calendar and creditor switches.</summary>
    public static RuleSet Norway(IBankingCalendar calendar, CreditorSwitches? creditor = null) =>
        new(CollectionFeeTable.Norway, calendar ?? throw new ArgumentNullException(nameof(calendar)), creditor ?? CreditorSwitches.Default);
}

/// <summary>Creditor-level settings that change what the dunning policy may do.</summary>
public sealed record CreditorSwitches
{
    /// <summary>The defaults: the creditor sends its own inkassovarsel.</summary>
    public static CreditorSwitches Default { get; } = new();

    /// <summary>
    /// False when the creditor may not send its own inkassovarsel (the proposed new inkassolov, Prop. 3 L (2025–2026),
    /// may reserve it for licensed collection agencies).
    /// </summary>
    /// <remarks>
    /// When false, a <c>collection_notice</c> step is <b>refused</b>, not skipped: <c>DunningPolicy.Decide</c> returns
    /// NoAction with reason <c>not_allowed</c> and detail <c>own_collection_notice_disabled</c>, and
    /// <c>PlanValidator.Validate(plan, switches)</c> rejects plans containing such a step. Skipping would silently change
    /// the creditor's chosen path (for example handing claims over to an agency earlier than the plan shows); the fix is a
    /// plan without the step, which the validator points at.
    /// </remarks>
    public bool OwnCollectionNoticeAllowed { get; init; } = true;
}
