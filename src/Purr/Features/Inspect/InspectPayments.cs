using Purr.Core;
using Purr.Core.Formats;
using Purr.Core.Identifiers;
using Purr.Features.Common;
using Purr.Features.Payments;

namespace Purr.Features.Inspect;

/// <summary>
/// <c>purr inspect</c> for payment files (camt.054, camt.053, Nets OCR giro, payments CSV): parses without a database
/// and shows the normalized transactions with the file's totals, balances and control totals. A file with errors is
/// rejected with every located error (exit 2).
/// </summary>
public static class InspectPayments
{
    /// <summary>The formats this inspects: "camt054", "camt053", "ocr", "csv-payments" (and "auto" among them).</summary>
    public static readonly string[] Formats = ["auto", "camt054", "camt053", "ocr", "csv-payments"];

    /// <summary>Inspects a payment file given as bytes.</summary>
    public static PaymentFileInspection Inspect(string path, byte[] content, string format)
    {
        using var ms = new MemoryStream(content, writable: false);
        return Inspect(path, ms, format);
    }

    /// <summary>Inspects a payment file read from a stream (front to back, once).</summary>
    /// <exception cref="RejectedInputException">The file has errors (all of them, located).</exception>
    public static PaymentFileInspection Inspect(string path, Stream content, string format)
    {
        var readAs = format switch
        {
            "csv-payments" or "csv" => "csv",
            "auto" or "camt054" or "camt053" or "ocr" => format,
            _ => throw RejectedInputException.Argument("--format", format, "one of " + string.Join(", ", Formats)),
        };
        var file = PaymentFile.Read(Path.GetFileName(path), content, readAs, Currency.Nok);
        if (!file.Ok) throw new RejectedInputException(file.Errors);
        var totals = file.Transactions.GroupBy(t => t.Amount.Currency).OrderBy(g => g.Key.Code, StringComparer.Ordinal)
            .Select(g => new InspectedTotal(g.Key.Code, g.Count(t => !t.Amount.IsNegative), Sum(g.Where(t => !t.Amount.IsNegative), g.Key),
                g.Count(t => t.Amount.IsNegative), Sum(g.Where(t => t.Amount.IsNegative), g.Key, negate: true)))
            .ToList();
        var single = totals.Count == 1 ? totals[0] : null;
        var bank = file.Bank;
        return new PaymentFileInspection(
            File: Path.GetFileName(path),
            Format: file.Format.StartsWith("csv", StringComparison.Ordinal) ? "csv-payments" : file.Format,
            Dialect: file.Format.StartsWith("csv-", StringComparison.Ordinal) ? file.Format[4..] : null,
            Version: bank?.Version, MessageId: bank?.MessageId, Sha256: file.Sha256,
            Count: file.Transactions.Count, Currency: single?.Currency,
            CreditTotal: single?.CreditTotal ?? (totals.Count == 0 ? "0.00" : null), DebitTotal: single?.DebitTotal ?? (totals.Count == 0 ? "0.00" : null),
            Totals: totals,
            Statements: bank?.Statements.Select(ToStatement).ToList() ?? [],
            Ocr: bank?.Ocr is { } ocr ? ToOcr(ocr) : null,
            Warnings: file.Warnings.Select(w => w.ToString()).ToList(),
            Transactions: file.Transactions.Select(ToTransaction).ToList());
    }

    private static string Sum(IEnumerable<IncomingPayment> items, Currency currency, bool negate = false)
    {
        var sum = items.Aggregate(Money.Zero(currency), (s, t) => s + t.Amount);
        return (negate ? -sum : sum).ToDecimalString();
    }

    private static InspectedTransaction ToTransaction(IncomingPayment t) => new(
        t.Sequence, t.Line, t.XPath, t.BookingDate, t.ValueDate, t.Amount.ToDecimalString(), t.Amount.Currency.Code, t.Amount.IsNegative ? "debit" : "credit",
        t.BankReference, t.EndToEndId, t.Kid, t.Kid is null ? null : Kid.IsValid(t.Kid), t.References, t.DocumentNumbers, t.FreeText, t.PayerName,
        t.PayerAccount, t.Account, t.IsReversal, t.IsBooked, t.Bank?.Camt?.Status, t.Bank?.Camt?.BankTransactionCode, t.Bank?.Camt?.ReturnReason,
        t.Bank?.Ocr is { } o ? (int)o.TransactionType : null, t.InvoiceNumber, t.CustomerNumber);

