using System.Text;
using Purr.Core.Formats;
using Purr.Core.Identifiers;

namespace Purr.Core.Matching;

/// <summary>How a payment was tied to open items.</summary>
public enum MatchMethod
{
    /// <summary>Not matched; the proposal's reason says why.</summary>
    None,
    /// <summary>A valid KID (MOD10/MOD11) equal to the KID of open invoices of one customer.</summary>
    Kid,
    /// <summary>Invoice numbers of one customer found as whole tokens in the free text or as referred document numbers.</summary>
    InvoiceNumber,
    /// <summary>Exactly one open invoice with the paid amount whose customer has the payer's name or account.</summary>
    AmountAndPayer,
}

/// <summary>The facts of a payment the matcher uses.</summary>
/// <param name="Amount">The paid amount; only a positive amount (money in) can be matched.</param>
public sealed record PaymentToMatch(Money Amount)
{
    /// <summary>The structured reference given as KID (not yet validated).</summary>
    public string? Kid { get; init; }
    /// <summary>Further structured references (camt may carry several).</summary>
    public IReadOnlyList<string> References { get; init; } = [];
    /// <summary>Referred document numbers (invoice numbers given in structured form).</summary>
    public IReadOnlyList<string> DocumentNumbers { get; init; } = [];
    /// <summary>Free text from the payer.</summary>
    public string? FreeText { get; init; }
    /// <summary>The payer's name.</summary>
    public string? PayerName { get; init; }
    /// <summary>The payer's account.</summary>
    public string? PayerAccount { get; init; }
    /// <summary>A reversal (never matched automatically).</summary>
    public bool IsReversal { get; init; }

    /// <summary>The matching facts of a bank transaction.</summary>
    public static PaymentToMatch From(BankTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return new PaymentToMatch(transaction.Amount)
        {
            Kid = transaction.Kid,
            References = transaction.References,
            DocumentNumbers = transaction.DocumentNumbers,
            FreeText = transaction.FreeText,
            PayerName = transaction.PayerName,
            PayerAccount = transaction.PayerAccount,
            IsReversal = transaction.IsReversal,
        };
    }
}

/// <summary>Options for <see cref="PaymentMatcher.Propose"/>.</summary>
public sealed record MatchOptions
{
    /// <summary>The creditor's KID method (fixed per account in the bank agreement); null accepts MOD10 or MOD11.</summary>
    public KidMethod? KidMethod { get; init; }

    /// <summary>
    /// Shortest text token (leading zeros of all-digit tokens not counted) tried as an invoice number or KID; shorter
    /// ones (day and month numbers, øre) match too much by chance.
    /// </summary>
    public int MinimumTokenLength { get; init; } = 3;

    /// <summary>The defaults.</summary>
    public static MatchOptions Default { get; } = new();
}

/// <summary>The matcher's proposal for one payment.</summary>
/// <param name="Method">How it matched, or <see cref="MatchMethod.None"/>.</param>
/// <param name="Customer">The customer the payment belongs to, when matched.</param>
/// <param name="Invoices">The matched open invoices, oldest first (<see cref="AllocationProposal.OldestFirst"/>); feed them to <see cref="AllocationProposal.Allocate"/>.</param>
/// <param name="Reason">Why: what matched, or why nothing did (every method tried is accounted for).</param>
public sealed record MatchProposal(MatchMethod Method, CustomerId? Customer, IReadOnlyList<OpenItem> Invoices, string Reason)
{
    /// <summary>True unless <see cref="Method"/> is <see cref="MatchMethod.None"/>.</summary>
    public bool IsMatched => Method != MatchMethod.None;

    /// <summary>The stored match method: "kid", "invoice_number", "amount_payer", or null.</summary>
    public string? MethodCode => Method switch
    {
        MatchMethod.Kid => "kid",
        MatchMethod.InvoiceNumber => "invoice_number",
        MatchMethod.AmountAndPayer => "amount_payer",
        _ => null,
    };
}

