using System.CommandLine;
using System.Globalization;
using Purr.Features.Inspect;
using Spectre.Console;

namespace Purr.Cli.Commands;

/// <summary><c>purr inspect FILE</c>: parse a file without a database and show its records and totals.</summary>
public static class InspectCommands
{
    public static IEnumerable<Command> All() => [Inspect()];

    private static string D(DateOnly? d) => d?.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture) ?? "";
    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static Command Inspect()
    {
        var file = new Argument<FileInfo>("file") { Description = "The file to inspect" };
        var format = new Option<string>("--format") { Description = "auto (default), camt054, camt053, ocr or csv-payments", DefaultValueFactory = _ => "auto" };
        format.AcceptOnlyFromAmong([.. InspectFile.Formats]);
        var show = new Option<int>("--show") { Description = "Records listed in the table (all of them with --json)", DefaultValueFactory = _ => 50 };
        var cmd = new Command("inspect", "Parse a file without a database and print its normalized records and totals") { file, format, show };
        Runner.Handle(cmd, c =>
        {
            var f = c.Get(file)!;
            var result = InspectFile.Inspect(f.FullName, c.Get(format)!);
            if (c.Json) { Output.Json(result); return Task.FromResult(ExitCodes.Ok); }
            if (result is PaymentFileInspection p) Print(p, Math.Max(0, c.Get(show)));
            else Output.Json(result);
            return Task.FromResult(ExitCodes.Ok);
        }, needsDb: false);
        return cmd;
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
