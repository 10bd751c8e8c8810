using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Purr.Core;
using Purr.Core.Formats;
using Purr.Core.Formats.Csv;
using Purr.Core.Interest;
using Purr.Data;
using Purr.Features.Common;

namespace Purr.Features.Interest;

/// <summary>One row of the effective rate table as every host shows it.</summary>
/// <param name="From">First day of the row.</param>
/// <param name="To">Last day of the row (the day before the next row, or the end of the last half-year).</param>
/// <param name="RatePercent">Annual rate in percent, e.g. "12.25".</param>
/// <param name="StandardCompensationNok">§ 3a amount in NOK ("470.00"), or null when not known.</param>
/// <param name="Certainty">verified, secondary, derived or unverified.</param>
/// <param name="Unverified">True when the rules mark the row unverified: show it flagged.</param>
/// <param name="Source">Where the values come from.</param>
/// <param name="Note">Anything else.</param>
/// <param name="Origin">"built_in" (shipped with Purr) or "database" (added with purr rates add|import).</param>
/// <param name="ReplacesBuiltIn">True for a database row that replaces a built-in row for the same half-year.</param>
/// <param name="AddedBy">Who added a database row.</param>
/// <param name="AddedAt">When a database row was added.</param>
public sealed record RateDto(DateOnly From, DateOnly To, string RatePercent, string? StandardCompensationNok, string Certainty, bool Unverified,
    string Source, string? Note, string Origin, bool ReplacesBuiltIn, string? AddedBy, DateTimeOffset? AddedAt);

/// <summary>
/// The effective forsinkelsesrente table: the rows shipped with Purr (<see cref="InterestRateTable.Default"/>) overlaid with
/// the rows in the <c>interest_rates</c> table. A database row for a half-year the shipped table has replaces it.
/// Every use of interest (calculation, dunning run, letters, interest notes, § 3a) loads the table here.
/// </summary>
public static class LoadRateTable
{
    /// <summary>Loads the effective table.</summary>
    /// <exception cref="InvalidOperationException">The stored rows do not combine into a table (only possible when edited by hand).</exception>
    public static async Task<InterestRateTable> HandleAsync(PurrDbContext db, CancellationToken ct)
    {
        var stored = await db.InterestRates.AsNoTracking().ToListAsync(ct);
        if (stored.Count == 0) return InterestRateTable.Default;
        if (!InterestRateTable.Default.TryOverlay(stored.Select(Rates.ToRow), out var table, out var problem))
            throw new InvalidOperationException($"the interest_rates table does not combine with the built-in rates: {problem}");
        return table!;
    }
}

/// <summary>Conversions and formats shared by the rate handlers.</summary>
public static class Rates
{
    /// <summary>The certainty words used in files, the database and JSON.</summary>
    public static readonly string[] Certainties = ["verified", "secondary", "derived", "unverified"];

    public static string Word(RateCertainty c) => c.ToString().ToLowerInvariant();

    public static RateCertainty? ParseCertainty(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "verified" => RateCertainty.Verified,
        "secondary" => RateCertainty.Secondary,
        "derived" => RateCertainty.Derived,
        "unverified" => RateCertainty.Unverified,
        _ => null,
    };

    /// <summary>A rate as shown: at least two decimals, e.g. "12.25", "9.5" → "9.50", "8.125" stays.</summary>
    public static string Percent(decimal rate) => rate.ToString("0.00##", CultureInfo.InvariantCulture);

    internal static InterestRateRow ToRow(InterestRate r) =>
        new(r.From, r.RatePercent, r.StandardCompensationNok, ParseCertainty(r.Certainty) ?? RateCertainty.Unverified, r.Source, r.Note ?? "");

    internal static bool SameValues(InterestRateRow a, InterestRateRow b) =>
        a.From == b.From && a.RatePercent == b.RatePercent && a.StandardCompensationNok == b.StandardCompensationNok &&
        a.Certainty == b.Certainty && a.Source == b.Source && (a.Note ?? "") == (b.Note ?? "");

    internal static async Task<IReadOnlyList<RateDto>> EffectiveRowsAsync(PurrDbContext db, CancellationToken ct)
    {
        var stored = (await db.InterestRates.AsNoTracking().ToListAsync(ct)).ToDictionary(r => r.From);
        var table = await LoadRateTable.HandleAsync(db, ct);
        var builtIn = InterestRateTable.Default.Rows.Select(r => r.From).ToHashSet();
        var rows = table.Rows;
        return rows.Select((r, i) =>
        {
            stored.TryGetValue(r.From, out var s);
            var to = i + 1 < rows.Count ? rows[i + 1].From.AddDays(-1) : table.KnownUntil;
            return new RateDto(r.From, to, Percent(r.RatePercent), r.StandardCompensationNok is { } nok ? Money.Nok(nok).ToDecimalString() : null,
                Word(r.Certainty), r.Certainty == RateCertainty.Unverified, r.Source, r.Note.Length > 0 ? r.Note : null,
                s is null ? "built_in" : "database", s is not null && builtIn.Contains(r.From), s?.AddedBy, s?.AddedAt);
        }).ToList();
    }

