using Microsoft.EntityFrameworkCore;
using Purr.Data;

namespace Purr.Features.Common;

/// <summary>Picks the creditor a command works on and scopes the context to it (tenancy).</summary>
public static class CreditorScope
{
    /// <summary>
    /// The creditor with <paramref name="id"/>, or the only creditor when none is given. Sets
    /// <see cref="PurrDbContext.CreditorScope"/> so that every later query sees this creditor's rows only.
    /// </summary>
    public static async Task<Creditor> ResolveAsync(PurrDbContext db, long? id, CancellationToken ct)
    {
        Creditor? creditor;
        if (id is { } given)
        {
            creditor = await db.Creditors.SingleOrDefaultAsync(c => c.Id == given, ct)
                ?? throw new NotFoundException($"no creditor with id {given} (see: purr creditor list)");
        }
        else
        {
            var two = await db.Creditors.OrderBy(c => c.Id).Take(2).ToListAsync(ct);
            creditor = two.Count switch
            {
                0 => throw new NotFoundException("there is no creditor yet: run 'purr creditor add' or 'purr demo'"),
                1 => two[0],
                _ => throw new NotFoundException("there are several creditors: name one with --creditor ID (see: purr creditor list)"),
            };
        }
        db.CreditorScope = creditor.Id;
        return creditor;
    }
}
