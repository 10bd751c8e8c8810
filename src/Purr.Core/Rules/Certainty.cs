namespace Purr.Core.Rules;

/// <summary>How sure the project is of a legal value: shown next to the value so a user can see what is not verified.</summary>
/// <remarks>
/// The markers follow NORWAY-RULES.md: <see cref="Law"/> is read in the law or regulation text (VERIFIED);
/// <see cref="Derived"/> is worked out from other inputs or taken from a secondary source (DERIVED / SECONDARY);
/// <see cref="Unverified"/> has no source at all. Values are ordered from most to least certain, so the certainty of a
/// value computed from several inputs is the largest of theirs (<see cref="Certainties.Weakest"/>).
/// </remarks>
public enum Certainty
{
    /// <summary>Read in the law or regulation text.</summary>
    Law = 0,

    /// <summary>Derived from verified inputs, or from a reputable secondary source only; check before release.</summary>
    Derived = 1,

    /// <summary>No source found; check before release.</summary>
    Unverified = 2,
}

/// <summary>Helpers for <see cref="Certainty"/>.</summary>
public static class Certainties
{
    /// <summary>The least certain of two values: a result is no more certain than its weakest input.</summary>
    public static Certainty Weakest(Certainty a, Certainty b) => (Certainty)Math.Max((int)a, (int)b);

    /// <summary>The stable lower-case code ("law", "derived", "unverified") used in JSON and previews.</summary>
    public static string ToCode(this Certainty certainty) => certainty switch
    {
        Certainty.Law => "law",
        Certainty.Derived => "derived",
        Certainty.Unverified => "unverified",
        _ => throw new ArgumentOutOfRangeException(nameof(certainty), certainty, null),
    };
}
