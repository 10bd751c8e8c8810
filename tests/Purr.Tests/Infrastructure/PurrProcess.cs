using System.Diagnostics;
using System.Text.Json;

namespace Purr.Tests.Infrastructure;

/// <summary>Runs the real `purr` command (the built Purr.Cli.dll) as a separate process.</summary>
public static class PurrProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;
    }

    public static async Task<Result> RunAsync(string db, params string[] args) => await RunInAsync(null, db, args);

    public static Task<Result> RunInAsync(string? workingDir, string? db, params string[] args) => RunWithAsync(workingDir, db, null, null, args);

    /// <summary>Runs purr with extra environment variables; <paramref name="killAfter"/> kills the process (SIGKILL) after that long.</summary>
    public static async Task<Result> RunWithAsync(string? workingDir, string? db, IReadOnlyDictionary<string, string>? env, TimeSpan? killAfter, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDir is not null) psi.WorkingDirectory = workingDir;
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Purr.Cli.dll"));
        if (db is not null) { psi.ArgumentList.Add("--db"); psi.ArgumentList.Add(db); }
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("PURR_DB");
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (killAfter is { } wait)
        {
            if (!p.WaitForExit(wait)) p.Kill(entireProcessTree: true);
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await p.WaitForExitAsync(timeout.Token);
        return new Result(p.ExitCode, await stdout, await stderr);
    }
}