    private static InspectedStatement ToStatement(StatementSummary s) => new(
        s.Id, s.Account, s.AccountCurrency, s.Line, s.XPath, s.EntryCount, s.TransactionCount, s.Opening?.ToDecimalString(), s.Closing?.ToDecimalString(), s.Reconciles,
        s.Balances.Select(b => new InspectedBalance(b.Type, b.Amount.ToDecimalString(), b.Amount.Currency.Code, b.Date)).ToList(),
        s.Totals.Select(t => new InspectedTotal(t.Currency.Code, t.CreditCount, t.CreditTotal.ToDecimalString(), t.DebitCount, t.DebitTotal.ToDecimalString())).ToList());

    private static InspectedOcr ToOcr(Core.Formats.OcrGiro.OcrTransmissionSummary o) => new(
        o.DataTransmitter, o.TransmissionNumber, o.DataRecipient, o.TransactionCount, o.RecordCount, o.Total?.ToDecimalString(), o.NetsDate,
        o.Assignments.Select(a => new InspectedAssignment(a.ServiceCode, a.AssignmentType, a.AgreementId, a.AssignmentNumber, a.AssignmentAccount, a.Line,
            a.TransactionCount, a.RecordCount, a.Total?.ToDecimalString(), a.NetsDate, a.IsPayments)).ToList());
}

/// <summary>What <c>purr inspect</c> shows for a payment file. Amounts are decimal strings in major units.</summary>
/// <param name="Format">camt054, camt053, ocr or csv-payments.</param>
/// <param name="Currency">The currency when all transactions share one (else null, see <see cref="Totals"/>).</param>
/// <param name="CreditTotal">Sum of money in, in <see cref="Currency"/>.</param>
/// <param name="DebitTotal">Sum of money out as a positive amount, in <see cref="Currency"/>.</param>
public sealed record PaymentFileInspection(string File, string Format, string? Dialect, string? Version, string? MessageId, string Sha256, int Count,
    string? Currency, string? CreditTotal, string? DebitTotal, IReadOnlyList<InspectedTotal> Totals, IReadOnlyList<InspectedStatement> Statements,
    InspectedOcr? Ocr, IReadOnlyList<string> Warnings, IReadOnlyList<InspectedTransaction> Transactions);

public sealed record InspectedTotal(string Currency, int CreditCount, string CreditTotal, int DebitCount, string DebitTotal);

public sealed record InspectedTransaction(int Sequence, int Line, string? Xpath, DateOnly? BookingDate, DateOnly? ValueDate, string Amount, string Currency,
    string Direction, string? BankReference, string? EndToEndId, string? Kid, bool? KidValid, IReadOnlyList<string> References,
    IReadOnlyList<string> DocumentNumbers, string? FreeText, string? PayerName, string? PayerAccount, string? Account, bool Reversal, bool Booked,
    string? Status, string? BankTransactionCode, string? ReturnReason, int? OcrTransactionType, string? InvoiceNumber, string? CustomerNumber);

public sealed record InspectedBalance(string Type, string Amount, string Currency, DateOnly? Date);

public sealed record InspectedStatement(string? Id, string? Account, string? AccountCurrency, int Line, string Xpath, int Entries, int Transactions,
    string? Opening, string? Closing, bool? Reconciles, IReadOnlyList<InspectedBalance> Balances, IReadOnlyList<InspectedTotal> Totals);

public sealed record InspectedAssignment(string ServiceCode, string AssignmentType, string AgreementId, string AssignmentNumber, string Account, int Line,
    long? TransactionCount, long? RecordCount, string? Total, DateOnly? NetsDate, bool IsPayments);

public sealed record InspectedOcr(string DataTransmitter, string TransmissionNumber, string DataRecipient, long? TransactionCount, long? RecordCount,
    string? Total, DateOnly? NetsDate, IReadOnlyList<InspectedAssignment> Assignments);
