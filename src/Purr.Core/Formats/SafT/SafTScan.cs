namespace Purr.Core.Formats.SafT;

/// <summary>
/// The first of the two streaming passes over a SAF-T Financial file (<see cref="SafTReader.Scan"/>): the header,
/// the customers, every error, the balance differences and what each (customer, reference) on the accounts-receivable
/// side is; the documents and settlements themselves come from the second pass, <see cref="Entries"/>.
/// </summary>
/// <remarks>
/// <para><b>Memory.</b> What the scan keeps grows with the customers and the references, nothing per line: per
/// (customer, reference) one 80-byte aggregate (sums in hundredths, dates, line ordinals) and, to find it, a 16-byte key,
/// the reference as UTF-8 in one byte arena and one int of hash index (<see cref="SafTGroups"/>); per customer its
/// MasterFiles details as bytes in one arena (<see cref="SafTCustomers"/>, rebuilt as a <see cref="SafTCustomer"/> on each
/// access: about 150 bytes for the bench's customers), 56 bytes of running sums and a key like a reference's
/// (<see cref="SafTCustomerStates"/>). With scratch streams (<see cref="SafTReader.Scan"/>'s <c>scratch</c>, temporary
/// files in the import) the aggregates, the sums and the customer arena are in the streams, with a few pages of each in
/// memory, so memory holds about 25 bytes per reference and 40 per customer: the 200 000-invoice bench file (200 533
/// references, 40 000 customers) retains 10 MB instead of 33 MB all in memory. SalesInvoices (SourceDocuments) are kept
/// as one small record each until a GL reference claims them. The second pass holds one Transaction at a time.</para>
/// <para><b>Order.</b> <see cref="Entries"/> yields in file order. <see cref="PaymentsByDate"/> yields the payments in
/// date order per customer (file order within a date), in one pass either way (put in date order through a scratch
/// stream when a customer's payments are not in date order in the file), so that several payments on one invoice are
/// applied in the order they were made.</para>
/// </remarks>
public sealed class SafTScan : IDisposable
{
    private readonly SafTParser _scanned;

    internal SafTScan(SafTParser scanned) => _scanned = scanned;

    /// <summary>Closes the scratch streams given to <see cref="SafTReader.Scan"/> (a temporary file is deleted); nothing to do without them.</summary>
    public void Dispose() => _scanned.Dispose();

    /// <summary>The header; null when the file has none or is not SAF-T.</summary>
    public SafTHeader? Header => _scanned.Header;

    /// <summary>Customers in file order; each access rebuilds the customer from a compact store (new objects each time: enumerate once and keep what is needed).</summary>
    public IReadOnlyList<SafTCustomer> Customers => _scanned.Customers;

    /// <summary>Every problem found, located (as <see cref="SafTReadResult.Errors"/>).</summary>
    public IReadOnlyList<InputError> Errors => _scanned.Errors;

    /// <summary>Customers whose closing balance disagrees with the lines.</summary>
    public IReadOnlyList<BalanceDifference> BalanceDifferences => _scanned.Differences;

    /// <summary>GeneralLedgerEntries/Journal/Transaction elements read.</summary>
    public int TransactionCount => _scanned.TransactionCount;

    /// <summary>Transaction lines read.</summary>
    public int LineCount => _scanned.LineCount;

    /// <summary>Lines with a CustomerID.</summary>
    public int ReceivableLineCount => _scanned.ReceivableLineCount;

    /// <summary>Invoices and credit notes the GL lines post (references whose lines make them a document).</summary>
    public int DocumentCount => _scanned.DocumentCount;

    /// <summary>Debits on customers without a ReferenceNumber.</summary>
    public int UnreferencedDebitCount => _scanned.UnreferencedDebitCount;

    /// <summary>Credits with VAT or revenue lines on customers without a ReferenceNumber.</summary>
    public int UnreferencedCreditCount => _scanned.UnreferencedCreditCount;

