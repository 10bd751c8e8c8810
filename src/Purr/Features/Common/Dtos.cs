using Purr.Core;
using Purr.Data;

namespace Purr.Features.Common;

// The shapes every host prints (CLI --json, API). Names become snake_case; amounts are decimal strings in major
// units; dates are ISO yyyy-MM-dd. Keep them stable: they are documented in docs/cli.md.

public sealed record CreditorDto(long Id, string Name, string? OrgNumber, string? AccountNumber, string? Email, string? Address,
    string? PostalCode, string? City, string DefaultCurrency, string KidMethod, int KidLength, string DunningMode);

public sealed record CustomerDto(long Id, string CustomerNumber, string Name, string Kind, string? OrgNumber, string? Email,
    string? Phone, string? Address, string? PostalCode, string? City, string Country, string? Category, int Priority,
    string Language, string PreferredChannel, string? PeppolId, string Open, string CreditBalance, int OpenInvoices);

public sealed record InvoiceDto(long Id, string Number, string Type, string CustomerNumber, string CustomerName, DateOnly IssueDate,
    DateOnly? DueDate, string Amount, string Open, string Currency, string? Kid, string Status, int DaysOverdue, string? Text,
    string? CreditsNumber, DateOnly? SettledOn);

public sealed record PaymentDto(long Id, DateOnly PaymentDate, string Amount, string Unallocated, string Currency, string? Kid,
    string? Reference, string? PayerName, string? CustomerNumber, string Status, string? MatchMethod, string Source);

public sealed record AllocationDto(long Id, string InvoiceNumber, long? PaymentId, string? CreditNoteNumber, string Amount, DateOnly Date, bool Reversed);

public sealed record HistoryDto(DateTimeOffset At, string Actor, string Kind, string Text, string? InvoiceNumber);

public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int Total);

public static class Dto
{
    public static string Amount(long minor, string currency) => Money.FromMinorUnits(minor, Currency.Parse(currency)).ToDecimalString();

    public static string Status(Invoice i, DateOnly today) => i switch
    {
        { Kind: DocumentKind.CreditNote } => "credit_note",
        { Open: 0, SettledBy: { } how } => how,
        { Open: 0 } => "paid",
        { DueDate: { } due } when due < today => "overdue",
        _ => "open",
    };

    public static InvoiceDto From(Invoice i, Customer c, DateOnly today) => new(
        i.Id, i.Number, i.Kind switch { DocumentKind.CreditNote => "credit_note", DocumentKind.InterestNote => "interest_note", _ => "invoice" },
        c.CustomerNumber, c.Name, i.IssueDate, i.DueDate, Amount(i.Amount, i.Currency), Amount(i.Open, i.Currency), i.Currency, i.Kid,
        Status(i, today), i.Open > 0 && i.DueDate is { } d && d < today && i.Kind != DocumentKind.CreditNote ? today.DayNumber - d.DayNumber : 0,
        i.Text, i.CreditsNumber, i.SettledOn);

    public static CreditorDto From(Creditor c) => new(c.Id, c.Name, c.OrganizationNumber, c.AccountNumber, c.Email,
        c.AddressLine1, c.PostalCode, c.City, c.DefaultCurrency, c.KidMethod.ToLowerInvariant(), c.KidLength, c.DunningMode.ToString().ToLowerInvariant());

    public static string Kind(CustomerKind k) => k.ToString().ToLowerInvariant();
}
