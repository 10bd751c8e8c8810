namespace Purr.Core.Tests.Rules;

public class TestBankingCalendarTests
{
    [Theory]
    [InlineData(2024, "2024-03-31")]
    [InlineData(2025, "2025-04-20")]
    [InlineData(2026, "2026-04-05")]
    [InlineData(2027, "2027-03-28")]
    [InlineData(2028, "2028-04-16")]
    public void Easter_sunday_matches_the_NORWAY_RULES_vectors(int year, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), TestBankingCalendar.EasterSunday(year));

    [Theory]
    [InlineData("2025-04-17", false)] // skjærtorsdag
    [InlineData("2025-04-18", false)] // langfredag
    [InlineData("2025-04-21", false)] // 2. påskedag
    [InlineData("2025-05-01", false)]
    [InlineData("2025-05-29", false)] // Kristi himmelfart
    [InlineData("2025-06-09", false)] // 2. pinsedag
    [InlineData("2025-12-24", false)]
    [InlineData("2025-12-31", false)]
    [InlineData("2025-02-08", false)] // Saturday
    [InlineData("2025-04-22", true)]
    [InlineData("2025-02-10", true)]
    public void Banking_days_follow_convention_C14(string date, bool banking) =>
        Assert.Equal(banking, TestBankingCalendar.Instance.IsBankingDay(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));
}
