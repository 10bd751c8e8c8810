using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Purr.Data;

namespace Purr.Features.Imports;

/// <summary>What every import reports. <see cref="BalanceDifferences"/> is set by the SAF-T import only (findings, not errors).</summary>
public sealed record ImportResult(
    string Kind, string File, string Format, string Sha256, bool AlreadyImported, int Records, int Created, int Updated, int Unchanged,
    IReadOnlyDictionary<string, string>? Totals = null, IReadOnlyList<string>? Notes = null,
    IReadOnlyList<BalanceDifferenceDto>? BalanceDifferences = null);

/// <summary>Shared steps of the file imports: hashing, "already imported", and the import record.</summary>
public static class ImportFiles
{
    /// <summary>SHA-256 of the file content, lower-case hex.</summary>
    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The earlier import of the same content for this creditor and kind, if any.</summary>
    public static Task<ImportRecord?> FindAsync(PurrDbContext db, string kind, string sha, CancellationToken ct) =>
        db.Imports.SingleOrDefaultAsync(i => i.Kind == kind && i.Sha256 == sha, ct);

    /// <summary>The result for a file seen before: nothing changes.</summary>
    public static ImportResult Already(ImportRecord previous, string file) =>
        new(previous.Kind, file, previous.Format, previous.Sha256, true, previous.Records, 0, 0, previous.Records,
            Notes: [$"already imported on {previous.ImportedAt:yyyy-MM-dd HH:mm} UTC as '{previous.FileName}': nothing changed"]);
}
