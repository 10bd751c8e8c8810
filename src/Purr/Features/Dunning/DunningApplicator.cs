using Microsoft.EntityFrameworkCore;
using Purr.Core.Dunning;
using Purr.Data;

namespace Purr.Features.Dunning;

/// <summary>
/// Applies decisions to the ledger: notices, fee charges, outbox letters, list moves, history. Works in chunks of
/// whole customers, one transaction each, so a customer's grouped letter is never split across a crash.
/// </summary>
internal static class DunningApplicator
{
    public sealed record Applied(int Steps, int Letters, Dictionary<long, long> LetterOf);

    // Test hooks for the crash tests (never set in production): chunk size, and a hard process exit after a given
    // number of committed chunks or in the middle of a chunk (after its writes, before its commit).
    private static int ChunkSize => int.TryParse(Environment.GetEnvironmentVariable("PURR_RUN_CHUNK"), out var n) && n > 0 ? n : 2000;
    private static int? CrashAfterChunks => int.TryParse(Environment.GetEnvironmentVariable("PURR_CRASH_AFTER_CHUNKS"), out var n) ? n : null;
    private static int? CrashInChunk => int.TryParse(Environment.GetEnvironmentVariable("PURR_CRASH_IN_CHUNK"), out var n) ? n : null;

    public static async Task<Applied> ApplyAsync(PurrDbContext db, Creditor creditor, IReadOnlyList<RunDunning.Decided> decided, long? runId, DateOnly today,
        Purr.Features.Common.Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var work = decided.Where(d => d.Decision is DunningDecision.TakeStep || ListCodes.Of(d.List) != d.Claim.StoredList).ToList();
        var letterOf = new Dictionary<long, long>();
        int steps = 0, letters = 0, chunkNo = 0;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var chunk in ChunksByCustomer(work, ChunkSize))
            {
                chunkNo++;
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                var ids = chunk.Select(d => d.Claim.State.ClaimId.Value).ToList();
                var invoices = await db.Invoices.Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, ct);
                var chunkLetters = new Dictionary<string, Letter>(StringComparer.Ordinal);
                var chunkNotices = new List<(Notice Notice, Letter? Letter)>();
                foreach (var d in chunk)
                {
                    var inv = invoices[d.Claim.State.ClaimId.Value];
                    var listCode = ListCodes.Of(d.List);
                    if (inv.DunningList != listCode)
                    {
                        inv.DunningList = listCode;
                        inv.ListEnteredOn = today;
                        db.Entry(inv).State = EntityState.Modified;
                    }
                    if (d.Decision is not DunningDecision.TakeStep t) continue;
                    Letter? letter = null;
                    if (t.Kind != StepKind.Handover)
                    {
                        var key = t.GroupKey.ToString();
                        if (!chunkLetters.TryGetValue(key, out letter))
                        {
                            letter = new Letter
                            {
                                CreditorId = creditor.Id, CustomerId = t.CustomerId.Value, GroupKey = key, Kind = ListCodes.Of(t.Kind), Template = t.Template,
                                Channel = ChannelFor(t.Channel, d.Claim.PreferredChannel), LetterDate = t.SentOn, Deadline = t.Deadline, Currency = inv.Currency, RunId = runId, CreatedAt = now,
                            };
                            chunkLetters[key] = letter;
                            db.Letters.Add(letter);
                        }
                        letter.Principal += t.Outstanding.ToMinorUnits();
                        letter.Fees += t.Fee.ToMinorUnits();
                        letter.Interest += d.Interest?.ToMinorUnits() ?? 0;
                        if (t.Deadline is { } dl && (letter.Deadline is null || dl > letter.Deadline)) letter.Deadline = dl;
                    }
                    // A handover step makes the claim ready for transfer (Til overføring); HandedOverOn is set only when it
                    // is actually exported to an agency (Hos inkasso).
                    var notice = new Notice
                    {
                        CreditorId = creditor.Id, InvoiceId = inv.Id, CustomerId = t.CustomerId.Value, StepIndex = t.StepIndex, Kind = ListCodes.Of(t.Kind),
                        PlanCode = d.Plan.Code, SentOn = t.SentOn, Deadline = t.Deadline, Fee = t.Fee.ToMinorUnits(), FeeReason = t.FeeReason,
                        Outstanding = t.Outstanding.ToMinorUnits(), Currency = inv.Currency, Letter = letter, RunId = runId, Manual = t.Manual, CreatedAt = now,
                    };
                    db.Notices.Add(notice);
                    chunkNotices.Add((notice, letter));
                    if (t.Fee.IsPositive)
                        db.Charges.Add(new Charge
                        {
                            CreditorId = creditor.Id, InvoiceId = inv.Id, Kind = ListCodes.FeeChargeOf(t.Kind), Amount = t.Fee.ToMinorUnits(), Open = t.Fee.ToMinorUnits(),
                            Currency = inv.Currency, Date = t.SentOn, Text = $"{Describe(t)} {t.SentOn:dd.MM.yyyy}", Actor = actor.Name, CreatedAt = now,
                        });
                    db.ClaimEvents.Add(new ClaimEvent
                    {
                        CreditorId = creditor.Id, CustomerId = inv.CustomerId, InvoiceId = inv.Id, At = now, Actor = actor.Name, Kind = "step_" + ListCodes.Of(t.Kind),
                        Text = $"{Describe(t)} (step {t.StepNumber}, plan {d.Plan.Code}): outstanding {t.Outstanding.ToDecimalString()}, fee {t.Fee.ToDecimalString()}"
                            + (t.FeeReason is { } fr ? $" ({fr})" : "") + (t.Deadline is { } dd ? $", deadline {dd:yyyy-MM-dd}" : ""),
                    });
                    steps++;
                }
                db.ChangeTracker.DetectChanges();
                await db.SaveChangesAsync(ct);
                // Notices refer to their letter; the letter id is known only now.
                foreach (var (n, l) in chunkNotices.Where(x => x.Letter is not null))
                {
                    n.LetterId = l!.Id;
                    letterOf[n.InvoiceId] = l.Id;
                }
                letters += chunkLetters.Count;
                if (CrashInChunk == chunkNo) Environment.FailFast("PURR_CRASH_IN_CHUNK: simulated crash before commit");
                await tx.CommitAsync(ct);
                db.ChangeTracker.Clear();
                if (CrashAfterChunks == chunkNo) Environment.FailFast("PURR_CRASH_AFTER_CHUNKS: simulated crash after commit");
            }
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = true;
        }
        return new Applied(steps, letters, letterOf);
    }

    internal static string Describe(DunningDecision.TakeStep t) => t.Kind switch
    {
        StepKind.Reminder => "purring",
        StepKind.CollectionNotice => "inkassovarsel",
        StepKind.PaymentDemand => "betalingsoppfordring",
        _ => "til overføring (inkasso)",
    };

    /// <summary>The plan step's channel, or the customer's preferred one when the step says "default".</summary>
    private static string ChannelFor(DeliveryChannel channel, string preferred) => channel switch
    {
        DeliveryChannel.Email => "email",
        DeliveryChannel.Letter => "letter",
        DeliveryChannel.Ehf => "ehf",
        _ => preferred,
    };

    /// <summary>Splits the work into chunks that never split one customer.</summary>
    private static IEnumerable<List<RunDunning.Decided>> ChunksByCustomer(List<RunDunning.Decided> work, int size)
    {
        var chunk = new List<RunDunning.Decided>();
        foreach (var group in work.GroupBy(d => d.Claim.State.CustomerId.Value).OrderBy(g => g.Key))
        {
            if (chunk.Count > 0 && chunk.Count + group.Count() > size) { yield return chunk; chunk = []; }
            chunk.AddRange(group.OrderBy(d => d.Claim.State.ClaimId.Value));
        }
        if (chunk.Count > 0) yield return chunk;
    }
}
