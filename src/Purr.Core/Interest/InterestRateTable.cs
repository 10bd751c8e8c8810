using System.Globalization;
using System.Text;
using Purr.Core.Formats;

namespace Purr.Core.Interest;

/// <summary>
/// The statutory late-payment interest rate (forsinkelsesrente) by half-year, with the § 3a standard compensation.
/// </summary>
/// <remarks>
/// <para>Forsinkelsesrenteloven § 3: the ministry fixes the rate every half-year, from 1 January and 1 July (Norges Bank's
/// policy rate + at least 8 percentage points since 2013-07-01, 7 before). Since 2004-01-01 every half-year has its own
/// row, so rows from 2004 must be consecutive half-years. Before 2004 a row stays in force until the next (the 1994 row,
/// 12.00 %, covers 1994–2003).</para>
/// <para>Never guess: the last row covers only its own half-year. A day after <see cref="KnownUntil"/> or before the first
/// row has no rate (<see cref="RateLookup.IsMissing"/>). Source: NORWAY-RULES §2.1–2.2.</para>
/// </remarks>
public sealed class InterestRateTable
{
    /// <summary>From this date the rate is fixed every half-year, so no half-year may be skipped.</summary>
    public static readonly DateOnly HalfYearlyFrom = new(2004, 1, 1);

    private const string ResourceName = "Purr.Core.Interest.forsinkelsesrente.csv";
    private static readonly Lazy<InterestRateTable> DefaultTable = new(LoadDefault);
    private static readonly string[] RequiredColumns = ["from", "rate_percent", "certainty", "source"];

    private readonly InterestRateRow[] rows;

    /// <summary>Creates a table from rows in date order.</summary>
    /// <exception cref="ArgumentException">The rows are empty, out of order, not on half-year starts, skip a half-year from 2004, or have a negative rate or amount.</exception>
    public InterestRateTable(IEnumerable<InterestRateRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        this.rows = [.. rows];
        if (this.rows.Length == 0) throw new ArgumentException("a rate table needs at least one row", nameof(rows));
        for (var i = 0; i < this.rows.Length; i++)
        {
            var problem = RowProblem(this.rows[i]) ?? OrderProblem(i > 0 ? this.rows[i - 1].From : null, this.rows[i].From);
            if (problem is not null) throw new ArgumentException($"row {i + 1} ({this.rows[i].From:yyyy-MM-dd}): {problem}", nameof(rows));
        }
    }

    /// <summary>
    /// The table shipped with Purr (embedded <c>Interest/forsinkelsesrente.csv</c>, derived from the shared data
    /// file and NORWAY-RULES §2.2/2.4): 1994-01-01 to 2026-06-30. Rows 2024-07-01 and 2025-07-01 are
    /// <see cref="RateCertainty.Unverified"/>.
    /// </summary>
    public static InterestRateTable Default => DefaultTable.Value;

    /// <summary>
    /// Creates a table, or says why the rows do not make one (empty, out of order, not on half-year starts, a skipped
    /// half-year from 2004, a negative rate or amount, no source). Never throws on bad rows.
    /// </summary>
    /// <param name="rows">The rows in any order; two rows for the same half-year are a problem.</param>
    /// <param name="table">The table, or null.</param>
    /// <param name="problem">What is wrong, naming the row's date, or null.</param>
    public static bool TryCreate(IEnumerable<InterestRateRow> rows, out InterestRateTable? table, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var sorted = rows.OrderBy(r => r.From).ToArray();
        table = null;
        problem = sorted.Length == 0 ? "a rate table needs at least one row" : null;
        for (var i = 0; i < sorted.Length && problem is null; i++)
        {
            var p = RowProblem(sorted[i]) ?? OrderProblem(i > 0 ? sorted[i - 1].From : null, sorted[i].From);
            if (p is not null) problem = $"{sorted[i].From:yyyy-MM-dd}: {p}";
        }
        if (problem is not null) return false;
        table = new InterestRateTable(sorted);
        return true;
    }

    /// <summary>
    /// This table with <paramref name="overrides"/> put in: a row for a half-year this table has replaces that row; a row
    /// for another half-year is added. The result must still be a valid table (see <see cref="TryCreate"/>).
    /// </summary>
    /// <param name="overrides">Rows to put in; at most one per half-year.</param>
    /// <param name="table">The combined table, or null.</param>
    /// <param name="problem">Why the combination is not a table, or null.</param>
    public bool TryOverlay(IEnumerable<InterestRateRow> overrides, out InterestRateTable? table, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var byFrom = rows.ToDictionary(r => r.From);
        var seen = new HashSet<DateOnly>();
        foreach (var row in overrides)
        {
            if (!seen.Add(row.From))
            {
                table = null;
                problem = $"{row.From:yyyy-MM-dd}: two rows for the same half-year";
                return false;
            }
            byFrom[row.From] = row;
        }
        return TryCreate(byFrom.Values, out table, out problem);
    }