/// <summary>
/// Proposes which open invoices a payment pays. Pure: the open items come in through a read-only view.
/// </summary>
/// <remarks>
/// <para>Order of methods (NORWAY-RULES §6 implementation notes): (1) KID — each structured reference (and each
/// all-digit token of the free text) that is a valid KID under MOD10 or MOD11 (<see cref="Kid.TryParse"/>, per
/// <see cref="MatchOptions.KidMethod"/>) and equals the KID of open invoices; (2) invoice numbers — referred document
/// numbers and whole tokens of the free text (a token is a maximal run of letters/digits, a maximal digit run, or a
/// white-space separated word without surrounding punctuation, so "12345" is never found inside "9123456");
/// (3) amount + payer — exactly one open invoice with the paid amount whose customer has the payer's account or
/// name. A method that finds invoices of more than one customer does not match; the next method is tried.</para>
/// <para>Reversals and non-positive amounts are never matched. Items in another currency than the payment are
/// ignored.</para>
/// </remarks>
public static class PaymentMatcher
{
    /// <summary>Proposes a match for <paramref name="payment"/> against <paramref name="openItems"/>.</summary>
    public static MatchProposal Propose(PaymentToMatch payment, IOpenItemView openItems, MatchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(openItems);
        options ??= MatchOptions.Default;

        if (payment.IsReversal)
            return Unmatched("a reversal is not a customer payment; review it by hand");
        if (!payment.Amount.IsPositive)
            return Unmatched($"only money in can pay invoices; the amount is {payment.Amount}");

        var notes = new List<string>();
        var tokens = Tokens(payment.FreeText, options.MinimumTokenLength);

        // 1. KID
        var kidTexts = new List<string>();
        foreach (var r in new[] { payment.Kid }.Concat(payment.References))
            if (r is not null && Checksums.Compact(r) is { Length: > 0 } c && !kidTexts.Contains(c)) kidTexts.Add(c);
        var structuredKids = kidTexts.Count;
        foreach (var t in tokens.Where(t => IsKidShaped(t)))
            if (!kidTexts.Contains(t)) kidTexts.Add(t);
        var kidHits = new List<OpenItem>();
        var validKids = new List<string>();
        for (var i = 0; i < kidTexts.Count; i++)
        {
            var text = kidTexts[i];
            var fromText = i >= structuredKids;
            if (!Kid.TryParse(text, out var kid, out var error, options.KidMethod))
            {
                if (!fromText) notes.Add($"reference {text} is not a valid KID ({error})");
                continue;
            }
            var hits = SameCurrency(openItems.WithKid(kid.Value), payment, notes, $"KID {kid.Value}");
            if (hits.Count == 0)
            {
                if (!fromText) notes.Add($"KID {kid.Value} matches no open invoice");
                continue;
            }
            validKids.Add(fromText ? $"{kid.Value} (in the text)" : kid.Value);
            foreach (var h in hits) if (!ContainsSame(kidHits, h)) kidHits.Add(h);
        }
        if (kidHits.Count > 0 && Decide(kidHits, MatchMethod.Kid, "KID " + Joined(validKids), notes) is { } byKid) return byKid;

        // 2. Invoice numbers: structured document numbers first, then text tokens.
        var numberHits = new List<OpenItem>();
        var numbersFound = new List<string>();
        foreach (var candidate in payment.DocumentNumbers.Concat(tokens).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (EffectiveLength(candidate) < options.MinimumTokenLength) continue;
            var hits = SameCurrency(openItems.WithInvoiceNumber(candidate), payment, notes, $"invoice {candidate}");
            if (hits.Count == 0) continue;
            numbersFound.Add(candidate);
            foreach (var h in hits) if (!ContainsSame(numberHits, h)) numberHits.Add(h);
        }
        if (numberHits.Count > 0 && Decide(numberHits, MatchMethod.InvoiceNumber, $"invoice number {Joined(numbersFound)} in the payment", notes) is { } byNumber) return byNumber;
        if (numbersFound.Count == 0 && (payment.DocumentNumbers.Count > 0 || !string.IsNullOrWhiteSpace(payment.FreeText)))
            notes.Add("no open invoice number found in the text");

        // 3. Amount + payer
        var payerName = NormalizeName(payment.PayerName);
        var payerAccount = NormalizeAccount(payment.PayerAccount);
        if (payerName.Length == 0 && payerAccount.Length == 0)
        {
            notes.Add("no payer name or account to match the amount with");
        }
        else
        {
            var sameAmount = openItems.WithOpenAmount(payment.Amount);
            var candidates = sameAmount.Where(item =>
                (payerAccount.Length > 0 && item.CustomerAccounts.Any(a => NormalizeAccount(a) == payerAccount)) ||
                (payerName.Length > 0 && NormalizeName(item.CustomerName) == payerName)).ToList();
            if (candidates.Count == 1)
            {
                var c = candidates[0];
                return new MatchProposal(MatchMethod.AmountAndPayer, c.CustomerId, candidates,
                    $"amount {payment.Amount.ToDecimalString()} and payer match invoice {c.InvoiceNumber}, the only open invoice of that amount for the payer");
            }
            notes.Add(candidates.Count == 0
                ? $"no open invoice of {payment.Amount.ToDecimalString()} for the payer ({sameAmount.Count} of that amount in all)"
                : $"{candidates.Count} open invoices of {payment.Amount.ToDecimalString()} fit the payer ({string.Join(", ", candidates.Select(x => x.InvoiceNumber))})");
        }
        return Unmatched(string.Join("; ", notes));
    }

    private static string Joined(List<string> values) => values.Count == 1 ? values[0] : string.Join(", ", values);

    // The same open item (one invoice is one object in a view): no record comparison of every member.
    private static bool ContainsSame(List<OpenItem> items, OpenItem item)
    {
        foreach (var i in items) if (ReferenceEquals(i, item) || i.InvoiceId == item.InvoiceId) return true;
        return false;
    }

    private static MatchProposal Unmatched(string reason) => new(MatchMethod.None, null, [], reason);

