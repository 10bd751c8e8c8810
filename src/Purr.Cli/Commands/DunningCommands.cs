using System.CommandLine;
using System.Globalization;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Dunning;
using Purr.Jobs;
using Spectre.Console;

namespace Purr.Cli.Commands;

/// <summary>Dunning: plans, the run, lists, stops/disputes/deferrals, manual notices, the scheduler.</summary>
public static class DunningCommands
{
    public static IEnumerable<Command> All() => [Plan(), Run(), ListsCommand(), ListCommand(), Stop(), Resume(), Dispute(), Defer(), HoldsCommand(), NoticeCommand(), Schedule()];

    private static readonly Option<int> Page = new("--page") { Description = "Page number (from 1)", DefaultValueFactory = _ => 1 };
    private static readonly Option<int> PageSize = new("--page-size") { Description = "Rows per page", DefaultValueFactory = _ => 50 };
    private static string D(DateOnly? d) => d?.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture) ?? "";
    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static Command Plan()
    {
        var list = new Command("list", "List the dunning plans and the rules that choose them");
        Runner.Handle(list, async c =>
        {
            var r = await ListPlans.HandleAsync(c.Db, c.Creditor, c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            foreach (var p in r.Plans)
            {
                AnsiConsole.MarkupLine($"[bold]{Output.Esc(p.Code)}[/]{(p.IsDefault ? " (standard)" : "")}: {Output.Esc(p.Name)} · postdager {p.PostalDays} · minstebeløp {p.MinimumAmount} · {p.Grouping}");
                foreach (var s in p.Steps) AnsiConsole.MarkupLine("   " + Output.Esc(s));
            }
            foreach (var rule in r.Rules) AnsiConsole.MarkupLine("[grey]rule " + Output.Esc(rule) + "[/]");
            if (!r.Stored) AnsiConsole.MarkupLine("[grey]Built-in Norwegian default catalog (change it with: purr plan export > plans.json; purr plan import plans.json)[/]");
            return ExitCodes.Ok;
        });
        var code = new Argument<string>("code") { Description = "Plan code" };
        var show = new Command("show", "Show one plan as JSON") { code };
        Runner.Handle(show, async c => { Console.Out.WriteLine(await ListPlans.ExportAsync(c.Db, c.Creditor, c.Get(code), c.Ct)); return ExitCodes.Ok; });
        var planOpt = new Option<string?>("--plan") { Description = "Export one plan instead of the whole catalog" };
        var export = new Command("export", "Print the plan catalog (plans, rules, default) as JSON") { planOpt };
        Runner.Handle(export, async c => { Console.Out.WriteLine(await ListPlans.ExportAsync(c.Db, c.Creditor, c.Get(planOpt), c.Ct)); return ExitCodes.Ok; });
        var file = new Argument<FileInfo>("file") { Description = "A plan catalog JSON file (as written by purr plan export)" };
        var import = new Command("import", "Validate and store a plan catalog; an invalid one is never stored") { file };
        Runner.Handle(import, async c =>
        {
            var f = c.Get(file)!;
            var json = await ReadAsync(f, c.Ct);
            var r = await ImportPlans.HandleAsync(c.Db, c.Creditor, f.Name, json, c.Actor, c.Clock, c.Ct);
            if (c.Json) Output.Json(r); else AnsiConsole.MarkupLine($"Stored {r.Plans.Count} plan(s); default {Output.Esc(r.DefaultPlan)}.");
            return ExitCodes.Ok;
        });
        var vfile = new Argument<FileInfo>("file") { Description = "A plan catalog JSON file" };
        var validate = new Command("validate", "Check a plan catalog and list every error with its path") { vfile };
        Runner.Handle(validate, async c =>
        {
            var f = c.Get(vfile)!;
            var r = await ImportPlans.ValidateAsync(c.Db, c.Creditor, f.Name, await ReadAsync(f, c.Ct), c.Ct);
            if (c.Json) Output.Json(r);
            else
            {
                foreach (var e in r.Errors) Output.Error($"{f.Name}: {e.Path}: {e.Message}");
                foreach (var w in r.Warnings) AnsiConsole.MarkupLine($"[yellow]warning[/] {Output.Esc(w.Path)}: {Output.Esc(w.Message)}");
                if (r.Valid) AnsiConsole.MarkupLine("[green]valid[/]");
            }
            return r.Valid ? ExitCodes.Ok : ExitCodes.Rejected;
        });
        return new Command("plan", "Dunning plans (purreplaner)") { list, show, export, import, validate };
    }

    private static async Task<string> ReadAsync(FileInfo f, CancellationToken ct) =>
        f.Exists ? await File.ReadAllTextAsync(f.FullName, ct) : throw RejectedInputException.Argument("file", f.FullName, "an existing file");

    private static Command Run()
    {
        var dry = new Option<bool>("--dry-run") { Description = "Decide and print every decision with its reason; change nothing" };
        var run = new Command("run", "The daily dunning run (use --today to run for another day)") { dry };
        Runner.Handle(run, async c =>
        {
            var r = await RunDunning.HandleAsync(c.Db, new RunDunning.Command(c.Creditor, null, c.Get(dry)), c.Actor, c.Clock, c.Ct);
            PrintRun(c, r);
            return ExitCodes.Ok;
        });
        var batch = new Argument<long>("batch") { Description = "The run (batch) id" };
        var approve = new Command("approve", "Apply a proposed batch (manual mode or pre-notice)") { batch };
        Runner.Handle(approve, async c => { PrintRun(c, await ApproveRun.HandleAsync(c.Db, new(c.Creditor, c.Get(batch)), c.Actor, c.Clock, c.Ct)); return ExitCodes.Ok; });
        var batch2 = new Argument<long>("batch") { Description = "The run (batch) id" };
        var discard = new Command("discard", "Discard a proposed batch: nothing is sent") { batch2 };
        Runner.Handle(discard, async c => { PrintBatches(c, [await ApproveRun.DiscardAsync(c.Db, new(c.Creditor, c.Get(batch2)), c.Actor, c.Clock, c.Ct)]); return ExitCodes.Ok; });
        var batches = new Command("batches", "Proposed batches waiting for approval or their pre-notice window");
        Runner.Handle(batches, async c => { PrintBatches(c, await ApproveRun.ListAsync(c.Db, c.Creditor, c.Ct)); return ExitCodes.Ok; });
        var batch3 = new Argument<long>("batch") { Description = "The run (batch) id" };
        var showBatch = new Command("show", "What a proposed batch will send, with held items") { batch3 };
        Runner.Handle(showBatch, async c =>
        {
            var r = await ApproveRun.ShowAsync(c.Db, new(c.Creditor, c.Get(batch3)), c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            PrintBatches(c, [r.Batch]);
            var t = Output.Table("Faktura", "Kunde", "Steg", "Gebyr", "Frist", "Holdt");
            foreach (var i in r.Items) t.AddRow(i.InvoiceNumber, Output.Esc($"{i.CustomerNumber} {i.CustomerName}"), $"{i.Kind} {i.Step}", i.Fee, D(i.Deadline), i.Held ? "ja" : "");
            AnsiConsole.Write(t);
            return ExitCodes.Ok;
        });
        run.Subcommands.Add(showBatch);
        run.Subcommands.Add(approve);
        run.Subcommands.Add(discard);
        run.Subcommands.Add(batches);
        foreach (var hold in new[] { true, false })
        {
            var b = new Argument<long>("batch") { Description = "The run (batch) id" };
            var inv = new Option<string[]>("--invoice") { Description = "Invoice number(s)", Required = true, AllowMultipleArgumentsPerToken = true };
            var cmd = new Command(hold ? "hold" : "release", hold ? "Hold items of a proposed batch: they are skipped (held by creditor)" : "Release held items of a proposed batch") { b, inv };
            Runner.Handle(cmd, async c => { PrintBatches(c, [await ApproveRun.HoldAsync(c.Db, new(c.Creditor, c.Get(b), c.Get(inv)!, hold), c.Actor, c.Clock, c.Ct)]); return ExitCodes.Ok; });
            run.Subcommands.Add(cmd);
        }
        return run;
    }

    private static void PrintRun(CliContext c, RunDunning.Result r)
    {
        if (c.Json) { Output.Json(r); return; }
        var what = r.DryRun ? "Dry run (nothing changed)" : r.Status == "proposed" ? $"Proposed batch {r.RunId} (approve: purr run approve {r.RunId})" : $"Run {r.RunId}";
        AnsiConsole.MarkupLine($"[bold]{what}[/] for {Output.Esc(r.Creditor)} on {D(r.Today)}: {r.Steps} step(s), {r.Letters} letter(s).");
        if (r.StepsTaken.Count > 0)
        {
            var t = Output.Table("Faktura", "Kunde", "Steg", "Utestående", "Gebyr", "Frist", "Brev", "Merknad");
            foreach (var s in r.StepsTaken.Take(200))
                t.AddRow(string.Join(",", s.InvoiceNumbers), Output.Esc($"{s.CustomerNumber} {s.CustomerName}"), $"{s.Kind} {s.Step}", s.Outstanding, s.Fee, D(s.Deadline),
                    s.LetterId?.ToString(CultureInfo.InvariantCulture) ?? "", Output.Esc(string.Join(" ", new[] { s.FeeReason, s.FeeCertainty == "law" ? null : "uverifisert sats", s.Held ? "holdt" : null }.Where(x => x is not null))));
            AnsiConsole.Write(t);
            if (r.StepsTaken.Count > 200) AnsiConsole.MarkupLine($"[grey]… and {r.StepsTaken.Count - 200} more (--json for all)[/]");
        }
        if (r.Reasons.Count > 0) AnsiConsole.MarkupLine("Left alone: " + string.Join(", ", r.Reasons.Select(kv => $"{kv.Key} {kv.Value}")));
        foreach (var w in r.Warnings) AnsiConsole.MarkupLine($"[yellow]warning:[/] {Output.Esc(w)}");
    }

    private static void PrintBatches(CliContext c, IReadOnlyList<ApproveRun.BatchDto> b)
    {
        if (c.Json) { Output.Json(new { batches = b }); return; }
        var t = Output.Table("Batch", "Dato", "Modus", "Status", "Sendes", "Antall", "Holdt");
        foreach (var x in b) t.AddRow(x.RunId.ToString(CultureInfo.InvariantCulture), D(x.Today), x.Mode, x.Status, D(x.HoldUntil), N(x.Items), N(x.Held));
        AnsiConsole.Write(t);
    }

    private static Command ListsCommand()
    {
        var cmd = new Command("lists", "Counts and sums per status list (Liste, Purring1, …, Lukket)");
        Runner.Handle(cmd, async c =>
        {
            var r = await Lists.SummaryAsync(c.Db, c.Creditor, null, c.Clock, c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            var t = Output.Table("Liste", "Kode", "Antall", "Sum");
            foreach (var l in r.Lists) t.AddRow(l.Name, l.List, N(l.Claims), l.Open);
            AnsiConsole.Write(t);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command ListCommand()
    {
        var name = new Argument<string>("name") { Description = "List code or Norwegian name, e.g. reminder1, Purring1, inkassovarsel, til_overforing" };
        var customer = new Option<string?>("--customer") { Description = "Customer number" };
        var min = new Option<decimal?>("--min-amount") { Description = "Only claims with at least this open amount" };
        var cmd = new Command("list", "The claims in one status list") { name, customer, min, Page, PageSize };
        Runner.Handle(cmd, async c =>
        {
            var r = await Lists.ClaimsAsync(c.Db, new Lists.Query(c.Creditor, c.Get(name)!, c.Get(customer), c.Get(min), c.Get(Page), c.Get(PageSize)), null, c.Clock, c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            var t = Output.Table("Faktura", "Kunde", "Forfall", "Åpent", "Dager", "Siste steg", "Frist", "Neste");
            foreach (var x in r.Items) t.AddRow(x.InvoiceNumber, Output.Esc($"{x.CustomerNumber} {x.CustomerName}"), D(x.DueDate), x.Open, N(x.DaysOverdue),
                $"{x.LastStep} {D(x.LastSentOn)}", D(x.Deadline), Output.Esc($"{x.NextAction} {D(x.NextReviewOn)}"));
            AnsiConsole.Write(t);
            LedgerCommands.PageLine(r.PageNumber, r.PageSize, r.Total);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static (Argument<string> Target, Argument<string> Id) TargetArgs(bool customerAllowed)
    {
        var target = new Argument<string>("target") { Description = customerAllowed ? "invoice or customer" : "invoice" };
        target.AcceptOnlyFromAmong(customerAllowed ? ["invoice", "customer"] : ["invoice"]);
        return (target, new Argument<string>("id") { Description = "Invoice number or customer number" });
    }

    private static Command Stop()
    {
        var (target, id) = TargetArgs(true);
        var reason = new Option<string>("--reason") { Required = true, Description = "Why (shown in the history)" };
        var until = new Option<DateOnly?>("--until") { Description = "Last day of the stop (inclusive); dunning resumes by itself after it" };
        var cmd = new Command("stop", "Stop dunning (purrestopp) for an invoice or a whole customer") { target, id, reason, until };
        Runner.Handle(cmd, async c => PrintHolds(c, [await Holds.PlaceAsync(c.Db, new(c.Creditor, HoldType.Stop, c.Get(target)!, c.Get(id)!, c.Get(reason)!, c.Get(until)), c.Actor, c.Clock, c.Ct)]));
        return cmd;
    }

    private static Command Resume()
    {
        var (target, id) = TargetArgs(true);
        var cmd = new Command("resume", "End the stops, disputes and deferrals on an invoice or customer today") { target, id };
        Runner.Handle(cmd, async c => PrintHolds(c, await Holds.ResumeAsync(c.Db, new(c.Creditor, c.Get(target)!, c.Get(id)!), c.Actor, c.Clock, c.Ct)));
        return cmd;
    }

    private static Command Dispute()
    {
        var (target, id) = TargetArgs(false);
        var text = new Option<string>("--text") { Required = true, Description = "The debtor's objection (innsigelse)" };
        var cmd = new Command("dispute", "Register a dispute: dunning stops until it is resolved (purr resume invoice ID)") { target, id, text };
        Runner.Handle(cmd, async c => PrintHolds(c, [await Holds.PlaceAsync(c.Db, new(c.Creditor, HoldType.Dispute, c.Get(target)!, c.Get(id)!, c.Get(text)!, null), c.Actor, c.Clock, c.Ct)]));
        return cmd;
    }

    private static Command Defer()
    {
        var (target, id) = TargetArgs(false);
        var until = new Option<DateOnly?>("--until") { Required = true, Description = "Last day of the deferral (inclusive)" };
        var reason = new Option<string>("--reason") { Description = "Agreement text", DefaultValueFactory = _ => "betalingsutsettelse" };
        var cmd = new Command("defer", "Register a payment deferral (betalingsutsettelse): no dunning until the date") { target, id, until, reason };
        Runner.Handle(cmd, async c => PrintHolds(c, [await Holds.PlaceAsync(c.Db, new(c.Creditor, HoldType.Deferral, c.Get(target)!, c.Get(id)!, c.Get(reason)!, c.Get(until)), c.Actor, c.Clock, c.Ct)]));
        return cmd;
    }

    private static Command HoldsCommand()
    {
        var all = new Option<bool>("--all") { Description = "Include ended holds" };
        var cmd = new Command("holds", "Active stops, disputes and deferrals") { all };
        Runner.Handle(cmd, async c => PrintHolds(c, await Holds.ListAsync(c.Db, c.Creditor, c.Get(all), c.Clock, c.Ct)));
        return cmd;
    }

    private static int PrintHolds(CliContext c, IReadOnlyList<Holds.HoldDto> holds)
    {
        if (c.Json) { Output.Json(new { holds }); return ExitCodes.Ok; }
        var t = Output.Table("Id", "Type", "Faktura", "Kunde", "Fra", "Til", "Aktiv", "Grunn", "Av");
        foreach (var h in holds) t.AddRow(h.Id.ToString(CultureInfo.InvariantCulture), h.Type, h.InvoiceNumber ?? "", h.CustomerNumber ?? "", D(h.From), D(h.Until), h.Active ? "ja" : "nei", Output.Esc(h.Reason), Output.Esc(h.CreatedBy));
        AnsiConsole.Write(t);
        return ExitCodes.Ok;
    }

    private static Command NoticeCommand()
    {
        var invoices = new Argument<string[]>("invoices") { Description = "Invoice number(s)", Arity = ArgumentArity.OneOrMore };
        var preview = new Option<bool>("--preview") { Description = "Show what would be created; change nothing" };
        var create = new Command("create", "Create the next notice now for one or more invoices (manual move)") { invoices, preview };
        Runner.Handle(create, async c =>
        {
            var r = await ManualNotices.CreateAsync(c.Db, new(c.Creditor, c.Get(invoices)!, c.Get(preview)), c.Actor, c.Clock, c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            foreach (var s in r.Steps) AnsiConsole.MarkupLine($"{(r.Preview ? "Would create" : "Created")} {s.Kind} {s.Step} for invoice {s.InvoiceNumbers[0]}: fee {s.Fee}{(s.FeeReason is { } fr ? $" ({fr})" : "")}, deadline {D(s.Deadline)}");
            foreach (var x in r.Refused) AnsiConsole.MarkupLine($"[yellow]Refused[/] {x.InvoiceNumber}: {x.Reason} {Output.Esc(x.Detail)}");
            return r.Refused.Count > 0 && r.Steps.Count == 0 ? ExitCodes.Rejected : ExitCodes.Ok;
        });
        var one = new Argument<string>("invoice") { Description = "Invoice number" };
        var delete = new Command("delete", "Delete the latest notice of an invoice while its letter is unsent") { one };
        Runner.Handle(delete, async c =>
        {
            var r = await ManualNotices.DeleteAsync(c.Db, c.Creditor, c.Get(one)!, c.Actor, c.Clock, c.Ct);
            if (c.Json) Output.Json(r); else AnsiConsole.MarkupLine($"Deleted {r.Kind} {r.Step} of invoice {r.InvoiceNumber}{(r.LetterDeleted ? $" and letter {r.LetterId}" : "")}.");
            return ExitCodes.Ok;
        });
        return new Command("notice", "Manual notices: create, preview, delete") { create, delete };
    }

    private static Command Schedule()
    {
        var once = new Option<bool>("--once") { Description = "Run every creditor that has not run today, then exit (for cron)" };
        var cmd = new Command("schedule", "Run the daily dunning run at each creditor's time (Europe/Oslo), catching up missed days") { once };
        Runner.Handle(cmd, async c =>
        {
            var scheduler = new DunningScheduler(Runner.DbSpec(c.Parse), c.Clock, c.Actor.Name == "system" ? Actor.System : new Actor("scheduler"));
            if (c.Get(once))
            {
                var results = await scheduler.RunDueAsync(c.Ct, ignoreTime: true);
                if (c.Json) Output.Json(new { runs = results });
                else foreach (var r in results) AnsiConsole.MarkupLine($"{Output.Esc(r.Creditor)}: run {r.RunId} on {D(r.Today)}, {r.Steps} step(s)");
                return ExitCodes.Ok;
            }
            AnsiConsole.MarkupLine("Scheduler running (Ctrl+C to stop).");
            await scheduler.LoopAsync(r => AnsiConsole.MarkupLine($"{DateTimeOffset.Now:yyyy-MM-dd HH:mm} {Output.Esc(r.Creditor)}: run {r.RunId}, {r.Steps} step(s)"), c.Ct);
            return ExitCodes.Ok;
        }, needsDb: false);
        return cmd;
    }
}
