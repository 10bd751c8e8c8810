using System.Globalization;
using Purr.Core;
using Purr.Core.Formats;
using Purr.Core.Formats.Csv;
using Purr.Core.Formats.Ubl;
using Purr.Data;
using Purr.Features.Common;

namespace Purr.Features.Imports;

/// <summary>
/// Imports EHF / PEPPOL BIS Billing 3.0 invoices and credit notes: one XML file, a zip of many, or the files of a
/// folder, as one all-or-nothing import. Every buyer becomes a customer (see <see cref="CustomerResolver"/>) with its
/// PEPPOL endpoint id kept (where an EHF Reminder can be sent); every document is posted by
/// <see cref="ImportInvoices.PostAsync"/>, credit notes set off against the invoice they credit.
/// </summary>
/// <remarks>
/// <para>Rejected, with every problem located (file, line, XPath, raw value, expectation): anything the UBL reader
/// finds (malformed XML, wrong namespace, missing mandatory elements, totals that do not add up under BR-CO-10..16,
/// an EHF Reminder); a document not issued by the creditor (seller organisation number ≠ the creditor's) or issued to
/// it; a buyer without any identifier; the same document number twice in the input with different content; and what
/// PostAsync finds against the ledger (a credit note for an unknown invoice, a number already used with different
/// content).</para>
/// <para>A negative invoice (PEPPOL "negative invoice correction") lowers what is owed: it is posted as a credit note
/// under its own number, set off against the invoice it references (BillingReference). Credit notes and invoices
/// are numbered apart in the ledger, so it cannot clash with an invoice; if the seller uses the same number for a
/// different credit note, the import is rejected as a number clash.</para>
/// </remarks>
public static class ImportEhf
{
    /// <param name="Name">The name of the input for the import record and messages (a file or folder name).</param>
    /// <param name="Sources">The files: one XML or zip file, or a folder's XML files in order.</param>
    /// <param name="CreditorId">The creditor, or null for the only one.</param>
    public sealed record Command(string Name, IReadOnlyList<InvoiceSource> Sources, long? CreditorId);

    public const string CreditsXPath = "/cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID";

    public static async Task<ImportResult> HandleAsync(PurrDbContext db, Command cmd, Actor actor, TimeProvider clock, CancellationToken ct,
        IProgress<(int Done, int Total)>? progress = null)
    {
        var creditor = await CreditorScope.ResolveAsync(db, cmd.CreditorId, ct);
        var sha = InvoiceFiles.Sha256(cmd.Sources);
        if (await ImportFiles.FindAsync(db, "invoices", sha, ct) is { } previous) return ImportFiles.Already(previous, cmd.Name);

        // One pass over the input, one document at a time: what is kept is a small record per document (no XML, no
        // parsed document), the first occurrence of each number, and the newest details per buyer.
        var readerErrors = new List<InputError>();
        var suppressed = 0;
        var partyErrors = new List<InputError>();
        var buyerErrors = new List<InputError>();
        var skipped = new List<string>();
        var numbers = new Dictionary<(bool Credit, string Number), FirstDocument>();
        var buyers = new Dictionary<BuyerKey, Buyer>();
        var records = new List<(InvoiceRecord Record, Buyer Buyer)>();
        var documents = 0;
        void ReaderError(InputError e)
        {
            if (readerErrors.Count < UblReader.MaxErrors) readerErrors.Add(e);
            else suppressed++;
        }
        foreach (var d in UblReader.Stream(cmd.Sources, ReaderError, skipped.Add))
        {
            var sequence = documents++;
            partyErrors.AddRange(CheckParties(creditor, [d]));
            CheckDuplicate(numbers, d, sequence);
            if (DocumentMapping.NewCustomerNumber(d.Customer) is null)
            {
                // The resolver finds a number exactly when the buyer has one of these identifiers.
                buyerErrors.Add(new InputError(d.Source.File, d.Source.Line, null, d.Customer.Name,
                    "expected a buyer identifier: an organisation number (BT-47), PartyIdentification/ID (BT-46), an EndpointID (BT-49) or a VAT number (BT-48)",
                    d.Source.XPath + "/cac:AccountingCustomerParty/cac:Party"));
                continue;
            }
            var key = new BuyerKey(d.Customer.OrgNumber, d.Customer.CustomerNumber, d.Customer.PeppolId, d.Customer.LegalId, d.Customer.VatNumber);
            if (!buyers.TryGetValue(key, out var buyer)) buyers[key] = buyer = new Buyer(d.Customer, d.IssueDate, sequence, d.Source.Line);
            else if (d.IssueDate >= buyer.IssueDate) buyer.Newest(d.Customer, d.IssueDate, sequence, d.Source.Line);
            records.Add((DocumentMapping.Record(d, "", creditsXPath: d.CreditsNumber is null ? null : d.Source.XPath + CreditsXPath), buyer));
        }

        var errors = readerErrors;
        if (suppressed > 0)
            errors.Add(new InputError(errors[^1].File, 0, null, null, $"only the first {UblReader.MaxErrors} errors are listed; {suppressed} more were found"));
        if (documents == 0 && errors.Count == 0)
            errors.Add(new InputError(cmd.Name, 0, null, null, "expected at least one EHF invoice or credit note (an .xml file)"));
        errors.AddRange(partyErrors);
        errors.AddRange(numbers.Values.Where(f => f.Clashes is not null).OrderBy(f => f.Sequence).SelectMany(f => f.Clashes!));
        errors.AddRange(buyerErrors);
        if (errors.Count > 0) throw new RejectedInputException(errors);

        // Each buyer's customer number; the newest document (last in input order on equal dates) gives the customer's details.
        var resolver = await CustomerResolver.LoadAsync(db, buyers.Values.Select(b => b.Party), ct);
        var customers = new Dictionary<string, (CustomerRecord Record, DateOnly IssueDate, int Sequence)>(StringComparer.Ordinal);
        var created = 0;
        foreach (var b in buyers.Values)
        {
            var who = resolver.Resolve(b.Party)!.Value;
            b.Number = who.Number;
            if (customers.TryGetValue(who.Number, out var seen) && (seen.IssueDate, seen.Sequence).CompareTo((b.IssueDate, b.Sequence)) > 0) continue;
            if (seen.Record is null && who.Existing is null) created++;
            customers[who.Number] = (DocumentMapping.Customer(b.Party, who.Number, who.Existing, "business", b.Line), b.IssueDate, b.Sequence);
        }

        var result = await ImportInvoices.PostAsync(db, creditor, cmd.Name, InvoiceFiles.Ehf, sha,
            records.Select(r => r.Record with { CustomerNumber = r.Buyer.Number! }),
            customers.Values.Select(c => c.Record).ToList(), actor, clock, ct, progress);
        var totals = new Dictionary<string, string>(result.Totals ?? new Dictionary<string, string>())
        {
            ["documents"] = documents.ToString(CultureInfo.InvariantCulture),
            ["customers"] = customers.Count.ToString(CultureInfo.InvariantCulture),
            ["customers_created"] = created.ToString(CultureInfo.InvariantCulture),
        };
        var notes = skipped.Select(e => $"{e}: not an XML file, skipped").ToList();
        return result with { Totals = totals, Notes = notes.Count > 0 ? notes : result.Notes };
    }

