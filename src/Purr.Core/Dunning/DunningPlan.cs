namespace Purr.Core.Dunning;

/// <summary>Whether several overdue invoices of one customer share a letter.</summary>
public enum LetterGrouping
{
    /// <summary>One letter per invoice.</summary>
    PerInvoice,

    /// <summary>One letter per customer for all invoices taking the same kind of step on the same run.</summary>
    PerCustomer,
}

/// <summary>A dunning plan: ordered steps plus settings. Data, validated with <see cref="PlanValidator"/>.</summary>
/// <remarks>
/// An invalid plan is never accepted: <see cref="PlanJson"/> refuses to return one and <see cref="DunningPolicy"/>
/// throws <see cref="ArgumentException"/> (misuse) when handed one.
/// </remarks>
public sealed record DunningPlan
{
    private readonly IReadOnlyList<DunningStep> _steps = [];

    /// <summary>Stable code, e.g. "standard" (lower case letters, digits, '_', '-', '.').</summary>
    public required string Code { get; init; }

    /// <summary>Display name.</summary>
    public required string Name { get; init; }

    /// <summary>Optional description.</summary>
    public string? Description { get; init; }

    /// <summary>Currency of the plan's amounts (fixed fees, minimum amount). Legal fees exist only in NOK.</summary>
    public Currency Currency { get; init; } = Currency.Nok;

    /// <summary>Days added to when every step becomes due, for mail and bank delay (C4). Does not change deadlines or the 14-day fee rule.</summary>
    public int PostalDays { get; init; }

    /// <summary>Claims whose open principal is below this are not dunned automatically.</summary>
    public Money MinimumAmount { get; init; } = Money.Nok(0m);

    /// <summary>One letter per customer or per invoice.</summary>
    public LetterGrouping Grouping { get; init; } = LetterGrouping.PerInvoice;

    /// <summary>The steps, in order. The list is copied on init: later changes to the caller's list do not leak in.</summary>
    public required IReadOnlyList<DunningStep> Steps
    {
        get => _steps;
        init => _steps = Array.AsReadOnly((value ?? throw new ArgumentNullException(nameof(value))).ToArray());
    }

    /// <inheritdoc/>
    public bool Equals(DunningPlan? other) =>
        other is not null &&
        Code == other.Code && Name == other.Name && Description == other.Description && Currency == other.Currency &&
        PostalDays == other.PostalDays && MinimumAmount == other.MinimumAmount && Grouping == other.Grouping &&
        Steps.SequenceEqual(other.Steps);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Code, Name, PostalDays, Grouping, Steps.Count);
}
