using Purr.Core.Dunning;

namespace Purr.Core.Rules.Norway;

/// <summary>A fraction of the inkassosats, e.g. 1/20.</summary>
public readonly record struct FeeFraction
{
    /// <summary>Creates a fraction; both parts must be positive.</summary>
    public FeeFraction(int numerator, int denominator)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numerator);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(denominator);
        Numerator = numerator;
        Denominator = denominator;
    }

    /// <summary>The numerator.</summary>
    public int Numerator { get; }

    /// <summary>The denominator.</summary>
    public int Denominator { get; }

    /// <summary>This fraction of an amount, rounded down to whole minor units so it never exceeds the exact value.</summary>
    public Money Of(Money amount)
    {
        var exact = amount * Numerator / Denominator;
        var rounded = exact.RoundToMinorUnit();
        return rounded > exact ? rounded - Money.FromMinorUnits(1, amount.Currency) : rounded;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Numerator}/{Denominator}";
}

/// <summary>The inkassosats in force from a date.</summary>
/// <param name="From">First day the value applies.</param>
/// <param name="Amount">The inkassosats.</param>
/// <param name="Certainty">How sure the value is.</param>
/// <param name="Source">Where it comes from.</param>
public sealed record InkassosatsPeriod(DateOnly From, Money Amount, Certainty Certainty, string Source);

/// <summary>The fractions of the inkassosats a creditor may charge for its own notices, from a date.</summary>
/// <param name="From">First day the fractions apply (by send date).</param>
/// <param name="Reminder">Purring (inkassoforskriften § 1-2 (1)).</param>
/// <param name="CollectionNotice">Inkassovarsel (§ 1-2 (2)).</param>
/// <param name="PaymentDemand">Betalingsoppfordring sent by the creditor (§ 1-2 (3)).</param>
/// <param name="Certainty">How sure the values are.</param>
/// <param name="Source">Where they come from.</param>
public sealed record FeeFractionPeriod(
    DateOnly From, FeeFraction Reminder, FeeFraction CollectionNotice, FeeFraction PaymentDemand, Certainty Certainty, string Source);

/// <summary>The legal maximum fee for one notice sent on one date.</summary>
/// <param name="Amount">fraction × inkassosats.</param>
/// <param name="Inkassosats">The inkassosats used.</param>
/// <param name="Fraction">The fraction used.</param>
/// <param name="Certainty">The weaker of the two inputs' certainties.</param>
/// <param name="Source">Sources of both inputs.</param>
public sealed record LegalFee(Money Amount, Money Inkassosats, FeeFraction Fraction, Certainty Certainty, string Source);

/// <summary>Effective-dated legal fee data: the inkassosats and the fee fractions, each with its source and certainty.</summary>
/// <remarks>
/// Inkassoforskriften § 1-2 (4): the inkassosats "på det tidspunktet varselet sendes" applies, so every lookup is by the
/// <b>send date</b> of the notice, never the due date (NORWAY-RULES.md § 1.3 history note; scenario ambiguity 2).
/// </remarks>
public sealed class CollectionFeeTable
{
    private readonly InkassosatsPeriod[] _rates;
    private readonly FeeFractionPeriod[] _fractions;

    /// <summary>Creates a table; periods may be given in any order, but no two may start on the same day.</summary>
    public CollectionFeeTable(IEnumerable<InkassosatsPeriod> rates, IEnumerable<FeeFractionPeriod> fractions)
    {
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentNullException.ThrowIfNull(fractions);
        _rates = [.. rates.OrderBy(r => r.From)];
        _fractions = [.. fractions.OrderBy(f => f.From)];
        if (_rates.Length == 0 || _fractions.Length == 0)
            throw new ArgumentException("A fee table needs at least one inkassosats and one fraction period");
        if (_rates.Zip(_rates.Skip(1)).Any(p => p.First.From == p.Second.From) ||
            _fractions.Zip(_fractions.Skip(1)).Any(p => p.First.From == p.Second.From))
            throw new ArgumentException("Two periods start on the same day");
        if (_rates.Any(r => !r.Amount.IsPositive))
            throw new ArgumentException("An inkassosats must be positive");
    }

    /// <summary>The inkassosats periods, oldest first.</summary>
    public IReadOnlyList<InkassosatsPeriod> Inkassosats => _rates;

    /// <summary>The fee fraction periods, oldest first.</summary>
    public IReadOnlyList<FeeFractionPeriod> Fractions => _fractions;

    /// <summary>Norwegian law as known in January 2026 (NORWAY-RULES.md § 1.1–1.3).</summary>
    /// <remarks>
    /// Inkassosats 700 from 2017-01-01 (FOR-2002-12-13-1641, frozen by FOR-2018-12-20-2050; inkassoforskriften § 1-1 (3)),
    /// 750 from 2026-01-01 (kred.no, secondary; the amending regulation was not seen: <see cref="Certainty.Derived"/>).
    /// Fractions 1/10, 1/10, 3/10 until 2020-09-30 and 1/20, 1/20, 3/20 from 2020-10-01 (inkassoforskriften § 1-2 as
    /// amended by kgl.res. June 2020). Older rates are not included: no send date before 2017 is looked up.
    /// </remarks>
    public static CollectionFeeTable Norway { get; } = new(
        [
            new InkassosatsPeriod(new DateOnly(2017, 1, 1), Money.Nok(700m), Certainty.Law,
                "FOR-2002-12-13-1641; frozen by FOR-2018-12-20-2050; inkassoforskriften § 1-1 (3)"),
            new InkassosatsPeriod(new DateOnly(2026, 1, 1), Money.Nok(750m), Certainty.Derived,
                "kred.no 2026 (secondary; the regulation text was not seen); whether the fee is rounded is UNVERIFIED"),
        ],
        [
            new FeeFractionPeriod(new DateOnly(2017, 1, 1), new(1, 10), new(1, 10), new(3, 10), Certainty.Law,
                "inkassoforskriften § 1-2 before the 2020 change"),
            new FeeFractionPeriod(new DateOnly(2020, 10, 1), new(1, 20), new(1, 20), new(3, 20), Certainty.Law,
                "inkassoforskriften § 1-2 as amended from 2020-10-01 (Regjeringen: 'halverer inkassosalærer')"),
        ]);

    /// <summary>
    /// The legal maximum fee for a notice of <paramref name="kind"/> sent on <paramref name="sendDate"/>, or null when the
    /// table has no value for that date or the kind carries no fee (a handover).
    /// </summary>
    public LegalFee? LegalMaximum(StepKind kind, DateOnly sendDate)
    {
        var rate = Find(_rates, r => r.From, sendDate);
        var period = Find(_fractions, f => f.From, sendDate);
        if (rate is null || period is null) return null;
        FeeFraction? fraction = kind switch
        {
            StepKind.Reminder => period.Reminder,
            StepKind.CollectionNotice => period.CollectionNotice,
            StepKind.PaymentDemand => period.PaymentDemand,
            _ => null,
        };
        if (fraction is not { } f) return null;
        return new LegalFee(f.Of(rate.Amount), rate.Amount, f, Certainties.Weakest(rate.Certainty, period.Certainty),
            $"inkassosats: {rate.Source}; fraction: {period.Source}");
    }

    private static T? Find<T>(T[] periods, Func<T, DateOnly> from, DateOnly date) where T : class
    {
        T? found = null;
        foreach (var p in periods)
        {
            if (from(p) > date) break;
            found = p;
        }
        return found;
    }
}
