using Microsoft.EntityFrameworkCore;
using Purr.Core;
using Purr.Core.Formats;
using Purr.Core.Formats.Csv;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Ledger;

namespace Purr.Features.Imports;

/// <summary>
/// Imports invoices and credit notes. All-or-nothing: every record is checked against the file and the ledger first
/// (unknown customers, an existing invoice number with different content, a credit note for an unknown invoice), all
/// problems are reported located, and only a clean file is written, in one transaction. Credit notes are set off
/// against the invoice they credit, else the oldest open ones.
/// </summary>
public static class ImportInvoices
{
    public sealed record Command(string FileName, byte[] Content, long? CreditorId);

    /// <summary>
    /// What <see cref="PostAsync"/> hands to a caller that posts more in the same transaction (SAF-T payments): the
    /// session, the import record (saved, with its id), every invoice and credit note of the file and of the ledger it
    /// looked up, keyed by kind and number, and the customers by number.
    /// </summary>
    public sealed record Posted(LedgerSession Session, ImportRecord Import, IReadOnlyDictionary<(DocumentKind Kind, string Number), Invoice> Invoices,
        IReadOnlyDictionary<string, Customer> Customers);

    /// <summary>Imports an invoices CSV.</summary>
    public static async Task<ImportResult> HandleAsync(PurrDbContext db, Command cmd, Actor actor, TimeProvider clock, CancellationToken ct, IProgress<(int Done, int Total)>? progress = null)
    {
        var creditor = await CreditorScope.ResolveAsync(db, cmd.CreditorId, ct);
        var sha = ImportFiles.Sha256(cmd.Content);
        if (await ImportFiles.FindAsync(db, "invoices", sha, ct) is { } previous) return ImportFiles.Already(previous, cmd.FileName);
        var read = LedgerCsv.ReadInvoices(cmd.FileName, cmd.Content, Currency.Parse(creditor.DefaultCurrency));
        if (!read.Ok) throw new RejectedInputException(read.Errors);
        return await PostAsync(db, creditor, cmd.FileName, "csv-" + read.Dialect, sha, read.Records, [], actor, clock, ct, progress);
    }

    /// <summary>
    /// Checks and posts normalized invoice records (from any format). <paramref name="customers"/> are created or
    /// updated first (EHF and SAF-T carry the buyer); CSV rows must name a known customer or carry customer_name.
    /// <paramref name="then"/>, when given, runs after the invoices and credit notes are posted, inside the same
    /// transaction (nothing is committed when it throws).
    /// </summary>
    public static async Task<ImportResult> PostAsync(PurrDbContext db, Creditor creditor, string fileName, string format, string sha,
        IReadOnlyList<InvoiceRecord> records, IReadOnlyList<CustomerRecord> customers, Actor actor, TimeProvider clock, CancellationToken ct,
        IProgress<(int Done, int Total)>? progress = null, Func<Posted, CancellationToken, Task>? then = null)
    {
        var now = clock.GetUtcNow();
        var errors = new List<InputError>();
        var customerByNumber = await db.Customers.ToDictionaryAsync(c => c.CustomerNumber, ct);
        var numbers = records.Select(r => r.Number).Concat(records.Where(r => r.CreditsNumber is not null).Select(r => r.CreditsNumber!)).Distinct().ToList();
        var existing = new Dictionary<(DocumentKind, string), Invoice>();
        foreach (var chunk in numbers.Chunk(500))
            foreach (var inv in await db.Invoices.Where(i => chunk.Contains(i.Number)).ToListAsync(ct))
                existing[(inv.Kind, inv.Number)] = inv;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var c in customers)
        {
            if (!customerByNumber.TryGetValue(c.CustomerNumber, out var row))
            {
                row = new Customer { CreditorId = creditor.Id, CustomerNumber = c.CustomerNumber, Name = c.Name, CreatedAt = now, UpdatedAt = now };
                db.Customers.Add(row);
                customerByNumber[c.CustomerNumber] = row;
            }
            CopyCustomer(row, c);
        }

        var toAdd = new List<(InvoiceRecord Record, Invoice Row)>();
        int unchanged = 0;
        foreach (var r in records)
        {
            var kind = r.IsCreditNote ? DocumentKind.CreditNote : DocumentKind.Invoice;
            if (!customerByNumber.TryGetValue(r.CustomerNumber, out var customer))
            {
                if (r.CustomerName is null)
                {
                    errors.Add(Located(fileName, r, "customer_number", r.CustomerNumber, "expected a known customer number (import customers first, or add a customer_name column to create it)"));
                    continue;
                }
                customer = new Customer { CreditorId = creditor.Id, CustomerNumber = r.CustomerNumber, Name = r.CustomerName, CreatedAt = now, UpdatedAt = now };
                db.Customers.Add(customer);
                customerByNumber[r.CustomerNumber] = customer;
            }
            var minor = r.Amount.ToMinorUnits();
            if (existing.TryGetValue((kind, r.Number), out var old))
            {
                var diffs = Differences(old, customer, r, minor);
                if (diffs.Count == 0) { unchanged++; continue; }
                errors.Add(Located(fileName, r, "invoice_number", r.Number,
                    $"a new invoice number: {(r.IsCreditNote ? "credit note" : "invoice")} {r.Number} is already in the ledger with different content ({string.Join("; ", diffs)})"));
                continue;
            }
            var row = new Invoice
            {
                CreditorId = creditor.Id, Customer = customer, CustomerId = customer.Id, Number = r.Number, Kind = kind, IssueDate = r.IssueDate,
                DueDate = r.DueDate, Amount = minor, Open = minor, Currency = r.Amount.Currency.Code, Kid = r.Kid, Text = r.Text,
                CreditsNumber = r.CreditsNumber, CreatedAt = now,
            };
            toAdd.Add((r, row));
            existing[(kind, r.Number)] = row;
        }
        foreach (var (r, row) in toAdd.Where(x => x.Record.IsCreditNote && x.Record.CreditsNumber is not null))
        {
            if (!existing.TryGetValue((DocumentKind.Invoice, r.CreditsNumber!), out var credited))
                errors.Add(Located(fileName, r, "credits_invoice", r.CreditsNumber, "expected the number of an invoice in the ledger or in this file", r.CreditsXPath));
            else if (credited.Customer != row.Customer && credited.CustomerId != row.Customer!.Id)
                errors.Add(Located(fileName, r, "credits_invoice", r.CreditsNumber, $"expected an invoice of customer {r.CustomerNumber}", r.CreditsXPath));
        }
        if (errors.Count > 0)
        {
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            throw new RejectedInputException(errors);
        }

