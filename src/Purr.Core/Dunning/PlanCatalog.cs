namespace Purr.Core.Dunning;

/// <summary>A rule choosing a plan. Every condition that is set must hold; unset conditions match anything.</summary>
/// <remarks>Ranges are inclusive at both ends.</remarks>
public sealed record PlanRule
{
    /// <summary>The plan chosen when the rule matches.</summary>
    public required string PlanCode { get; init; }

    /// <summary>Only this kind of customer.</summary>
    public CustomerKind? CustomerKind { get; init; }

    /// <summary>Only customers in this category (ordinal, case-insensitive).</summary>
    public string? Category { get; init; }

    /// <summary>Customer priority at least this.</summary>
    public int? MinPriority { get; init; }

    /// <summary>Customer priority at most this.</summary>
    public int? MaxPriority { get; init; }

    /// <summary>Amount at least this.</summary>
    public Money? MinAmount { get; init; }

    /// <summary>Amount at most this.</summary>
    public Money? MaxAmount { get; init; }

    /// <summary>Agreed payment terms (days) at least this; a subject without terms does not match.</summary>
    public int? MinPaymentTermsDays { get; init; }

    /// <summary>Agreed payment terms (days) at most this; a subject without terms does not match.</summary>
    public int? MaxPaymentTermsDays { get; init; }

    /// <summary>True when every set condition holds for <paramref name="subject"/>.</summary>
    public bool Matches(PlanSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (CustomerKind is { } k && k != subject.CustomerKind) return false;
        if (Category is not null && !string.Equals(Category, subject.Category, StringComparison.OrdinalIgnoreCase)) return false;
        if (MinPriority is { } minP && subject.Priority < minP) return false;
        if (MaxPriority is { } maxP && subject.Priority > maxP) return false;
        if (MinAmount is { } minA && (minA.Currency != subject.Amount.Currency || subject.Amount < minA)) return false;
        if (MaxAmount is { } maxA && (maxA.Currency != subject.Amount.Currency || subject.Amount > maxA)) return false;
        if (MinPaymentTermsDays is { } minT && (subject.PaymentTermsDays is not { } t1 || t1 < minT)) return false;
        if (MaxPaymentTermsDays is { } maxT && (subject.PaymentTermsDays is not { } t2 || t2 > maxT)) return false;
        return true;
    }
}

/// <summary>What plan selection looks at for one claim.</summary>
/// <param name="CustomerKind">Private, business or public.</param>
/// <param name="Category">The customer's category, if any.</param>
/// <param name="Priority">The customer's priority.</param>
/// <param name="Amount">The claim's amount (the shell passes the open principal).</param>
/// <param name="PaymentTermsDays">Agreed payment terms in days, if known.</param>
public sealed record PlanSubject(CustomerKind CustomerKind, string? Category, int Priority, Money Amount, int? PaymentTermsDays);

/// <summary>The plan chosen for a subject and why.</summary>
/// <param name="Plan">The plan.</param>
/// <param name="RuleIndex">Index of the matching rule; null when the default plan was used.</param>
public sealed record PlanChoice(DunningPlan Plan, int? RuleIndex);

/// <summary>A creditor's plans and the rules choosing between them. First matching rule wins; a default plan always exists.</summary>
public sealed record PlanCatalog
{
    private readonly IReadOnlyList<DunningPlan> _plans = [];
    private readonly IReadOnlyList<PlanRule> _rules = [];

    /// <summary>The plans.</summary>
    public required IReadOnlyList<DunningPlan> Plans
    {
        get => _plans;
        init => _plans = Array.AsReadOnly((value ?? throw new ArgumentNullException(nameof(value))).ToArray());
    }

    /// <summary>The selection rules, tried in order.</summary>
    public IReadOnlyList<PlanRule> Rules
    {
        get => _rules;
        init => _rules = Array.AsReadOnly((value ?? throw new ArgumentNullException(nameof(value))).ToArray());
    }

    /// <summary>Code of the plan used when no rule matches.</summary>
    public required string DefaultPlanCode { get; init; }

    /// <summary>The plan with <paramref name="code"/>, or null.</summary>
    public DunningPlan? Find(string code) => Plans.FirstOrDefault(p => p.Code == code);

    /// <summary>Chooses the plan for <paramref name="subject"/>: the first matching rule's plan, else the default plan.</summary>
    /// <exception cref="InvalidOperationException">The catalog is invalid (a rule or the default names a missing plan): validate it first.</exception>
    public PlanChoice Select(PlanSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        for (var i = 0; i < Rules.Count; i++)
        {
            if (!Rules[i].Matches(subject)) continue;
            return new PlanChoice(Find(Rules[i].PlanCode)
                ?? throw new InvalidOperationException($"rules[{i}] names unknown plan '{Rules[i].PlanCode}'"), i);
        }
        return new PlanChoice(Find(DefaultPlanCode)
            ?? throw new InvalidOperationException($"The default plan '{DefaultPlanCode}' is not in the catalog"), null);
    }

    /// <inheritdoc/>
    public bool Equals(PlanCatalog? other) =>
        other is not null && DefaultPlanCode == other.DefaultPlanCode &&
        Plans.SequenceEqual(other.Plans) && Rules.SequenceEqual(other.Rules);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(DefaultPlanCode, Plans.Count, Rules.Count);
}
