using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Dunning;

namespace Purr.Jobs;

/// <summary>
/// Runs each creditor's daily dunning run once a day at its configured local time (Europe/Oslo). After downtime
/// the first pass runs today's run, which brings every claim to the right state (one step per claim per run, never
/// two where a deadline must lapse in between). The same handler the CLI and a web host call.
/// </summary>
public sealed class DunningScheduler(string dbSpec, TimeProvider clock, Actor actor)
{
    public async Task<IReadOnlyList<RunDunning.Result>> RunDueAsync(CancellationToken ct, bool ignoreTime = false)
    {
        List<Creditor> creditors;
        Dictionary<long, DateOnly> lastRun;
        await using (var db = await PurrDatabase.OpenAsync(dbSpec, ct))
        {
            creditors = await db.Creditors.AsNoTracking().OrderBy(c => c.Id).ToListAsync(ct);
            lastRun = (await db.Runs.AsNoTracking().Where(r => r.Status != RunStatus.Discarded)
                    .GroupBy(r => r.CreditorId).Select(g => new { g.Key, Last = g.Max(r => r.Today) }).ToListAsync(ct))
                .ToDictionary(x => x.Key, x => x.Last);
        }
        var local = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), BusinessClock.Oslo);
        var today = DateOnly.FromDateTime(local.DateTime);
        var results = new List<RunDunning.Result>();
        foreach (var c in creditors)
        {
            if (lastRun.TryGetValue(c.Id, out var last) && last >= today) continue;
            if (!ignoreTime && TimeOnly.FromDateTime(local.DateTime) < RunTime(c)) continue;
            await using var db = await PurrDatabase.OpenAsync(dbSpec, ct);
            results.Add(await RunDunning.HandleAsync(db, new RunDunning.Command(c.Id, today), actor, clock, ct));
        }
        return results;
    }

    public async Task LoopAsync(Action<RunDunning.Result> onRun, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            foreach (var r in await RunDueAsync(ct)) onRun(r);
            try { await Task.Delay(TimeSpan.FromMinutes(1), clock, ct); }
            catch (OperationCanceledException) { return; }
        }
    }

    private static TimeOnly RunTime(Creditor c) =>
        TimeOnly.TryParseExact(c.RunAt, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : new TimeOnly(6, 0);
}
