using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Purr.Core.Dunning;
using Purr.Data;

namespace Purr.Features.Dunning;

/// <summary>
/// Applies decisions to the ledger: notices, fee charges, outbox letters, list moves, history. Works in chunks of
/// whole customers, one transaction each, so a customer's grouped letter is never split across a crash.
/// </summary>
/// <remarks>
/// The rows are written by <see cref="RunWriter"/> (prepared or batched ADO.NET commands in the context's transaction),
/// not through the change tracker: a run writes hundreds of thousands of rows. Invoices are not loaded: a list move is
/// one UPDATE that changes the list and its entry day only when the stored list differs.
/// </remarks>
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
        // One open connection for the whole run, so that the writer's prepared commands live across the chunks.
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            using var writer = RunWriter.Create(db);
            foreach (var chunk in ChunksByCustomer(work, ChunkSize))
            {
                chunkNo++;
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                var chunkLetters = new Dictionary<string, Letter>(StringComparer.Ordinal);
                var rows = new List<RunWriter.ClaimWrite>(chunk.Count);
                foreach (var d in chunk)
                {
                    var claim = d.Claim;
                    var invoiceId = claim.State.ClaimId.Value;
                    // The list (and the day it was entered) change only when the stored list differs; a handover is dated.
                    var listCode = ListCodes.Of(d.List);
                    if (d.Decision is not DunningDecision.TakeStep t)
                    {
                        rows.Add(new RunWriter.ClaimWrite(invoiceId, listCode, null, null, null, null));
                        continue;
                    }
                    Letter? letter = null;
                    if (t.Kind != StepKind.Handover)
                    {
                        var key = t.GroupKey.ToString();
                        if (!chunkLetters.TryGetValue(key, out letter))
                        {
                            letter = new Letter
                            {
                                CreditorId = creditor.Id, CustomerId = t.CustomerId.Value, GroupKey = key, Kind = ListCodes.Of(t.Kind), Template = t.Template,
                                Channel = ChannelFor(t.Channel, claim.PreferredChannel), LetterDate = t.SentOn, Deadline = t.Deadline, Currency = claim.Currency, RunId = runId, CreatedAt = now,
                            };
                            chunkLetters[key] = letter;
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
                        CreditorId = creditor.Id, InvoiceId = invoiceId, CustomerId = t.CustomerId.Value, StepIndex = t.StepIndex, Kind = ListCodes.Of(t.Kind),
                        PlanCode = d.Plan.Code, SentOn = t.SentOn, Deadline = t.Deadline, Fee = t.Fee.ToMinorUnits(), FeeReason = t.FeeReason,
                        Outstanding = t.Outstanding.ToMinorUnits(), Currency = claim.Currency, Letter = letter, RunId = runId, Manual = t.Manual, CreatedAt = now,
                    };
                    var charge = !t.Fee.IsPositive ? null : new Charge
                    {
                        CreditorId = creditor.Id, InvoiceId = invoiceId, Kind = ListCodes.FeeChargeOf(t.Kind), Amount = t.Fee.ToMinorUnits(), Open = t.Fee.ToMinorUnits(),
                        Currency = claim.Currency, Date = t.SentOn, Text = $"{Describe(t)} {t.SentOn:dd.MM.yyyy}", Actor = actor.Name, CreatedAt = now,
                    };
                    var history = new ClaimEvent
                    {
                        CreditorId = creditor.Id, CustomerId = claim.State.CustomerId.Value, InvoiceId = invoiceId, At = now, Actor = actor.Name, Kind = "step_" + ListCodes.Of(t.Kind),
                        Text = $"{Describe(t)} (step {t.StepNumber}, plan {d.Plan.Code}): outstanding {t.Outstanding.ToDecimalString()}, fee {t.Fee.ToDecimalString()}"
                            + (t.FeeReason is { } fr ? $" ({fr})" : "") + (t.Deadline is { } dd ? $", deadline {dd:yyyy-MM-dd}" : ""),
                    };
                    rows.Add(new RunWriter.ClaimWrite(invoiceId, listCode, null, notice, charge, history));
                    steps++;
                }
                // A letter's totals are complete only now; the writer gives every notice its letter's id.
                await writer.WriteChunkAsync(tx.GetDbTransaction(), rows, today, ct);
                foreach (var r in rows)
                    if (r.Notice is { LetterId: { } letterId } n) letterOf[n.InvoiceId] = letterId;
                letters += chunkLetters.Count;
                if (CrashInChunk == chunkNo) Environment.FailFast("PURR_CRASH_IN_CHUNK: simulated crash before commit");
                await tx.CommitAsync(ct);
                if (CrashAfterChunks == chunkNo) Environment.FailFast("PURR_CRASH_AFTER_CHUNKS: simulated crash after commit");
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
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
