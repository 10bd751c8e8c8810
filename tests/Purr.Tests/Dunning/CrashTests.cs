using Microsoft.EntityFrameworkCore;
using Purr.Data;
using Purr.Tests.Infrastructure;

namespace Purr.Tests.Dunning;

public sealed class CrashTests_Sqlite(SqliteFixture f) : CrashTests<SqliteFixture>(f);
public sealed class CrashTests_Postgres(PostgresFixture f) : CrashTests<PostgresFixture>(f);

/// <summary>
/// Exactly once: `purr run` killed at any point — between chunks, inside a chunk before its commit, or by SIGKILL at
/// a random moment — and run again creates every due notice and letter exactly once, the same as one clean run.
/// </summary>
public abstract class CrashTests<TDb>(TDb fixture) : DbTest<TDb>(fixture) where TDb : DatabaseFixture
{
    private const string Day = "2026-11-23";
    private static readonly string[] Demo = ["demo", "--seed", "3", "--customers", "80", "--invoices", "800", "--today", Day];

    private async Task<(List<string> Notices, int Letters, int LettersWithoutNotice, int Charges)> SnapshotAsync(string spec)
    {
        await using var db = await Purr.Data.PurrDatabase.OpenAsync(spec, Ct);
        var notices = await db.Notices.Select(n => $"{n.Invoice!.Number}#{n.StepIndex}:{n.Kind}:{n.Fee}:{n.Deadline}:{(n.LetterId == null ? "-" : "L")}").ToListAsync(Ct);
        var letters = await db.Letters.CountAsync(Ct);
        var orphans = await db.Letters.CountAsync(l => !db.Notices.Any(n => n.LetterId == l.Id), Ct);
        var charges = await db.Charges.CountAsync(Ct);
        notices.Sort(StringComparer.Ordinal);
        return (notices, letters, orphans, charges);
    }

    [Fact]
    public async Task A_run_killed_anywhere_and_run_again_creates_every_letter_exactly_once()
    {
        // Reference: the same data, one clean run, in a second database of the same kind.
        var reference = await NewDatabaseAsync();
        Assert.Equal(0, (await PurrProcess.RunAsync(reference, Demo)).ExitCode);
        Assert.Equal(0, (await PurrProcess.RunAsync(reference, "run", "--today", Day)).ExitCode);
        var expected = await SnapshotAsync(reference);
        Assert.True(expected.Notices.Count > 100, $"the demo should have many due steps, got {expected.Notices.Count}");

        Assert.Equal(0, (await PurrProcess.RunAsync(Spec, Demo)).ExitCode);
        var small = new Dictionary<string, string> { ["PURR_RUN_CHUNK"] = "15" };
        // 1. Crash right after the 2nd chunk committed.
        var a = await PurrProcess.RunWithAsync(null, Spec, new Dictionary<string, string>(small) { ["PURR_CRASH_AFTER_CHUNKS"] = "2" }, null, "run", "--today", Day);
        Assert.NotEqual(0, a.ExitCode);
        var afterA = await SnapshotAsync(Spec);
        Assert.InRange(afterA.Notices.Count, 1, expected.Notices.Count - 1);
        // 2. Crash inside the 3rd chunk of the next run, after its writes and before its commit: those writes vanish.
        var b = await PurrProcess.RunWithAsync(null, Spec, new Dictionary<string, string>(small) { ["PURR_CRASH_IN_CHUNK"] = "3" }, null, "run", "--today", Day);
        Assert.NotEqual(0, b.ExitCode);
        var afterB = await SnapshotAsync(Spec);
        Assert.True(afterB.Notices.Count > afterA.Notices.Count);
        Assert.Equal(0, afterB.LettersWithoutNotice);
        // 3. SIGKILL at random moments.
        var rng = new Random(42);
        for (var i = 0; i < 3; i++)
            await PurrProcess.RunWithAsync(null, Spec, small, TimeSpan.FromMilliseconds(rng.Next(200, 2500)), "run", "--today", Day);
        // 4. A clean run finishes the day.
        var final = await PurrProcess.RunAsync(Spec, "run", "--today", Day, "--json");
        Assert.Equal(0, final.ExitCode);
        var after = await SnapshotAsync(Spec);
        Assert.Equal(expected.Notices, after.Notices);
        Assert.Equal(expected.Letters, after.Letters);
        Assert.Equal(expected.Charges, after.Charges);
        Assert.Equal(0, after.LettersWithoutNotice);
        // And once more: nothing new.
        var again = await PurrProcess.RunAsync(Spec, "run", "--today", Day, "--json");
        Assert.Equal(0, again.Json.GetProperty("steps").GetInt32());
    }

    private Task<string> NewDatabaseAsync() => Fixture.NewDatabaseAsync();
}