    /// <summary>
    /// Puts rows into the database after checking that they combine with the effective table: new half-years are
    /// added, a changed half-year is replaced, an identical one is left alone (so the same rows twice change nothing).
    /// </summary>
    internal static async Task<(int Added, int Replaced, int Unchanged, InterestRateTable Table)> StoreAsync(
        PurrDbContext db, IReadOnlyList<InterestRateRow> rows, Func<InterestRateRow, string?, InputError> located, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var current = await LoadRateTable.HandleAsync(db, ct);
        if (!current.TryOverlay(rows, out var combined, out var problem))
        {
            var bad = rows.FirstOrDefault(r => problem!.StartsWith(r.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), StringComparison.Ordinal)) ?? rows[0];
            throw new RejectedInputException([located(bad, problem)]);
        }
        var stored = (await db.InterestRates.ToListAsync(ct)).ToDictionary(r => r.From);
        int added = 0, replaced = 0, unchanged = 0;
        var now = clock.GetUtcNow();
        foreach (var row in rows)
        {
            var existing = current.RateOn(row.From).Row;
            if (existing is not null && existing.From == row.From && SameValues(existing, row)) { unchanged++; continue; }
            if (existing is not null && existing.From == row.From) replaced++; else added++;
            if (!stored.TryGetValue(row.From, out var entity))
            {
                entity = new InterestRate { From = row.From, Certainty = "", Source = "", AddedBy = actor.Name };
                db.InterestRates.Add(entity);
                stored[row.From] = entity;
            }
            entity.RatePercent = row.RatePercent;
            entity.StandardCompensationNok = row.StandardCompensationNok;
            entity.Certainty = Word(row.Certainty);
            entity.Source = row.Source;
            entity.Note = row.Note.Length > 0 ? row.Note : null;
            entity.AddedBy = actor.Name;
            entity.AddedAt = now;
        }
        await db.SaveChangesAsync(ct);
        return (added, replaced, unchanged, combined!);
    }
}

/// <summary>Lists the effective rate table, row by row, with certainty (unverified rows flagged) and origin.</summary>
public static class ListRates
{
    public sealed record Result(IReadOnlyList<RateDto> Rows, DateOnly KnownFrom, DateOnly KnownUntil, int UnverifiedRows);

    public static async Task<Result> HandleAsync(PurrDbContext db, CancellationToken ct)
    {
        var rows = await Rates.EffectiveRowsAsync(db, ct);
        return new Result(rows, rows[0].From, rows[^1].To, rows.Count(r => r.Unverified));
    }
}

/// <summary>
/// Adds (or replaces) one half-year of the rate table: a new half-year takes effect without a release. Checked as a
/// whole: a half-year start, a rate from 0 to 50, a source, and no gap after the last known half-year.
/// </summary>
public static class AddRate
{
    /// <param name="From">yyyy-01-01 or yyyy-07-01.</param>
    /// <param name="Rate">Annual rate in percent ("12.25" or "12,25").</param>
    /// <param name="Compensation">§ 3a standard compensation in NOK, or null when not known.</param>
    /// <param name="Source">Where the rate comes from (required).</param>
    /// <param name="Certainty">verified, secondary, derived or unverified; default unverified.</param>
    /// <param name="Note">Optional note.</param>
    public sealed record Command(string From, string Rate, string? Compensation, string? Source, string? Certainty = null, string? Note = null);

    /// <param name="Row">The row as it is now in force.</param>
    /// <param name="Action">"added", "replaced" or "unchanged".</param>
    /// <param name="KnownUntil">The last day with a known rate after the change.</param>
    public sealed record Result(RateDto Row, string Action, DateOnly KnownUntil);

