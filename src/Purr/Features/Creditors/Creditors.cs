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

/// <summary>Changes a creditor's details and dunning settings; every change lands in the history.</summary>
public static class UpdateCreditor
{
    public sealed record Command(long? CreditorId, string? Name = null, string? Email = null, string? Mode = null, int? PreNoticeDays = null,
        bool? OwnCollectionNotice = null, string? RunAt = null, string? AccountNumber = null, string? KidMethod = null, int? KidLength = null,
        byte[]? Logo = null, string? LogoFile = null);

    public static async Task<CreditorSettingsDto> HandleAsync(PurrDbContext db, Command cmd, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var c = await CreditorScope.ResolveAsync(db, cmd.CreditorId, ct);
        var errors = new List<InputError>();
        var changes = new List<string>();
        void Err(string opt, string? raw, string expected) => errors.Add(new InputError("(command)", 0, opt, raw, expected));
        if (cmd.Name is { } name) { if (string.IsNullOrWhiteSpace(name)) Err("--name", name, "expected a name"); else { c.Name = name.Trim(); changes.Add("name"); } }
        if (cmd.Email is { } email) { c.Email = email; changes.Add("email"); }
        if (cmd.Mode is { } mode)
        {
            if (Enum.TryParse<DunningMode>(mode, true, out var m)) { c.DunningMode = m; changes.Add($"mode {mode.ToLowerInvariant()}"); }
            else Err("--mode", mode, "expected automatic or manual");
        }
        if (cmd.PreNoticeDays is { } days)
        {
            if (days is < 0 or > 30) Err("--pre-notice-days", days.ToString(System.Globalization.CultureInfo.InvariantCulture), "expected 0 (off) to 30 days");
            else { c.PreNoticeDays = days; changes.Add($"pre-notice {days} days"); }
        }
        if (cmd.OwnCollectionNotice is { } own) { c.OwnCollectionNoticeAllowed = own; changes.Add($"own inkassovarsel {(own ? "on" : "off")}"); }
        if (cmd.RunAt is { } at)
        {
            if (TimeOnly.TryParseExact(at, "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _)) { c.RunAt = at; changes.Add($"run at {at}"); }
            else Err("--run-at", at, "expected a local time HH:mm (Europe/Oslo)");
        }
        if (cmd.AccountNumber is { } acct)
        {
            if (Core.Identifiers.AccountNumber.TryParse(acct, out var a, out var why)) { c.AccountNumber = a.Value; changes.Add("account"); }
            else Err("--account", acct, $"expected a bank account number ({why})");
        }
        if (cmd.KidMethod is { } km)
        {
            var method = km.ToLowerInvariant() switch { "mod10" => "Mod10", "mod11" => "Mod11", _ => null };
            if (method is null) Err("--kid-method", km, "expected mod10 or mod11"); else { c.KidMethod = method; changes.Add($"KID {km}"); }
        }
        if (cmd.KidLength is { } len) { if (len is < 4 or > 25) Err("--kid-length", len.ToString(System.Globalization.CultureInfo.InvariantCulture), "expected 4 to 25"); else c.KidLength = len; }
        if (cmd.Logo is { } logo)
        {
            var png = logo.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]);
            var jpeg = logo.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]);
            if (!png && !jpeg) Err("--logo", cmd.LogoFile, "expected a PNG or JPEG image");
            else if (logo.Length > 2_000_000) Err("--logo", cmd.LogoFile, "expected an image of at most 2 MB");
            else { c.Logo = logo; changes.Add("logo"); }
        }
        if (errors.Count > 0) throw new RejectedInputException(errors);
        if (changes.Count > 0)
            db.ClaimEvents.Add(new ClaimEvent { CreditorId = c.Id, At = clock.GetUtcNow(), Actor = actor.Name, Kind = "creditor_updated", Text = "creditor settings changed: " + string.Join(", ", changes) });
        await db.SaveChangesAsync(ct);
        return CreditorSettingsDto.From(c);
    }
}

/// <summary>A creditor with its dunning and interest settings.</summary>
public sealed record CreditorSettingsDto(CreditorDto Creditor, int PreNoticeDays, bool OwnCollectionNoticeAllowed, string RunAt,
    string InterestNoteThreshold, bool ClaimsStandardCompensation, bool InterestFromDueDate, int? LogoBytes)
{
    public static CreditorSettingsDto From(Creditor c) => new(Dto.From(c), c.PreNoticeDays, c.OwnCollectionNoticeAllowed, c.RunAt,
        Dto.Amount(c.InterestNoteThreshold, c.DefaultCurrency), c.ClaimsStandardCompensation, c.InterestFromDueDate, c.Logo?.Length);
}
