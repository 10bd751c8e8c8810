using Microsoft.EntityFrameworkCore;
using Purr.Core;
using Purr.Core.Formats;
using Purr.Features.Common;
using Purr.Core.Formats.Csv;
using Purr.Data;

namespace Purr.Features.Imports;

/// <summary>
/// Turns normalized documents (EHF, SAF-T) into the records <see cref="ImportInvoices.PostAsync"/> posts: which
/// customer each buyer is, and the invoice or credit note row.
/// </summary>
public static class DocumentMapping
{
    /// <summary>
    /// The customer number a buyer gets when the ledger does not know it yet: the number the file gives
    /// (UBL PartyIdentification/ID without a scheme, SAF-T CustomerID), else the organisation number, else the legal
    /// registration id ("0183:39937423947"), else the PEPPOL endpoint id ("0192:987654325"), else the VAT number.
    /// Null when the buyer has none of them.
    /// </summary>
    public static string? NewCustomerNumber(InvoiceCustomer party) =>
        party.CustomerNumber ?? party.OrgNumber ?? party.LegalId ?? party.PeppolId ?? party.VatNumber;

    /// <summary>Lower-case kind for a <see cref="CustomerRecord"/>; <paramref name="unknown"/> when the file cannot tell.</summary>
    public static string KindOf(CustomerKind? kind, string unknown) => kind is { } k ? Dto.Kind(k) : unknown;

    /// <summary>The invoice record for a document: a credit note, or a negative invoice, is a credit note of the absolute amount.</summary>
    public static InvoiceRecord Record(InvoiceDocument d, string customerNumber, DateOnly? dueDate = null, string? creditsXPath = null) =>
        new(d.Source.Line, d.Number, d.ActsAsCredit, customerNumber, d.Customer.Name, d.IssueDate, dueDate ?? d.DueDate,
            d.Amount.IsNegative ? -d.Amount : d.Amount, d.Kid, d.Text, d.CreditsNumber, d.Source, creditsXPath);

    /// <summary>The customer record for a buyer under <paramref name="number"/>; an existing customer keeps its kind and fills gaps.</summary>
    public static CustomerRecord Customer(InvoiceCustomer p, string number, Customer? existing, string unknownKind, int line, int? paymentTermsDays = null) =>
        new(line, number, p.Name, existing is not null ? existing.Kind.ToString().ToLowerInvariant() : KindOf(p.Kind, unknownKind),
            p.OrgNumber, p.Email, null, p.AddressLines.Count > 0 ? p.AddressLines[0] : null,
            p.AddressLines.Count > 1 ? string.Join(", ", p.AddressLines.Skip(1)) : null, p.PostalCode, p.City,
            p.Country ?? existing?.Country ?? "NO", null, 0, "nb", "email", paymentTermsDays, p.PeppolId);
}

/// <summary>
/// Finds the ledger customer for a buyer in an imported file. The rule, in order:
/// <list type="number">
/// <item>an existing customer with the buyer's organisation number (one with the file's customer number when several
/// have it, else the oldest), unless the file itself names several customer numbers for that organisation number (then
/// they are separate accounts, e.g. departments of a kommune);</item>
/// <item>the customer number the file gives (existing or new);</item>
/// <item>the only existing customer with the buyer's PEPPOL endpoint id;</item>
/// <item>a new (or, on a later import, the same) customer numbered by <see cref="DocumentMapping.NewCustomerNumber"/>.</item>
/// </list>
/// </summary>
public sealed class CustomerResolver
{
    private readonly Dictionary<string, Customer> _byNumber;
    private readonly ILookup<string, Customer> _byOrg;
    private readonly ILookup<string, Customer> _byPeppol;
    private readonly HashSet<string> _sharedOrgNumbers;

    private CustomerResolver(List<Customer> customers, IEnumerable<InvoiceCustomer> parties)
    {
        _byNumber = customers.ToDictionary(c => c.CustomerNumber, StringComparer.Ordinal);
        _byOrg = customers.Where(c => c.OrganizationNumber is not null).OrderBy(c => c.Id).ToLookup(c => c.OrganizationNumber!, StringComparer.Ordinal);
        _byPeppol = customers.Where(c => c.PeppolId is not null).ToLookup(c => c.PeppolId!, StringComparer.OrdinalIgnoreCase);
        _sharedOrgNumbers = parties.Where(p => p.OrgNumber is not null && p.CustomerNumber is not null)
            .GroupBy(p => p.OrgNumber!, StringComparer.Ordinal)
            .Where(g => g.Select(p => p.CustomerNumber).Distinct(StringComparer.Ordinal).Count() > 1)
            .Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Loads the creditor's customers (the context must be scoped to the creditor).</summary>
    public static async Task<CustomerResolver> LoadAsync(PurrDbContext db, IEnumerable<InvoiceCustomer> parties, CancellationToken ct) =>
        new(await db.Customers.AsNoTracking().ToListAsync(ct), parties);

    /// <summary>The customer number for the buyer, and the existing customer when there is one; null when the buyer cannot be identified.</summary>
    public (string Number, Customer? Existing)? Resolve(InvoiceCustomer party)
    {
        if (party.OrgNumber is { } org && !_sharedOrgNumbers.Contains(org) && _byOrg[org].ToList() is { Count: > 0 } sameOrg)
        {
            var match = sameOrg.FirstOrDefault(c => c.CustomerNumber == party.CustomerNumber) ?? sameOrg[0];
            return (match.CustomerNumber, match);
        }
        if (party.CustomerNumber is { } number) return (number, _byNumber.GetValueOrDefault(number));
        if (party.PeppolId is { } peppol && _byPeppol[peppol].ToList() is { Count: 1 } samePeppol) return (samePeppol[0].CustomerNumber, samePeppol[0]);
        return DocumentMapping.NewCustomerNumber(party) is { } derived ? (derived, _byNumber.GetValueOrDefault(derived)) : null;
    }
}
