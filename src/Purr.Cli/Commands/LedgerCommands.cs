using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Creditors;
using Purr.Features.Customers;
using Purr.Features.Demo;
using Purr.Features.Imports;
using Purr.Features.Invoices;
using Purr.Features.Ledger;
using Spectre.Console;

namespace Purr.Cli.Commands;

/// <summary>The foundation commands: init, demo, creditor, customer, invoice, import, ledger.</summary>
public static class LedgerCommands
{
    public static IEnumerable<Command> All() => [Init(), Demo(), Creditor(), Customer(), Invoice(), Import(), Ledger()];

    private static readonly Option<int> Page = new("--page") { Description = "Page number (from 1)", DefaultValueFactory = _ => 1 };
    private static readonly Option<int> PageSize = new("--page-size") { Description = "Rows per page", DefaultValueFactory = _ => 50 };

    private static Command Init()
    {
        var cmd = new Command("init", "Create the database (or migrate it to this version)");
        Runner.Handle(cmd, async c =>
        {
            var creditors = await c.Db.Creditors.CountAsync(c.Ct);
            var spec = Runner.DbSpec(c.Parse);
            var where = c.Db is SqlitePurrDbContext ? Path.GetFullPath(spec) : "(PostgreSQL)";
            if (c.Json) Output.Json(new { database = where, provider = c.Db.ProviderName, creditors });
            else AnsiConsole.MarkupLine($"Database ready: [bold]{Output.Esc(where)}[/] ({c.Db.ProviderName}), {creditors} creditor(s).");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Demo()
    {
        var seed = new Option<int>("--seed") { Description = "Random seed (the same seed gives the same data)", DefaultValueFactory = _ => 1 };
        var customers = new Option<int>("--customers") { DefaultValueFactory = _ => 200, Description = "Number of customers" };
        var invoices = new Option<int>("--invoices") { DefaultValueFactory = _ => 2000, Description = "Number of invoices" };
        var cmd = new Command("demo", "Create a demo creditor with customers and six months of invoices and payments") { seed, customers, invoices };
        Runner.Handle(cmd, async c =>
        {
            var r = await SeedDemo.HandleAsync(c.Db, new SeedDemo.Command(c.Get(seed), c.Get(customers), c.Get(invoices)), c.Actor, c.Clock, c.Ct);
            var overdue = await ListInvoices.HandleAsync(c.Db, new ListInvoices.Query(r.CreditorId, "overdue", PageSize: 20), c.Clock, c.Ct);
            if (c.Json) { Output.Json(new { demo = r, overdue }); return ExitCodes.Ok; }
            AnsiConsole.MarkupLine($"Created [bold]{Output.Esc(r.CreditorName)}[/] (creditor {r.CreditorId}): {r.Customers} customers, {r.Invoices} invoices, {r.CreditNotes} credit notes, {r.Payments} payments.");
            AnsiConsole.MarkupLine($"[bold]{r.Overdue}[/] overdue invoices, [bold]{r.OverdueTotal} NOK[/] in all. The 20 oldest:");
            InvoiceTable(overdue);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Creditor()
    {
        var name = new Option<string>("--name") { Required = true, Description = "Company name" };
        var org = new Option<string?>("--org-number") { Description = "Organisation number (9 digits, MOD11)" };
        var account = new Option<string?>("--account") { Description = "Bank account number (11 digits) for payments" };
        var email = new Option<string?>("--email");
        var address = new Option<string?>("--address");
        var postal = new Option<string?>("--postal-code");
        var city = new Option<string?>("--city");
        var kidMethod = new Option<string?>("--kid-method") { Description = "mod10 (default) or mod11: the KID definition agreed with the bank" };
        var kidLength = new Option<int?>("--kid-length") { Description = "KID length (4-25, default 10)" };
        var mode = new Option<string?>("--mode") { Description = "automatic (default) or manual dunning runs" };
        var add = new Command("add", "Add a creditor (a company that is owed money)") { name, org, account, email, address, postal, city, kidMethod, kidLength, mode };
        Runner.Handle(add, async c =>
        {
            var r = await AddCreditor.HandleAsync(c.Db, new AddCreditor.Command(c.Get(name)!, c.Get(org), c.Get(account), c.Get(email), c.Get(address), c.Get(postal), c.Get(city), c.Get(kidMethod), c.Get(kidLength), c.Get(mode)), c.Actor, c.Clock, c.Ct);
            if (c.Json) Output.Json(r);
            else AnsiConsole.MarkupLine($"Creditor [bold]{r.Id}[/] {Output.Esc(r.Name)} added.");
            return ExitCodes.Ok;
        });
        var list = new Command("list", "List creditors");
        Runner.Handle(list, async c =>
        {
            var r = await ListCreditors.HandleAsync(c.Db, c.Ct);
            if (c.Json) { Output.Json(new { creditors = r }); return ExitCodes.Ok; }
            var t = Output.Table("Id", "Navn", "Org.nr.", "Konto", "E-post", "Modus");
            foreach (var x in r) t.AddRow(x.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Output.Esc(x.Name), Output.Esc(x.OrgNumber), Output.Esc(x.AccountNumber), Output.Esc(x.Email), x.DunningMode);
            AnsiConsole.Write(t);
            return ExitCodes.Ok;
        });
        var setName = new Option<string?>("--name");
        var setEmail = new Option<string?>("--email");
        var setMode = new Option<string?>("--mode") { Description = "automatic or manual dunning runs" };
        var preNotice = new Option<int?>("--pre-notice-days") { Description = "Days the creditor may hold items before letters go out (0 = off)" };
        var own = new Option<string?>("--own-collection-notice") { Description = "on or off: may the creditor send its own inkassovarsel" };
        own.AcceptOnlyFromAmong("on", "off");
        var runAt = new Option<string?>("--run-at") { Description = "Local time HH:mm of the scheduled daily run" };
        var setAccount = new Option<string?>("--account");
        var setKidMethod = new Option<string?>("--kid-method");
        var setKidLength = new Option<int?>("--kid-length");
        var logo = new Option<FileInfo?>("--logo") { Description = "PNG or JPEG logo for letters" };
        var set = new Command("set", "Change the creditor's details and dunning settings") { setName, setEmail, setMode, preNotice, own, runAt, setAccount, setKidMethod, setKidLength, logo };
        Runner.Handle(set, async c =>
        {
            var r = await UpdateCreditor.HandleAsync(c.Db, new UpdateCreditor.Command(c.Creditor, c.Get(setName), c.Get(setEmail), c.Get(setMode), c.Get(preNotice),
                c.Get(own) is { } o ? o == "on" : null, c.Get(runAt), c.Get(setAccount), c.Get(setKidMethod), c.Get(setKidLength),
                c.Get(logo) is { } lf ? (lf.Exists ? await File.ReadAllBytesAsync(lf.FullName, c.Ct) : throw RejectedInputException.Argument("--logo", lf.FullName, "an existing file")) : null,
                c.Get(logo)?.Name), c.Actor, c.Clock, c.Ct);
            if (c.Json) Output.Json(r);
            else AnsiConsole.MarkupLine($"Creditor {r.Creditor.Id}: mode {r.Creditor.DunningMode}, pre-notice {r.PreNoticeDays} days, own inkassovarsel {(r.OwnCollectionNoticeAllowed ? "on" : "off")}, run at {r.RunAt}.");
            return ExitCodes.Ok;
        });
        var show = new Command("show", "Show the creditor and its settings");
        Runner.Handle(show, async c =>
        {
            var r = CreditorSettingsDto.From(await CreditorScope.ResolveAsync(c.Db, c.Creditor, c.Ct));
            if (c.Json) Output.Json(r);
            else AnsiConsole.MarkupLine($"[bold]{Output.Esc(r.Creditor.Name)}[/] ({r.Creditor.Id}) org {Output.Esc(r.Creditor.OrgNumber)} konto {Output.Esc(r.Creditor.AccountNumber)} · KID {r.Creditor.KidMethod}/{r.Creditor.KidLength} · mode {r.Creditor.DunningMode} · pre-notice {r.PreNoticeDays} · own inkassovarsel {(r.OwnCollectionNoticeAllowed ? "on" : "off")} · run at {r.RunAt} · rentenota threshold {r.InterestNoteThreshold}");
            return ExitCodes.Ok;
        });
        return new Command("creditor", "Creditors (tenants)") { add, list, set, show };
    }

    private static Command Customer()
    {
        var search = new Option<string?>("--search") { Description = "Part of the name, or an exact customer or organisation number" };
        var kind = new Option<string?>("--kind") { Description = "private, business or public" };
        var list = new Command("list", "List customers with open balances") { search, kind, Page, PageSize };
        Runner.Handle(list, async c =>
        {
            var r = await ListCustomers.HandleAsync(c.Db, new ListCustomers.Query(c.Creditor, c.Get(search), c.Get(kind), c.Get(Page), c.Get(PageSize)), c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            var t = Output.Table("Kundenr.", "Navn", "Type", "E-post", "Fakturaer", "Åpent", "Kreditsaldo");
            foreach (var x in r.Items) t.AddRow(x.CustomerNumber, Output.Esc(x.Name), x.Kind, Output.Esc(x.Email), x.OpenInvoices.ToString(System.Globalization.CultureInfo.InvariantCulture), x.Open, x.CreditBalance);
            AnsiConsole.Write(t);
            PageLine(r.PageNumber, r.PageSize, r.Total);
            return ExitCodes.Ok;
        });
        var number = new Argument<string>("customer-number") { Description = "The customer number" };
        var show = new Command("show", "Show one customer with invoices, payments and history") { number };
        Runner.Handle(show, async c =>
        {
            var r = await ShowCustomer.HandleAsync(c.Db, new ShowCustomer.Query(c.Creditor, c.Get(number)!), c.Clock, c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            var x = r.Customer;
            AnsiConsole.MarkupLine($"[bold]{Output.Esc(x.Name)}[/] (kunde {x.CustomerNumber}, {x.Kind}) {Output.Esc(x.OrgNumber)}");
            AnsiConsole.MarkupLine($"{Output.Esc(x.Address)}, {Output.Esc(x.PostalCode)} {Output.Esc(x.City)} · {Output.Esc(x.Email)} · språk {x.Language} · kanal {x.PreferredChannel}");
            AnsiConsole.MarkupLine($"Åpent [bold]{x.Open}[/] · kreditsaldo {x.CreditBalance}");
            InvoiceTable(new Page<InvoiceDto>(r.Invoices, 1, r.Invoices.Count, r.Invoices.Count));
            HistoryTable(r.History);
            return ExitCodes.Ok;
        });
        return new Command("customer", "Customers (debtors)") { list, show };
    }

    private static Command Invoice()
    {
        var status = new Option<string?>("--status") { Description = "open, overdue, paid, credited, credit_note or written_off" };
        status.AcceptOnlyFromAmong(ListInvoices.Statuses);
        var customer = new Option<string?>("--customer") { Description = "Customer number" };
        var list = new Command("list", "List invoices and credit notes") { status, customer, Page, PageSize };
        Runner.Handle(list, async c =>
        {
            var r = await ListInvoices.HandleAsync(c.Db, new ListInvoices.Query(c.Creditor, c.Get(status), c.Get(customer), c.Get(Page), c.Get(PageSize)), c.Clock, c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            InvoiceTable(r);
            PageLine(r.PageNumber, r.PageSize, r.Total);
            return ExitCodes.Ok;
        });
        var number = new Argument<string>("number") { Description = "Invoice or credit note number" };
        var show = new Command("show", "Show one invoice with allocations and history") { number };
        Runner.Handle(show, async c =>
        {
            var r = await ShowInvoice.HandleAsync(c.Db, new ShowInvoice.Query(c.Creditor, c.Get(number)!), c.Clock, c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            var i = r.Invoice;
            AnsiConsole.MarkupLine($"[bold]{i.Type} {i.Number}[/] · {Output.Esc(i.CustomerName)} ({i.CustomerNumber}) · {i.Status}");
            AnsiConsole.MarkupLine($"Dato {i.IssueDate:dd.MM.yyyy} · forfall {i.DueDate:dd.MM.yyyy} · beløp {i.Amount} {i.Currency} · åpent [bold]{i.Open}[/] · KID {i.Kid}");
            var t = Output.Table("Dato", "Fra", "Beløp", "Reversert");
            foreach (var a in r.Allocations) t.AddRow(a.Date.ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture), a.PaymentId is { } p ? $"innbetaling {p}" : $"kreditnota {a.CreditNoteNumber}", a.Amount, a.Reversed ? "ja" : "");
            if (r.Allocations.Count > 0) AnsiConsole.Write(t);
            HistoryTable(r.History);
            return ExitCodes.Ok;
        });
        return new Command("invoice", "Invoices and credit notes") { list, show };
    }

    private static Command Import()
    {
        var cmd = new Command("import", "Import customers, invoices or payments from a file (all-or-nothing, idempotent)");
        cmd.Subcommands.Add(ImportCommand("customers", "Import customers from CSV", (c, name, bytes, p) => ImportCustomers.HandleAsync(c.Db, new(name, bytes, c.Creditor), c.Actor, c.Clock, c.Ct, p)));
        // "invoices" (CSV, EHF, SAF-T) is attached by InvoiceImportCommands, "payments" by PaymentCommands.
        return cmd;
    }

    internal static Command ImportCommand(string name, string description, Func<CliContext, string, byte[], IProgress<(int, int)>?, Task<ImportResult>> handler)
    {
        var file = new Argument<FileInfo>("file") { Description = "The file to import" };
        var cmd = new Command(name, description) { file };
        Runner.Handle(cmd, async c =>
        {
            var f = c.Get(file)!;
            if (!f.Exists) throw RejectedInputException.Argument("file", f.FullName, "an existing file");
            var bytes = await File.ReadAllBytesAsync(f.FullName, c.Ct);
            var r = await c.WithProgressAsync($"Importerer {f.Name}", p => handler(c, f.Name, bytes, p));
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            if (r.AlreadyImported) AnsiConsole.MarkupLine($"[yellow]Already imported[/]: {Output.Esc(r.Notes?.FirstOrDefault())}");
            else AnsiConsole.MarkupLine($"Imported {Output.Esc(r.File)} ({r.Format}): {r.Records} records, {r.Created} created, {r.Updated} updated, {r.Unchanged} unchanged.");
            if (r.Totals is not null) foreach (var kv in r.Totals) AnsiConsole.MarkupLine($"  {kv.Key}: {kv.Value}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Ledger()
    {
        var customer = new Option<string?>("--customer") { Description = "Customer number" };
        var balance = new Command("balance", "Open balance, credit balance and totals per customer") { customer, Page, PageSize };
        Runner.Handle(balance, async c =>
        {
            var r = await LedgerBalance.HandleAsync(c.Db, new LedgerBalance.Query(c.Creditor, c.Get(customer), c.Get(Page), c.Get(PageSize)), c.Ct);
            if (c.Json) { Output.Json(r); return ExitCodes.Ok; }
            AnsiConsole.MarkupLine($"Fakturert {r.Invoiced} · kreditert {r.Credited} · innbetalt {r.Paid} {r.Currency}");
            AnsiConsole.MarkupLine($"Åpent [bold]{r.Open}[/] · kreditsaldo {r.CreditBalance} · netto [bold]{r.Net}[/] ({r.Customers} kunder med saldo)");
            var t = Output.Table("Kundenr.", "Navn", "Fakturaer", "Åpent", "Kreditsaldo", "Netto");
            foreach (var l in r.Lines.Items) t.AddRow(l.CustomerNumber, Output.Esc(l.Name), l.OpenInvoices.ToString(System.Globalization.CultureInfo.InvariantCulture), l.Open, l.CreditBalance, l.Net);
            AnsiConsole.Write(t);
            PageLine(r.Lines.PageNumber, r.Lines.PageSize, r.Lines.Total);
            return ExitCodes.Ok;
        });
        return new Command("ledger", "The customer ledger (reskontro)") { balance };
    }

    internal static void InvoiceTable(Page<InvoiceDto> page)
    {
        var t = Output.Table("Nr.", "Type", "Kunde", "Dato", "Forfall", "Beløp", "Åpent", "Status", "Dager");
        foreach (var i in page.Items)
            t.AddRow(i.Number, i.Type, Output.Esc($"{i.CustomerNumber} {i.CustomerName}"), i.IssueDate.ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture),
                i.DueDate?.ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture) ?? "", i.Amount, i.Open, i.Status, i.DaysOverdue > 0 ? i.DaysOverdue.ToString(System.Globalization.CultureInfo.InvariantCulture) : "");
        AnsiConsole.Write(t);
    }

    internal static void HistoryTable(IReadOnlyList<HistoryDto> history)
    {
        if (history.Count == 0) return;
        var t = Output.Table("Tid", "Hvem", "Hva", "Tekst");
        foreach (var h in history) t.AddRow(h.At.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), Output.Esc(h.Actor), h.Kind, Output.Esc(h.Text));
        AnsiConsole.Write(t);
    }

    internal static void PageLine(int page, int size, int total)
    {
        var pages = Math.Max(1, (total + size - 1) / size);
        AnsiConsole.MarkupLine($"[grey]page {page} of {pages} ({total} rows); --page N for more[/]");
    }
}
