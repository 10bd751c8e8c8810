namespace Purr.Core.Calendar;

/// <summary>Which law makes a day a holiday.</summary>
public enum NorwegianHolidayKind
{
    /// <summary>A helligdag under helligdagsfredloven § 2 (besides the ordinary Sundays, which are not listed by name).</summary>
    Helligdag,
    /// <summary>An offentlig høytidsdag: 1 and 17 May (lov om 1. og 17. mai som høgtidsdagar, from 1947).</summary>
    Hoytidsdag,
}

/// <summary>One named Norwegian public holiday in a given year.</summary>
/// <param name="Date">The date.</param>
/// <param name="Name">The Norwegian (bokmål) name, e.g. "Skjærtorsdag".</param>
/// <param name="Kind">The law that makes it a holiday.</param>
public sealed record NorwegianHoliday(DateOnly Date, string Name, NorwegianHolidayKind Kind);

/// <summary>Choices about banking days that no verified source settles.</summary>
/// <param name="NewYearsEveIsBankingDay">
/// Whether 31 December on a weekday is a banking day. Default false: banks treat it as closed, but whether Norges Bank's
/// settlement system is closed on a weekday 31 December is UNVERIFIED (NORWAY-RULES §3.2, legal-scenarios C14).
/// </param>
public sealed record BankingDayOptions(bool NewYearsEveIsBankingDay = false)
{
    /// <summary>The default: 31 December is not a banking day.</summary>
    public static BankingDayOptions Default { get; } = new();
}

/// <summary>
/// Norwegian public holidays, working days and banking days.
/// </summary>
/// <remarks>
/// <para>Public holidays (helligdager), helligdagsfredloven (lov 24. februar 1995 nr. 12) § 2: every Sunday, nyttårsdag,
/// skjærtorsdag, langfredag, første and andre påskedag, Kristi himmelfartsdag (Easter + 39), første and andre pinsedag
/// (Easter + 49 and + 50), første and andre juledag. Offentlige høytidsdager: 1 and 17 May (from 1947). Easter Sunday
/// by the Gregorian computus (Meeus/Spencer Jones), applied proleptically to every year.</para>
/// <para>Working days (<see cref="IsWorkingDay"/>): Monday to Friday except public holidays; 24 and 31 December are
/// working days (as in NoCommons' addWorkingDays). Banking days (<see cref="IsBankingDay"/>): working days except
/// 24 December (Norges Bank's settlement system NBO is closed, verified) and, by default, 31 December
/// (<see cref="BankingDayOptions"/>). Source: NORWAY-RULES §3.</para>
/// <para>Holiday and working-day rules are the law and therefore static; banking days depend on options, so they are
/// instance members (use <see cref="Default"/> for the default options).</para>
/// </remarks>
public sealed class NorwegianCalendar : Purr.Core.Rules.IBankingCalendar
{
    /// <summary>The first year with 1 and 17 May as offentlige høytidsdager (lov 26. april 1947).</summary>
    public const int FirstYearOfMayHolidays = 1947;

    /// <summary>Creates a calendar with the given banking-day options.</summary>
    public NorwegianCalendar(BankingDayOptions? options = null) => Options = options ?? BankingDayOptions.Default;

    /// <summary>A calendar with <see cref="BankingDayOptions.Default"/>.</summary>
    public static NorwegianCalendar Default { get; } = new();

    /// <summary>The banking-day options in use.</summary>
    public BankingDayOptions Options { get; }

