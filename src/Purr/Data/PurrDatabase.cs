using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Purr.Data;

/// <summary>
/// Opens the ledger from one "database spec": a SQLite file path (default <c>purr.db</c>) or a PostgreSQL
/// connection string (<c>Host=...</c> or a <c>postgres://</c> URL). The database is created and migrated on first use.
/// </summary>
public static class PurrDatabase
{
    /// <summary>True when the spec names a PostgreSQL server rather than a SQLite file.</summary>
    public static bool IsPostgres(string spec) =>
        spec.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
        spec.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) ||
        spec.Contains("Host=", StringComparison.OrdinalIgnoreCase);

    /// <summary>Creates a context for the spec without touching the database.</summary>
    public static PurrDbContext Create(string spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        if (IsPostgres(spec))
        {
            var cs = spec.Contains("://", StringComparison.Ordinal) ? FromUrl(spec) : spec;
            var o = new DbContextOptionsBuilder<PostgresPurrDbContext>()
                .UseNpgsql(cs, n => n.MigrationsAssembly(typeof(PurrDatabase).Assembly.FullName))
                .Options;
            return new PostgresPurrDbContext(o);
        }
        var path = spec.StartsWith("Data Source=", StringComparison.OrdinalIgnoreCase) ? new SqliteConnectionStringBuilder(spec).DataSource : spec;
        var csb = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 60 };
        var so = new DbContextOptionsBuilder<SqlitePurrDbContext>()
            .UseSqlite(csb.ToString())
            .AddInterceptors(SqlitePragmas.Instance)
            .Options;
        return new SqlitePurrDbContext(so);
    }

    /// <summary>Creates a context and applies any pending migrations (creating the SQLite file if needed).</summary>
    public static async Task<PurrDbContext> OpenAsync(string spec, CancellationToken ct = default)
    {
        var db = Create(spec);
        await db.Database.MigrateAsync(ct);
        // WAL lets readers work while the run writes; it is a property of the file, so setting it once suffices.
        if (db is SqlitePurrDbContext) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        return db;
    }

    private static string FromUrl(string url)
    {
        var u = new Uri(url);
        var userInfo = u.UserInfo.Split(':', 2);
        var parts = new List<string> { $"Host={u.Host}", $"Port={(u.Port > 0 ? u.Port : 5432)}", $"Database={u.AbsolutePath.Trim('/')}" };
        if (userInfo.Length > 0 && userInfo[0].Length > 0) parts.Add($"Username={Uri.UnescapeDataString(userInfo[0])}");
        if (userInfo.Length > 1) parts.Add($"Password={Uri.UnescapeDataString(userInfo[1])}");
        return string.Join(';', parts);
    }
}

/// <summary>
/// Per-connection SQLite settings, applied every time a connection opens (pooling is off, so each context's
/// connection is new): NORMAL sync is durable with WAL, and foreign keys are enforced. The page cache stays at SQLite's
/// default (2 MB): a 32 MiB cache was tried and cost ~35 MB of resident memory in a large payment import; its effect on
/// speed could not be told apart from the shared machine's noise.
/// </summary>
internal sealed class SqlitePragmas : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();
    private const string Sql = "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";

    public override void ConnectionOpened(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Sql;
        cmd.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = Sql;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>Design-time factory for <c>dotnet ef migrations add --context SqlitePurrDbContext</c>.</summary>
public sealed class SqliteDesignFactory : IDesignTimeDbContextFactory<SqlitePurrDbContext>
{
    public SqlitePurrDbContext CreateDbContext(string[] args) => (SqlitePurrDbContext)PurrDatabase.Create("design.db");
}

/// <summary>Design-time factory for <c>dotnet ef migrations add --context PostgresPurrDbContext</c>.</summary>
public sealed class PostgresDesignFactory : IDesignTimeDbContextFactory<PostgresPurrDbContext>
{
    public PostgresDesignFactory() { }
    public PostgresPurrDbContext CreateDbContext(string[] args) =>
        (PostgresPurrDbContext)PurrDatabase.Create("Host=localhost;Database=purr_design;Username=postgres");
}
