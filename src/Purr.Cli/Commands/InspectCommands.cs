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

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);
    private static string D(DateOnly? d) => d?.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture) ?? "";

    private static Command Inspect()
    {
        var file = new Argument<string>("file") { Description = "The file (or a folder of EHF files) to read" };
        var format = new Option<string?>("--format") { Description = "auto (default: detected from the content), camt054, camt053, ocr, csv-payments, csv, ehf or saft" };
        format.AcceptOnlyFromAmong([.. InspectFile.Formats]);
        var show = new Option<int>("--show") { Description = "Bank transactions listed in the table (all of them with --json)", DefaultValueFactory = _ => 50 };
        var cmd = new Command("inspect", "Read a file without a database and show the normalized records, totals and every problem (exit 2 when the file has problems)") { file, format, show };
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
                case PaymentFileInspection p:
                    if (c.Json) Output.Json(p);
                    else Print(p, Math.Max(0, c.Get(show)));
                    return ExitCodes.Ok;
                default:
                    Output.Json(result);
                    return ExitCodes.Ok;
            }
        }, needsDb: false);
        return cmd;
    }

    private static void Print(InspectInvoices.Result r)
    {
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

    private static void Print(PaymentFileInspection r, int limit)
    {
        AnsiConsole.MarkupLine($"[bold]{Output.Esc(r.File)}[/]: {r.Format}{(r.Version is { } v ? " " + Output.Esc(v) : "")}{(r.MessageId is { } m ? " · melding " + Output.Esc(m) : "")} · {r.Count} transaksjoner");
        var totals = Output.Table("Valuta", "Inn antall", "Inn sum", "Ut antall", "Ut sum");
        foreach (var t in r.Totals) totals.AddRow(t.Currency, N(t.CreditCount), t.CreditTotal, N(t.DebitCount), t.DebitTotal);
        if (r.Totals.Count > 0) AnsiConsole.Write(totals);
        foreach (var s in r.Statements)
            AnsiConsole.MarkupLine($"Utskrift {Output.Esc(s.Id)} konto {Output.Esc(s.Account)}: {s.Entries} posteringer, inngående {s.Opening} · utgående {s.Closing}" +
                (s.Reconciles switch { true => " · går opp", false => " [yellow]· går ikke opp[/]", _ => "" }));
        if (r.Ocr is { } o)
            AnsiConsole.MarkupLine($"Forsendelse {Output.Esc(o.TransmissionNumber)} fra {Output.Esc(o.DataTransmitter)} til {Output.Esc(o.DataRecipient)}: {o.TransactionCount} transaksjoner, sum {o.Total}, oppgjørsdato {D(o.NetsDate)}");
        if (limit > 0 && r.Transactions.Count > 0)
        {
            var t = Output.Table("Linje", "Dato", "Beløp", "Referanse", "KID", "Betaler", "Tekst", "Merknad");
            foreach (var x in r.Transactions.Take(limit))
                t.AddRow(N(x.Line), D(x.BookingDate ?? x.ValueDate), x.Amount, Output.Esc(x.BankReference), Output.Esc(x.Kid) + (x.KidValid == false ? " (ugyldig)" : ""),
                    Output.Esc(x.PayerName), Output.Esc(x.FreeText), (x.Reversal ? "tilbakeføring " : "") + (x.Booked ? "" : "ikke bokført"));
            AnsiConsole.Write(t);
            if (r.Transactions.Count > limit) AnsiConsole.MarkupLine($"[grey]{r.Transactions.Count - limit} more; --show N or --json for all[/]");
        }
        foreach (var w in r.Warnings) AnsiConsole.MarkupLine($"[yellow]warning[/] {Output.Esc(w)}");
    }
}