    // The identifiers a buyer is resolved by: documents with the same ones are the same customer.
    private readonly record struct BuyerKey(string? OrgNumber, string? CustomerNumber, string? PeppolId, string? LegalId, string? VatNumber);

    // A buyer as its newest document describes it, and the customer number it resolves to.
    private sealed class Buyer(InvoiceCustomer party, DateOnly issueDate, int sequence, int line)
    {
        public InvoiceCustomer Party { get; private set; } = party;
        public DateOnly IssueDate { get; private set; } = issueDate;
        public int Sequence { get; private set; } = sequence;
        public int Line { get; private set; } = line;
        public string? Number { get; set; }

        public void Newest(InvoiceCustomer party, DateOnly issueDate, int sequence, int line) =>
            (Party, IssueDate, Sequence, Line) = (party, issueDate, sequence, line);
    }

    // The first document with a number, and the errors for later ones with the same number and different content.
    private sealed record FirstDocument(int Sequence, Money Amount, DateOnly IssueDate, string CustomerName, SourceLocation Source)
    {
        public List<InputError>? Clashes { get; set; }
    }

    /// <summary>The creditor must be the seller (when both organisation numbers are known) and not the buyer.</summary>
    internal static IEnumerable<InputError> CheckParties(Creditor creditor, IEnumerable<InvoiceDocument> documents)
    {
        if (creditor.OrganizationNumber is not { } own) yield break;
        foreach (var d in documents)
        {
            if (d.Customer.OrgNumber == own)
                yield return new InputError(d.Source.File, d.Source.Line, null, own,
                    $"expected a sales document: the buyer is the creditor {creditor.Name} itself (is this an incoming invoice?)",
                    d.Source.XPath + "/cac:AccountingCustomerParty");
            else if (d.SellerOrgNumber is { } seller && seller != own)
                yield return new InputError(d.Source.File, d.Source.Line, null, seller,
                    $"expected a document issued by the creditor {creditor.Name} (organisation number {own}); the seller is {d.SellerName} ({seller})",
                    d.Source.XPath + "/cac:AccountingSupplierParty");
        }
    }

    /// <summary>The same invoice (or credit-note) number twice in the input is a clash unless it is the same document again.</summary>
    private static void CheckDuplicate(Dictionary<(bool Credit, string Number), FirstDocument> numbers, InvoiceDocument d, int sequence)
    {
        if (!numbers.TryGetValue((d.ActsAsCredit, d.Number), out var first))
        {
            numbers[(d.ActsAsCredit, d.Number)] = new FirstDocument(sequence, d.Amount, d.IssueDate, d.Customer.Name, d.Source);
            return;
        }
        if (d.Amount == first.Amount && d.IssueDate == first.IssueDate && d.Customer.Name == first.CustomerName) return;
        (first.Clashes ??= []).Add(new InputError(d.Source.File, d.Source.Line, null, d.Number,
            $"expected {(d.ActsAsCredit ? "credit note" : "invoice")} number {d.Number} once in the input: {first.Source} has it with different content",
            d.Source.XPath + "/cbc:ID"));
    }
}
