using Microsoft.EntityFrameworkCore;
using Purr.Core.Formats.Csv;
using Purr.Data;
using Purr.Features.Common;
using Purr.Core;

namespace Purr.Features.Imports;

/// <summary>Imports customers.csv: creates new customers and updates existing ones (by customer number).</summary>
public static class ImportCustomers
{
    public sealed record Command(string FileName, byte[] Content, long? CreditorId);

    public static async Task<ImportResult> HandleAsync(PurrDbContext db, Command cmd, Actor actor, TimeProvider clock, CancellationToken ct, IProgress<(int Done, int Total)>? progress = null)
    {
        var creditor = await CreditorScope.ResolveAsync(db, cmd.CreditorId, ct);
        var sha = ImportFiles.Sha256(cmd.Content);
        if (await ImportFiles.FindAsync(db, "customers", sha, ct) is { } previous) return ImportFiles.Already(previous, cmd.FileName);

        var read = LedgerCsv.ReadCustomers(cmd.FileName, cmd.Content);
        if (!read.Ok) throw new RejectedInputException(read.Errors);

        var now = clock.GetUtcNow();
        var existing = await db.Customers.ToDictionaryAsync(c => c.CustomerNumber, ct);
        int created = 0, updated = 0, unchanged = 0, done = 0;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var r in read.Records)
        {
            if (!existing.TryGetValue(r.CustomerNumber, out var c))
            {
                c = new Customer { CreditorId = creditor.Id, CustomerNumber = r.CustomerNumber, Name = r.Name, CreatedAt = now };
                db.Customers.Add(c);
                created++;
                Apply(c, r, now);
                db.ClaimEvents.Add(new ClaimEvent { CreditorId = creditor.Id, Customer = c, At = now, Actor = actor.Name, Kind = "customer_created", Text = $"customer {r.CustomerNumber} created from {cmd.FileName} line {r.Line}" });
            }
            else if (Apply(c, r, now))
            {
                updated++;
                db.ClaimEvents.Add(new ClaimEvent { CreditorId = creditor.Id, CustomerId = c.Id, At = now, Actor = actor.Name, Kind = "customer_updated", Text = $"customer {r.CustomerNumber} updated from {cmd.FileName} line {r.Line}" });
            }
            else unchanged++;
            progress?.Report((++done, read.Records.Count));
        }
        db.Imports.Add(new ImportRecord { CreditorId = creditor.Id, Kind = "customers", Format = "csv-" + read.Dialect, FileName = Path.GetFileName(cmd.FileName), Sha256 = sha, Records = read.Records.Count, ImportedAt = now });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new ImportResult("customers", cmd.FileName, "csv-" + read.Dialect, sha, false, read.Records.Count, created, updated, unchanged);
    }

    /// <summary>Copies the row onto the customer; true when anything changed.</summary>
    private static bool Apply(Customer c, CustomerRecord r, DateTimeOffset now)
    {
        var kind = Enum.Parse<CustomerKind>(r.Kind, ignoreCase: true);
        var before = (c.Name, c.Kind, c.OrganizationNumber, c.Email, c.Phone, c.AddressLine1, c.AddressLine2, c.PostalCode, c.City, c.Country, c.Category, c.Priority, c.Language, c.PreferredChannel, c.PaymentTermsDays, c.PeppolId);
        (c.Name, c.Kind, c.OrganizationNumber, c.Email, c.Phone, c.AddressLine1, c.AddressLine2, c.PostalCode, c.City, c.Country, c.Category, c.Priority, c.Language, c.PreferredChannel, c.PaymentTermsDays, c.PeppolId) =
            (r.Name, kind, r.OrganizationNumber, r.Email, r.Phone, r.AddressLine1, r.AddressLine2, r.PostalCode, r.City, r.Country, r.Category, r.Priority, r.Language, r.PreferredChannel, r.PaymentTermsDays, r.PeppolId);
        var changed = before != (c.Name, c.Kind, c.OrganizationNumber, c.Email, c.Phone, c.AddressLine1, c.AddressLine2, c.PostalCode, c.City, c.Country, c.Category, c.Priority, c.Language, c.PreferredChannel, c.PaymentTermsDays, c.PeppolId);
        if (changed) c.UpdatedAt = now;
        return changed;
    }
}
