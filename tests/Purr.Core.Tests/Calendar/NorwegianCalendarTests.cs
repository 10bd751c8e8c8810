using System.Globalization;
using System.Text.Json;
using Purr.Core.Calendar;

namespace Purr.Core.Tests.Calendar;

public class NorwegianCalendarTests
{
    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    // python-holidays' English names → ours (bokmål).
    private static readonly Dictionary<string, string> VacanzaNames = new()
    {
        ["New Year's Day"] = "Nyttårsdag",
        ["Maundy Thursday"] = "Skjærtorsdag",
        ["Good Friday"] = "Langfredag",
        ["Easter Sunday"] = "Første påskedag",
        ["Easter Monday"] = "Andre påskedag",
        ["Labor Day"] = "Arbeidernes dag",
        ["Constitution Day"] = "Grunnlovsdagen",
        ["Ascension Day"] = "Kristi himmelfartsdag",
        ["Pentecost"] = "Første pinsedag",
        ["Pentecost Monday"] = "Andre pinsedag",
        ["Christmas Day"] = "Første juledag",
        ["Second Day of Christmas"] = "Andre juledag",
    };

    private static readonly Lazy<Dictionary<DateOnly, string>> Snapshot = new(() =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(TestData.PathOf("holidays", "vacanza+holidays", "NO_COMMON.json")))!
            .ToDictionary(p => D(p.Key), p => p.Value));

    public static TheoryData<int> SnapshotYears() => [.. Enumerable.Range(1950, 2050 - 1950 + 1)];

    /// <summary>
    /// Every year of python-holidays' NO_COMMON snapshot (1950–2050). The snapshot leaves out ordinary Sundays (the
    /// library's default) but lists named holidays that fall on a Sunday, as we do; it joins coinciding names with "; ".
    /// </summary>
    [Theory]
    [MemberData(nameof(SnapshotYears))]
    public void Holidays_of_every_year_match_the_python_holidays_snapshot(int year)
    {
        var expected = Snapshot.Value.Where(p => p.Key.Year == year)
            .ToDictionary(p => p.Key, p => p.Value.Split("; ").Select(n => VacanzaNames[n]).Order().ToList());
        var actual = NorwegianCalendar.Holidays(year)
            .GroupBy(h => h.Date)
            .ToDictionary(g => g.Key, g => g.Select(h => h.Name).Order().ToList());
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (date, names) in expected) Assert.Equal(names, actual[date]);
        Assert.Equal(12, NorwegianCalendar.Holidays(year).Count);

        // Day by day: a public holiday exactly when the snapshot lists the date or it is a Sunday.
        for (var d = new DateOnly(year, 1, 1); d.Year == year; d = d.AddDays(1))
        {
            Assert.Equal(expected.ContainsKey(d) || d.DayOfWeek == DayOfWeek.Sunday, NorwegianCalendar.IsPublicHoliday(d));
            Assert.Equal(expected.ContainsKey(d), NorwegianCalendar.HolidaysOn(d).Count > 0);
        }
    }

    public static TheoryData<int, string, string, string, string> HolidayVectorRows()
    {
        var data = new TheoryData<int, string, string, string, string>();
        foreach (var r in TestData.ReadCsv("holidays", "holiday_test_vectors.csv"))
            data.Add(r.Line, r["date"], r["expected"], r["detail"], r["in_vacanza_NO_COMMON_snapshot"]);
        return data;
    }

    [Theory]
    [MemberData(nameof(HolidayVectorRows))]
    public void Every_holiday_vector_row_gets_the_expected_outcome(int line, string date, string expected, string detail, string inSnapshot)
    {
        var d = D(date);
        switch (expected)
        {
            case "holiday":
                Assert.True(NorwegianCalendar.IsPublicHoliday(d), $"line {line}: {date} ({detail})");
                Assert.False(NorwegianCalendar.IsWorkingDay(d));
                Assert.False(NorwegianCalendar.Default.IsBankingDay(d));
                if (inSnapshot == "sunday")
                {
                    // NoCommons lists Palm Sunday (2009-04-05, 2008-03-16, 2007-04-01) among its holidays. By law it is a
                    // helligdag only because every Sunday is (§ 2 (a)); it is not one of the named days. So it is a public
                    // holiday here, but HolidaysOn does not name it.
                    Assert.Equal(DayOfWeek.Sunday, d.DayOfWeek);
                    Assert.Empty(NorwegianCalendar.HolidaysOn(d));
                }
                else
                {
                    var names = NorwegianCalendar.HolidaysOn(d).Select(h => h.Name).ToList();
                    Assert.NotEmpty(names);
                    // python-holidays rows name the holiday in Norwegian: it must be ours.
                    if (VacanzaNames.ContainsValue(detail)) Assert.Contains(detail, names);
                }
                break;
            case "not-holiday":
                // Christmas Eve and New Year's Eve are not public holidays; they are not banking days either (NBO closed
                // on 24 December, 31 December by default), but on a weekday they are working days.
                Assert.False(NorwegianCalendar.IsPublicHoliday(d), $"line {line}: {date}");
                Assert.Empty(NorwegianCalendar.HolidaysOn(d));
                var weekday = d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
                Assert.Equal(weekday, NorwegianCalendar.IsWorkingDay(d));
                Assert.Equal(weekday && d is not { Month: 12, Day: 24 or 31 }, NorwegianCalendar.Default.IsBankingDay(d));
                break;
            case "working":
                Assert.True(NorwegianCalendar.IsWorkingDay(d), $"line {line}: {date}");
                Assert.False(NorwegianCalendar.IsPublicHoliday(d));
                break;
            case "non-working":
                Assert.False(NorwegianCalendar.IsWorkingDay(d), $"line {line}: {date}");
                Assert.False(NorwegianCalendar.Default.IsBankingDay(d));
                break;
            default:
                Assert.Fail($"line {line}: unknown expected value '{expected}'");
                break;
        }
    }

    public static TheoryData<int, string, int, string> WorkingDayRows()
    {
        var data = new TheoryData<int, string, int, string>();
        foreach (var r in TestData.ReadCsv("holidays", "workingday_vectors.csv"))
            data.Add(r.Line, r["start_date"], int.Parse(r["add_working_days"], CultureInfo.InvariantCulture), r["expected_date"]);
        return data;
    }

    /// <summary>
    /// NoCommons' addWorkingDays counts 24 and 31 December as working days: 2007-12-21 + 5 = 2008-01-02 counts Mon 24 and
    /// Mon 31 December. That is <see cref="NorwegianCalendar.AddWorkingDays"/>. Banking days skip them (NBO is closed on
    /// 24 December; 31 December by default), so <see cref="NorwegianCalendar.AddBankingDays"/> ends later exactly when the
    /// range crosses a weekday 24 or 31 December.
    /// </summary>
    [Theory]
    [MemberData(nameof(WorkingDayRows))]
    public void Every_working_day_vector_row_gets_the_expected_date(int line, string start, int days, string expected)
    {
        var from = D(start);
        var to = D(expected);
        Assert.True(to == NorwegianCalendar.AddWorkingDays(from, days), $"line {line}");
        Assert.Equal(from, NorwegianCalendar.AddWorkingDays(to, -days));

        var crossesEves = Enumerable.Range(1, to.DayNumber - from.DayNumber).Select(from.AddDays)
            .Any(d => d is { Month: 12, Day: 24 or 31 } && NorwegianCalendar.IsWorkingDay(d));
        var banking = NorwegianCalendar.Default.AddBankingDays(from, days);
        if (crossesEves) Assert.True(banking > to);
        else Assert.Equal(to, banking);
    }

    [Fact]
    public void Christmas_2007_banking_days_skip_both_eves()
    {
        Assert.Equal(D("2008-01-04"), NorwegianCalendar.Default.AddBankingDays(D("2007-12-21"), 5));
        // With 31 December as a banking day only Christmas Eve is skipped.
        Assert.Equal(D("2008-01-03"), new NorwegianCalendar(new BankingDayOptions(NewYearsEveIsBankingDay: true)).AddBankingDays(D("2007-12-21"), 5));
    }

    [Theory] // NORWAY-RULES §3 implementation notes, derived with the computus; 2008 matches NoCommonsNET.
    [InlineData(2024, "2024-03-31")]
    [InlineData(2025, "2025-04-20")]
    [InlineData(2026, "2026-04-05")]
    [InlineData(2027, "2027-03-28")]
    [InlineData(2028, "2028-04-16")]
    [InlineData(2008, "2008-03-23")]
    [InlineData(1818, "1818-03-22")] // earliest possible date
    [InlineData(2285, "2285-03-22")]
    [InlineData(1943, "1943-04-25")] // latest possible date
    [InlineData(2038, "2038-04-25")]
    public void Easter_sunday_by_the_gregorian_computus(int year, string expected)
    {
        var easter = NorwegianCalendar.EasterSunday(year);
        Assert.Equal(D(expected), easter);
        Assert.Equal(DayOfWeek.Sunday, easter.DayOfWeek);
    }

    [Fact]
    public void Movable_feasts_of_2027_include_whit_monday_on_17_may()
    {
        var h = NorwegianCalendar.Holidays(2027);
        Assert.Equal(["Andre pinsedag", "Grunnlovsdagen"], h.Where(x => x.Date == D("2027-05-17")).Select(x => x.Name).Order());
        Assert.Equal(D("2027-05-06"), h.Single(x => x.Name == "Kristi himmelfartsdag").Date);
        Assert.Equal(NorwegianHolidayKind.Hoytidsdag, h.Single(x => x.Name == "Grunnlovsdagen").Kind);
        Assert.Equal(NorwegianHolidayKind.Helligdag, h.Single(x => x.Name == "Langfredag").Kind);
    }

    [Fact]
    public void May_holidays_apply_from_1947()
    {
        Assert.False(NorwegianCalendar.IsPublicHoliday(D("1946-05-17"))); // a Friday
        Assert.True(NorwegianCalendar.IsWorkingDay(D("1946-05-01")));     // a Wednesday
        Assert.Equal(10, NorwegianCalendar.Holidays(1946).Count);
        Assert.True(NorwegianCalendar.IsPublicHoliday(D("1947-05-01")));
    }

    [Fact]
    public void Saturdays_are_neither_holidays_nor_working_days()
    {
        var saturday = D("2025-06-14");
        Assert.False(NorwegianCalendar.IsPublicHoliday(saturday));
        Assert.False(NorwegianCalendar.IsWorkingDay(saturday));
        Assert.False(NorwegianCalendar.Default.IsBankingDay(saturday));
    }

    [Theory]
    [InlineData("2025-12-24", "2025-12-29")] // Wed 24 closed, 25/26 holidays, weekend
    [InlineData("2025-12-31", "2026-01-02")] // Wed 31 closed by default, 1 Jan holiday
    [InlineData("2026-04-02", "2026-04-07")] // Skjærtorsdag → Tuesday after Easter
    [InlineData("2025-05-17", "2025-05-19")] // Saturday 17 May
    [InlineData("2026-05-14", "2026-05-15")] // Kristi himmelfartsdag (Thursday)
    [InlineData("2026-05-23", "2026-05-26")] // Saturday before Whitsun → Tuesday
    [InlineData("2025-06-20", "2025-06-20")] // a banking day stays
    public void Next_banking_day_and_moved_due_date(string date, string expected)
    {
        Assert.Equal(D(expected), NorwegianCalendar.Default.NextBankingDay(D(date)));
        Assert.Equal(D(expected), NorwegianCalendar.Default.MoveToBankingDay(D(date)));
    }

    [Fact]
    public void New_years_eve_option_makes_a_weekday_31_december_a_banking_day()
    {
        var open = new NorwegianCalendar(new BankingDayOptions(NewYearsEveIsBankingDay: true));
        Assert.True(open.IsBankingDay(D("2025-12-31")));
        Assert.False(open.IsBankingDay(D("2025-12-24")));
        Assert.False(NorwegianCalendar.Default.IsBankingDay(D("2025-12-31")));
        Assert.False(open.IsBankingDay(D("2022-12-31"))); // a Saturday either way
    }

    [Fact]
    public void Adding_banking_days_forwards_backwards_and_zero()
    {
        var cal = NorwegianCalendar.Default;
        Assert.Equal(D("2026-04-08"), cal.AddBankingDays(D("2026-04-01"), 2)); // Wed + 2 over Easter = Wed 8 April
        Assert.Equal(D("2026-04-01"), cal.AddBankingDays(D("2026-04-08"), -2));
        Assert.Equal(D("2026-04-04"), cal.AddBankingDays(D("2026-04-04"), 0)); // 0 leaves even a Saturday alone
    }

    [Fact]
    public void Every_day_is_consistent_across_the_three_predicates()
    {
        var cal = NorwegianCalendar.Default;
        for (var d = D("1990-01-01"); d <= D("2060-12-31"); d = d.AddDays(1))
        {
            if (cal.IsBankingDay(d)) Assert.True(NorwegianCalendar.IsWorkingDay(d));
            if (NorwegianCalendar.IsWorkingDay(d)) Assert.False(NorwegianCalendar.IsPublicHoliday(d));
            Assert.True(cal.IsBankingDay(cal.NextBankingDay(d)));
            Assert.True(cal.NextBankingDay(d).DayNumber - d.DayNumber <= 6);
        }
    }
}
