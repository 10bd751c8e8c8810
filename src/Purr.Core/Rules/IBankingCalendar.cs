namespace Purr.Core.Rules;

/// <summary>Tells which days Norwegian banks settle payments on.</summary>
/// <remarks>
/// Kept minimal on purpose: the dunning rules only ask whether a day is a banking day. The real implementation
/// (Norwegian public holidays, 24 and 31 December; NORWAY-RULES.md § 3.2, scenario convention C14) lives with the
/// calendar code; tests may use their own.
/// </remarks>
public interface IBankingCalendar
{
    /// <summary>True when banks settle payments on <paramref name="date"/>.</summary>
    bool IsBankingDay(DateOnly date);
}

/// <summary>Day arithmetic over an <see cref="IBankingCalendar"/>.</summary>
public static class BankingCalendarExtensions
{
    // A Norwegian year never has more than five non-banking days in a row (Easter: Thursday to Monday);
    // a calendar that finds none in this many days is broken, not a business outcome.
    private const int MaxNonBankingRun = 60;

    /// <summary>The date itself when it is a banking day, otherwise the next banking day after it.</summary>
    /// <remarks>
    /// Used for due dates (scenario convention C1; NORWAY-RULES.md § 3.1 recommendation: a due date on a
    /// non-banking day counts as the next banking day, which favours the debtor) and, when a step asks for it,
    /// for deadlines (convention C2 leaves deadlines unmoved by default).
    /// </remarks>
    public static DateOnly NextBankingDayOnOrAfter(this IBankingCalendar calendar, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var d = date;
        for (var i = 0; i < MaxNonBankingRun; i++)
        {
            if (calendar.IsBankingDay(d)) return d;
            d = d.AddDays(1);
        }
        throw new InvalidOperationException($"The banking calendar has no banking day in the {MaxNonBankingRun} days from {date:yyyy-MM-dd}");
    }
}
