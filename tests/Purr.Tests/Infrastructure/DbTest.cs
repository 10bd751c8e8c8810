using Microsoft.Extensions.Time.Testing;
using Purr.Data;
using Purr.Features.Common;

namespace Purr.Tests.Infrastructure;

/// <summary>
/// Base for tests that run against a real database. Each test class is declared twice, once per provider
/// (…_Sqlite and …_Postgres), so the same tests run on SQLite and on PostgreSQL.
/// </summary>
public abstract class DbTest<TDb>(TDb fixture) : IClassFixture<TDb>, IAsyncLifetime where TDb : DatabaseFixture
{
    protected string Spec { get; private set; } = "";
    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2000, 1, 1, 9, 0, 0, TimeSpan.Zero));
    protected Actor Actor { get; } = new("test");
    protected CancellationToken Ct => TestContext.Current.CancellationToken;
    protected string Provider => fixture.Provider;
    protected TDb Fixture => fixture;

    public async ValueTask InitializeAsync() => Spec = await fixture.NewDatabaseAsync();
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Opens a new context on this test's database (unscoped; handlers scope it to a creditor).</summary>
    protected Task<PurrDbContext> OpenAsync() => PurrDatabase.OpenAsync(Spec, Ct);

    /// <summary>Sets "today" (Oslo) for the handlers.</summary>
    protected void Today(int y, int m, int d) => Clock.SetUtcNow(new DateTimeOffset(y, m, d, 9, 0, 0, TimeSpan.Zero));

    protected static string Data(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "data", .. parts]);
}