    /// <summary>Easter Sunday (første påskedag) of <paramref name="year"/>, Gregorian computus.</summary>
    public static DateOnly EasterSunday(int year)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9999);
        int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
        int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = (a + 11 * h + 22 * l) / 451;
        var month = (h + l - 7 * m + 114) / 31;
        var day = (h + l - 7 * m + 114) % 31 + 1;
        return new DateOnly(year, month, day);
    }

    /// <summary>
    /// The named public holidays of <paramref name="year"/> in date order: the helligdager of § 2 (b)–(k) and, from 1947,
    /// 1 and 17 May. Ordinary Sundays are not listed (every Sunday is a helligdag, § 2 (a)). When two coincide
    /// (e.g. 2008-05-01 Kristi himmelfartsdag and Arbeidernes dag) both are listed.
    /// </summary>
    public static IReadOnlyList<NorwegianHoliday> Holidays(int year)
    {
        var easter = EasterSunday(year);
        var list = new List<NorwegianHoliday>(12)
        {
            new(new DateOnly(year, 1, 1), "Nyttårsdag", NorwegianHolidayKind.Helligdag),
            new(easter.AddDays(-3), "Skjærtorsdag", NorwegianHolidayKind.Helligdag),
            new(easter.AddDays(-2), "Langfredag", NorwegianHolidayKind.Helligdag),
            new(easter, "Første påskedag", NorwegianHolidayKind.Helligdag),
            new(easter.AddDays(1), "Andre påskedag", NorwegianHolidayKind.Helligdag),
            new(easter.AddDays(39), "Kristi himmelfartsdag", NorwegianHolidayKind.Helligdag),
            new(easter.AddDays(49), "Første pinsedag", NorwegianHolidayKind.Helligdag),
            new(easter.AddDays(50), "Andre pinsedag", NorwegianHolidayKind.Helligdag),
            new(new DateOnly(year, 12, 25), "Første juledag", NorwegianHolidayKind.Helligdag),
            new(new DateOnly(year, 12, 26), "Andre juledag", NorwegianHolidayKind.Helligdag),
        };
        if (year >= FirstYearOfMayHolidays)
        {
            list.Add(new(new DateOnly(year, 5, 1), "Arbeidernes dag", NorwegianHolidayKind.Hoytidsdag));
            list.Add(new(new DateOnly(year, 5, 17), "Grunnlovsdagen", NorwegianHolidayKind.Hoytidsdag));
        }
        return [.. list.OrderBy(h => h.Date)];
    }

    /// <summary>The named holidays on <paramref name="date"/> (empty on an ordinary day or an ordinary Sunday).</summary>
    public static IReadOnlyList<NorwegianHoliday> HolidaysOn(DateOnly date) =>
        IsNamedHoliday(date) ? [.. Holidays(date.Year).Where(h => h.Date == date)] : [];

    /// <summary>
    /// True on a Sunday, a named helligdag or 1/17 May (from 1947). Saturdays, 24 and 31 December are not public holidays.
    /// </summary>
    public static bool IsPublicHoliday(DateOnly date) => date.DayOfWeek == DayOfWeek.Sunday || IsNamedHoliday(date);

    /// <summary>True on Monday to Friday when the day is not a public holiday (24 and 31 December are working days).</summary>
    public static bool IsWorkingDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !IsNamedHoliday(date);

    /// <summary>
    /// The date <paramref name="days"/> working days after <paramref name="date"/> (before it when negative);
    /// <paramref name="date"/> itself for 0, even when it is not a working day.
    /// </summary>
    public static DateOnly AddWorkingDays(DateOnly date, int days) => Step(date, days, IsWorkingDay);

    /// <summary>
    /// True on a working day that is not 24 December, nor 31 December unless <see cref="BankingDayOptions.NewYearsEveIsBankingDay"/>.
    /// </summary>
    public bool IsBankingDay(DateOnly date)
    {
        if (!IsWorkingDay(date)) return false;
        if (date is { Month: 12, Day: 24 }) return false;
        if (date is { Month: 12, Day: 31 } && !Options.NewYearsEveIsBankingDay) return false;
        return true;
    }

    /// <summary><paramref name="date"/> itself when it is a banking day, else the first banking day after it.</summary>
    public DateOnly NextBankingDay(DateOnly date)
    {
        while (!IsBankingDay(date)) date = date.AddDays(1);
        return date;
    }

    /// <summary>
    /// The date <paramref name="days"/> banking days after <paramref name="date"/> (before it when negative);
    /// <paramref name="date"/> itself for 0, even when it is not a banking day (use <see cref="NextBankingDay"/> for that).
    /// </summary>
    public DateOnly AddBankingDays(DateOnly date, int days) => Step(date, days, IsBankingDay);

    /// <summary>
    /// The effective due date: a due date on a non-banking day moves to the next banking day; a banking day stays.
    /// </summary>
    /// <remarks>
    /// Convention C1 of the legal scenarios (NORWAY-RULES §3.1 recommendation): no statute moves a contractual due date,
    /// but AvtaleGiro (Nets) uses the next working day and moving favours the debtor. Everything counted from the due
    /// date (interest from the day after, the 14-day fee rule, the first day of default) uses the moved date.
    /// </remarks>
    public DateOnly MoveToBankingDay(DateOnly dueDate) => NextBankingDay(dueDate);

    private static DateOnly Step(DateOnly date, int days, Func<DateOnly, bool> counts)
    {
        var step = Math.Sign(days);
        for (var left = Math.Abs(days); left > 0;)
        {
            date = date.AddDays(step);
            if (counts(date)) left--;
        }
        return date;
    }

    private static bool IsNamedHoliday(DateOnly date)
    {
        switch (date.Month, date.Day)
        {
            case (1, 1) or (12, 25) or (12, 26):
                return true;
            case (5, 1) or (5, 17) when date.Year >= FirstYearOfMayHolidays:
                return true;
        }
        if (date.Month is < 3 or > 6) return false; // Easter-based holidays fall between 19 March and 14 June
        var offset = date.DayNumber - EasterSunday(date.Year).DayNumber;
        return offset is -3 or -2 or 0 or 1 or 39 or 49 or 50;
    }
}
