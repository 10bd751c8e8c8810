using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Purr.Core;
using Purr.Core.Formats;
using Purr.Core.Formats.Csv;
using Purr.Core.Formats.SafT;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Ledger;

namespace Purr.Features.Imports;

/// <summary>
/// Imports the accounts-receivable side of a SAF-T Financial file (1.30; 1.10/1.20 where they differ): the customers
/// and the customer ledger as the bookkeeper sees it, so that afterwards every customer's balance in Purr equals the
/// closing balance the file states for that customer.
/// </summary>
/// <remarks>
/// <para><b>What is posted.</b> Customers from MasterFiles (CustomerID as customer number, organisation number,
/// address, e-mail, payment terms). Each invoice and credit note the file posts on a customer (GL lines with a
/// CustomerID, grouped by ReferenceNumber) with its <b>original</b> amount, date, due date and KID. A due date missing
/// on the line is the invoice date plus the customer's PaymentTerms/Days. The payments already made are posted as
/// payments (source "saft", dated by ValueDate) and allocated to the invoice with the same ReferenceNumber, or to the
/// opening balance, exactly as <see cref="SafTReader"/> applied them; what a payment leaves over stays as the
/// customer's credit balance. A payment whose ReferenceNumber names no invoice of its customer in the file (or that has no
/// reference) pays the customer's opening balance as far as that is open, and the rest is credit balance: it is never
/// applied to another invoice of the file, even one open in the same posting chunk, because the bookkeeper's ledger did
/// not apply it there (tested in <c>SafTUnappliedPaymentTests</c>). A credit note for an invoice that is not in the file (one from before the period) credits
/// the opening balance, which holds that invoice. A credit booked with VAT under an invoice's number (no credit-note number of its own)
/// becomes a credit note with that number; one without a reference, and an unreferenced debit, get the number
/// "saft-TransactionID-RecordID". A customer's opening balance becomes one item "IB-CustomerID" (an invoice, or a
/// credit note when negative) dated the day before the period starts, <b>without a due date</b>: the file does not
/// say which invoices it consists of, so it is not dunned until someone gives it one.</para>
/// <para><b>Balances.</b> The sum posted per customer is opening balance + the file's movements, which is the closing
/// balance whenever the file reconciles. Each disagreement the reader finds (closing ≠ opening + movements, or ≠ the
/// open items) is reported in the result's <c>balance_differences</c>, not as an error: the file is imported, and what
/// the lines do not explain is posted as one item "AVVIK-CustomerID" per customer (an invoice, or a credit note when
/// negative) dated the last day of the period, without a due date, so that the customer's balance in Purr is the
/// closing balance the accounting system states, and the gap is visible until someone resolves it.</para>
/// <para><b>Streaming and order.</b> The file is read in two passes (<see cref="SafTReader.Scan"/>, then
/// <see cref="SafTScan.Entries"/> each time the records or payments are enumerated, re-opening the source). What the scan
/// keeps per reference and per customer is in temporary files (only what finds it stays in memory), the customers are
/// written and looked up a chunk at a time, and payments out of date order are put in order through temporary files, so
/// memory is one chunk and a few bytes per reference, not the file. Records are posted in file
/// order (invoices before credit notes; a credit note set off oldest open first by due date); payments by date, file
/// order within a date (<see cref="SafTScan.PaymentsByDate"/>), so several payments on one invoice are applied in the
/// order they were made.</para>
/// <para><b>Rejected</b> (nothing written): every error the reader finds (malformed XML, wrong namespace, bad values,
/// unbalanced transactions, control totals), a file about another company than the creditor, and what
/// <see cref="ImportInvoices.PostAsync"/> finds against the ledger. Meant as the initial load of the ledger: a later
/// file whose opening balance differs from an earlier import's is rejected as a number clash on "IB-…", and payments
/// already imported (same TransactionID and RecordID) are skipped.</para>
/// </remarks>
public static class ImportSafT
{
    public sealed record Command(InvoiceSource Source, long? CreditorId);

