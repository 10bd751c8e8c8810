using Microsoft.EntityFrameworkCore;
using Purr.Core.Interest;
using Purr.Features.Common;
using Purr.Features.Interest;
using Purr.Tests.Infrastructure;

namespace Purr.Tests.Interest;

public sealed class RateTests_Sqlite(SqliteFixture f) : RateTests<SqliteFixture>(f);
public sealed class RateTests_Postgres(PostgresFixture f) : RateTests<PostgresFixture>(f);

/// <summary>The rate timeline: the built-in table overlaid with rows added here; never a guessed half-year.</summary>
public abstract class RateTests<TDb>(TDb fixture) : InterestTestBase<TDb>(fixture) where TDb : DatabaseFixture
{
    [Fact]
    public async Task List_shows_every_built_in_row_with_its_certainty_and_flags_the_unverified_ones()
    {
        await using var db = await OpenAsync();
        var r = await ListRates.HandleAsync(db, Ct);
        Assert.Equal(InterestRateTable.Default.Rows.Count, r.Rows.Count);
        Assert.All(r.Rows, x => Assert.Equal("built_in", x.Origin));
        Assert.Equal(new DateOnly(2026, 6, 30), r.KnownUntil);
        Assert.Equal(new DateOnly(1994, 1, 1), r.KnownFrom);
        var flagged = r.Rows.Where(x => x.Unverified).Select(x => x.From).ToList();
        Assert.Equal([new DateOnly(2024, 7, 1), new DateOnly(2025, 7, 1)], flagged);
        Assert.Equal(2, r.UnverifiedRows);
        var h1 = r.Rows.Single(x => x.From == new DateOnly(2025, 1, 1));
        Assert.Equal(("12.50", "470.00", "verified", new DateOnly(2025, 6, 30)), (h1.RatePercent, h1.StandardCompensationNok, h1.Certainty, h1.To));
        Assert.Equal(new DateOnly(2003, 12, 31), r.Rows[0].To); // the 1994 row runs until 2004
    }

    [Fact]
    public async Task A_new_half_year_added_here_is_used_by_every_calculation_without_a_release()
    {
        await using (var db = await OpenAsync())
        {
            var before = await LoadRateTable.HandleAsync(db, Ct);
            Assert.True(before.RateOn(new DateOnly(2026, 7, 1)).IsMissing);
            var r = await AddRate.HandleAsync(db, new AddRate.Command("2026-07-01", "11,75", "450", "FOR-2026-06-19-1000", "verified", "test"), Actor, Clock, Ct);
            Assert.Equal("added", r.Action);
            Assert.Equal(new DateOnly(2026, 12, 31), r.KnownUntil);
            Assert.Equal(("11.75", "450.00", "database", false), (r.Row.RatePercent, r.Row.StandardCompensationNok, r.Row.Origin, r.Row.ReplacesBuiltIn));
            Assert.Equal("test", r.Row.AddedBy);
        }
        await using var again = await OpenAsync();
        var table = await LoadRateTable.HandleAsync(again, Ct);
        Assert.Equal(11.75m, table.RateOn(new DateOnly(2026, 12, 31)).RatePercent);
        Assert.Equal(450m, table.RateOn(new DateOnly(2026, 7, 1)).Row!.StandardCompensationNok);
        var calc = await CalculateInterest.HandleAsync(again, new CalculateInterest.Query("10000", "2026-06-20", "2026-07-10"), Ct);
        // Due Saturday 20 June → Monday 22 June (C1): 8 days at 12.00 + 10 days at 11.75, /365: 26.301 + 32.192 = 58.493 → 58.49
        Assert.Equal("58.49", calc.Total);
        Assert.Equal(new DateOnly(2026, 6, 22), calc.EffectiveDueDate);
        Assert.True(calc.Complete);
    }

    [Fact]
    public async Task A_row_for_a_built_in_half_year_replaces_it_and_the_same_row_twice_changes_nothing()
    {
        await using var db = await OpenAsync();
        var r = await AddRate.HandleAsync(db, new AddRate.Command("2025-07-01", "12.25", "465", "FOR-2025-06-23-1321 (lovdata)", "verified"), Actor, Clock, Ct);
        Assert.Equal("replaced", r.Action);
        Assert.True(r.Row.ReplacesBuiltIn);
        Assert.False(r.Row.Unverified);
        var again = await AddRate.HandleAsync(db, new AddRate.Command("2025-07-01", "12.25", "465", "FOR-2025-06-23-1321 (lovdata)", "verified"), Actor, Clock, Ct);
        Assert.Equal("unchanged", again.Action);
        Assert.Equal(1, await db.InterestRates.CountAsync(Ct));
        var list = await ListRates.HandleAsync(db, Ct);
        Assert.Equal(1, list.UnverifiedRows);
        Assert.Equal("465.00", list.Rows.Single(x => x.From == new DateOnly(2025, 7, 1)).StandardCompensationNok);
        // A row equal to the built-in one is not stored at all.
        var builtIn = InterestRateTable.Default.RateOn(new DateOnly(2026, 1, 1)).Row!;
        var same = await AddRate.HandleAsync(db, new AddRate.Command("2026-01-01", "12.00", "460", builtIn.Source, "secondary", builtIn.Note), Actor, Clock, Ct);
        Assert.Equal("unchanged", same.Action);
        Assert.Equal(1, await db.InterestRates.CountAsync(Ct));
    }