        // New customers (and the import record) get their ids now, inside the transaction: the session keys open items by customer id.
        var import = new ImportRecord { CreditorId = creditor.Id, Kind = "invoices", Format = format, FileName = Path.GetFileName(fileName), Sha256 = sha, Records = records.Count, ImportedAt = now };
        db.Imports.Add(import);
        await db.SaveChangesAsync(ct);
        foreach (var (_, row) in toAdd) row.CustomerId = row.Customer!.Id;
        var session = new LedgerSession(db, creditor, actor, now);
        var done = 0;
        // Invoices first, so credit notes and payments later in the same file find them.
        foreach (var (r, row) in toAdd.Where(x => !x.Record.IsCreditNote))
        {
            db.Invoices.Add(row);
            await session.TrackNewInvoiceAsync(row, ct);
            session.Event(row, "imported", $"invoice {row.Number} of {r.Amount} imported from {Path.GetFileName(fileName)} line {r.Line}");
            progress?.Report((++done, toAdd.Count));
        }
        foreach (var (r, row) in toAdd.Where(x => x.Record.IsCreditNote))
        {
            db.Invoices.Add(row);
            session.Event(row, "imported", $"credit note {row.Number} of {r.Amount} imported from {Path.GetFileName(fileName)} line {r.Line}");
            var credited = r.CreditsNumber is null ? null : existing[(DocumentKind.Invoice, r.CreditsNumber)];
            await session.ApplyCreditNoteAsync(row, credited, ct);
            progress?.Report((++done, toAdd.Count));
        }
        if (then is not null) await then(new Posted(session, import, existing, customerByNumber), ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var totals = toAdd.GroupBy(x => (x.Record.IsCreditNote, x.Record.Amount.Currency))
            .ToDictionary(g => $"{(g.Key.IsCreditNote ? "credit_notes" : "invoices")}_{g.Key.Currency.Code.ToLowerInvariant()}",
                g => g.Aggregate(Money.Zero(g.Key.Currency), (s, x) => s + x.Record.Amount).ToDecimalString());
        return new ImportResult("invoices", fileName, format, sha, false, records.Count, toAdd.Count, 0, unchanged, totals);
    }

    // CSV rows are located by line and column; documents from XML files by their own file, line and XPath.
    private static InputError Located(string fileName, InvoiceRecord r, string column, string? raw, string expected, string? xpath = null) =>
        r.Source is { } s
            ? new InputError(s.File, s.Line, null, raw, expected, xpath ?? s.XPath)
            : new InputError(fileName, r.Line, column, raw, expected);

    private static List<string> Differences(Invoice old, Customer customer, InvoiceRecord r, long minor)
    {
        var d = new List<string>();
        if (old.CustomerId != customer.Id) d.Add($"customer differs");
        if (old.IssueDate != r.IssueDate) d.Add($"issue date {old.IssueDate:yyyy-MM-dd} vs {r.IssueDate:yyyy-MM-dd}");
        if (old.DueDate != r.DueDate) d.Add($"due date {old.DueDate:yyyy-MM-dd} vs {r.DueDate:yyyy-MM-dd}");
        if (old.Amount != minor || old.Currency != r.Amount.Currency.Code) d.Add($"amount {Dto.Amount(old.Amount, old.Currency)} {old.Currency} vs {r.Amount}");
        if ((old.Kid ?? "") != (r.Kid ?? "")) d.Add($"KID {old.Kid} vs {r.Kid}");
        return d;
    }

    private static void CopyCustomer(Customer row, CustomerRecord c)
    {
        row.Name = c.Name;
        row.Kind = Enum.Parse<Data.CustomerKind>(c.Kind, ignoreCase: true);
        row.OrganizationNumber = c.OrganizationNumber ?? row.OrganizationNumber;
        row.Email = c.Email ?? row.Email;
        row.AddressLine1 = c.AddressLine1 ?? row.AddressLine1;
        row.AddressLine2 = c.AddressLine2 ?? row.AddressLine2;
        row.PostalCode = c.PostalCode ?? row.PostalCode;
        row.City = c.City ?? row.City;
        row.Country = c.Country;
        row.PeppolId = c.PeppolId ?? row.PeppolId;
        row.PaymentTermsDays = c.PaymentTermsDays ?? row.PaymentTermsDays;
    }
}
