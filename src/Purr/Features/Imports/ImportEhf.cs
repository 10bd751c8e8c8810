using System.Globalization;
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

        var read = UblReader.ReadMany(cmd.Sources);
        var errors = new List<InputError>(read.Errors);
        if (read.Documents.Count == 0 && errors.Count == 0)
            errors.Add(new InputError(cmd.Name, 0, null, null, "expected at least one EHF invoice or credit note (an .xml file)"));
        errors.AddRange(CheckParties(creditor, read.Documents));
        errors.AddRange(CheckDuplicates(read.Documents));

        var resolver = await CustomerResolver.LoadAsync(db, read.Documents.Select(d => d.Customer), ct);
        var records = new List<InvoiceRecord>();
        var customers = new Dictionary<string, (CustomerRecord Record, DateOnly IssueDate)>(StringComparer.Ordinal);
        int created = 0;
        foreach (var d in read.Documents)
        {
            if (resolver.Resolve(d.Customer) is not { } who)
            {
                errors.Add(new InputError(d.Source.File, d.Source.Line, null, d.Customer.Name,
                    "expected a buyer identifier: an organisation number (BT-47), PartyIdentification/ID (BT-46), an EndpointID (BT-49) or a VAT number (BT-48)",
                    d.Source.XPath + "/cac:AccountingCustomerParty/cac:Party"));
                continue;
            }
            records.Add(DocumentMapping.Record(d, who.Number, creditsXPath: d.CreditsNumber is null ? null : d.Source.XPath + CreditsXPath));
            // The newest document (last in input order on equal dates) gives the customer's details.
            if (!customers.TryGetValue(who.Number, out var seen) || d.IssueDate >= seen.IssueDate)
            {
                if (seen.Record is null && who.Existing is null) created++;
                customers[who.Number] = (DocumentMapping.Customer(d.Customer, who.Number, who.Existing, "business", d.Source.Line), d.IssueDate);
            }
        }
        if (errors.Count > 0) throw new RejectedInputException(errors);

        var result = await ImportInvoices.PostAsync(db, creditor, cmd.Name, InvoiceFiles.Ehf, sha, records,
            customers.Values.Select(c => c.Record).ToList(), actor, clock, ct, progress);
        var totals = new Dictionary<string, string>(result.Totals ?? new Dictionary<string, string>())
        {
            ["documents"] = read.Documents.Count.ToString(CultureInfo.InvariantCulture),
            ["customers"] = customers.Count.ToString(CultureInfo.InvariantCulture),
            ["customers_created"] = created.ToString(CultureInfo.InvariantCulture),
        };
        var notes = read.SkippedEntries.Select(e => $"{e}: not an XML file, skipped").ToList();
        return result with { Totals = totals, Notes = notes.Count > 0 ? notes : result.Notes };
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
    private static IEnumerable<InputError> CheckDuplicates(IReadOnlyList<InvoiceDocument> documents)
    {
        foreach (var g in documents.GroupBy(d => (d.ActsAsCredit, d.Number)).Where(g => g.Count() > 1))
        {
            var first = g.First();
            foreach (var other in g.Skip(1))
                if (other.Amount != first.Amount || other.IssueDate != first.IssueDate || other.Customer.Name != first.Customer.Name)
                    yield return new InputError(other.Source.File, other.Source.Line, null, other.Number,
                        $"expected {(other.ActsAsCredit ? "credit note" : "invoice")} number {other.Number} once in the input: {first.Source} has it with different content",
                        other.Source.XPath + "/cbc:ID");
        }
    }
}