    [Fact]
    public async Task Bad_arguments_are_all_reported_located_and_nothing_is_written()
    {
        await using var db = await OpenAsync();
        var e = await Assert.ThrowsAsync<RejectedInputException>(() =>
            AddRate.HandleAsync(db, new AddRate.Command("2026-03-01", "60", "-5", " ", "sure"), Actor, Clock, Ct));
        Assert.Equal(["--from", "--rate", "--compensation", "--source", "--certainty"], e.Errors.Select(x => x.Column));
        Assert.Contains("half-year start", e.Errors[0].Expected);
        Assert.Equal("2026-03-01", e.Errors[0].RawValue);
        Assert.Contains("0 to 50", e.Errors[1].Expected);

        var gap = await Assert.ThrowsAsync<RejectedInputException>(() =>
            AddRate.HandleAsync(db, new AddRate.Command("2027-01-01", "11", null, "x"), Actor, Clock, Ct));
        Assert.Equal("--from", gap.Errors.Single().Column);
        Assert.Contains("2026-07-01", gap.Errors.Single().Expected); // the half-year that must come first
        Assert.Equal(0, await db.InterestRates.CountAsync(Ct));
    }

    [Fact]
    public async Task Import_is_all_or_nothing_idempotent_and_locates_errors_by_line()
    {
        const string csv = """
            from,rate_percent,standard_compensation_nok,certainty,source,note
            2026-07-01,11.75,450,verified,FOR-2026-06-19-1000,
            2027-01-01,11.50,,secondary,"kred.no, 2027",compensation not yet known
            """;
        await using var db = await OpenAsync();
        var r = await ImportRates.HandleAsync(db, new ImportRates.Command("rates.csv", Bytes(csv)), Actor, Clock, Ct);
        Assert.Equal((2, 2, 0, 0, new DateOnly(2027, 6, 30)), (r.Records, r.Added, r.Replaced, r.Unchanged, r.KnownUntil));
        var again = await ImportRates.HandleAsync(db, new ImportRates.Command("rates.csv", Bytes(csv)), Actor, Clock, Ct);
        Assert.Equal((0, 0, 2), (again.Added, again.Replaced, again.Unchanged));
        Assert.Equal(2, await db.InterestRates.CountAsync(Ct));
        var table = await LoadRateTable.HandleAsync(db, Ct);
        Assert.Null(table.RateOn(new DateOnly(2027, 2, 1)).Row!.StandardCompensationNok);
        Assert.Equal("kred.no, 2027", table.RateOn(new DateOnly(2027, 2, 1)).Row!.Source);

        const string bad = """
            from,rate_percent,standard_compensation_nok,certainty,source,note
            2027-07-01,11.50,,verified,x,
            2028-01-01,abc,,maybe,x,
            """;
        var e = await Assert.ThrowsAsync<RejectedInputException>(() => ImportRates.HandleAsync(db, new ImportRates.Command("bad.csv", Bytes(bad)), Actor, Clock, Ct));
        Assert.Equal([("bad.csv", 3, "rate_percent"), ("bad.csv", 3, "certainty")], e.Errors.Select(x => (x.File, x.Line, x.Column)));

        const string gap = """
            from,rate_percent,standard_compensation_nok,certainty,source,note
            2028-07-01,11.50,,verified,x,
            """;
        var g = await Assert.ThrowsAsync<RejectedInputException>(() => ImportRates.HandleAsync(db, new ImportRates.Command("gap.csv", Bytes(gap)), Actor, Clock, Ct));
        Assert.Equal(("gap.csv", 2, "from"), (g.Errors.Single().File, g.Errors.Single().Line, g.Errors.Single().Column));
        Assert.Contains("2027-07-01", g.Errors.Single().Expected);
        Assert.Equal(2, await db.InterestRates.CountAsync(Ct));
    }

    [Fact]
    public async Task Importing_the_built_in_file_itself_changes_nothing()
    {
        var embedded = typeof(InterestRateTable).Assembly.GetManifestResourceStream("Purr.Core.Interest.forsinkelsesrente.csv")!;
        using var ms = new MemoryStream();
        await embedded.CopyToAsync(ms, Ct);
        await using var db = await OpenAsync();
        var r = await ImportRates.HandleAsync(db, new ImportRates.Command("forsinkelsesrente.csv", ms.ToArray()), Actor, Clock, Ct);
        Assert.Equal(InterestRateTable.Default.Rows.Count, r.Unchanged);
        Assert.Equal(0, await db.InterestRates.CountAsync(Ct));
    }

    [Fact]
    public async Task A_missing_half_year_is_reported_never_invented()
    {
        await using var db = await OpenAsync();
        var r = await CalculateInterest.HandleAsync(db, new CalculateInterest.Query("10 000,00", "2026-06-20", "2026-07-10"), Ct);
        Assert.Null(r.Total);
        Assert.False(r.Complete);
        Assert.Equal("26.30", r.KnownDaysTotal); // the known days only, 23–30 June at 12.00 (due Saturday 20 → Monday 22, C1): 10 000 × 0.12 × 8 / 365
        Assert.Contains(r.Warnings, w => w.Contains("not a banking day"));
        var missing = Assert.Single(r.Missing);
        Assert.Equal((new DateOnly(2026, 7, 1), new DateOnly(2026, 7, 10), 10), (missing.From, missing.To, missing.Days));
        Assert.Contains(r.Warnings, w => w.Contains("2026-07-01 to 2026-07-10") && w.Contains("not guessed"));
    }
}
