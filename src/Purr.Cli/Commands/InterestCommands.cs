using System.CommandLine;
using System.Globalization;
using Purr.Features.Common;
using Purr.Features.Interest;
using Purr.Features.WriteOffs;
using Spectre.Console;

namespace Purr.Cli.Commands;

/// <summary>Interest and write-offs: rates, interest calc/add/settings, interest notes, § 3a compensation, invoice write-off.</summary>
public static class InterestCommands
{
    public static IEnumerable<Command> All() => [Rates(), Interest(), InterestNotes(), Compensation()];

    private static string D(DateOnly d) => d.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);
    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static void Warnings(IEnumerable<string> warnings)
    {
        foreach (var w in warnings) AnsiConsole.MarkupLine($"[yellow]Advarsel:[/] {Output.Esc(w)}");
    }

    private static Command Rates()
    {
        var list = new Command("list", "List the forsinkelsesrente table in force (built-in rows and rows added here); unverified rows are flagged");
        Runner.Handle(list, async c =>
        {
            var r = await ListRates.HandleAsync(c.Db, c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            var t = Output.Table("Fra", "Til", "Rente %", "Kompensasjon", "Sikkerhet", "Opphav", "Kilde");
            foreach (var x in r.Rows)
                t.AddRow(D(x.From), D(x.To), x.RatePercent, x.StandardCompensationNok ?? "–",
                    x.Unverified ? "[yellow]UVERIFISERT[/]" : x.Certainty, x.Origin == "database" ? (x.ReplacesBuiltIn ? "lagt inn (erstatter)" : "lagt inn") : "innebygd",
                    Output.Esc(x.Source.Length > 60 ? x.Source[..60] + "…" : x.Source));
            AnsiConsole.Write(t);
            AnsiConsole.MarkupLine($"Kjent fra {D(r.KnownFrom)} til [bold]{D(r.KnownUntil)}[/]; {r.UnverifiedRows} uverifiserte rader. Senere halvår: purr rates add.");
            return ExitCodes.Ok;
        });

        var from = new Option<string>("--from") { Required = true, Description = "First day of the half-year: YYYY-01-01 or YYYY-07-01" };
        var rate = new Option<string>("--rate") { Required = true, Description = "Annual rate in percent, e.g. 12.25" };
        var comp = new Option<string?>("--compensation") { Description = "§ 3a standard compensation in NOK for the half-year, e.g. 470" };
        var source = new Option<string?>("--source") { Description = "Where the rate comes from: the regulation (FOR-…) or a URL (required)" };
        var certainty = new Option<string?>("--certainty") { Description = "verified, secondary, derived or unverified (default unverified)" };
        certainty.AcceptOnlyFromAmong(Purr.Features.Interest.Rates.Certainties);
        var note = new Option<string?>("--note") { Description = "A note" };
        var add = new Command("add", "Add (or replace) one half-year of the rate table") { from, rate, comp, source, certainty, note };
        Runner.Handle(add, async c =>
        {
            var r = await AddRate.HandleAsync(c.Db, new AddRate.Command(c.Get(from)!, c.Get(rate)!, c.Get(comp), c.Get(source), c.Get(certainty), c.Get(note)), c.Actor, c.Clock, c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            var x = r.Row;
            var what = r.Action switch { "added" => "lagt til", "replaced" => "erstattet", _ => "uendret" };
            AnsiConsole.MarkupLine($"Rente fra {D(x.From)}: [bold]{x.RatePercent} %[/], kompensasjon {x.StandardCompensationNok ?? "ukjent"} ({x.Certainty}) {what}. Kjent til {D(r.KnownUntil)}.");
            return ExitCodes.Ok;
        });

        var file = new Argument<FileInfo>("file") { Description = "CSV in the format of the built-in table: from,rate_percent,standard_compensation_nok,certainty,source,note" };
        var import = new Command("import", "Import rate rows from CSV (all-or-nothing; rows equal to the table change nothing)") { file };
        Runner.Handle(import, async c =>
        {
            var f = c.Get(file)!;
            if (!f.Exists) throw RejectedInputException.Argument("file", f.FullName, "an existing file");
            var bytes = await File.ReadAllBytesAsync(f.FullName, c.Ct);
            var r = await ImportRates.HandleAsync(c.Db, new ImportRates.Command(f.Name, bytes), c.Actor, c.Clock, c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            AnsiConsole.MarkupLine($"Importerte {Output.Esc(r.File)}: {r.Records} rader, {r.Added} nye, {r.Replaced} erstattet, {r.Unchanged} uendret. Kjent til {D(r.KnownUntil)}.");
            return ExitCodes.Ok;
        });
        return new Command("rates", "The forsinkelsesrente and standard compensation table (effective-dated by half-year)") { list, add, import };
    }

    private static Command Interest()
    {
        var principal = new Option<string>("--principal") { Required = true, Description = "The principal: 10000, \"10 000,00\" or 10000.00" };
        var due = new Option<string>("--due") { Required = true, Description = "Due date YYYY-MM-DD (moved to the next banking day when it is not one)" };
        var paid = new Option<string>("--paid") { Required = true, Description = "Last interest day: the payment date (or today) YYYY-MM-DD" };
        var payments = new Option<string?>("--payments") { Description = "Partial payments DATE:AMOUNT,DATE:AMOUNT,… (each bears interest on its own day)" };
        var kind = new Option<string?>("--kind") { Description = "private (default), business or public" };
        kind.AcceptOnlyFromAmong("private", "business", "public");
        var agreed = new Option<string?>("--agreed-rate") { Description = "An agreed annual rate in percent (a consumer never pays more than the statutory rate)" };
        var fromDue = new Option<bool>("--from-due-date") { Description = "Interest from the due date itself instead of the day after" };
        var calc = new Command("calc", "Compute forsinkelsesrente: the total and one line per period") { principal, due, paid, payments, kind, agreed, fromDue };
        Runner.Handle(calc, async c =>
        {
            var r = await CalculateInterest.HandleAsync(c.Db, new CalculateInterest.Query(c.Get(principal)!, c.Get(due)!, c.Get(paid)!, c.Get(payments), c.Get(kind), c.Get(agreed), c.Get(fromDue)), c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            Periods(r.Periods);
            foreach (var m in r.Missing) AnsiConsole.MarkupLine($"[red]Mangler rente[/] {D(m.From)}–{(m.To == DateOnly.MaxValue ? "" : D(m.To))} ({(m.To == DateOnly.MaxValue ? "åpen" : N(m.Days) + " dager")})");
            AnsiConsole.MarkupLine(r.Total is { } total
                ? $"Forsinkelsesrente på {r.Principal} {r.Currency} fra {D(r.FirstInterestDay)} til {D(r.AsOf)}: [bold]{total} {r.Currency}[/]"
                : $"Forsinkelsesrente på {r.Principal} {r.Currency} fra {D(r.FirstInterestDay)} til {D(r.AsOf)}: [bold red]mangler[/] (kjente dager: {r.KnownDaysTotal})");
            Warnings(r.Warnings);
            return ExitCodes.Ok;
        });

        var invoice = new Argument<string>("invoice") { Description = "Invoice number" };
        var asOf = new Option<string?>("--as-of") { Description = "Last interest day YYYY-MM-DD (default today)" };
        var add = new Command("add", "Charge the interest accrued on an open invoice (since the due date or the last interest charge)") { invoice, asOf };
        Runner.Handle(add, async c =>
        {
            var r = await AddInterest.HandleAsync(c.Db, new AddInterest.Command(c.Creditor, c.Get(invoice)!, c.Get(asOf)), c.Actor, c.Clock, c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            Periods(r.Periods);
            AnsiConsole.MarkupLine($"Rente [bold]{r.Amount} {r.Currency}[/] for {D(r.From)}–{D(r.To)} lagt til faktura {Output.Esc(r.InvoiceNumber)}.");
            Warnings(r.Warnings);
            return ExitCodes.Ok;
        });

        var threshold = new Option<string?>("--threshold") { Description = "Interest-note threshold per customer, e.g. 100 or 250,00" };
        var sc = new Option<string?>("--standard-compensation") { Description = "on|off: claim § 3a standard compensation from business and public debtors" };
        sc.AcceptOnlyFromAmong("on", "off");
        var fd = new Option<string?>("--from-due-date") { Description = "on|off: interest from the due date itself instead of the day after" };
        fd.AcceptOnlyFromAmong("on", "off");
        var settings = new Command("settings", "Show or change the creditor's interest settings") { threshold, sc, fd };
        Runner.Handle(settings, async c =>
        {
            static bool? OnOff(string? v) => v is null ? null : v == "on";
            var r = await InterestSettings.HandleAsync(c.Db, new InterestSettings.Command(c.Creditor, c.Get(threshold), OnOff(c.Get(sc)), OnOff(c.Get(fd))), c.Actor, c.Clock, c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            foreach (var ch in r.Changed) AnsiConsole.MarkupLine($"Endret: {Output.Esc(ch)}");
            AnsiConsole.MarkupLine($"Terskel for rentenota: [bold]{r.Threshold} {r.Currency}[/] · standardkompensasjon (§ 3a): {(r.StandardCompensation ? "på" : "av")} · rente fra forfallsdag: {(r.InterestFromDueDate ? "på" : "av (fra dagen etter)")}");
            return ExitCodes.Ok;
        });
        return new Command("interest", "Late-payment interest (forsinkelsesrente)") { calc, add, settings };
    }

    private static void Periods(IReadOnlyList<InterestPeriodDto> periods)
    {
        if (periods.Count == 0) return;
        var t = Output.Table("Fra", "Til", "Dager", "Rente %", "Årsdager", "Hovedstol", "Beløp");
        foreach (var p in periods)
            t.AddRow(D(p.From), D(p.To), N(p.Days), p.Unverified ? $"{p.Rate} [yellow](uverifisert)[/]" : p.Rate, N(p.DaysInYear), p.Principal, p.Amount);
        AnsiConsole.Write(t);
    }

    private static Command InterestNotes()
    {
        var customer = new Option<string?>("--customer") { Description = "Customer number" };
        var list = new Command("list", "Invoices paid late whose interest an interest note can claim, per customer, with the threshold") { customer };
        Runner.Handle(list, async c =>
        {
            var r = await ListInterestNoteCandidates.HandleAsync(c.Db, new ListInterestNoteCandidates.Query(c.Creditor, c.Get(customer)), c.Clock, c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            var t = Output.Table("Kundenr.", "Navn", "Faktura", "Forfall", "Betalt", "Dager", "Beløp", "Sum", "Terskel nådd");
            foreach (var g in r.Customers)
                foreach (var (i, n) in g.Invoices.Select((i, n) => (i, n)))
                    t.AddRow(n == 0 ? g.CustomerNumber : "", n == 0 ? Output.Esc(g.CustomerName) : "", Output.Esc(i.InvoiceNumber), i.DueDate is { } d ? D(d) : "",
                        i.SettledOn is { } s ? D(s) : "", N(i.To.DayNumber - i.From.DayNumber + 1), i.Interest ?? "[red]mangler[/]",
                        n == 0 ? $"{g.Total} {g.Currency}" : "", n == 0 ? (g.ThresholdReached ? "ja" : "nei") : "");
            AnsiConsole.Write(t);
            AnsiConsole.MarkupLine($"Terskel {r.Threshold} {r.Currency}; {r.Customers.Count(g => g.ThresholdReached)} kunder klare for rentenota (purr interest-notes create --all).");
            Warnings(r.Warnings);
            return ExitCodes.Ok;
        });

        var one = new Option<string?>("--customer") { Description = "Only this customer" };
        var all = new Option<bool>("--all") { Description = "Every customer whose total reached the threshold" };
        var create = new Command("create", "Create interest notes (new claims, due in 14 days) from the candidates") { one, all };
        Runner.Handle(create, async c =>
        {
            if (c.Get(one) is null && !c.Get(all)) throw new UsageException("interest-notes create: give --customer NUMBER or --all");
            var r = await CreateInterestNotes.HandleAsync(c.Db, new CreateInterestNotes.Command(c.Creditor, c.Get(one), c.Get(all)), c.Actor, c.Clock, c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            foreach (var n in r.Created)
                AnsiConsole.MarkupLine($"Rentenota [bold]{Output.Esc(n.Number)}[/] til {Output.Esc(n.CustomerNumber)} {Output.Esc(n.CustomerName)}: {n.Amount} {n.Currency}, forfall {D(n.DueDate)}, KID {n.Kid ?? "–"} (faktura {Output.Esc(string.Join(", ", n.Invoices))})");
            foreach (var s in r.Skipped) AnsiConsole.MarkupLine($"[grey]{Output.Esc(s.CustomerNumber)}: {s.Total} {s.Currency} under terskelen, venter[/]");
            if (r.Created.Count == 0) AnsiConsole.MarkupLine("Ingen nye rentenotaer.");
            Warnings(r.Warnings);
            return ExitCodes.Ok;
        });
        return new Command("interest-notes", "Interest notes (rentenota) for invoices paid late") { list, create };
    }

    private static Command Compensation()
    {
        var invoice = new Option<string?>("--invoice") { Description = "One invoice (default: every overdue invoice)" };
        var apply = new Command("apply", "Add § 3a standard compensation to overdue business and public claims (once per claim)") { invoice };
        Runner.Handle(apply, async c =>
        {
            var r = await ApplyStandardCompensation.HandleAsync(c.Db, new ApplyStandardCompensation.Command(c.Creditor, c.Get(invoice)), c.Actor, c.Clock, c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            if (!r.ClaimsStandardCompensation)
                AnsiConsole.MarkupLine("[yellow]Kreditor krever ikke standardkompensasjon[/] (purr interest settings --standard-compensation on).");
            var t = Output.Table("Faktura", "Kundenr.", "Første misligholdsdag", "Halvår", "Sats", "Purregebyr", "Beløp");
            foreach (var a in r.Applied)
                t.AddRow(Output.Esc(a.InvoiceNumber), Output.Esc(a.CustomerNumber), D(a.FirstDayOfDefault), D(a.HalfYear), a.HalfYearAmount, a.ReminderFees, a.Amount);
            if (r.Applied.Count > 0) AnsiConsole.Write(t);
            AnsiConsole.MarkupLine($"{r.Applied.Count} lagt til.");
            foreach (var g in r.Skipped.GroupBy(s => s.Reason))
                AnsiConsole.MarkupLine($"[grey]{g.Count()} hoppet over ({g.Key}): {Output.Esc(string.Join(", ", g.Take(10).Select(s => s.InvoiceNumber)))}{(g.Count() > 10 ? " …" : "")}[/]");
            return ExitCodes.Ok;
        });
        return new Command("compensation", "B2B standard compensation (forsinkelsesrenteloven § 3a)") { apply };
    }

    /// <summary><c>purr invoice write-off</c>: attached under the existing <c>invoice</c> command in Program.cs.</summary>
    public static Command WriteOff()
    {
        var number = new Argument<string>("number") { Description = "Invoice number" };
        var reason = new Option<string>("--reason") { Required = true, Description = "Why the invoice is written off" };
        var date = new Option<string?>("--date") { Description = "Write-off date YYYY-MM-DD (default today)" };
        var cmd = new Command("write-off", "Write off what remains of an invoice (tapsføring): it leaves dunning; an accounting event is recorded") { number, reason, date };
        Runner.Handle(cmd, async c =>
        {
            var r = await WriteOffInvoice.HandleAsync(c.Db, new WriteOffInvoice.Command(c.Creditor, c.Get(number)!, c.Get(reason), c.Get(date)), c.Actor, c.Clock, c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            AnsiConsole.MarkupLine($"Faktura [bold]{Output.Esc(r.InvoiceNumber)}[/] tapsført: {r.Amount} {r.Currency} per {D(r.Date)} (debet {r.DebitAccount} Tap på fordringer, kredit {r.CreditAccount} Kundefordringer).");
            if (r.ChargesWaived != "0.00") AnsiConsole.MarkupLine($"Gebyrer og renter frafalt: {r.ChargesWaived} {r.Currency}.");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