    public static async Task<Result> HandleAsync(PurrDbContext db, Command cmd, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var errors = new List<InputError>();
        InputError Arg(string name, string? raw, string expected) => new("(command)", 0, name, raw, expected);
        if (!DateOnly.TryParseExact(cmd.From?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from))
            errors.Add(Arg("--from", cmd.From, "expected a date YYYY-MM-DD (a half-year start: YYYY-01-01 or YYYY-07-01)"));
        else if (from != InterestRateTable.HalfYearStart(from))
            errors.Add(Arg("--from", cmd.From, "expected a half-year start: YYYY-01-01 or YYYY-07-01 (the rate is fixed per half-year)"));
        if (!AmountText.TryParse(cmd.Rate, out var rate) || rate < 0m || rate > 50m)
            errors.Add(Arg("--rate", cmd.Rate, "expected an annual rate in percent from 0 to 50, e.g. 12.25"));
        decimal? compensation = null;
        if (cmd.Compensation is not null)
        {
            if (AmountText.TryParse(cmd.Compensation, out var c) && c >= 0m && c <= 100_000m && decimal.Round(c, 2) == c) compensation = c;
            else errors.Add(Arg("--compensation", cmd.Compensation, "expected the standard compensation in NOK, e.g. 470"));
        }
        if (string.IsNullOrWhiteSpace(cmd.Source))
            errors.Add(Arg("--source", cmd.Source, "expected where the rate comes from (the regulation, e.g. FOR-2026-06-20-1234, or a URL)"));
        var certainty = cmd.Certainty is null ? RateCertainty.Unverified : Rates.ParseCertainty(cmd.Certainty);
        if (certainty is null)
            errors.Add(Arg("--certainty", cmd.Certainty, "expected verified, secondary, derived or unverified"));
        if (errors.Count > 0) throw new RejectedInputException(errors);

        var row = new InterestRateRow(from, rate, compensation, certainty!.Value, cmd.Source!.Trim(), cmd.Note?.Trim() ?? "");
        var (added, replaced, _, table) = await Rates.StoreAsync(db, [row], (_, problem) => Arg("--from", cmd.From, "expected a half-year that fits the table: " + problem), actor, clock, ct);
        var shown = (await Rates.EffectiveRowsAsync(db, ct)).Single(r => r.From == from);
        return new Result(shown, added > 0 ? "added" : replaced > 0 ? "replaced" : "unchanged", table.KnownUntil);
    }
}

/// <summary>
/// Imports rate rows from a CSV file in the format of the built-in table (header from, rate_percent,
/// standard_compensation_nok, certainty, source, note). All-or-nothing; rows equal to the table in force change
/// nothing, so the same file twice is harmless.
/// </summary>
public static class ImportRates
{
    public sealed record Command(string FileName, byte[] Content);

    /// <param name="File">The file name.</param>
    /// <param name="Records">Rows in the file.</param>
    /// <param name="Added">New half-years.</param>
    /// <param name="Replaced">Half-years whose values changed.</param>
    /// <param name="Unchanged">Rows equal to the table in force.</param>
    /// <param name="KnownUntil">The last day with a known rate after the import.</param>
    public sealed record Result(string File, int Records, int Added, int Replaced, int Unchanged, DateOnly KnownUntil);

    public static async Task<Result> HandleAsync(PurrDbContext db, Command cmd, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var (text, _) = CsvDialect.Decode(cmd.Content);
        var lines = text.Split('\n');
        var parsed = InterestRateTable.Parse(new StringReader(text), cmd.FileName);
        if (!parsed.Success) throw new RejectedInputException(parsed.Errors);
        var rows = parsed.Table!.Rows;
        var lineOf = LineNumbers(lines, rows);
        var (added, replaced, unchanged, table) = await Rates.StoreAsync(db, rows,
            (row, problem) => new InputError(cmd.FileName, lineOf.GetValueOrDefault(row.From), "from", row.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                "expected a half-year that fits the table in force: " + problem), actor, clock, ct);
        return new Result(cmd.FileName, rows.Count, added, replaced, unchanged, table.KnownUntil);
    }

    // The parser keeps no line numbers on rows; find each row's line again by its leading date, for located errors.
    private static Dictionary<DateOnly, int> LineNumbers(string[] lines, IReadOnlyList<InterestRateRow> rows)
    {
        var result = new Dictionary<DateOnly, int>();
        foreach (var row in rows)
        {
            var iso = row.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var index = Array.FindIndex(lines, l => l.Contains(iso, StringComparison.Ordinal));
            result[row.From] = index >= 0 ? index + 1 : 0;
        }
        return result;
    }
}

/// <summary>Reads amounts typed by a user: "10000", "10 000,00", "10000.00", "10.000,50", "10,000.50".</summary>
public static class AmountText
{
    /// <summary>
    /// The last '.' or ',' followed by one or two digits… is the decimal separator when the other separator also
    /// appears or when only ',' appears; a lone '.' is a decimal point. Spaces are thousands separators.
    /// </summary>
    public static bool TryParse(string? raw, out decimal value)
    {
        value = 0m;
        if (string.IsNullOrWhiteSpace(raw)) return false;
        var s = raw.Trim();
        var comma = s.LastIndexOf(',');
        var dot = s.LastIndexOf('.');
        var dialect = comma > dot ? CsvDialect.Norwegian : CsvDialect.Plain;
        return dialect.TryParseAmount(s, out value);
    }

    /// <summary>A Norwegian display amount: "1234,50".</summary>
    public static string Nb(Money m) => m.ToDecimalString().Replace('.', ',');
}
