using Purr.Features.Creditors;
using Purr.Features.Imports;
using Purr.Jobs;
using Purr.Tests.Infrastructure;

namespace Purr.Tests.Dunning;

public sealed class SchedulerTests_Sqlite(SqliteFixture f) : SchedulerTests<SqliteFixture>(f);
public sealed class SchedulerTests_Postgres(PostgresFixture f) : SchedulerTests<PostgresFixture>(f);

/// <summary>The scheduler runs each creditor once a day at its local time, and one pass catches up after downtime.</summary>
public abstract class SchedulerTests<TDb>(TDb fixture) : DbTest<TDb>(fixture) where TDb : DatabaseFixture
{
    [Fact]
    public async Task Runs_once_a_day_at_the_creditors_local_time_and_catches_up_after_downtime()
    {
        Clock.SetUtcNow(new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero));
        long creditor;
        await using (var db = await OpenAsync())
        {
            creditor = (await AddCreditor.HandleAsync(db, new("Sched AS", null, null, null, null, null, null), Actor, Clock, Ct)).Id;
            await UpdateCreditor.HandleAsync(db, new(creditor, RunAt: "07:30"), Actor, Clock, Ct);
        }
        await using (var db = await OpenAsync())
            await ImportCustomers.HandleAsync(db, new("c.csv", await File.ReadAllBytesAsync(Data("csv", "customers.csv"), Ct), creditor), Actor, Clock, Ct);
        await using (var db = await OpenAsync())
            await ImportInvoices.HandleAsync(db, new("i.csv", await File.ReadAllBytesAsync(Data("csv", "invoices.csv"), Ct), creditor), Actor, Clock, Ct);
        var scheduler = new DunningScheduler(Spec, Clock, new Purr.Features.Common.Actor("scheduler"));

        // 2026-02-03 07:00 Oslo (06:00 UTC): before the creditor's 07:30.
        Clock.SetUtcNow(new DateTimeOffset(2026, 2, 3, 6, 0, 0, TimeSpan.Zero));
        Assert.Empty(await scheduler.RunDueAsync(Ct));
        // 08:00 Oslo: the day's run.
        Clock.SetUtcNow(new DateTimeOffset(2026, 2, 3, 7, 0, 0, TimeSpan.Zero));
        var first = Assert.Single(await scheduler.RunDueAsync(Ct));
        Assert.Equal(new DateOnly(2026, 2, 3), first.Today);
        Assert.Equal(["10001"], first.StepsTaken.Select(s => s.InvoiceNumbers[0]));
        // Later the same day: nothing more.
        Clock.SetUtcNow(new DateTimeOffset(2026, 2, 3, 15, 0, 0, TimeSpan.Zero));
        Assert.Empty(await scheduler.RunDueAsync(Ct));
        // Down for three weeks; the first pass runs today and brings every claim to its state (10002 gets its
        // first reminder; 10001's second step waits for its own deadline counted from its actual send date).
        Clock.SetUtcNow(new DateTimeOffset(2026, 2, 24, 9, 0, 0, TimeSpan.Zero));
        var catchUp = Assert.Single(await scheduler.RunDueAsync(Ct));
        Assert.Equal(new DateOnly(2026, 2, 24), catchUp.Today);
        Assert.Contains(catchUp.StepsTaken, s => s.InvoiceNumbers[0] == "10002" && s.Kind == "reminder");
        Assert.All(catchUp.StepsTaken, s => Assert.Single(catchUp.StepsTaken, x => x.InvoiceId == s.InvoiceId));
    }
}