    /// <summary>Invoices in the file that have credits with VAT booked under their own reference.</summary>
    public int CreditedInvoiceCount => _scanned.CreditedInvoiceCount;

    /// <summary>The earliest and latest date of the documents and settlements (as in <see cref="SafTReadResult"/>); null when there are none.</summary>
    public (DateOnly First, DateOnly Last)? DateRange => _scanned.DateRange;

    /// <summary>True when there are no errors.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>The sum of a customer's AR lines in the file (debit − credit), null for an id without lines or customer.</summary>
    public Money? Movement(string customerId) => _scanned.Movement(customerId) is { } m ? new Money(m, _scanned.LedgerCurrency) : null;

    /// <summary>A customer's opening balance (the sum over its balances; zero without balances), null for an id MasterFiles does not have.</summary>
    public Money? OpeningBalance(string customerId) => _scanned.Opening(customerId) is { } o ? new Money(o, _scanned.LedgerCurrency) : null;

    /// <summary>A customer's PartyInfo/PaymentTerms/Days from MasterFiles, null when not given or for an id without a customer.</summary>
    public int? PaymentTermsDays(string customerId) => _scanned.PaymentTermsDays(customerId);

    /// <summary>True when <paramref name="reference"/> is an invoice of <paramref name="customerId"/> in the file.</summary>
    public bool IsInvoice(string customerId, string reference)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        ArgumentNullException.ThrowIfNull(reference);
        return _scanned.IsInvoice(customerId, reference);
    }

    internal SafTReadResult Materialize(IEnumerable<SafTEntry> entries) => _scanned.Materialize(entries);

    /// <summary>SalesInvoices that no GL line refers to: documents without an open amount (not posted by an import).</summary>
    public IReadOnlyList<InvoiceDocument> UnpostedDocuments() => _scanned.UnpostedDocuments();

    /// <summary>
    /// The second pass: re-reads the file and yields, per accounts-receivable line in file order, what it originates: the
    /// document it describes (an invoice at its first debit line, or the line with its CID when that comes later; a
    /// credit note at its first credit line), the open item, the settlement. Enumerate it with a fresh stream of the
    /// same file each time; the stream is not closed.
    /// </summary>
    public IEnumerable<SafTEntry> Entries(Stream stream) => EntriesOf(stream, shareParties: false);

    // shareParties: one InvoiceCustomer per customer for all its documents (SafTReader.Read keeps every document), else rebuilt as needed.
    internal IEnumerable<SafTEntry> EntriesOf(Stream stream, bool shareParties)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new SafTParser(_scanned) { ShareParties = shareParties }.Entries(stream);
    }

    /// <summary>
    /// The payments (settlements of kind <see cref="SettlementKind.Payment"/>) in date order per customer, file order within
    /// a date. A payment is only ever applied to its customer's invoices, so this is all the allocation depends on. When
    /// each customer's payments are in date order in the file (the usual case: a bank journal is chronological) this is
    /// one pass in file order, holding nothing; otherwise it is still one pass, every payment by date (file order within a
    /// date): each is written to a scratch stream as it is read, its offset into the next place of its date (the first pass
    /// counted the payments per date; the places are in a second scratch stream, a few pages of them in memory), and they
    /// are read back in the order of the places, so memory does not grow with the payments.
    /// </summary>
    /// <param name="open">Opens the same file again.</param>
    /// <param name="scratch">
    /// Opens a readable, writable and seekable stream (a temporary file for a large file; disposed at the end), twice, only
    /// when the payments are not in date order: for the payments, and for their places. In memory when not given.
    /// </param>
    public IEnumerable<SafTSettlement> PaymentsByDate(Func<Stream> open, Func<Stream>? scratch = null)
    {
        ArgumentNullException.ThrowIfNull(open);
        return Iterate();

        IEnumerable<SafTSettlement> Iterate()
        {
            if (_scanned.PaymentsInDateOrder)
            {
                foreach (var p in Pass()) yield return p;
                yield break;
            }
            // A counting sort: each date owns a range of places (by the first pass's counts per date, in date order); a
            // payment takes the next place of its date, which holds where the payment is in the scratch stream.
            var next = new Dictionary<DateOnly, (int Next, int End)>(_scanned.PaymentDates.Count);
            var places = 0;
            foreach (var (date, count) in _scanned.PaymentDates.OrderBy(d => d.Key))
            {
                next[date] = (places, places + count);
                places += count;
            }
            using var spill = scratch?.Invoke() ?? new MemoryStream();
            if (!spill.CanRead || !spill.CanWrite || !spill.CanSeek) throw new ArgumentException("expected a readable, writable and seekable scratch stream", nameof(scratch));
            // Offset + 1 of each place's payment; 0 for a payment the first pass counted that the second does not yield (a credit
            // note's own credit without VAT).
            using var offsets = new PagedStore<long>(scratch?.Invoke());
            for (var i = 0; i < places; i++) offsets.Add(0L);
            using (var writer = new BinaryWriter(spill, System.Text.Encoding.UTF8, leaveOpen: true))
                foreach (var p in Pass())
                {
                    if (!next.TryGetValue(p.Date, out var place) || place.Next == place.End)
                        throw new InvalidOperationException($"{p.Source.File} changed between the passes: more payments dated {p.Date:yyyy-MM-dd} than the first pass counted");
                    next[p.Date] = (place.Next + 1, place.End);
                    offsets.Set(place.Next, spill.Position + 1);
                    SettlementSpill.Write(writer, p);
                }
            using var reader = new BinaryReader(spill, System.Text.Encoding.UTF8, leaveOpen: true);
            for (var i = 0; i < offsets.Count; i++)
            {
                if (offsets[i] is not (> 0 and var offset)) continue;
                spill.Position = offset - 1;
                yield return SettlementSpill.Read(reader);
            }
        }

        IEnumerable<SafTSettlement> Pass()
        {
            using var stream = open();
            foreach (var e in Entries(stream))
                if (e.Settlement is { Kind: SettlementKind.Payment } p) yield return p;
        }
    }
}

