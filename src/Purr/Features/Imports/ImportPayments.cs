using Microsoft.EntityFrameworkCore;
using Purr.Core;
using Purr.Core.Formats;
using Purr.Core.Formats.Csv;
using Purr.Core.Identifiers;
using Purr.Data;
using Purr.Features.Common;
using Purr.Features.Ledger;

namespace Purr.Features.Imports;

/// <summary>
/// Imports payments and allocates them. Matching: the invoice number given with the payment, else a valid KID equal
/// to an invoice's KID, else the customer number (oldest invoices first); the rest waits in the unmatched queue.
/// A bank reference seen before is a duplicate and is skipped. All-or-nothing per file.
/// </summary>
public static class ImportPayments
{
    public sealed record Command(string FileName, byte[] Content, long? CreditorId);

    public static async Task<ImportResult> HandleAsync(PurrDbContext db, Command cmd, Actor actor, TimeProvider clock, CancellationToken ct, IProgress<(int Done, int Total)>? progress = null)
    {
        var creditor = await CreditorScope.ResolveAsync(db, cmd.CreditorId, ct);
        var sha = ImportFiles.Sha256(cmd.Content);
        if (await ImportFiles.FindAsync(db, "payments", sha, ct) is { } previous) return ImportFiles.Already(previous, cmd.FileName);
        var read = LedgerCsv.ReadPayments(cmd.FileName, cmd.Content, Currency.Parse(creditor.DefaultCurrency));
        if (!read.Ok) throw new RejectedInputException(read.Errors);

        var now = clock.GetUtcNow();
        var errors = new List<InputError>();
        var customers = await db.Customers.ToDictionaryAsync(c => c.CustomerNumber, ct);
        var refs = read.Records.Where(r => r.Reference is not null).Select(r => r.Reference!).ToList();
        var seenRefs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in refs.Chunk(500))
            seenRefs.UnionWith(await db.Payments.Where(p => p.BankReference != null && chunk.Contains(p.BankReference)).Select(p => p.BankReference!).ToListAsync(ct));
        foreach (var r in read.Records)
            if (r.CustomerNumber is not null && !customers.ContainsKey(r.CustomerNumber))
                errors.Add(new InputError(cmd.FileName, r.Line, "customer_number", r.CustomerNumber, "expected a known customer number"));
        if (errors.Count > 0) throw new RejectedInputException(errors);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var session = new LedgerSession(db, creditor, actor, now);
        var import = new ImportRecord { CreditorId = creditor.Id, Kind = "payments", Format = "csv-" + read.Dialect, FileName = Path.GetFileName(cmd.FileName), Sha256 = sha, Records = read.Records.Count, ImportedAt = now };
        db.Imports.Add(import);
        await db.SaveChangesAsync(ct);
        var counts = new Dictionary<string, int> { ["invoice_number"] = 0, ["kid"] = 0, ["customer"] = 0, ["unmatched"] = 0, ["duplicates"] = 0 };
        var done = 0;
        foreach (var r in read.Records)
        {
            progress?.Report((++done, read.Records.Count));
            if (r.Reference is not null && seenRefs.Contains(r.Reference)) { counts["duplicates"]++; continue; }
            var minor = r.Amount.ToMinorUnits();
            var p = new Payment
            {
                CreditorId = creditor.Id, PaymentDate = r.Date, Amount = minor, Unallocated = minor, Currency = r.Amount.Currency.Code, Kid = r.Kid,
                InvoiceNumber = r.InvoiceNumber, BankReference = r.Reference, PayerName = r.PayerName, PayerAccount = r.PayerAccount, Text = r.Text,
                Source = "csv", ImportId = import.Id, CreatedAt = now,
            };
            db.Payments.Add(p);
            var (invoice, method) = await FindInvoiceAsync(db, r, ct);
            if (invoice is not null)
            {
                p.MatchMethod = method;
                await session.AllocatePaymentAsync(p, invoice.CustomerId, invoice, ct);
                counts[method]++;
            }
            else if (r.CustomerNumber is not null)
            {
                p.MatchMethod = "customer";
                await session.AllocatePaymentAsync(p, customers[r.CustomerNumber].Id, null, ct);
                counts["customer"]++;
            }
            else
            {
                counts["unmatched"]++;
            }
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var totals = counts.ToDictionary(kv => kv.Key, kv => kv.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var g in read.Records.GroupBy(r => r.Amount.Currency))
            totals["total_" + g.Key.Code.ToLowerInvariant()] = g.Aggregate(Money.Zero(g.Key), (s, x) => s + x.Amount).ToDecimalString();
        return new ImportResult("payments", cmd.FileName, "csv-" + read.Dialect, sha, false, read.Records.Count,
            read.Records.Count - counts["duplicates"], 0, counts["duplicates"], totals);
    }

    private static async Task<(Invoice? Invoice, string Method)> FindInvoiceAsync(PurrDbContext db, PaymentRecord r, CancellationToken ct)
    {
        if (r.InvoiceNumber is not null &&
            await db.Invoices.FirstOrDefaultAsync(i => i.Number == r.InvoiceNumber && i.Kind != DocumentKind.CreditNote, ct) is { } byNumber)
            return (byNumber, "invoice_number");
        if (r.Kid is not null && Kid.IsValid(r.Kid) &&
            await db.Invoices.FirstOrDefaultAsync(i => i.Kid == r.Kid && i.Kind != DocumentKind.CreditNote, ct) is { } byKid)
            return (byKid, "kid");
        return (null, "unmatched");
    }
}
