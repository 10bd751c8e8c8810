using System.Globalization;
using System.Text.Json;
using Purr.Core.Interest;

namespace Purr.Core.Tests.Interest;

public class InterestRateTableTests
{
    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static decimal M(string s) => decimal.Parse(s, CultureInfo.InvariantCulture);
    private static readonly InterestRateTable Table = InterestRateTable.Default;

    [Fact]
    public void Default_table_agrees_with_the_shared_csv_row_by_row()
    {
        var shared = TestData.ReadCsv("forsinkelsesrente", "forsinkelsesrente_halvaar.csv");
        Assert.Equal(shared.Count, Table.Rows.Count);
        foreach (var (s, row) in shared.Zip(Table.Rows))
        {
            Assert.Equal(D(s["valid_from"]), row.From);
            Assert.Equal(M(s["rate_percent_pa"]), row.RatePercent);
            Assert.Contains(s["sources"], row.Source, StringComparison.Ordinal); // the row's source is kept
            Assert.Equal(s["status"] == "UNVERIFIED", row.Certainty == RateCertainty.Unverified);
            if (s["standardkompensasjon_nok"].Length > 0)
                Assert.Equal(M(s["standardkompensasjon_nok"]), row.StandardCompensationNok);
            else if (row.StandardCompensationNok is not null)
                // Amounts the shared CSV leaves empty come from NORWAY-RULES §2.4, which names their sources.
                Assert.Contains("(NORWAY-RULES 2.4)", row.Source, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Default_table_covers_1994_to_mid_2026_and_marks_the_unverified_half_years()
    {
        Assert.Equal(D("1994-01-01"), Table.KnownFrom);
        Assert.Equal(D("2026-06-30"), Table.KnownUntil);
        Assert.Equal([D("2024-07-01"), D("2025-07-01")], Table.Rows.Where(r => r.Certainty == RateCertainty.Unverified).Select(r => r.From));
        Assert.All(Table.Rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Source)));
    }

    [Theory] // MANIFEST §7 key values, the 1994 row's ten years, and the edges of the table
    [InlineData("1994-01-01", "12.00")]
    [InlineData("2003-12-31", "12.00")]
    [InlineData("2004-01-01", "9.25")]
    [InlineData("2013-06-30", "8.50")]
    [InlineData("2013-07-01", "9.50")]
    [InlineData("2022-07-01", "9.25")]
    [InlineData("2023-01-15", "10.75")]
    [InlineData("2023-12-31", "11.75")]
    [InlineData("2024-02-29", "12.50")]
    [InlineData("2025-06-30", "12.50")]
    [InlineData("2025-07-01", "12.25")]
    [InlineData("2026-01-01", "12.00")]
    [InlineData("2026-06-30", "12.00")]
    public void Rate_on_a_day(string day, string rate)
    {
        var lookup = Table.RateOn(D(day));
        Assert.False(lookup.IsMissing);
        Assert.Equal(M(rate), lookup.RatePercent);
        Assert.True(lookup.CoveredUntil >= D(day));
        Assert.Equal(lookup.Row, Table.RateOn(lookup.CoveredUntil).Row);
        if (lookup.CoveredUntil < Table.KnownUntil) Assert.NotEqual(lookup.Row, Table.RateOn(lookup.CoveredUntil.AddDays(1)).Row);
    }

    [Fact]
    public void A_day_after_the_last_known_half_year_is_missing_never_guessed()
    {
        var lookup = Table.RateOn(D("2026-07-01"));
        Assert.True(lookup.IsMissing);
        Assert.Null(lookup.Row);
        Assert.Equal(DateOnly.MaxValue, lookup.CoveredUntil);
        var ex = Assert.Throws<InvalidOperationException>(() => lookup.RatePercent);
        Assert.Contains("2026-07-01", ex.Message, StringComparison.Ordinal);
        var before = Table.RateOn(D("1993-12-31"));
        Assert.True(before.IsMissing);
        Assert.Equal(D("1993-12-31"), before.CoveredUntil);
    }

    [Fact]
    public void The_1994_row_covers_1994_to_2003_and_rows_from_2026_one_half_year()
    {
        Assert.Equal(D("2003-12-31"), Table.RateOn(D("1999-05-05")).CoveredUntil);
        Assert.Equal(D("2026-06-30"), Table.RateOn(D("2026-01-01")).CoveredUntil);
        var extended = new InterestRateTable([.. Table.Rows, new InterestRateRow(D("2026-07-01"), 11.75m, null, RateCertainty.Unverified, "test")]);
        Assert.Equal(D("2026-12-31"), extended.KnownUntil);
        Assert.Equal(11.75m, extended.RateOn(D("2026-12-31")).RatePercent);
        Assert.Equal(D("2026-06-30"), extended.RateOn(D("2026-01-01")).CoveredUntil);
    }

    /// <summary>The legal scenarios' own table must be the one we ship (rates, compensation, known-until).</summary>
    [Fact]
    public void Default_table_agrees_with_the_legal_scenarios_tables()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestData.PathOf("legal-scenarios", "scenarios.json")));
        var tables = doc.RootElement.GetProperty("tables");
        foreach (var r in tables.GetProperty("late_interest").EnumerateArray())
        {
            var row = Table.RateOn(D(r.GetProperty("from").GetString()!)).Row!;
            Assert.Equal(D(r.GetProperty("from").GetString()!), row.From);
            Assert.Equal(M(r.GetProperty("rate_percent").GetString()!), row.RatePercent);
        }
        foreach (var r in tables.GetProperty("standard_compensation").EnumerateArray())
        {
            var nok = r.GetProperty("nok");
            var row = Table.RateOn(D(r.GetProperty("from").GetString()!)).Row;
            if (nok.ValueKind == JsonValueKind.Null) Assert.Null(row?.StandardCompensationNok);
            else Assert.Equal(M(nok.GetString()!), row!.StandardCompensationNok);
        }
        Assert.Equal(D(tables.GetProperty("late_interest_known_until").GetString()!), Table.KnownUntil);
    }

    [Fact]
    public void Parse_reads_quoted_fields_any_column_order_a_bom_and_ignores_unknown_columns()
    {
        const string csv = "\uFEFFcertainty,extra,from,rate_percent,source,standard_compensation_nok\n" +
                           "verified,x,2025-01-01,12.50,\"lovdata, FOR-2024-12-19-3279 \"\"3279\"\"\",470\n" +
                           "\n" +
                           "Unverified,y,2025-07-01,12.25,derived,\n";
        var result = InterestRateTable.Parse(new StringReader(csv), "rates.csv");
        Assert.True(result.Success, string.Join("; ", result.Errors));
        Assert.Empty(result.Errors);
        var rows = result.Table!.Rows;
        Assert.Equal(2, rows.Count);
        Assert.Equal("lovdata, FOR-2024-12-19-3279 \"3279\"", rows[0].Source);
        Assert.Equal(470m, rows[0].StandardCompensationNok);
        Assert.Null(rows[1].StandardCompensationNok);
        Assert.Equal(RateCertainty.Unverified, rows[1].Certainty);
        Assert.Equal(D("2025-12-31"), result.Table.KnownUntil);
    }

    [Fact]
    public void Parse_lists_every_bad_value_with_file_line_column_and_what_was_expected()
    {
        const string csv = "from,rate_percent,standard_compensation_nok,certainty,source\n" +
                           "2015-01-01,9.25,,secondary,a\n" +    // 2
                           "2015-02-01,9.25,,secondary,a\n" +    // 3 not a half-year start
                           "31.12.2015,9.25,,secondary,a\n" +    // 4 not yyyy-mm-dd
                           "2016-07-01,9.25,,secondary,a\n" +    // 5 skips 2015-07-01 and 2016-01-01
                           "2016-07-01,9.25,,secondary,a\n" +    // 6 duplicate
                           "2017-01-01,12,5,-1,sure,\n" +        // 7 six fields
                           "2017-01-01,abc,-1,sure,\n" +         // 8 rate, compensation, certainty, source
                           "2017-07-01,9.25,,secondary,\"open\n"; // 9 unterminated quote
        var result = InterestRateTable.Parse(new StringReader(csv), "rates.csv");
        Assert.False(result.Success);
        Assert.Null(result.Table);
        var e = result.Errors.Select(x => (x.Line, x.Column, x.RawValue)).ToList();
        Assert.Equal(
        [
            (3, "from", "2015-02-01"),
            (4, "from", "31.12.2015"),
            (5, "from", "2016-07-01"),
            (6, "from", "2016-07-01"),
            (7, null, "2017-01-01,12,5,-1,sure,"),
            (8, "rate_percent", "abc"),
            (8, "standard_compensation_nok", "-1"),
            (8, "certainty", "sure"),
            (8, "source", ""),
            (9, null, "2017-07-01,9.25,,secondary,\"open"),
        ], e);
        Assert.All(result.Errors, x => Assert.Equal("rates.csv", x.File));
        Assert.Contains("half-year start", result.Errors[0].Expected, StringComparison.Ordinal);
        Assert.Contains("yyyy-mm-dd", result.Errors[1].Expected, StringComparison.Ordinal);
        Assert.Contains("expected the next half-year, 2015-07-01", result.Errors[2].Expected, StringComparison.Ordinal);
        Assert.Contains("after the previous row (2016-07-01)", result.Errors[3].Expected, StringComparison.Ordinal);
        Assert.Contains("5 fields", result.Errors[4].Expected, StringComparison.Ordinal);
        Assert.Contains("closing quote", result.Errors[9].Expected, StringComparison.Ordinal);
        Assert.Equal("rates.csv:8: column rate_percent: \"abc\": expected an annual rate in percent from 0 to below 100, e.g. 12.50", result.Errors[5].ToString());
    }

    [Theory]
    [InlineData("", 1, "header line")]
    [InlineData("from,rate_percent,source\n", 1, "certainty")]
    [InlineData("from,rate_percent,certainty,source\n", 1, "at least one rate row")]
    public void Parse_reports_a_missing_header_or_no_rows(string csv, int line, string expected)
    {
        var result = InterestRateTable.Parse(new StringReader(csv), "r.csv");
        var error = Assert.Single(result.Errors);
        Assert.Equal(line, error.Line);
        Assert.Contains(expected, error.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_before_2004_may_span_several_years_but_later_half_years_may_not_be_skipped()
    {
        var ok = new InterestRateTable([
            new(D("1994-01-01"), 12m, null, RateCertainty.Secondary, "s"),
            new(D("2004-01-01"), 9.25m, null, RateCertainty.Secondary, "s")]);
        Assert.Equal(12m, ok.RateOn(D("2003-06-01")).RatePercent);
        var ex = Assert.Throws<ArgumentException>(() => new InterestRateTable([
            new(D("2004-01-01"), 9.25m, null, RateCertainty.Secondary, "s"),
            new(D("2005-01-01"), 8.75m, null, RateCertainty.Secondary, "s")]));
        Assert.Contains("2004-07-01", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new InterestRateTable([]));
        Assert.Throws<ArgumentException>(() => new InterestRateTable([new(D("2004-03-01"), 9m, null, RateCertainty.Secondary, "s")]));
        Assert.Throws<ArgumentException>(() => new InterestRateTable([new(D("2004-01-01"), -1m, null, RateCertainty.Secondary, "s")]));
        Assert.Throws<ArgumentException>(() => new InterestRateTable([new(D("2004-01-01"), 9m, null, RateCertainty.Secondary, " ")]));
    }
}
