using System.CommandLine;
using System.Globalization;
using Purr.Core.Formats;
using Purr.Features.Common;
using Purr.Features.Imports;
using Spectre.Console;

namespace Purr.Cli.Commands;

/// <summary><c>purr import invoices FILE [--format auto|csv|ehf|saft]</c>: invoices from CSV, EHF / PEPPOL UBL or SAF-T.</summary>
public static class InvoiceImportCommands
{
    /// <summary>The <c>invoices</c> subcommand of <c>import</c> (attached in Program.cs).</summary>
    public static Command Invoices()
    {
        var file = new Argument<string>("file") { Description = "The file to import: CSV, EHF XML, a zip of EHF files, a folder of EHF files, or SAF-T XML" };
        var format = new Option<string>("--format") { Description = "auto (default: detected from the content), csv, ehf or saft", DefaultValueFactory = _ => InvoiceFiles.Auto };
        format.AcceptOnlyFromAmong(InvoiceFiles.Formats);
        var cmd = new Command("invoices", "Import invoices and credit notes (CSV, EHF / PEPPOL BIS 3.0, SAF-T Financial); all-or-nothing, idempotent") { file, format };
        Runner.Handle(cmd, async c =>
        {
            var path = c.Get(file)!;
            if (!File.Exists(path) && !Directory.Exists(path)) throw RejectedInputException.Argument("file", path, "expected an existing file or folder");
            var chosen = c.Get(format) ?? InvoiceFiles.Auto;
            if (chosen == InvoiceFiles.Auto) chosen = InvoiceFiles.Detect(path);
            if (Directory.Exists(path) && chosen != InvoiceFiles.Ehf)
                throw RejectedInputException.Argument("--format", chosen, "expected ehf or auto for a folder (a folder is read as EHF files)");
            var title = $"Importerer {Path.GetFileName(Path.TrimEndingDirectorySeparator(path))}";
            var r = chosen switch
            {
                InvoiceFiles.Ehf => await c.WithProgressAsync(title, p => ImportEhf.HandleAsync(c.Db,
                    new ImportEhf.Command(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path))), InvoiceFiles.Sources(path), c.Creditor), c.Actor, c.Clock, c.Ct, p)),
                InvoiceFiles.SafT => await c.WithProgressAsync(title, p => ImportSafT.HandleAsync(c.Db,
                    new ImportSafT.Command(InvoiceFiles.Sources(path)[0], c.Creditor), c.Actor, c.Clock, c.Ct, p)),
                _ => await c.WithProgressAsync(title, async p => await ImportInvoices.HandleAsync(c.Db,
                    new ImportInvoices.Command(Path.GetFileName(path), await File.ReadAllBytesAsync(path, c.Ct), c.Creditor), c.Actor, c.Clock, c.Ct, p)),
            };
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            if (r.AlreadyImported) AnsiConsole.MarkupLine($"[yellow]Already imported[/]: {Output.Esc(r.Notes?.FirstOrDefault())}");
            else
            {
                AnsiConsole.MarkupLine($"Imported {Output.Esc(r.File)} ({r.Format}): {r.Records} records, {r.Created} created, {r.Updated} updated, {r.Unchanged} unchanged.");
                if (r.Totals is not null) foreach (var kv in r.Totals) AnsiConsole.MarkupLine($"  {kv.Key}: {kv.Value}");
                foreach (var d in r.BalanceDifferences ?? [])
                    AnsiConsole.MarkupLine($"[yellow]Saldoavvik[/] kunde {Output.Esc(d.CustomerNumber)}: utgående saldo {d.Expected} i filen, {d.Derived} fra {(d.Check == "movements" ? "inngående saldo + bevegelser" : "åpne poster")}, avvik [bold]{d.Difference}[/] ({Output.Esc($"{d.File}:{d.Line.ToString(CultureInfo.InvariantCulture)} {d.Xpath}")})");
                foreach (var note in r.Notes ?? []) AnsiConsole.MarkupLine($"[grey]{Output.Esc(note)}[/]");
            }
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
