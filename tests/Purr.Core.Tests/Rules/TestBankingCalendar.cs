using Purr.Core.Rules;

namespace Purr.Core.Tests.Rules;

/// <summary>
/// A test-only Norwegian banking calendar (scenario convention C14): not Saturday, Sunday, a public holiday
/// (helligdager, 1 and 17 May), 24 December or 31 December. Easter by the Gregorian computus in NORWAY-RULES.md § 3.
/// The product's calendar lives elsewhere; this one only lets the dunning tests run today.
/// </summary>
internal sealed class TestBankingCalendar : IBankingCalendar
{
    public static TestBankingCalendar Instance { get; } = new();

    public bool IsBankingDay(DateOnly date)
    {
        if (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) return false;
        if ((date.Month, date.Day) is (1, 1) or (5, 1) or (5, 17) or (12, 24) or (12, 25) or (12, 26) or (12, 31)) return false;
        var easter = EasterSunday(date.Year);
        var offset = date.DayNumber - easter.DayNumber;
        return offset is not (-3 or -2 or 0 or 1 or 39 or 49 or 50);
    }

    public static DateOnly EasterSunday(int y)
    {
        int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31, day = ((h + l - 7 * m + 114) % 31) + 1;
        return new DateOnly(y, month, day);
    }
}
