using Microsoft.EntityFrameworkCore;
using Npgsql;
using Purr.Data;

namespace Purr.Tests.Infrastructure;

/// <summary>
/// A real database server for a test class. Every test gets its own fresh, migrated database, cloned from a template
/// that is migrated once per test run (a file copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL).
/// </summary>
public abstract class DatabaseFixture : IAsyncLifetime
{
    public abstract string Provider { get; }

    /// <summary>A new empty, migrated database; returns its spec (file path or connection string) for PurrDatabase.</summary>
    public abstract Task<string> NewDatabaseAsync();

    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>SQLite files in a temporary folder.</summary>
public sealed class SqliteFixture : DatabaseFixture
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _template;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "purr-tests", Guid.NewGuid().ToString("N"));

    public override string Provider => "sqlite";

    public override async Task<string> NewDatabaseAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_template is null)
            {
                var path = Path.Combine(Path.GetTempPath(), "purr-tests", $"template-{Environment.ProcessId}-{Guid.NewGuid():N}.db");
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await using (var db = PurrDatabase.Create(path)) await db.Database.MigrateAsync();
                _template = path;
            }
        }
        finally { Gate.Release(); }
        Directory.CreateDirectory(_dir);
        var file = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".db");
        File.Copy(_template, file);
        return file;
    }

    public override ValueTask DisposeAsync()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// A real PostgreSQL server: PURR_TEST_PG (a connection string), by default the private cluster that scripts/test.sh
/// starts on 127.0.0.1:55432. A server that cannot be reached fails the tests; it is never skipped.
/// </summary>
public sealed class PostgresFixture : DatabaseFixture
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _template;
    private readonly List<string> _created = [];

    public static string Server => Environment.GetEnvironmentVariable("PURR_TEST_PG") ?? "Host=127.0.0.1;Port=55432;Username=postgres;Timeout=5";

    public override string Provider => "postgres";

    private static string With(string database) => new NpgsqlConnectionStringBuilder(Server) { Database = database, Pooling = false }.ConnectionString;

    public override async Task<string> NewDatabaseAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_template is null)
            {
                var name = $"purr_tpl_{Environment.ProcessId}_{Guid.NewGuid():N}"[..40];
                await ExecAsync($"CREATE DATABASE \"{name}\"");
                await using (var db = PurrDatabase.Create(With(name))) await db.Database.MigrateAsync();
                NpgsqlConnection.ClearAllPools();
                _template = name;
            }
            var dbName = $"purr_t_{Guid.NewGuid():N}"[..38];
            await ExecAsync($"CREATE DATABASE \"{dbName}\" TEMPLATE \"{_template}\"");
            _created.Add(dbName);
            return With(dbName);
        }
        finally { Gate.Release(); }
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var name in _created)
        {
            try { await ExecAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"); }
            catch (NpgsqlException) { }
        }
    }

    private static async Task ExecAsync(string sql)
    {
        try
        {
            await using var conn = new NpgsqlConnection(With("postgres"));
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand(sql, conn);
            await cmd.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable at '{Server}' ({e.Message}). Run the tests with scripts/test.sh, which starts a private server, or set PURR_TEST_PG.", e);
        }
    }
}