    private static MatchProposal? Decide(List<OpenItem> hits, MatchMethod method, string what, List<string> notes)
    {
        if (hits.Count == 0) return null;
        if (hits.Count == 1)
            return new MatchProposal(method, hits[0].CustomerId, hits, $"{what} matches invoice {hits[0].InvoiceNumber} of customer {hits[0].CustomerId}");
        var customers = hits.Select(h => h.CustomerId).Distinct().ToList();
        if (customers.Count > 1)
        {
            notes.Add($"{what} points at invoices of {customers.Count} different customers");
            return null;
        }
        var ordered = hits.OrderBy(h => h, AllocationProposal.OldestFirst).ToList();
        var invoices = ordered.Count == 1 ? $"invoice {ordered[0].InvoiceNumber}" : $"{ordered.Count} invoices ({string.Join(", ", ordered.Select(h => h.InvoiceNumber))})";
        return new MatchProposal(method, customers[0], ordered, $"{what} matches {invoices} of customer {customers[0]}");
    }

    private static List<OpenItem> SameCurrency(IReadOnlyList<OpenItem> items, PaymentToMatch payment, List<string> notes, string what)
    {
        // A loop, not LINQ: this runs for every KID and invoice number of every payment of a bank file.
        var same = new List<OpenItem>(items.Count);
        var otherCurrency = 0;
        foreach (var i in items)
        {
            if (i.OpenAmount.Currency != payment.Amount.Currency) otherCurrency++;
            else if (i.OpenAmount.IsPositive) same.Add(i);
        }
        if (otherCurrency > 0) notes.Add($"{what} matches {otherCurrency} open invoice(s) in another currency than {payment.Amount.Currency.Code}");
        return same;
    }

    private static bool IsKidShaped(string token)
    {
        var body = token.EndsWith('-') ? token[..^1] : token;
        return body.Length > 0 && Checksums.AllDigits(body) && token.Length <= Kid.MaxLength;
    }

    private static int EffectiveLength(string token) => Checksums.AllDigits(token) ? token.TrimStart('0').Length : token.Length;

    /// <summary>
    /// The candidate tokens of a free text: white-space separated words without surrounding punctuation, maximal
    /// runs of letters and digits, and maximal runs of digits; each at least <paramref name="minimumLength"/> long.
    /// </summary>
    public static IReadOnlyList<string> Tokens(string? text, int minimumLength)
    {
        var tokens = new List<string>();
        if (string.IsNullOrWhiteSpace(text)) return tokens;
        void Add(string t)
        {
            if (EffectiveLength(t) >= minimumLength && !tokens.Contains(t, StringComparer.OrdinalIgnoreCase)) tokens.Add(t);
        }
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var trimmed = word.Trim('.', ',', ';', ':', '(', ')', '[', ']', '"', '\'', '!', '?', '#', '*');
            if (trimmed.Length > 0 && trimmed.Any(char.IsAsciiDigit)) Add(trimmed);
        }
        foreach (var run in Runs(text, char.IsLetterOrDigit)) if (run.Any(char.IsAsciiDigit)) Add(run);
        foreach (var run in Runs(text, char.IsAsciiDigit)) Add(run);
        return tokens;
    }

    private static IEnumerable<string> Runs(string text, Func<char, bool> inRun)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inside = i < text.Length && inRun(text[i]);
            if (inside && start < 0) start = i;
            else if (!inside && start >= 0)
            {
                yield return text[start..i];
                start = -1;
            }
        }
    }

    private static readonly HashSet<string> LegalForms =
        ["AS", "ASA", "ANS", "DA", "ENK", "NUF", "SA", "BA", "KS", "IKS", "SF", "STI", "AB", "GMBH", "LTD", "INC", "OY", "APS"];

    /// <summary>Upper case, Norwegian letters folded (Æ→AE, Ø→O, Å→A), punctuation and legal-form words removed.</summary>
    public static string NormalizeName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "";
        var sb = new StringBuilder(name.Length);
        foreach (var ch in name.ToUpperInvariant())
        {
            switch (ch)
            {
                case 'Æ' or 'Ä': sb.Append("AE"); break;
                case 'Ø' or 'Ö': sb.Append('O'); break;
                case 'Å': sb.Append('A'); break;
                case 'Ü': sb.Append('U'); break;
                case 'É' or 'È': sb.Append('E'); break;
                default: sb.Append(char.IsLetterOrDigit(ch) ? ch : ' '); break;
            }
        }
        var words = sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !LegalForms.Contains(w));
        return string.Join(' ', words);
    }

    /// <summary>Compact and upper case; a Norwegian IBAN becomes its 11-digit BBAN.</summary>
    public static string NormalizeAccount(string? account)
    {
        if (string.IsNullOrWhiteSpace(account)) return "";
        var s = Checksums.Compact(account).Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();
        if (s.Length == 15 && s.StartsWith("NO", StringComparison.Ordinal) && Checksums.AllDigits(s.AsSpan(2))) s = s[4..];
        return s;
    }
}
