namespace Purr.Features.Common;

/// <summary>"Today" for the business: computed once per command in Europe/Oslo from the injected clock.</summary>
public static class BusinessClock
{
    /// <summary>The Norwegian time zone.</summary>
    public static readonly TimeZoneInfo Oslo = TimeZoneInfo.FindSystemTimeZoneById("Europe/Oslo");

    /// <summary>Today's date in Oslo.</summary>
    public static DateOnly Today(this TimeProvider clock) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Oslo).DateTime);
}

/// <summary>Who acts: a CLI user, an API key, the scheduler. Recorded in the claim history.</summary>
public sealed record Actor(string Name)
{
    public static Actor Cli() => new("cli:" + Environment.UserName);
    public static readonly Actor System = new("system");
}