    /// <summary>
    /// Records and payments posted per chunk unless a test or PURR_IMPORT_CHUNK says otherwise (<see cref="ImportInvoices.ChunkSizeOr"/>).
    /// Smaller than the invoice import's 10 000: what a chunk holds (records, rows, the payments' invoices and ledger rows) lives
    /// across many collections and ends in the old generation, so with 10 000 the peak grew with the number of chunks
    /// (200k invoices on SQLite: 483 MB peak working set against 426 MB with 2 000, for ≈ 11 % more time; docs/performance.md, step 4).
    /// </summary>
    public const int DefaultChunkSize = 2_000;

    public static async Task<ImportResult> HandleAsync(PurrDbContext db, Command cmd, Actor actor, TimeProvider clock, CancellationToken ct,
        IProgress<(int Done, int Total)>? progress = null)
    {
        var creditor = await CreditorScope.ResolveAsync(db, cmd.CreditorId, ct);
        var sha = InvoiceFiles.Sha256([cmd.Source]);
        if (await ImportFiles.FindAsync(db, "invoices", sha, ct) is { } previous) return ImportFiles.Already(previous, cmd.Source.Name);

        // Two streaming passes (SafTReader.Scan, then SafTScan.Entries each time the records or payments are enumerated): the
        // file is re-opened per pass, and nothing per line or per document is kept beyond one chunk.
        // What the scan keeps per reference and customer goes to temporary files (ScratchFile), closed with the scan.
        SafTScan read;
        await using (var stream = cmd.Source.Open()) read = SafTReader.Scan(stream, cmd.Source.Name, ScratchFile);
        using var scan = read;
        var errors = new List<InputError>(read.Errors);
        if (read.Header is { } header && creditor.OrganizationNumber is { } own && header.CompanyOrgNumber is { } company && company != own)
            errors.Add(new InputError(header.Source.File, header.Source.Line, null, company,
                $"expected a SAF-T file of the creditor {creditor.Name} (organisation number {own})", header.Source.XPath + "/Company/RegistrationNumber"));
        if (errors.Count > 0) throw new RejectedInputException(errors);

        var plan = Plan(read, cmd.Source, await CustomerResolver.LoadAsync(db, read.Customers.Select(c => c.Party), ct), clock.Today());
        int payments = 0, duplicates = 0;
        var paid = Money.Zero(read.Header?.DefaultCurrency ?? Currency.Nok);
        var closing = read.Customers.SelectMany(c => c.Balances).Aggregate(Money.Zero(paid.Currency), (sum, b) => sum + b.Closing);

        var result = await ImportInvoices.PostAsync(db, creditor, cmd.Source.Name, InvoiceFiles.SafT, sha, plan.Records, plan.Customers, actor, clock, ct, progress,
            async (posted, token) =>
            {
                var now = clock.GetUtcNow();
                var writer = new BulkWriter(db);
                long lastId = 0;
                foreach (var chunk in plan.Payments.Chunk(posted.ChunkSize))
                {
                    // The invoices the chunk's payments are applied to, loaded once and untracked; the session hands its rows here.
                    // Payments already in the ledger (an earlier import, or an earlier chunk of this one) are skipped.
                    var existingRefs = await ExistingReferencesAsync(db, chunk, token);
                    var customers = await ImportInvoices.CustomerIdsAsync(db, chunk.Select(p => p.CustomerNumber), token);
                    var numbers = chunk.Select(p => TargetNumber(p.Settlement)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
                    var targets = numbers.Count == 0 ? [] : await db.Invoices.AsNoTracking()
                        .Where(i => i.Kind == DocumentKind.Invoice && EF.Parameter(numbers).Contains(i.Number)).ToDictionaryAsync(i => i.Number, StringComparer.Ordinal, token);
                    var rows = new List<Payment>();
                    var allocations = new List<Allocation>();
                    var claimEvents = new List<ClaimEvent>();
                    var accountingEvents = new List<AccountingEvent>();
                    var session = new LedgerSession(db, creditor, actor, now, row =>
                    {
                        switch (row)
                        {
                            case Allocation a: allocations.Add(a); break;
                            case ClaimEvent e: claimEvents.Add(e); break;
                            case AccountingEvent e: accountingEvents.Add(e); break;
                            default: throw new InvalidOperationException($"posting a SAF-T payment made a {row.GetType().Name} row the import does not write");
                        }
                    });
                    session.Preload(targets.Values, complete: true);
                    foreach (var (s, customerNumber, bankReference) in chunk)
                    {
                        if (bankReference is not null && !existingRefs.Add(bankReference)) { duplicates++; continue; }
                        var customerId = customers[customerNumber];
                        var minor = s.Amount.ToMinorUnits();
                        var payment = new Payment
                        {
                            CreditorId = creditor.Id, CustomerId = customerId, PaymentDate = s.Date, Amount = minor, Unallocated = minor,
                            Currency = s.Amount.Currency.Code, Kid = s.Kid, InvoiceNumber = s.Reference, BankReference = bankReference, Text = s.Text,
                            Source = "saft", ImportId = posted.Import.Id, CreatedAt = now,
                            MatchMethod = s.AppliesTo == SettlementTarget.Invoice ? "invoice_number" : "customer",
                        };
                        rows.Add(payment);
                        var target = TargetNumber(s) is { } number ? targets.GetValueOrDefault(number) : null;
                        await session.AllocatePaymentAsync(payment, customerId, target, token, onlyTarget: true);
                        payments++;
                        paid += s.Amount;
                    }
                    await writer.InsertAsync(rows, token);
                    await writer.LoadIdsAsync(rows, nameof(Payment.ImportId), posted.Import.Id, token, lastId);
                    if (rows.Count > 0) lastId = rows[^1].Id;
                    writer.FixForeignKeys(allocations);
                    writer.FixForeignKeys(claimEvents);
                    writer.FixForeignKeys(accountingEvents);
                    await writer.InsertAsync(allocations, token);
                    await writer.InsertAsync(accountingEvents, token);
                    await writer.InsertAsync(claimEvents, token);
                    await writer.UpdateAsync(allocations.Select(a => a.Invoice!).Distinct().ToList(),
                        [nameof(Invoice.Open), nameof(Invoice.SettledOn), nameof(Invoice.SettledBy)], token);
                }
            }, plan.Count, ImportInvoices.ChunkSizeOr(DefaultChunkSize));

        var totals = new Dictionary<string, string>(result.Totals ?? new Dictionary<string, string>())
        {
            ["customers"] = read.Customers.Count.ToString(CultureInfo.InvariantCulture),
            ["payments"] = payments.ToString(CultureInfo.InvariantCulture),
            ["payments_" + paid.Currency.Code.ToLowerInvariant()] = paid.ToDecimalString(),
            ["payment_duplicates"] = duplicates.ToString(CultureInfo.InvariantCulture),
            ["closing_" + paid.Currency.Code.ToLowerInvariant()] = closing.ToDecimalString(),
        };
        return result with
        {
            Totals = totals,
            Notes = plan.Notes,
            BalanceDifferences = read.BalanceDifferences.Select(BalanceDifferenceDto.From).ToList(),
        };
    }

    // The invoice a payment is applied to: the one with its reference, or the customer's opening balance.
    private static string? TargetNumber(SafTSettlement s) => s.AppliesTo switch
    {
        SettlementTarget.Invoice => s.Reference,
        SettlementTarget.OpeningBalance => OpeningNumber(s.CustomerId),
        _ => null,
    };

    /// <summary>The number of a customer's opening-balance item.</summary>
    public static string OpeningNumber(string customerId) => "IB-" + customerId;

    /// <summary>
    /// What the import posts. <see cref="Records"/>, <see cref="Customers"/> and <see cref="Payments"/> are produced from
    /// the scan and the file when enumerated (each time, in the same order), not kept as lists; <see cref="Count"/> is the
    /// number of records.
    /// </summary>
    private sealed record ImportPlan(
        IEnumerable<InvoiceRecord> Records, int Count, IEnumerable<CustomerRecord> Customers,
        IEnumerable<(SafTSettlement Settlement, string CustomerNumber, string? BankReference)> Payments, List<string> Notes);

    private static ImportPlan Plan(SafTScan read, InvoiceSource source, CustomerResolver resolver, DateOnly today)
    {
        var header = read.Header!;
        // The ledger's number for each CustomerID: the CustomerID itself unless the resolver finds the customer under another
        // number (an existing customer with the organisation number); only those are kept. CustomerID is always there, so the
        // resolver never returns null here.
        var renumbered = new Dictionary<string, string>(StringComparer.Ordinal);
        var start = PeriodStart(header, read, today);
        var openingCount = 0;
        foreach (var c in read.Customers)
        {
            var (number, _) = resolver.Resolve(c.Party)!.Value;
            if (number != c.CustomerId) renumbered[c.CustomerId] = number;
            if (!Opening(c).IsZero) openingCount++;
        }
        string NumberOf(string customerId) => renumbered.GetValueOrDefault(customerId) ?? customerId;
        Money Opening(SafTCustomer c) => c.Balances.Aggregate(Money.Zero(header.DefaultCurrency), (s, b) => s + b.Opening);

        // The customers as records, made from the scan's compact store when enumerated (PostAsync writes them in chunks).
        IEnumerable<CustomerRecord> Customers()
        {
            foreach (var c in read.Customers)
            {
                var (number, existing) = resolver.Resolve(c.Party)!.Value;
                yield return DocumentMapping.Customer(c.Party, number, existing, "private", c.Source.Line, c.PaymentTermsDays);
            }
        }
        var notes = new List<string>();

        // The opening balances, one item per customer that has one, made when enumerated.
        IEnumerable<InvoiceRecord> Openings()
        {
            var day = start.AddDays(-1);
            foreach (var c in read.Customers)
            {
                var opening = Opening(c);
                if (opening.IsZero) continue;
                yield return new InvoiceRecord(c.Source.Line, OpeningNumber(c.CustomerId), opening.IsNegative, NumberOf(c.CustomerId), c.Party.Name, day, null,
                    opening.IsNegative ? -opening : opening, null, $"Inngående saldo per {day:dd.MM.yyyy}", null, c.Balances[0].Source);
            }
        }
        if (openingCount > 0)
            notes.Add($"{openingCount} opening balance(s) posted as IB-<customer> dated {start.AddDays(-1):yyyy-MM-dd}, without a due date (not dunned until given one)");

        var withoutPostings = read.UnpostedDocuments().Select(d => d.Number).ToList();
        if (withoutPostings.Count > 0)
            notes.Add($"{withoutPostings.Count} SalesInvoices without postings on a customer account in GeneralLedgerEntries were not imported: " +
                      string.Join(", ", withoutPostings.Take(10)) + (withoutPostings.Count > 10 ? ", …" : ""));

        // The file's documents and lines as records, in file order, made by re-reading the file each time they are enumerated.
        IEnumerable<InvoiceRecord> Lines()
        {
            using var stream = source.Open();
            foreach (var e in read.Entries(stream))
            {
                if (e.Document is { } d)
                {
                    var id = d.Customer.CustomerNumber!;
                    var due = d.DueDate ?? (!d.ActsAsCredit && read.PaymentTermsDays(id) is { } days ? d.IssueDate.AddDays(days) : null);
                    var record = DocumentMapping.Record(d, NumberOf(id), due);
                    // A credit note for an invoice from before the period credits the opening balance, which holds that invoice.
                    if (record.CreditsNumber is { } credited && !read.IsInvoice(id, credited))
                        record = record with { CreditsNumber = read.OpeningBalance(id) is { IsPositive: true } ? OpeningNumber(id) : null };
                    yield return record;
                }
                // A debit without a reference: an invoice without a number of its own.
                if (e.Item is { Kind: OpenItemKind.Invoice, Reference: null } i)
                {
                    var due = i.DueDate ?? (read.PaymentTermsDays(i.CustomerId) is { } days && i.Date is { } issued ? issued.AddDays(days) : null);
                    yield return new InvoiceRecord(i.Source.Line, GeneratedNumber(i.TransactionId, i.RecordId, i.Source), false, NumberOf(i.CustomerId), null,
                        i.Date ?? start, due, i.Original, i.Kid, i.Text, null, i.Source);
                }
                // Credits with VAT but without a credit-note number: one credit note per credited invoice (at its first such line,
                // with their total), one per unreferenced line.
                if (e.Settlement is { Kind: SettlementKind.Credit } s)
                {
                    if (s.Reference is null)
                        yield return new InvoiceRecord(s.Source.Line, GeneratedNumber(s.TransactionId, s.RecordId, s.Source), true, NumberOf(s.CustomerId), null, s.Date, null,
                            s.Amount, null, s.Text, null, s.Source);
                    else if (e.CreditNoteTotal is { } total)
                        yield return new InvoiceRecord(s.Source.Line, s.Reference, true, NumberOf(s.CustomerId), null, s.Date, null, total, null,
                            s.Text, s.AppliesTo == SettlementTarget.Invoice ? s.Reference : null, s.Source);
                }
            }
        }
        var count = openingCount + read.DocumentCount + read.UnreferencedDebitCount + read.CreditedInvoiceCount + read.UnreferencedCreditCount;

        // Payments by date (file order within a date): several payments on one invoice are applied in the order they were made.
        var payments = read.PaymentsByDate(source.Open, ScratchFile)
            .Select(s => (s, NumberOf(s.CustomerId), s.TransactionId is not null && s.RecordId is not null ? $"saft:{s.TransactionId}:{s.RecordId}" : null));

        // What the lines do not explain: one item per customer, so that the ledger ends at the closing balance the file states. What the
        // import posts per customer is the opening balance plus every AR line of the file (documents, credits and payments together).
        var end = PeriodEnd(header, read, today);
        var differences = new List<InvoiceRecord>();
        foreach (var c in read.Customers.Where(c => c.Balances.Count > 0))
        {
            var zero = Money.Zero(header.DefaultCurrency);
            var closing = c.Balances.Aggregate(zero, (sum, b) => sum + b.Closing);
            var posted = c.Balances.Aggregate(zero, (sum, b) => sum + b.Opening) + (read.Movement(c.CustomerId) ?? zero);
            var difference = closing - posted;
            if (difference.IsZero) continue;
            differences.Add(new InvoiceRecord(c.Source.Line, DifferenceNumber(c.CustomerId), difference.IsNegative, NumberOf(c.CustomerId), c.Party.Name, end, null,
                difference.IsNegative ? -difference : difference, null,
                $"Saldoavvik i SAF-T per {end:dd.MM.yyyy}: utgående saldo {closing.ToDecimalString()}, postert {(closing - difference).ToDecimalString()}",
                null, c.Balances[0].Source));
            notes.Add($"customer {c.CustomerId}: the lines do not explain {difference.ToDecimalString()} of the closing balance {closing.ToDecimalString()}; " +
                      $"posted as {DifferenceNumber(c.CustomerId)} without a due date");
        }
        var records = Openings().Concat(Lines()).Concat(differences);
        return new ImportPlan(records, count + differences.Count, Customers(), payments, notes);
    }

    // A temporary file for the scan's aggregates and customers, and for payments being put in date order. On Linux and macOS
    // it is unlinked at once (the open handle keeps it), so nothing is left behind even when the process is killed; on
    // Windows it is deleted when closed. Where no temporary file can be made, memory instead (the import works, holding more).
    private static Stream ScratchFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"purr-saft-{Guid.NewGuid():N}.tmp");
        var windows = OperatingSystem.IsWindows();
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, windows ? FileOptions.DeleteOnClose : FileOptions.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new MemoryStream();
        }
        if (!windows) File.Delete(path);
        return stream;
    }

    /// <summary>The number of a customer's balance-difference item.</summary>
    public static string DifferenceNumber(string customerId) => "AVVIK-" + customerId;

    private static string GeneratedNumber(string? transactionId, string? recordId, SourceLocation source) =>
        transactionId is not null && recordId is not null ? $"saft-{transactionId}-{recordId}" : $"saft-line-{source.Line.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The first day of the file's selection: SelectionStartDate, else the first day of PeriodStart/PeriodStartYear (periods as months), else the earliest posting, else the file's creation date, else today.</summary>
    private static DateOnly PeriodStart(SafTHeader header, SafTScan read, DateOnly today)
    {
        if (header.SelectionStartDate is { } d) return d;
        if (header.PeriodStartYear is { } y && header.PeriodStart is { } p && p is >= 1 and <= 12) return new DateOnly(y, p, 1);
        return read.DateRange?.First ?? header.DateCreated ?? today;
    }

    /// <summary>The last day of the file's selection: SelectionEndDate, else the last day of PeriodEnd/PeriodEndYear (periods as months), else the latest posting.</summary>
    private static DateOnly PeriodEnd(SafTHeader header, SafTScan read, DateOnly today)
    {
        if (header.SelectionEndDate is { } d) return d;
        if (header.PeriodEndYear is { } y && header.PeriodEnd is { } p && p is >= 1 and <= 12) return new DateOnly(y, p, 1).AddMonths(1).AddDays(-1);
        return read.DateRange?.Last ?? header.DateCreated ?? today;
    }

    private static async Task<HashSet<string>> ExistingReferencesAsync(PurrDbContext db, IEnumerable<(SafTSettlement, string, string? BankReference)> payments, CancellationToken ct)
    {
        var refs = payments.Where(p => p.BankReference is not null).Select(p => p.BankReference!).Distinct().ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (refs.Count > 0)
            seen.UnionWith(await db.Payments.AsNoTracking().Where(p => p.BankReference != null && EF.Parameter(refs).Contains(p.BankReference))
                .Select(p => p.BankReference!).ToListAsync(ct));
        return seen;
    }
}

/// <summary>A customer whose closing balance in a SAF-T file disagrees with its lines (see <see cref="BalanceDifference"/>).</summary>
/// <param name="CustomerNumber">The SAF-T CustomerID.</param>
/// <param name="AccountId">The AR account for a per-account check, else null.</param>
/// <param name="Check">"movements" (closing vs opening + movements) or "open_items" (closing vs the sum of the open items).</param>
/// <param name="Expected">The closing balance the file states.</param>
/// <param name="Derived">What the lines give.</param>
/// <param name="Difference">Expected − Derived.</param>
public sealed record BalanceDifferenceDto(string CustomerNumber, string? AccountId, string Check, string Expected, string Derived, string Difference,
    string File, int Line, string? Xpath)
{
    public static BalanceDifferenceDto From(BalanceDifference d) => new(d.CustomerId, d.AccountId,
        d.Check == BalanceCheck.Movements ? "movements" : "open_items", d.Expected.ToDecimalString(), d.Derived.ToDecimalString(),
        d.Difference.ToDecimalString(), d.Source.File, d.Source.Line, d.Source.XPath);
}
