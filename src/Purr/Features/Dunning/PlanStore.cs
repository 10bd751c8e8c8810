using Microsoft.EntityFrameworkCore;
using Purr.Core.Dunning;
using Purr.Core.Formats;
using Purr.Core.Rules;
using Purr.Data;
using Purr.Features.Common;

namespace Purr.Features.Dunning;

/// <summary>Loads and stores a creditor's plan catalog (plans + rules). Without a stored catalog the Norwegian default applies.</summary>
public static class PlanStore
{
    public static async Task<PlanCatalog> LoadAsync(PurrDbContext db, CancellationToken ct)
    {
        var row = await db.DunningCatalogs.AsNoTracking().SingleOrDefaultAsync(ct);
        if (row is null) return DefaultPlans.Catalog;
        var read = PlanJson.ReadCatalog(row.Json);
        return read.Value ?? throw new InvalidOperationException(
            "the stored plan catalog is invalid: " + string.Join("; ", read.Errors.Select(e => e.ToString())));
    }

    /// <summary>The rules in force for a creditor: Norwegian law tables, the banking calendar, the creditor's switches.</summary>
    public static RuleSet RulesFor(Creditor creditor) =>
        RuleSet.Norway(Core.Calendar.NorwegianCalendar.Default, new CreditorSwitches { OwnCollectionNoticeAllowed = creditor.OwnCollectionNoticeAllowed });
}

public sealed record PlanSummary(string Code, string Name, bool IsDefault, int PostalDays, string MinimumAmount, string Grouping, IReadOnlyList<string> Steps);
public sealed record PlanIssueDto(string Path, string Message);
public sealed record PlanValidationResult(bool Valid, IReadOnlyList<PlanIssueDto> Errors, IReadOnlyList<PlanIssueDto> Warnings);

/// <summary>purr plan list / show / export.</summary>
public static class ListPlans
{
    public sealed record Result(string DefaultPlan, bool Stored, IReadOnlyList<PlanSummary> Plans, IReadOnlyList<string> Rules);

    public static async Task<Result> HandleAsync(PurrDbContext db, long? creditorId, CancellationToken ct)
    {
        await CreditorScope.ResolveAsync(db, creditorId, ct);
        var stored = await db.DunningCatalogs.AnyAsync(ct);
        var c = await PlanStore.LoadAsync(db, ct);
        return new Result(c.DefaultPlanCode, stored, c.Plans.Select(p => Summary(p, c)).ToList(),
            c.Rules.Select((r, i) => $"{i}: {Describe(r)} → {r.PlanCode}").ToList());
    }

    public static async Task<string> ExportAsync(PurrDbContext db, long? creditorId, string? planCode, CancellationToken ct)
    {
        await CreditorScope.ResolveAsync(db, creditorId, ct);
        var c = await PlanStore.LoadAsync(db, ct);
        if (planCode is null) return PlanJson.Write(c);
        return PlanJson.Write(c.Find(planCode) ?? throw new NotFoundException($"no plan with code {planCode} (see: purr plan list)"));
    }

    internal static PlanSummary Summary(DunningPlan p, PlanCatalog c) => new(p.Code, p.Name, p.Code == c.DefaultPlanCode, p.PostalDays,
        p.MinimumAmount.ToDecimalString(), p.Grouping == LetterGrouping.PerCustomer ? "per_customer" : "per_invoice",
        p.Steps.Select((s, i) => $"{i + 1}. {Describe(s)}").ToList());

    internal static string Describe(DunningStep s)
    {
        var when = s.DaysAfterDue is { } d ? $"{d} days after due" : $"{s.DaysAfterPreviousDeadline} days after the previous deadline";
        var fee = s.Fee.Kind switch { FeeKind.None => "no fee", FeeKind.Legal => "legal fee", _ => $"fee {s.Fee.Amount?.ToDecimalString()}" };
        var deadline = s.Kind == StepKind.Handover ? "" : $", deadline {s.DeadlineDays} days";
        return $"{Kind(s.Kind)} {when}{deadline}, {fee}{(s.IncludeInterest ? ", interest" : "")}";
    }