/// <summary>A <see cref="SafTSettlement"/> as bytes (for <see cref="SafTScan.PaymentsByDate"/>'s scratch stream): every field, read back equal.</summary>
internal static class SettlementSpill
{
    public static void Write(BinaryWriter w, SafTSettlement s)
    {
        w.Write(s.CustomerId);
        w.Write((byte)s.Kind);
        w.Write((byte)s.AppliesTo);
        w.WriteText(s.Reference);
        w.Write(s.Date.DayNumber);
        w.Write(s.Amount.Amount);
        w.Write(s.Amount.Currency.Code);
        w.WriteText(s.Kid);
        w.WriteText(s.PaymentReference);
        w.WriteText(s.Text);
        w.WriteText(s.TransactionId);
        w.WriteText(s.RecordId);
        w.Write(s.Source.File);
        w.Write(s.Source.Line);
        w.WriteText(s.Source.XPath);
    }

    public static SafTSettlement Read(BinaryReader r) => new()
    {
        CustomerId = r.ReadString(),
        Kind = (SettlementKind)r.ReadByte(),
        AppliesTo = (SettlementTarget)r.ReadByte(),
        Reference = r.ReadText(),
        Date = DateOnly.FromDayNumber(r.ReadInt32()),
        Amount = new Money(r.ReadDecimal(), Currency.Parse(r.ReadString())),
        Kid = r.ReadText(),
        PaymentReference = r.ReadText(),
        Text = r.ReadText(),
        TransactionId = r.ReadText(),
        RecordId = r.ReadText(),
        Source = new SourceLocation(r.ReadString(), r.ReadInt32(), r.ReadText()),
    };

}