    /// <summary>The rows in date order.</summary>
    public IReadOnlyList<InterestRateRow> Rows => rows;

    /// <summary>The first day with a known rate.</summary>
    public DateOnly KnownFrom => rows[0].From;

    /// <summary>The last day with a known rate: the end of the last row's half-year.</summary>
    public DateOnly KnownUntil => HalfYearEnd(rows[^1].From);

    /// <summary>The first day of the half-year containing <paramref name="day"/> (1 January or 1 July).</summary>
    public static DateOnly HalfYearStart(DateOnly day) => new(day.Year, day.Month <= 6 ? 1 : 7, 1);

    /// <summary>The last day of the half-year containing <paramref name="day"/> (30 June or 31 December).</summary>
    public static DateOnly HalfYearEnd(DateOnly day) => day.Month <= 6 ? new(day.Year, 6, 30) : new(day.Year, 12, 31);

    /// <summary>The rate in force on <paramref name="day"/>, or missing when the table does not cover it.</summary>
    public RateLookup RateOn(DateOnly day)
    {
        if (day < rows[0].From) return new RateLookup(day, null, rows[0].From.AddDays(-1));
        if (day > KnownUntil) return new RateLookup(day, null, DateOnly.MaxValue);
        int lo = 0, hi = rows.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (rows[mid].From <= day) lo = mid; else hi = mid - 1;
        }
        var until = lo + 1 < rows.Length ? rows[lo + 1].From.AddDays(-1) : KnownUntil;
        return new RateLookup(day, rows[lo], until);
    }

    /// <summary>
    /// Reads a table from CSV text with a header line. Columns (any order, names case-insensitive): <c>from</c>
    /// (yyyy-MM-dd, a half-year start), <c>rate_percent</c> (invariant decimal, e.g. 12.50), optional
    /// <c>standard_compensation_nok</c> (empty = unknown), <c>certainty</c> (verified, secondary, derived, unverified),
    /// <c>source</c>, optional <c>note</c>; other columns are ignored. Fields may be quoted ("..." with "" for a quote).
    /// Never throws on bad data: every problem is returned as a located <see cref="InputError"/>, and then no table.
    /// </summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="fileName">The file name to put in errors.</param>
    public static InterestRateTableParseResult Parse(TextReader reader, string fileName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(fileName);
        var errors = new List<InputError>();
        var parsed = new List<InterestRateRow>();
        var headerLine = reader.ReadLine();
        var lineNo = 1;
        if (headerLine is null)
            return new(null, [new InputError(fileName, 1, null, null, "expected a header line: from,rate_percent,standard_compensation_nok,certainty,source")]);
        var header = SplitCsvLine(headerLine.TrimStart('\uFEFF'), out var headerError);
        if (headerError is not null)
            return new(null, [new InputError(fileName, 1, null, headerLine, headerError)]);
        var index = header.Select((h, i) => (Name: h.Trim().ToLowerInvariant(), i)).GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.First().i);
        var missing = RequiredColumns.Where(c => !index.ContainsKey(c)).ToList();
        if (missing.Count > 0)
            return new(null, [new InputError(fileName, 1, null, headerLine, $"expected the column(s) {string.Join(", ", missing)} in the header")]);

        DateOnly? previous = null;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNo++;
            if (line.Trim().Length == 0) continue;
            var fields = SplitCsvLine(line, out var splitError);
            if (splitError is not null) { errors.Add(new InputError(fileName, lineNo, null, line, splitError)); continue; }
            if (fields.Count != header.Count)
            { errors.Add(new InputError(fileName, lineNo, null, line, $"expected {header.Count} fields as in the header, found {fields.Count}")); continue; }
            string Field(string column) => index.TryGetValue(column, out var i) ? fields[i].Trim() : "";
            var before = errors.Count;

            var fromText = Field("from");
            DateOnly from = default;
            if (!DateOnly.TryParseExact(fromText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out from))
                errors.Add(new InputError(fileName, lineNo, "from", fromText, "expected a date yyyy-mm-dd"));
            else if (from != HalfYearStart(from))
                errors.Add(new InputError(fileName, lineNo, "from", fromText, "expected a half-year start (yyyy-01-01 or yyyy-07-01)"));
            else if (OrderProblem(previous, from) is { } orderProblem)
                errors.Add(new InputError(fileName, lineNo, "from", fromText, orderProblem));

            var rateText = Field("rate_percent");
            if (!TryDecimal(rateText, out var rate) || rate < 0m || rate >= 100m)
                errors.Add(new InputError(fileName, lineNo, "rate_percent", rateText, "expected an annual rate in percent from 0 to below 100, e.g. 12.50"));

            var compText = Field("standard_compensation_nok");
            decimal? comp = null;
            if (compText.Length > 0)
            {
                if (TryDecimal(compText, out var c) && c >= 0m) comp = c;
                else errors.Add(new InputError(fileName, lineNo, "standard_compensation_nok", compText, "expected an amount in NOK (e.g. 470) or nothing when unknown"));
            }

            var certaintyText = Field("certainty");
            RateCertainty? certainty = certaintyText.ToLowerInvariant() switch
            {
                "verified" => RateCertainty.Verified,
                "secondary" => RateCertainty.Secondary,
                "derived" => RateCertainty.Derived,
                "unverified" => RateCertainty.Unverified,
                _ => null,
            };
            if (certainty is null)
                errors.Add(new InputError(fileName, lineNo, "certainty", certaintyText, "expected verified, secondary, derived or unverified"));

            var source = Field("source");
            if (source.Length == 0)
                errors.Add(new InputError(fileName, lineNo, "source", source, "expected where the rate comes from (a URL or regulation reference)"));

            // Later rows are checked against the latest well-formed date, so one gap gives one error, not a cascade.
            if (from != default && from == HalfYearStart(from) && (previous is null || from > previous)) previous = from;
            if (errors.Count == before)
                parsed.Add(new InterestRateRow(from, rate, comp, certainty!.Value, source, Field("note")));
        }
        if (errors.Count == 0 && parsed.Count == 0)
            errors.Add(new InputError(fileName, lineNo, null, null, "expected at least one rate row after the header"));
        return errors.Count > 0 ? new(null, errors) : new(new InterestRateTable(parsed), []);
    }

    private static string? RowProblem(InterestRateRow row)
    {
        if (row.From != HalfYearStart(row.From)) return "expected a half-year start (yyyy-01-01 or yyyy-07-01)";
        if (row.RatePercent < 0m || row.RatePercent >= 100m) return "expected an annual rate in percent from 0 to below 100";
        if (row.StandardCompensationNok < 0m) return "expected a standard compensation of 0 or more";
        if (!Enum.IsDefined(row.Certainty)) return "expected a defined certainty";
        if (string.IsNullOrWhiteSpace(row.Source)) return "expected where the rate comes from";
        return null;
    }

    private static string? OrderProblem(DateOnly? previous, DateOnly from)
    {
        if (previous is not { } prev) return null;
        if (from <= prev) return $"expected a date after the previous row ({prev:yyyy-MM-dd}); rows go in date order, once each";
        if (from > HalfYearlyFrom && from.AddMonths(-6) != prev)
            return $"expected the next half-year, {prev.AddMonths(6):yyyy-MM-dd}: from 2004 the rate is fixed every half-year, so a gap would leave days without a rate";
        return null;
    }

    private static bool TryDecimal(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);

    /// <summary>Splits one CSV record (RFC 4180 quoting, no line breaks inside fields).</summary>
    private static List<string> SplitCsvLine(string line, out string? error)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        error = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"' && field.Length == 0) quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        if (quoted) error = "expected a closing quote (\") before the end of the line";
        fields.Add(field.ToString());
        return fields;
    }

    private static InterestRateTable LoadDefault()
    {
        using var stream = typeof(InterestRateTable).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from {typeof(InterestRateTable).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var result = Parse(reader, "forsinkelsesrente.csv (embedded)");
        return result.Table ?? throw new InvalidOperationException("the embedded rate table is invalid: " + string.Join("; ", result.Errors));
    }
}

/// <summary>The outcome of <see cref="InterestRateTable.Parse"/>: a table, or every error found.</summary>
/// <param name="Table">The table when there were no errors.</param>
/// <param name="Errors">Every problem, located by file, line and column.</param>
public sealed record InterestRateTableParseResult(InterestRateTable? Table, IReadOnlyList<InputError> Errors)
{
    /// <summary>True when the table was read without errors.</summary>
    public bool Success => Table is not null;
}
