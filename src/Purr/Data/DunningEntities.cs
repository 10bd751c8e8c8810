namespace Purr.Data;

// The dunning engine's rows. Exactly-once rests on two facts written in ONE transaction:
// a notice row per (invoice, step) under a unique index, and the outbox letter that carries it.

/// <summary>A creditor's plans and plan rules, stored as the plan-catalog JSON document (docs/cli.md, purr plan).</summary>
public sealed class DunningCatalog : ICreditorOwned
{
    public long Id { get; set; }
    public long CreditorId { get; set; }
    public required string Json { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}

/// <summary>A dunning step taken on one claim: the natural key (invoice, step index) is unique.</summary>
public sealed class Notice : ICreditorOwned
{
    public long Id { get; set; }
    public long CreditorId { get; set; }
    public long InvoiceId { get; set; }
    public Invoice? Invoice { get; set; }
    public long CustomerId { get; set; }
    public int StepIndex { get; set; }
    /// <summary>reminder, collection_notice, payment_demand, handover.</summary>
    public required string Kind { get; set; }
    public required string PlanCode { get; set; }
    public DateOnly SentOn { get; set; }
    public DateOnly? Deadline { get; set; }
    /// <summary>Fee charged with this notice, minor units (0 when none).</summary>
    public long Fee { get; set; }
    public string? FeeReason { get; set; }
    /// <summary>Principal still unpaid at the send date, minor units.</summary>
    public long Outstanding { get; set; }
    public string Currency { get; set; } = "NOK";
    public long? LetterId { get; set; }
    public Letter? Letter { get; set; }
    public long? RunId { get; set; }
    public bool Manual { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public enum LetterStatus { Queued, Sent, Failed, Cancelled }

/// <summary>The outbox: one letter per customer (grouped) or per claim, written with its notices.</summary>
public sealed class Letter : ICreditorOwned
{
    public long Id { get; set; }
    public long CreditorId { get; set; }
    public long CustomerId { get; set; }
    public Customer? Customer { get; set; }
    /// <summary>The grouping key from the decision (customer/claim/kind/template) plus the send date: unique.</summary>
    public required string GroupKey { get; set; }
    public required string Kind { get; set; }
    public required string Template { get; set; }
    /// <summary>email, letter, ehf.</summary>
    public required string Channel { get; set; }
    public string Language { get; set; } = "nb";
    public DateOnly LetterDate { get; set; }
    public DateOnly? Deadline { get; set; }
    public long Principal { get; set; }
    public long Fees { get; set; }
    public long Interest { get; set; }
    public string Currency { get; set; } = "NOK";
    public LetterStatus Status { get; set; } = LetterStatus.Queued;
    public long? RunId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? DeliveryNote { get; set; }
}

public enum HoldType { Stop, Dispute, Deferral }

/// <summary>A dunning stop (purrestopp), dispute (innsigelse) or deferral (betalingsutsettelse) on an invoice or a whole customer.</summary>
public sealed class DunningHold : ICreditorOwned
{
    public long Id { get; set; }
    public long CreditorId { get; set; }
    public HoldType Type { get; set; }
    public long? InvoiceId { get; set; }
    public long? CustomerId { get; set; }
    public DateOnly From { get; set; }
    /// <summary>Last day held (inclusive); null = until resumed.</summary>
    public DateOnly? Until { get; set; }
    public required string Reason { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Set when ended by hand (resume, dispute resolved): the last held day becomes the day before.</summary>
    public DateTimeOffset? EndedAt { get; set; }
    public string? EndedBy { get; set; }
}

public enum RunStatus { Running, Proposed, Applied, Discarded, Completed }

/// <summary>One daily run (or a manual proposal batch waiting for approval).</summary>
public sealed class DunningRun : ICreditorOwned
{
    public long Id { get; set; }
    public long CreditorId { get; set; }
    public DateOnly Today { get; set; }
    /// <summary>automatic, manual.</summary>
    public required string Mode { get; set; }
    public RunStatus Status { get; set; }
    /// <summary>Pre-notice: the batch is applied on or after this day; items held until then are skipped.</summary>
    public DateOnly? HoldUntil { get; set; }
    public int Steps { get; set; }
    public int Letters { get; set; }
    public required string Actor { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}

/// <summary>A step proposed by a manual or pre-notice run, and whether the creditor held it.</summary>
public sealed class RunItem : ICreditorOwned
{
    public long Id { get; set; }
    public long CreditorId { get; set; }
    public long RunId { get; set; }
    public long InvoiceId { get; set; }
    public int StepIndex { get; set; }
    public required string Kind { get; set; }
    public long Fee { get; set; }
    public DateOnly? Deadline { get; set; }
    public bool Held { get; set; }
}
