using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Purr.Data;
using Purr.Features.Common;
using Spectre.Console;

namespace Purr.Cli;

/// <summary>What every command gets: the database, output mode, the actor, the clock and cancellation.</summary>
public sealed class CliContext(ParseResult parse, PurrDbContext? db, TimeProvider clock, CancellationToken ct)
{
    public ParseResult Parse { get; } = parse;
    public PurrDbContext Db => db ?? throw new InvalidOperationException("this command has no database");
    public TimeProvider Clock { get; } = clock;
    public CancellationToken Ct { get; } = ct;
    public bool Json => Parse.GetValue(GlobalOptions.Json);
    public long? Creditor => Parse.GetValue(GlobalOptions.Creditor);
    public Actor Actor { get; } = Actor.Cli();
    public T? Get<T>(Option<T> o) => Parse.GetValue(o);
    public T? Get<T>(Argument<T> a) => Parse.GetValue(a);

    /// <summary>Shows a progress bar on a terminal (never in --json mode or when output is redirected).</summary>
    public async Task<T> WithProgressAsync<T>(string title, Func<IProgress<(int Done, int Total)>?, Task<T>> work)
    {
        if (Json || Console.IsOutputRedirected) return await work(null);
        T result = default!;
        await AnsiConsole.Progress().AutoClear(true).StartAsync(async p =>
        {
            var task = p.AddTask(title, maxValue: 1);
            result = await work(new Progress<(int Done, int Total)>(x => { task.MaxValue = Math.Max(1, x.Total); task.Value = x.Done; }));
        });
        return result;
    }
}

/// <summary>Options every command understands.</summary>
public static class GlobalOptions
{
    public static readonly Option<string?> Db = new("--db")
    {
        Description = "SQLite file path or PostgreSQL connection string (env PURR_DB; default purr.db in the current folder)",
        Recursive = true,
    };
    public static readonly Option<bool> Json = new("--json") { Description = "Print one JSON document on stdout (snake_case names, amounts as strings, ISO dates)", Recursive = true };
    public static readonly Option<long?> Creditor = new("--creditor") { Description = "Creditor id (needed when there are several)", Recursive = true };
    public static readonly Option<string?> Today = new("--today") { Description = "Act as if today were this date (YYYY-MM-DD), e.g. to rerun a missed day", Recursive = true };
}

/// <summary>Exit codes: 0 ok, 1 usage, 2 rejected input, 3 internal error.</summary>
public static class ExitCodes
{
    public const int Ok = 0, Usage = 1, Rejected = 2, Internal = 3;
}

/// <summary>Writes results: JSON on stdout in --json mode, tables otherwise; errors on stderr.</summary>
public static class Output
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static void Json(object value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, value.GetType(), JsonOptions));

    public static void Error(string message) => Console.Error.WriteLine(message);

    public static Table Table(params string[] columns)
    {
        var t = new Table().Border(TableBorder.Simple);
        foreach (var c in columns)
        {
            var col = new TableColumn(c);
            if (c is "Beløp" or "Åpent" or "Amount" or "Open" or "Kreditsaldo" or "Netto" or "Dager" or "Fakturaer" or "Sum" or "Antall" or "Gebyr") col.RightAligned();
            t.AddColumn(col);
        }
        return t;
    }

    public static string Esc(string? s) => Markup.Escape(s ?? "");
}

/// <summary>Runs a command body with the database opened and errors mapped to exit codes.</summary>
public static class Runner
{
    public static void Handle(Command command, Func<CliContext, Task<int>> body, bool needsDb = true) =>
        command.SetAction((parse, ct) => RunAsync(parse, body, needsDb, ct));

    public static async Task<int> RunAsync(ParseResult parse, Func<CliContext, Task<int>> body, bool needsDb, CancellationToken ct)
    {
        var json = parse.GetValue(GlobalOptions.Json);
        PurrDbContext? db = null;
        try
        {
            var clock = ClockFor(parse);
            if (needsDb) db = await PurrDatabase.OpenAsync(DbSpec(parse), ct);
            return await body(new CliContext(parse, db, clock, ct));
        }
        catch (RejectedInputException e)
        {
            foreach (var err in e.Errors) Output.Error(err.ToString());
            Output.Error($"rejected: {e.Errors.Count} problem(s); nothing was changed");
            if (json) Output.Json(new { error = "rejected", message = $"{e.Errors.Count} problem(s); nothing was changed", errors = e.Errors.Select(x => new { file = x.File, line = x.Line, column = x.Column, xpath = x.XPath, raw_value = x.RawValue, expected = x.Expected, text = x.ToString() }) });
            return ExitCodes.Rejected;
        }
        catch (NotFoundException e)
        {
            Output.Error(e.Message);
            if (json) Output.Json(new { error = "not_found", message = e.Message });
            return ExitCodes.Rejected;
        }
        catch (UsageException e)
        {
            Output.Error(e.Message);
            if (json) Output.Json(new { error = "usage", message = e.Message });
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException)
        {
            Output.Error("cancelled");
            return ExitCodes.Internal;
        }
        catch (Exception e)
        {
            Output.Error($"internal error: {e.GetType().Name}: {e.Message}");
            if (Environment.GetEnvironmentVariable("PURR_DEBUG") == "1") Output.Error(e.ToString());
            if (json) Output.Json(new { error = "internal", message = e.Message });
            return ExitCodes.Internal;
        }
        finally
        {
            if (db is not null) await db.DisposeAsync();
        }
    }

    public static string DbSpec(ParseResult parse) =>
        parse.GetValue(GlobalOptions.Db) ?? Environment.GetEnvironmentVariable("PURR_DB") ?? "purr.db";

    private static TimeProvider ClockFor(ParseResult parse)
    {
        var raw = parse.GetValue(GlobalOptions.Today);
        if (raw is null) return TimeProvider.System;
        if (!DateOnly.TryParseExact(raw, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d))
            throw new UsageException($"--today: '{raw}' is not a date YYYY-MM-DD");
        return new FixedDayClock(d);
    }
}

/// <summary>A usage error found after parsing (exit code 1).</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>A clock standing at noon (Oslo) on a given day, for --today.</summary>
public sealed class FixedDayClock(DateOnly day) : TimeProvider
{
    public override DateTimeOffset GetUtcNow()
    {
        var local = day.ToDateTime(new TimeOnly(12, 0));
        return new DateTimeOffset(local, BusinessClock.Oslo.GetUtcOffset(local)).ToUniversalTime();
    }
    public override TimeZoneInfo LocalTimeZone => BusinessClock.Oslo;
}
