namespace Purr.Core;

// Typed ids: a customer id can never be passed where an invoice id is expected.
// Database ids are 64-bit identities; every imported record also keeps its natural key
// (invoice number, bank reference, KID) with a unique index per creditor.

/// <summary>Identifies a creditor (tenant).</summary>
public readonly record struct CreditorId(long Value) { public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture); }
/// <summary>Identifies a customer (debtor) of a creditor.</summary>
public readonly record struct CustomerId(long Value) { public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture); }
/// <summary>Identifies an invoice, credit note or other claim document.</summary>
public readonly record struct InvoiceId(long Value) { public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture); }
/// <summary>Identifies a payment.</summary>
public readonly record struct PaymentId(long Value) { public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture); }
/// <summary>Identifies a letter (notice) in the outbox.</summary>
public readonly record struct LetterId(long Value) { public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture); }
