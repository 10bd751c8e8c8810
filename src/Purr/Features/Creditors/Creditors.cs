using Microsoft.EntityFrameworkCore;
using Purr.Core.Formats;
using Purr.Core.Identifiers;
using Purr.Data;
using Purr.Features.Common;

namespace Purr.Features.Creditors;

/// <summary>Adds a creditor (tenant). Organisation and account numbers are validated with their check digits.</summary>
public static class AddCreditor
{
    public sealed record Command(string Name, string? OrgNumber, string? AccountNumber, string? Email, string? Address,
        string? PostalCode, string? City, string? KidMethod = null, int? KidLength = null, string? DunningMode = null);

    public static async Task<CreditorDto> HandleAsync(PurrDbContext db, Command cmd, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var errors = new List<InputError>();
        string? org = null, account = null;
        if (string.IsNullOrWhiteSpace(cmd.Name)) errors.Add(new InputError("(command)", 0, "--name", cmd.Name, "expected a name"));
        if (cmd.OrgNumber is not null)
        {
            if (OrganizationNumber.TryParse(cmd.OrgNumber, out var o, out var why)) org = o.Value;
            else errors.Add(new InputError("(command)", 0, "--org-number", cmd.OrgNumber, $"expected an organisation number ({why})"));
        }
        if (cmd.AccountNumber is not null)
        {
            if (Purr.Core.Identifiers.AccountNumber.TryParse(cmd.AccountNumber, out var a, out var why)) account = a.Value;
            else errors.Add(new InputError("(command)", 0, "--account", cmd.AccountNumber, $"expected a bank account number ({why})"));
        }
        var kidMethod = (cmd.KidMethod ?? "mod10").ToLowerInvariant() switch
        {
            "mod10" => "Mod10",
            "mod11" => "Mod11",
            _ => null,
        };
        if (kidMethod is null) errors.Add(new InputError("(command)", 0, "--kid-method", cmd.KidMethod, "expected mod10 or mod11"));
        if (cmd.KidLength is { } len && (len < 4 || len > 25)) errors.Add(new InputError("(command)", 0, "--kid-length", len.ToString(System.Globalization.CultureInfo.InvariantCulture), "expected a KID length from 4 to 25"));
        DunningMode mode = Data.DunningMode.Automatic;
        if (cmd.DunningMode is not null && !Enum.TryParse(cmd.DunningMode, true, out mode))
            errors.Add(new InputError("(command)", 0, "--mode", cmd.DunningMode, "expected automatic or manual"));
        if (errors.Count > 0) throw new RejectedInputException(errors);

        var c = new Creditor
        {
            Name = cmd.Name.Trim(), OrganizationNumber = org, AccountNumber = account, Email = cmd.Email, AddressLine1 = cmd.Address,
            PostalCode = cmd.PostalCode, City = cmd.City, KidMethod = kidMethod!, KidLength = cmd.KidLength ?? 10, DunningMode = mode,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Creditors.Add(c);
        await db.SaveChangesAsync(ct);
        db.ClaimEvents.Add(new ClaimEvent { CreditorId = c.Id, At = c.CreatedAt, Actor = actor.Name, Kind = "creditor_created", Text = $"creditor {c.Name} created" });
        await db.SaveChangesAsync(ct);
        return Dto.From(c);
    }
}

/// <summary>Lists creditors.</summary>
public static class ListCreditors
{
    public static async Task<IReadOnlyList<CreditorDto>> HandleAsync(PurrDbContext db, CancellationToken ct) =>
        (await db.Creditors.OrderBy(c => c.Id).ToListAsync(ct)).Select(Dto.From).ToList();
}
