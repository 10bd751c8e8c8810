using Microsoft.EntityFrameworkCore;
using Purr.Core;
using Purr.Core.Formats;
using Purr.Core.Formats.Csv;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Ledger;

namespace Purr.Features.Imports;

/// <summary>
/// Imports invoices and credit notes. All-or-nothing: every record is checked against the file and the ledger (unknown
/// customers, an existing invoice number with different content, a credit note for an unknown invoice), all problems
/// are reported located, and only a clean file is committed, in one transaction. Credit notes are set off against the
/// invoice they credit, else the oldest open ones.
/// </summary>
/// <remarks>
/// <para><b>Set-based and chunked.</b> Nothing is tracked by the context: the records are posted in chunks of
/// <see cref="ChunkSize"/> inside one transaction, each chunk with a few queries (the chunk's numbers already in the
/// ledger, the open invoices of the customers its credit notes touch) and <see cref="BulkWriter"/> writes. Invoices are
/// posted first, then credit notes, so a credit note finds its invoice wherever it is in the file; each chunk is written
/// before the next is read, so later chunks see earlier ones in the database (a number twice in the file, an invoice a
/// credit note credits). Any error rolls the whole transaction back: nothing is written.</para>
/// <para><b>Memory.</b> Nothing per record or per customer is kept for the whole file, only counts and totals: the
/// customers are written in chunks, and each chunk of records looks up the customers it names (and creates the new ones);
/// per-invoice objects live for one chunk only. The records are enumerated twice (invoices, then credit notes) and the
/// customers once, so a caller may stream both.</para>
/// </remarks>
public static class ImportInvoices
{
    public sealed record Command(string FileName, byte[] Content, long? CreditorId);

    /// <summary>
    /// What <see cref="PostAsync"/> hands to a caller that posts more in the same transaction (SAF-T payments): the
    /// import record (saved, with its id) and the chunk size to post in. The customers and the invoices and credit notes
    /// of the file are written (untracked) when it runs; <see cref="CustomerIdsAsync"/> finds the customers' ids.
    /// </summary>
    public sealed record Posted(ImportRecord Import, int ChunkSize);

