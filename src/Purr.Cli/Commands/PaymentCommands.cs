using System.CommandLine;
using System.Globalization;
using Purr.Features.Common;
using Purr.Features.Imports;
using Purr.Features.Payments;
using Spectre.Console;

namespace Purr.Cli.Commands;

/// <summary>Bank payments: <c>import payments</c>, the <c>payments</c> queue and manual steps, <c>reconcile</c>.</summary>
public static class PaymentCommands
{
    /// <summary>Adds <c>payments</c> and <c>reconcile</c> to the root, and <c>payments</c> under the existing <c>import</c>.</summary>
    public static void Register(RootCommand root)
    {
        foreach (var c in All()) root.Subcommands.Add(c);
        var import = root.Subcommands.FirstOrDefault(c => c.Name == "import");
        if (import is null) root.Subcommands.Add(import = new Command("import", "Import files (all-or-nothing, idempotent)"));
        import.Subcommands.Add(Import());
    }

    public static IEnumerable<Command> All() => [Payments(), ReconcileCommand()];

    private static readonly Option<int> Page = new("--page") { Description = "Page number (from 1)", DefaultValueFactory = _ => 1 };
    private static readonly Option<int> PageSize = new("--page-size") { Description = "Rows per page", DefaultValueFactory = _ => 50 };
    private static string D(DateOnly? d) => d?.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture) ?? "";
    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>Norwegian labels for the import outcomes.</summary>
    private static string Label(string outcome) => outcome switch
    {
        Outcomes.Kid => "KID",
        Outcomes.InvoiceNumber => "fakturanummer",
        Outcomes.AmountPayer => "beløp og betaler",
        Outcomes.Customer => "kunde (kolonne)",
        Outcomes.Unmatched => "uavklart",
        Outcomes.Duplicate => "duplikat, hoppet over",
        Outcomes.Reversal => "tilbakeføring",
        Outcomes.UnmatchedReversal => "uavklart tilbakeføring",
        Outcomes.DebitSkipped => "utbetaling, hoppet over",
        Outcomes.NotBooked => "ikke bokført, hoppet over",
        _ => outcome,
    };

    internal static Command Import()
    {
        var file = new Argument<FileInfo>("file") { Description = "camt.054, camt.053, Nets OCR giro or payments CSV" };
        var format = new Option<string>("--format") { Description = "auto (default), camt054, camt053, ocr or csv", DefaultValueFactory = _ => "auto" };
        format.AcceptOnlyFromAmong(PaymentFile.Formats);
        var statementOnly = new Option<bool>("--statement-only") { Description = "camt.053: keep the statement (balances, entries) for reconcile, post no payments" };
        var show = new Option<int>("--show") { Description = "Transactions listed in the table (all of them with --json)", DefaultValueFactory = _ => 50 };
        var cmd = new Command("payments", "Import payments (camt.054, camt.053, OCR giro, CSV) and match them: KID, invoice number, amount + payer") { file, format, statementOnly, show };
        Runner.Handle(cmd, async c =>
        {
            var f = c.Get(file)!;
            if (!f.Exists) throw RejectedInputException.Argument("file", f.FullName, "an existing file");
            var command = new ImportPayments.Command(f.Name, null, c.Creditor, c.Get(format)!, c.Get(statementOnly)) { Path = f.FullName };
            var r = await c.WithProgressAsync($"Importerer {f.Name}", p => ImportPayments.ImportAsync(c.Db, command, c.Actor, c.Clock, c.Ct, p));
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            if (r.AlreadyImported)
            {
                AnsiConsole.MarkupLine($"[yellow]Allerede importert[/]: {Output.Esc(r.Notes.FirstOrDefault())}");
                return ExitCodes.Ok;
            }
            AnsiConsole.MarkupLine($"Importerte [bold]{Output.Esc(r.File)}[/] ({r.Format}): {r.Records} transaksjoner, {r.Created} innbetalinger registrert.");
            var t = Output.Table("Utfall", "Antall", "Sum", "Valuta");
            foreach (var s in r.Summary) t.AddRow(Label(s.Outcome), N(s.Count), s.Amount, s.Currency);
            AnsiConsole.Write(t);
            foreach (var s in r.Statements)
                AnsiConsole.MarkupLine($"Kontoutskrift {Output.Esc(s.StatementId)} konto {Output.Esc(s.Account)} {D(s.FromDate)}–{D(s.ToDate)}: inngående {s.Opening} · utgående {s.Closing} {s.Currency}"
                    + (s.Reconciles == false ? " [yellow](går ikke opp)[/]" : "") + (s.AlreadyImported ? " [grey](lagret før)[/]" : ""));
            var limit = Math.Max(0, c.Get(show));
            if (r.Transactions.Count > 0 && limit > 0)
            {
                var lines = Output.Table("Linje", "Referanse", "Dato", "Beløp", "Utfall", "Kunde", "Fakturaer", "Hvorfor");
                foreach (var l in r.Transactions.Take(limit))
                    lines.AddRow(N(l.Line), Output.Esc(l.Reference), D(l.Date), l.Amount, Label(l.Outcome), Output.Esc(l.CustomerNumber), Output.Esc(string.Join(", ", l.Invoices)), Output.Esc(l.Reason));
                AnsiConsole.Write(lines);
                var more = r.Transactions.Count - Math.Min(limit, r.Transactions.Count) + r.TransactionsOmitted;
                if (more > 0) AnsiConsole.MarkupLine($"[grey]{more} til; --show N, --json, eller purr payments list --import {r.ImportId}[/]");
            }
            foreach (var n in r.Notes) AnsiConsole.MarkupLine($"[yellow]{Output.Esc(n)}[/]");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Payments()
    {
        var status = new Option<string?>("--status") { Description = "unmatched, matched, partly_matched, refunded or reversed" };
        status.AcceptOnlyFromAmong(ListPayments.Statuses);
        var customer = new Option<string?>("--customer") { Description = "Customer number" };
        var import = new Option<long?>("--import") { Description = "Import id (from import payments): that file's payments, in file order" };
        var list = new Command("list", "List payments, newest first") { status, customer, import, Page, PageSize };
        Runner.Handle(list, async c =>
        {
            var r = await ListPayments.HandleAsync(c.Db, new ListPayments.Query(c.Creditor, c.Get(status), c.Get(customer), c.Get(Page), c.Get(PageSize), c.Get(import)), c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            PaymentTable(r.Items);
            LedgerCommands.PageLine(r.PageNumber, r.PageSize, r.Total);
            return ExitCodes.Ok;
        });

        var unmatched = new Command("unmatched", "The unmatched queue: payments no invoice was found for, and reversals whose original was not found") { Page, PageSize };
        Runner.Handle(unmatched, async c =>
        {
            var r = await ListPayments.HandleAsync(c.Db, new ListPayments.Query(c.Creditor, "unmatched", null, c.Get(Page), c.Get(PageSize)), c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            if (r.Total == 0) { AnsiConsole.MarkupLine("Ingen uavklarte innbetalinger."); return ExitCodes.Ok; }
            var t = Output.Table("Id", "Dato", "Beløp", "Betaler", "KID", "Tekst", "Hvorfor");
            foreach (var p in r.Items)
                t.AddRow(N(p.Id), D(p.PaymentDate), p.Amount, Output.Esc(p.PayerName), Output.Esc(p.Kid), Output.Esc(p.Text), Output.Esc(p.Note));
            AnsiConsole.Write(t);
            LedgerCommands.PageLine(r.PageNumber, r.PageSize, r.Total);
            AnsiConsole.MarkupLine("[grey]" + Output.Esc("purr payments allocate ID --invoice N [--amount X] · purr payments refund ID · purr payments reverse ID --original ID") + "[/]");
            return ExitCodes.Ok;
        });

        var showId = new Argument<long>("payment") { Description = "Payment id" };
        var show = new Command("show", "Show one payment with its allocations and history") { showId };
        Runner.Handle(show, async c =>
        {
            var r = await ShowPayment.HandleAsync(c.Db, new ShowPayment.Query(c.Creditor, c.Get(showId)), c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            PaymentHeader(r.Payment);
            var t = Output.Table("Dato", "Faktura", "Beløp", "Reversert");
            foreach (var a in r.Allocations) t.AddRow(a.Date.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture), a.InvoiceNumber, a.Amount, a.Reversed ? "ja" : "");
            if (r.Allocations.Count > 0) AnsiConsole.Write(t);
            History(r.History);
            return ExitCodes.Ok;
        });

        var allocId = new Argument<long>("payment") { Description = "Payment id" };
        var invoice = new Option<string?>("--invoice") { Description = "Invoice number to put the payment on" };
        var toCustomer = new Option<string?>("--customer") { Description = "Or a customer number: oldest invoices first, the rest credit" };
        var amount = new Option<string?>("--amount") { Description = "Amount to allocate to the invoice (default: as much as fits)" };
        var allocate = new Command("allocate", "Allocate a payment (or its unallocated part) by hand") { allocId, invoice, toCustomer, amount };
        Runner.Handle(allocate, async c =>
        {
            var r = await AllocatePayment.HandleAsync(c.Db, new AllocatePayment.Command(c.Creditor, c.Get(allocId), c.Get(invoice), c.Get(toCustomer), c.Get(amount)), c.Actor, c.Clock, c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            PaymentHeader(r.Payment);
            return ExitCodes.Ok;
        });

        var refundId = new Argument<long>("payment") { Description = "Payment id" };
        var reason = new Option<string?>("--reason") { Description = "Why (kept in the history)" };
        var refund = new Command("refund", "Refund what is unallocated of a payment (the payment becomes refunded)") { refundId, reason };
        Runner.Handle(refund, async c =>
        {
            var r = await RefundPayment.HandleAsync(c.Db, new RefundPayment.Command(c.Creditor, c.Get(refundId), c.Get(reason)), c.Actor, c.Clock, c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            AnsiConsole.MarkupLine($"Innbetaling {r.Payment.Id}: {r.Refund.Amount.TrimStart('-')} {r.Refund.Currency} tilbakebetalt (rad {r.Refund.Id}).");
            return ExitCodes.Ok;
        });

        var reversalId = new Argument<long>("reversal") { Description = "The unmatched reversal (a negative item in the queue)" };
        var original = new Option<long>("--original") { Required = true, Description = "The payment it reverses" };
        var reverse = new Command("reverse", "Pair an unmatched reversal with the payment it takes back; that payment's allocations are undone") { reversalId, original };
        Runner.Handle(reverse, async c =>
        {
            var r = await ReversePayment.HandleAsync(c.Db, new ReversePayment.Command(c.Creditor, c.Get(reversalId), c.Get(original)), c.Actor, c.Clock, c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            AnsiConsole.MarkupLine($"Innbetaling {r.Original.Id} tilbakeført av {r.Reversal.Id}." + (r.ReopenedInvoices.Count > 0 ? $" Åpne igjen: {Output.Esc(string.Join(", ", r.ReopenedInvoices))}." : ""));
            return ExitCodes.Ok;
        });

        return new Command("payments", "Payments (innbetalinger): list, the unmatched queue, manual allocation, refunds, reversals") { list, unmatched, show, allocate, refund, reverse };
    }

    private static Command ReconcileCommand()
    {
        var from = new Option<DateOnly>("--from") { Required = true, Description = "First day (YYYY-MM-DD)" };
        var to = new Option<DateOnly>("--to") { Required = true, Description = "Last day (YYYY-MM-DD)" };
        var account = new Option<string?>("--account") { Description = "Only this bank account" };
        var cmd = new Command("reconcile", "Compare the bank's camt.053 statements (balances and entries) with the ledger's payments and list every difference") { from, to, account };
        Runner.Handle(cmd, async c =>
        {
            var r = await Reconcile.HandleAsync(c.Db, new Reconcile.Query(c.Creditor, c.Get(from), c.Get(to), c.Get(account)), c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            var s = Output.Table("Konto", "Utskrift", "Fra", "Til", "Inngående", "Inn", "Ut", "Utgående", "Antall", "Avstemt");
            foreach (var x in r.Statements)
                s.AddRow(Output.Esc(x.Account), Output.Esc(x.StatementId), D(x.FromDate), D(x.ToDate), x.Opening ?? "", x.Credits, x.Debits, x.Closing ?? "", N(x.Entries), N(x.MatchedEntries));
            if (r.Statements.Count > 0) AnsiConsole.Write(s);
            if (r.Ok) { AnsiConsole.MarkupLine($"[green]Banken og reskontroen stemmer[/] for {D(r.From)}–{D(r.To)}: {r.MatchedEntries} posteringer, {r.MatchedPayments} innbetalinger."); return ExitCodes.Ok; }
            var t = Output.Table("Avvik", "Konto", "Dato", "Beløp", "Referanse", "Innbetaling", "Forklaring");
            foreach (var d in r.Differences)
                t.AddRow(d.Kind, Output.Esc(d.Account), D(d.Date), d.Amount, Output.Esc(d.BankReference), d.PaymentId is { } p ? N(p) : "", Output.Esc(d.Text));
            AnsiConsole.Write(t);
            AnsiConsole.MarkupLine($"[yellow]{r.Differences.Count} avvik[/] for {D(r.From)}–{D(r.To)}.");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static void PaymentTable(IReadOnlyList<PaymentRowDto> items)
    {
        var t = Output.Table("Id", "Dato", "Beløp", "Ufordelt", "Betaler", "KID", "Kunde", "Status", "Metode", "Kilde");
        foreach (var p in items)
            t.AddRow(N(p.Id), D(p.PaymentDate), p.Amount, p.Unallocated, Output.Esc(p.PayerName), Output.Esc(p.Kid), Output.Esc(p.CustomerNumber), p.Status, Output.Esc(p.MatchMethod), p.Source);
        AnsiConsole.Write(t);
    }

    private static void PaymentHeader(PaymentRowDto p)
    {
        AnsiConsole.MarkupLine($"[bold]Innbetaling {p.Id}[/] · {D(p.PaymentDate)} · {p.Amount} {p.Currency} · ufordelt {p.Unallocated} · {p.Status}" +
            (p.MatchMethod is { } m ? $" ({Output.Esc(m)})" : "") + (p.CustomerNumber is { } cn ? $" · kunde {Output.Esc(cn)}" : ""));
        AnsiConsole.MarkupLine($"Betaler {Output.Esc(p.PayerName)} {Output.Esc(p.PayerAccount)} · KID {Output.Esc(p.Kid)} · ref. {Output.Esc(p.Reference)} · {Output.Esc(p.Text)}");
    }

    private static void History(IReadOnlyList<PaymentEventDto> history)
    {
        if (history.Count == 0) return;
        var t = Output.Table("Tid", "Hvem", "Hva", "Tekst");
        foreach (var h in history) t.AddRow(h.At.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), Output.Esc(h.Actor), h.Kind, Output.Esc(h.Text));
        AnsiConsole.Write(t);
    }
}
