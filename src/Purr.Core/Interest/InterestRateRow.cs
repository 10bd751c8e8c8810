namespace Purr.Core.Interest;

/// <summary>How well a rate row is sourced (the markers of NORWAY-RULES).</summary>
public enum RateCertainty
{
    /// <summary>Read in the regulation or an official government page.</summary>
    Verified,
    /// <summary>From a reputable secondary source (rate tables, collection agencies, accountants), not the regulation.</summary>
    Secondary,
    /// <summary>Worked out from verified inputs (e.g. the policy rate + 8 percentage points).</summary>
    Derived,
    /// <summary>No source states it. Check before relying on it.</summary>
    Unverified,
}

/// <summary>
/// One effective-dated row of the forsinkelsesrente table: the rate from <paramref name="From"/> (a half-year start)
/// until the next row, and the § 3a standard compensation for that half-year when known.
/// </summary>
/// <param name="From">First day the row applies: yyyy-01-01 or yyyy-07-01.</param>
/// <param name="RatePercent">Annual rate in percent, e.g. 12.50.</param>
/// <param name="StandardCompensationNok">Standardkompensasjon in NOK for the half-year, or null when not known.</param>
/// <param name="Certainty">How well the row is sourced.</param>
/// <param name="Source">Where the values come from (URLs or regulation references).</param>
/// <param name="Note">Anything else worth knowing, e.g. why a row is unverified.</param>
public sealed record InterestRateRow(
    DateOnly From,
    decimal RatePercent,
    decimal? StandardCompensationNok,
    RateCertainty Certainty,
    string Source,
    string Note = "");

/// <summary>The rate for one day, or the fact that no rate is known for it.</summary>
/// <param name="Day">The day looked up.</param>
/// <param name="Row">The row in force that day, or null when the table does not cover the day.</param>
/// <param name="CoveredUntil">
/// The last day with the same answer: the row's last day when found; when missing, the day before the next known row
/// (or <see cref="DateOnly.MaxValue"/> after the end of the table).
/// </param>
public readonly record struct RateLookup(DateOnly Day, InterestRateRow? Row, DateOnly CoveredUntil)
{
    /// <summary>True when no rate is known for the day. Never guess one.</summary>
    public bool IsMissing => Row is null;

    /// <summary>The annual rate in percent; throws when <see cref="IsMissing"/>.</summary>
    public decimal RatePercent => Row?.RatePercent ?? throw new InvalidOperationException($"no forsinkelsesrente is known for {Day:yyyy-MM-dd}");
}