    /// <summary>The ids of the creditor's customers with these numbers (the context must be scoped to the creditor); numbers not in the ledger are left out.</summary>
    public static async Task<Dictionary<string, long>> CustomerIdsAsync(PurrDbContext db, IEnumerable<string> numbers, CancellationToken ct)
    {
        var list = numbers.Distinct(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? new Dictionary<string, long>(StringComparer.Ordinal)
            : await db.Customers.Where(c => EF.Parameter(list).Contains(c.CustomerNumber)).Select(c => new { c.CustomerNumber, c.Id })
                .ToDictionaryAsync(c => c.CustomerNumber, c => c.Id, StringComparer.Ordinal, ct);
    }

    /// <summary>Records posted per chunk unless <see cref="UseChunkSize"/> or the environment variable PURR_IMPORT_CHUNK says otherwise.</summary>
    public const int DefaultChunkSize = 10_000;

    private static readonly AsyncLocal<int?> ChunkOverride = new();

    /// <summary>The number of records posted per chunk (and per round of queries): a test override, else PURR_IMPORT_CHUNK, else <see cref="DefaultChunkSize"/>.</summary>
    public static int ChunkSize => ChunkSizeOr(DefaultChunkSize);

    /// <summary>The chunk size of an import whose own default is <paramref name="preferred"/>: a test override, else PURR_IMPORT_CHUNK, else <paramref name="preferred"/>.</summary>
    public static int ChunkSizeOr(int preferred) =>
        ChunkOverride.Value ?? (int.TryParse(Environment.GetEnvironmentVariable("PURR_IMPORT_CHUNK"), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : preferred);

    /// <summary>Posts in chunks of <paramref name="size"/> records in this async flow until disposed (tests: several chunks on small files).</summary>
    public static IDisposable UseChunkSize(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        var before = ChunkOverride.Value;
        ChunkOverride.Value = size;
        return new Restore(() => ChunkOverride.Value = before);
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

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
    /// updated first, in chunks (EHF and SAF-T carry the buyer; enumerated once, so it may be streamed); CSV rows must
    /// name a known customer or carry customer_name.
    /// <paramref name="records"/> is enumerated twice (invoices, then credit notes) and may be streamed.
    /// <paramref name="then"/>, when given, runs after the invoices and credit notes are posted, inside the same
    /// transaction (nothing is committed when it throws). <paramref name="count"/>, when given, is the number of records
    /// for progress reports (else it is taken from <paramref name="records"/> when that is a collection). <paramref name="chunkSize"/>, when
    /// given, replaces <see cref="ChunkSize"/> (see <see cref="ChunkSizeOr"/>).
    /// </summary>
    public static async Task<ImportResult> PostAsync(PurrDbContext db, Creditor creditor, string fileName, string format, string sha,
        IEnumerable<InvoiceRecord> records, IEnumerable<CustomerRecord> customers, Actor actor, TimeProvider clock, CancellationToken ct,
        IProgress<(int Done, int Total)>? progress = null, Func<Posted, CancellationToken, Task>? then = null, int? count = null, int? chunkSize = null)
    {
        var posting = new InvoicePosting(db, creditor, actor, clock.GetUtcNow(), fileName, chunkSize ?? ChunkSize, progress,
            count ?? (records.TryGetNonEnumeratedCount(out var total) ? total : 0));
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var import = await posting.StartAsync(format, sha, customers, ct);
        customers = []; // written, and not kept by the posting: the records can go (this method's state lives as long as the import)
        foreach (var chunk in records.Where(r => !r.IsCreditNote).Chunk(posting.ChunkSize)) await posting.PostInvoicesAsync(chunk, ct);
        foreach (var chunk in records.Where(r => r.IsCreditNote).Chunk(posting.ChunkSize)) await posting.PostCreditNotesAsync(chunk, ct);
        if (posting.Errors.Count > 0)
        {
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            throw new RejectedInputException(posting.Errors);
        }
        if (then is not null) await then(new Posted(import, posting.ChunkSize), ct);
        import.Records = posting.Records;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        var totals = posting.Totals.ToDictionary(t => $"{(t.Key.CreditNote ? "credit_notes" : "invoices")}_{t.Key.Currency.Code.ToLowerInvariant()}", t => t.Value.ToDecimalString());
        return new ImportResult("invoices", fileName, format, sha, false, posting.Records, posting.Created, 0, posting.Unchanged, totals);
    }

    /// <summary>The state of one invoice import across its chunks: counts, totals and errors; customers and records are looked up per chunk.</summary>
    private sealed class InvoicePosting(PurrDbContext db, Creditor creditor, Actor actor, DateTimeOffset now, string fileName, int chunkSize,
        IProgress<(int Done, int Total)>? progress, int total)
    {
        private static readonly string[] CustomerColumns =
        [
            nameof(Customer.Name), nameof(Customer.Kind), nameof(Customer.OrganizationNumber), nameof(Customer.Email), nameof(Customer.AddressLine1),
            nameof(Customer.AddressLine2), nameof(Customer.PostalCode), nameof(Customer.City), nameof(Customer.Country), nameof(Customer.PeppolId),
            nameof(Customer.PaymentTermsDays),
        ];
        private static readonly string[] SettlementColumns = [nameof(Invoice.Open), nameof(Invoice.SettledOn), nameof(Invoice.SettledBy)];

        private readonly BulkWriter _writer = new(db);
        private readonly string _file = Path.GetFileName(fileName);
        private ImportRecord _import = null!;
        private long _lastInvoiceId;

        public int ChunkSize { get; } = chunkSize;
        public List<InputError> Errors { get; } = [];
        public int Records { get; private set; }
        public int Created { get; private set; }
        public int Unchanged { get; private set; }
        public Dictionary<(bool CreditNote, Currency Currency), Money> Totals { get; } = [];

        /// <summary>Saves the import record and creates or updates the customers the file describes, a chunk at a time.</summary>
        public async Task<ImportRecord> StartAsync(string format, string sha, IEnumerable<CustomerRecord> customers, CancellationToken ct)
        {
            _import = new ImportRecord { CreditorId = creditor.Id, Kind = "invoices", Format = format, FileName = _file, Sha256 = sha, ImportedAt = now };
            db.Imports.Add(_import);
            await db.SaveChangesAsync(ct);
            foreach (var chunk in customers.Chunk(ChunkSize))
            {
                // A number twice in the file: the later record wins (the row of an earlier chunk is in the ledger by then).
                var rows = await CustomersAsync(chunk.Select(c => c.CustomerNumber), ct);
                var created = new List<Customer>();
                var updated = new HashSet<Customer>();
                foreach (var c in chunk)
                {
                    if (!rows.TryGetValue(c.CustomerNumber, out var row))
                    {
                        rows[c.CustomerNumber] = row = NewCustomer(c.CustomerNumber, c.Name);
                        created.Add(row);
                    }
                    else if (row.Id != 0) updated.Add(row);
                    CopyCustomer(row, c);
                }
                await InsertCustomersAsync(created, ct);
                await _writer.UpdateAsync(updated, CustomerColumns, ct);
            }
            return _import;
        }

        // The customers of the ledger with these numbers, untracked, by number.
        private async Task<Dictionary<string, Customer>> CustomersAsync(IEnumerable<string> numbers, CancellationToken ct)
        {
            var list = numbers.Distinct(StringComparer.Ordinal).ToList();
            return list.Count == 0 ? new Dictionary<string, Customer>(StringComparer.Ordinal)
                : await db.Customers.AsNoTracking().Where(c => EF.Parameter(list).Contains(c.CustomerNumber)).ToDictionaryAsync(c => c.CustomerNumber, StringComparer.Ordinal, ct);
        }

        /// <summary>Checks and writes a chunk of invoices.</summary>
        public async Task PostInvoicesAsync(InvoiceRecord[] chunk, CancellationToken ct)
        {
            var rows = await NewRowsAsync(chunk, DocumentKind.Invoice, ct);
            await InsertInvoicesAsync(rows, ct);
            var events = rows.Select(x => new ClaimEvent
            {
                CreditorId = creditor.Id, CustomerId = x.Row.CustomerId, InvoiceId = x.Row.Id, At = now, Actor = actor.Name, Kind = "imported",
                Text = $"invoice {x.Row.Number} of {x.Record.Amount} imported from {_file} line {x.Record.Line}",
            }).ToList();
            await _writer.InsertAsync(events, ct);
        }

        /// <summary>Checks a chunk of credit notes, sets them off against the invoices they credit (or the oldest open ones) and writes them.</summary>
        public async Task PostCreditNotesAsync(InvoiceRecord[] chunk, CancellationToken ct)
        {
            var rows = await NewRowsAsync(chunk, DocumentKind.CreditNote, ct);
            var creditedNumbers = rows.Select(x => x.Record.CreditsNumber).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            var credited = new Dictionary<string, (long Id, long CustomerId)>(StringComparer.Ordinal);
            if (creditedNumbers.Count > 0)
                foreach (var i in await db.Invoices.AsNoTracking().Where(i => i.Kind == DocumentKind.Invoice && EF.Parameter(creditedNumbers).Contains(i.Number))
                             .Select(i => new { i.Id, i.Number, i.CustomerId }).ToListAsync(ct))
                    credited[i.Number] = (i.Id, i.CustomerId);
            foreach (var (r, row) in rows.Where(x => x.Record.CreditsNumber is not null))
            {
                if (!credited.TryGetValue(r.CreditsNumber!, out var invoice))
                    Errors.Add(Located(fileName, r, "credits_invoice", r.CreditsNumber, "expected the number of an invoice in the ledger or in this file", r.CreditsXPath));
                else if (invoice.CustomerId != row.CustomerId)
                    Errors.Add(Located(fileName, r, "credits_invoice", r.CreditsNumber, $"expected an invoice of customer {r.CustomerNumber}", r.CreditsXPath));
            }

            // The session sets off against the open invoices of the chunk's customers, loaded once, untracked; it hands its rows here.
            var allocations = new List<Allocation>();
            var events = new List<ClaimEvent>();
            var session = new LedgerSession(db, creditor, actor, now, row =>
            {
                switch (row)
                {
                    case Allocation a: allocations.Add(a); break;
                    case ClaimEvent e: events.Add(e); break;
                    default: throw new InvalidOperationException($"setting off a credit note made a {row.GetType().Name} row the invoice import does not write");
                }
            });
            var customerIds = rows.Select(x => x.Row.CustomerId).Distinct().ToList();
            var open = customerIds.Count == 0 ? [] : await db.Invoices.AsNoTracking()
                .Where(i => i.Open > 0 && i.Kind != DocumentKind.CreditNote && EF.Parameter(customerIds).Contains(i.CustomerId)).OrderBy(i => i.Id).ToListAsync(ct);
            session.Preload(open, complete: true);
            var openInvoices = open.Where(i => i.Kind == DocumentKind.Invoice).ToDictionary(i => i.Number, StringComparer.Ordinal);
            foreach (var (r, row) in rows)
            {
                session.Event(row, "imported", $"credit note {row.Number} of {r.Amount} imported from {_file} line {r.Line}");
                await session.ApplyCreditNoteAsync(row, r.CreditsNumber is { } n ? openInvoices.GetValueOrDefault(n) : null, ct);
            }
            await InsertInvoicesAsync(rows, ct);
            _writer.FixForeignKeys(allocations);
            _writer.FixForeignKeys(events);
            await _writer.InsertAsync(allocations, ct);
            await _writer.InsertAsync(events, ct);
            await _writer.UpdateAsync(allocations.Select(a => a.Invoice!).Distinct().ToList(), SettlementColumns, ct);
        }

        // The new rows of a chunk (customers resolved, created ones written); records already in the ledger are unchanged or errors.
        private async Task<List<(InvoiceRecord Record, Invoice Row)>> NewRowsAsync(InvoiceRecord[] chunk, DocumentKind kind, CancellationToken ct)
        {
            var numbers = chunk.Select(r => r.Number).Distinct(StringComparer.Ordinal).ToList();
            var existing = (await db.Invoices.AsNoTracking().Where(i => i.Kind == kind && EF.Parameter(numbers).Contains(i.Number)).ToListAsync(ct))
                .ToDictionary(i => i.Number, StringComparer.Ordinal);
            var customers = await CustomersAsync(chunk.Select(r => r.CustomerNumber), ct);
            var newCustomers = new List<Customer>();
            var rows = new List<(InvoiceRecord, Invoice)>();
            foreach (var r in chunk)
            {
                Records++;
                progress?.Report((Records, total));
                if (!customers.TryGetValue(r.CustomerNumber, out var customer))
                {
                    if (r.CustomerName is null)
                    {
                        Errors.Add(Located(fileName, r, "customer_number", r.CustomerNumber,
                            "expected a known customer number (import customers first, or add a customer_name column to create it)"));
                        continue;
                    }
                    customers[r.CustomerNumber] = customer = NewCustomer(r.CustomerNumber, r.CustomerName);
                    newCustomers.Add(customer);
                }
                var minor = r.Amount.ToMinorUnits();
                if (existing.TryGetValue(r.Number, out var old))
                {
                    var diffs = Differences(old, customer, r, minor);
                    if (diffs.Count == 0) { Unchanged++; continue; }
                    Errors.Add(Located(fileName, r, "invoice_number", r.Number,
                        $"a new invoice number: {(r.IsCreditNote ? "credit note" : "invoice")} {r.Number} is already in the ledger with different content ({string.Join("; ", diffs)})"));
                    continue;
                }
                var row = new Invoice
                {
                    CreditorId = creditor.Id, Customer = customer, CustomerId = customer.Id, Number = r.Number, Kind = kind, IssueDate = r.IssueDate, DueDate = r.DueDate,
                    Amount = minor, Open = minor, Currency = r.Amount.Currency.Code, Kid = r.Kid, Text = r.Text, CreditsNumber = r.CreditsNumber,
                    ImportId = _import.Id, CreatedAt = now,
                };
                rows.Add((r, row));
                existing[r.Number] = row;
                Created++;
                var key = (r.IsCreditNote, r.Amount.Currency);
                Totals[key] = Totals.TryGetValue(key, out var sum) ? sum + r.Amount : r.Amount;
            }
            await InsertCustomersAsync(newCustomers, ct);
            foreach (var (_, row) in rows) row.CustomerId = row.Customer!.Id;
            return rows;
        }

        private Customer NewCustomer(string number, string name) =>
            new() { CreditorId = creditor.Id, CustomerNumber = number, Name = name, CreatedAt = now, UpdatedAt = now };

        private async Task InsertCustomersAsync(List<Customer> rows, CancellationToken ct)
        {
            if (rows.Count == 0) return;
            var after = await db.Customers.IgnoreQueryFilters().MaxAsync(c => (long?)c.Id, ct) ?? 0;
            await _writer.InsertAsync(rows, ct);
            await _writer.LoadIdsAsync(rows, nameof(Customer.CreditorId), creditor.Id, ct, after);
        }

        private async Task InsertInvoicesAsync(List<(InvoiceRecord Record, Invoice Row)> rows, CancellationToken ct)
        {
            if (rows.Count == 0) return;
            var list = rows.Select(x => x.Row).ToList();
            await _writer.InsertAsync(list, ct);
            await _writer.LoadIdsAsync(list, nameof(Invoice.ImportId), _import.Id, ct, _lastInvoiceId);
            _lastInvoiceId = list[^1].Id;
        }
    }

    // CSV rows are located by line and column; documents from XML files by their own file, line and XPath.
    private static InputError Located(string fileName, InvoiceRecord r, string column, string? raw, string expected, string? xpath = null) =>
        r.Source is { } s
            ? new InputError(s.File, s.Line, null, raw, expected, xpath ?? s.XPath)
            : new InputError(fileName, r.Line, column, raw, expected);

    private static List<string> Differences(Invoice old, Customer customer, InvoiceRecord r, long minor)
    {
        var d = new List<string>();
        // A row of this chunk refers to its customer object (a new customer has no id yet); a stored row by id.
        if (old.Customer is { } same ? same != customer : old.CustomerId != customer.Id) d.Add("customer differs");
        if (old.IssueDate != r.IssueDate) d.Add($"issue date {old.IssueDate:yyyy-MM-dd} vs {r.IssueDate:yyyy-MM-dd}");
        if (old.DueDate != r.DueDate) d.Add($"due date {old.DueDate:yyyy-MM-dd} vs {r.DueDate:yyyy-MM-dd}");
        if (old.Amount != minor || old.Currency != r.Amount.Currency.Code) d.Add($"amount {Dto.Amount(old.Amount, old.Currency)} {old.Currency} vs {r.Amount}");
        if ((old.Kid ?? "") != (r.Kid ?? "")) d.Add($"KID {old.Kid} vs {r.Kid}");
        return d;
    }

    private static void CopyCustomer(Customer row, CustomerRecord c)
    {
        row.Name = c.Name;
        row.Kind = Enum.Parse<CustomerKind>(c.Kind, ignoreCase: true);
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
