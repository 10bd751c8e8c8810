using System.CommandLine;
using Purr.Cli;
using Purr.Cli.Commands;

// Redirected output (a file, a pipe, CI logs) gets wide tables instead of Spectre's 80-column default.
if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 200;

var root = new RootCommand("purr — receivables follow-up (purring) for Norwegian businesses");
root.Options.Add(GlobalOptions.Db);
root.Options.Add(GlobalOptions.Json);
root.Options.Add(GlobalOptions.Creditor);
root.Options.Add(GlobalOptions.Today);
foreach (var c in LedgerCommands.All()) root.Subcommands.Add(c);
foreach (var c in DunningCommands.All()) root.Subcommands.Add(c);
foreach (var c in InterestCommands.All()) root.Subcommands.Add(c);
root.Subcommands.Single(c => c.Name == "invoice").Subcommands.Add(InterestCommands.WriteOff());
root.Subcommands.First(c => c.Name == "import").Subcommands.Add(InvoiceImportCommands.Invoices());
PaymentCommands.Register(root);
foreach (var c in InspectCommands.All()) root.Subcommands.Add(c);
return await root.Parse(args).InvokeAsync();
