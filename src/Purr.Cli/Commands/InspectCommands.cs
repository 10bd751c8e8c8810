using System.CommandLine;
using System.Globalization;
using Purr.Features.Inspect;
using Spectre.Console;

namespace Purr.Cli.Commands;

/// <summary><c>purr inspect FILE [--format …] [--json]</c>: what an import would see, without a database.</summary>
public static class InspectCommands
{
    private const int ShownRows = 50;

    public static IEnumerable<Command> All() => [Inspect()];

    private static Command Inspect()
    {
        var file = new Argument<string>("file") { Description = "The file (or a folder of EHF files) to read" };
        var format = new Option<string?>("--format") { Description = "auto (default: detected from the content), csv, ehf or saft" };
        var cmd = new Command("inspect", "Read a file without a database and show the normalized records, totals and every problem (exit 2 when the file has problems)") { file, format };
        Runner.Handle(cmd, async c =>
        {
            var result = await InspectFile.HandleAsync(c.Get(file)!, c.Get(format), c.Ct);
            switch (result)
            {
                case InspectInvoices.Result r:
                    foreach (var e in r.Errors) Output.Error(e.Text);
                    if (c.Json) Output.Json(r);
                    else Print(r);
                    return r.Valid ? ExitCodes.Ok : ExitCodes.Rejected;
                default:
                    Output.Json(result);
                    return ExitCodes.Ok;
            }
        }, needsDb: false);
        return cmd;
    }

    private static void Print(InspectInvoices.Result r)
    {
        static string D(DateOnly? d) => d?.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture) ?? "";
        AnsiConsole.MarkupLine($"[bold]{Output.Esc(r.File)}[/] ({r.Format}): {r.Count} fakturaer og kreditnotaer, {r.Customers.Count} kunder, {r.Errors.Count} feil.");
        if (r.Header is { } h)
            AnsiConsole.MarkupLine($"SAF-T {Output.Esc(h.AuditFileVersion)} · {Output.Esc(h.CompanyName)} {Output.Esc(h.CompanyOrgNumber)} · {D(h.SelectionStartDate)}–{D(h.SelectionEndDate)} · {h.Transactions} bilag, {h.Lines} linjer, {h.ReceivableLines} kundelinjer");
        if (r.Invoices.Count > 0)
        {
            var t = Output.Table("Nr.", "Type", "Kunde", "Dato", "Forfall", "Beløp", "Åpent", "Valuta", "KID");
            foreach (var i in r.Invoices.Take(ShownRows))
                t.AddRow(Output.Esc(i.Number), i.Type, Output.Esc($"{i.CustomerNumber} {i.CustomerName}"), D(i.IssueDate), D(i.DueDate), i.Amount, i.OpenAmount ?? "", i.Currency, Output.Esc(i.Kid));
            AnsiConsole.Write(t);
            More(r.Invoices.Count);
        }
        if (r.Customers.Count > 0)
        {
            var t = Output.Table("Kundenr.", "Navn", "Type", "Org.nr.", "PEPPOL", "Fakturaer", "Inngående", "Utgående");
            foreach (var x in r.Customers.Take(ShownRows))
                t.AddRow(Output.Esc(x.CustomerNumber), Output.Esc(x.Name), x.Kind, Output.Esc(x.OrgNumber), Output.Esc(x.PeppolId),
                    x.Invoices.ToString(CultureInfo.InvariantCulture), x.OpeningBalance ?? "", x.ClosingBalance ?? "");
            AnsiConsole.Write(t);
            More(r.Customers.Count);
        }
        foreach (var x in r.Totals)
            AnsiConsole.MarkupLine($"Sum {x.Currency}: {x.Invoices} fakturaer {x.Invoiced}, {x.CreditNotes} kreditnotaer {x.Credited}, netto [bold]{x.Net}[/]");
        foreach (var d in r.BalanceDifferences)
            AnsiConsole.MarkupLine($"[yellow]Saldoavvik[/] kunde {Output.Esc(d.CustomerNumber)}: utgående saldo {d.Expected} i filen, {d.Derived} fra {(d.Check == "movements" ? "inngående saldo + bevegelser" : "åpne poster")}, avvik [bold]{d.Difference}[/]");
        foreach (var s in r.SkippedEntries) AnsiConsole.MarkupLine($"[grey]hoppet over: {Output.Esc(s)}[/]");
    }

    private static void More(int count)
    {
        if (count > ShownRows) AnsiConsole.MarkupLine($"[grey]… {count - ShownRows} more (all with --json)[/]");
    }
}