    internal static string Describe(PlanRule r)
    {
        var parts = new List<string>();
        if (r.CustomerKind is { } k) parts.Add($"kind={k.ToString().ToLowerInvariant()}");
        if (r.Category is { } cat) parts.Add($"category={cat}");
        if (r.MinPriority is { } a) parts.Add($"priority>={a}");
        if (r.MaxPriority is { } b) parts.Add($"priority<={b}");
        if (r.MinAmount is { } m) parts.Add($"amount>={m.ToDecimalString()}");
        if (r.MaxAmount is { } n) parts.Add($"amount<={n.ToDecimalString()}");
        if (r.MinPaymentTermsDays is { } t) parts.Add($"terms>={t}");
        if (r.MaxPaymentTermsDays is { } u) parts.Add($"terms<={u}");
        return parts.Count == 0 ? "always" : string.Join(" and ", parts);
    }

    public static string Kind(StepKind k) => k switch
    {
        StepKind.Reminder => "reminder",
        StepKind.CollectionNotice => "collection_notice",
        StepKind.PaymentDemand => "payment_demand",
        _ => "handover",
    };
}

/// <summary>purr plan validate / import: the whole catalog is validated, every error listed with its path; an invalid catalog is never stored.</summary>
public static class ImportPlans
{
    public static async Task<PlanValidationResult> ValidateAsync(PurrDbContext db, long? creditorId, string fileName, string json, CancellationToken ct)
    {
        var creditor = await CreditorScope.ResolveAsync(db, creditorId, ct);
        return Validate(json, creditor);
    }

    public static async Task<ListPlans.Result> HandleAsync(PurrDbContext db, long? creditorId, string fileName, string json, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var creditor = await CreditorScope.ResolveAsync(db, creditorId, ct);
        var v = Validate(json, creditor);
        if (!v.Valid) throw new RejectedInputException(v.Errors.Select(e => new InputError(fileName, 0, null, null, e.Message, e.Path)).ToList());
        var catalog = PlanJson.ReadCatalog(json).Value!;
        var row = await db.DunningCatalogs.SingleOrDefaultAsync(ct);
        var now = clock.GetUtcNow();
        if (row is null) db.DunningCatalogs.Add(row = new DunningCatalog { CreditorId = creditor.Id, Json = PlanJson.Write(catalog), UpdatedBy = actor.Name });
        row.Json = PlanJson.Write(catalog);
        row.UpdatedAt = now;
        row.UpdatedBy = actor.Name;
        db.ClaimEvents.Add(new ClaimEvent { CreditorId = creditor.Id, At = now, Actor = actor.Name, Kind = "plans_imported", Text = $"plan catalog imported from {Path.GetFileName(fileName)}: {string.Join(", ", catalog.Plans.Select(p => p.Code))}" });
        await db.SaveChangesAsync(ct);
        return await ListPlans.HandleAsync(db, creditor.Id, ct);
    }

    private static PlanValidationResult Validate(string json, Creditor creditor)
    {
        var read = PlanJson.ReadCatalog(json);
        var errors = read.Errors.Select(e => new PlanIssueDto(e.Path, e.Message)).ToList();
        var warnings = read.Warnings.Select(e => new PlanIssueDto(e.Path, e.Message)).ToList();
        if (read.Value is { } c)
        {
            var v = PlanValidator.Validate(c, new CreditorSwitches { OwnCollectionNoticeAllowed = creditor.OwnCollectionNoticeAllowed });
            errors.AddRange(v.Errors.Where(e => !errors.Any(x => x.Path == e.Path && x.Message == e.Message)).Select(e => new PlanIssueDto(e.Path, e.Message)));
            warnings.AddRange(v.Warnings.Where(e => !warnings.Any(x => x.Path == e.Path && x.Message == e.Message)).Select(e => new PlanIssueDto(e.Path, e.Message)));
        }
        return new PlanValidationResult(errors.Count == 0, errors, warnings);
    }
}
