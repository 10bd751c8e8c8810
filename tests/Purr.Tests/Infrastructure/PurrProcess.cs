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

    public static async Task<Result> RunInAsync(string? workingDir, string? db, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDir is not null) psi.WorkingDirectory = workingDir;
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Purr.Cli.dll"));
        if (db is not null) { psi.ArgumentList.Add("--db"); psi.ArgumentList.Add(db); }
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("PURR_DB");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await p.WaitForExitAsync(timeout.Token);
        return new Result(p.ExitCode, await stdout, await stderr);
    }
}
