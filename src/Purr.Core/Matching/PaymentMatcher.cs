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

        var tokens = Tokens(payment.FreeText, options.MinimumTokenLength);

        // 1. KID. The common case — one structured KID, nothing else to read, one open invoice in the payment's currency —
        // is decided at once: it is the per-transaction path of every bank file. Anything else takes the general path,
        // which gives the same answer for it.
        if (payment.References.Count == 0 && tokens.Count == 0 && payment.Kid is not null
            && Checksums.Compact(payment.Kid) is { Length: > 0 } onlyKid && Kid.TryParse(onlyKid, out var single, out _, options.KidMethod)
            && openItems.WithKid(single.Value) is [var one] && one.OpenAmount.Currency == payment.Amount.Currency && one.OpenAmount.IsPositive)
            return new MatchProposal(MatchMethod.Kid, one.CustomerId, [one],
                string.Concat("KID ", single.Value, " matches invoice ", one.InvoiceNumber, " of customer ", one.CustomerId.ToString()));

        var notes = new List<string>();
        var kidTexts = new List<string>(1 + payment.References.Count);
        AddCompact(kidTexts, payment.Kid);
        foreach (var r in payment.References) AddCompact(kidTexts, r);
        var structuredKids = kidTexts.Count;
        foreach (var t in tokens)
            if (IsKidShaped(t) && !kidTexts.Contains(t)) kidTexts.Add(t);
        List<OpenItem>? kidHits = null;
        var validKids = new List<string>(1);
        for (var i = 0; i < kidTexts.Count; i++)
        {
            var text = kidTexts[i];
            var fromText = i >= structuredKids;
            if (!Kid.TryParse(text, out var kid, out var error, options.KidMethod))
            {
                if (!fromText) notes.Add($"reference {text} is not a valid KID ({error})");
                continue;
            }
            var hits = SameCurrency(openItems.WithKid(kid.Value), payment, notes, "KID ", kid.Value);
            if (hits.Count == 0)
            {
                if (!fromText) notes.Add($"KID {kid.Value} matches no open invoice");
                continue;
            }
            validKids.Add(fromText ? $"{kid.Value} (in the text)" : kid.Value);
            kidHits ??= new List<OpenItem>(hits.Count);
            foreach (var h in hits) if (!ContainsSame(kidHits, h)) kidHits.Add(h);
        }
        if (kidHits is not null && Decide(kidHits, MatchMethod.Kid, "KID " + Joined(validKids), notes) is { } byKid) return byKid;

        // 2. Invoice numbers: structured document numbers first, then text tokens.
        var numberHits = new List<OpenItem>();
        var numbersFound = new List<string>();
        var candidates = new List<string>(payment.DocumentNumbers.Count + tokens.Count);
        foreach (var n in payment.DocumentNumbers) AddDistinct(candidates, n);
        foreach (var t in tokens) AddDistinct(candidates, t);
        foreach (var candidate in candidates)
        {
            if (EffectiveLength(candidate) < options.MinimumTokenLength) continue;
            var hits = SameCurrency(openItems.WithInvoiceNumber(candidate), payment, notes, "invoice ", candidate);
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
            var payers = new List<OpenItem>();
            foreach (var item in sameAmount)
                if ((payerAccount.Length > 0 && HasAccount(item, payerAccount)) || (payerName.Length > 0 && NormalizeName(item.CustomerName) == payerName))
                    payers.Add(item);
            if (payers.Count == 1)
            {
                var c = payers[0];
                return new MatchProposal(MatchMethod.AmountAndPayer, c.CustomerId, payers,
                    $"amount {payment.Amount.ToDecimalString()} and payer match invoice {c.InvoiceNumber}, the only open invoice of that amount for the payer");
            }
            notes.Add(payers.Count == 0
                ? $"no open invoice of {payment.Amount.ToDecimalString()} for the payer ({sameAmount.Count} of that amount in all)"
                : $"{payers.Count} open invoices of {payment.Amount.ToDecimalString()} fit the payer ({string.Join(", ", payers.Select(x => x.InvoiceNumber))})");
        }
        return Unmatched(string.Join("; ", notes));
    }

    private static void AddCompact(List<string> list, string? reference)
    {
        if (reference is not null && Checksums.Compact(reference) is { Length: > 0 } c && !list.Contains(c)) list.Add(c);
    }

    private static void AddDistinct(List<string> list, string value)
    {
        foreach (var v in list) if (string.Equals(v, value, StringComparison.OrdinalIgnoreCase)) return;
        list.Add(value);
    }

    private static bool HasAccount(OpenItem item, string normalizedAccount)
    {
        foreach (var a in item.CustomerAccounts) if (NormalizeAccount(a) == normalizedAccount) return true;
        return false;
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
            return new MatchProposal(method, hits[0].CustomerId, hits, string.Concat(what, " matches invoice ", hits[0].InvoiceNumber, " of customer ", hits[0].CustomerId.ToString()));
        var customers = new List<CustomerId>(1);
        foreach (var h in hits) if (!customers.Contains(h.CustomerId)) customers.Add(h.CustomerId);
        if (customers.Count > 1)
        {
            notes.Add($"{what} points at invoices of {customers.Count} different customers");
            return null;
        }
        var ordered = hits.OrderBy(h => h, AllocationProposal.OldestFirst).ToList();
        var invoices = ordered.Count == 1 ? $"invoice {ordered[0].InvoiceNumber}" : $"{ordered.Count} invoices ({string.Join(", ", ordered.Select(h => h.InvoiceNumber))})";
        return new MatchProposal(method, customers[0], ordered, $"{what} matches {invoices} of customer {customers[0]}");
    }

    // The items in the payment's currency with something open. Usually that is every item found, and the view's list is
    // returned as it is (read-only); only a mixed list is copied.
    private static IReadOnlyList<OpenItem> SameCurrency(IReadOnlyList<OpenItem> items, PaymentToMatch payment, List<string> notes, string what, string value)
    {
        var all = true;
        foreach (var i in items)
            if (i.OpenAmount.Currency != payment.Amount.Currency || !i.OpenAmount.IsPositive) { all = false; break; }
        if (all) return items;
        var same = new List<OpenItem>(items.Count);
        var otherCurrency = 0;
        foreach (var i in items)
        {
            if (i.OpenAmount.Currency != payment.Amount.Currency) otherCurrency++;
            else if (i.OpenAmount.IsPositive) same.Add(i);
        }
        if (otherCurrency > 0) notes.Add($"{what}{value} matches {otherCurrency} open invoice(s) in another currency than {payment.Amount.Currency.Code}");
        return same;
    }

    private static bool IsKidShaped(string token)
    {
        var body = token.EndsWith('-') ? token[..^1] : token;
        return body.Length > 0 && Checksums.AllDigits(body) && token.Length <= Kid.MaxLength;
    }

    private static int EffectiveLength(ReadOnlySpan<char> token) => Checksums.AllDigits(token) ? token.TrimStart('0').Length : token.Length;

    /// <summary>
    /// The candidate tokens of a free text: white-space separated words without surrounding punctuation, maximal
    /// runs of letters and digits, and maximal runs of digits; each at least <paramref name="minimumLength"/> long
    /// and containing a digit, each once (ignoring case), in that order.
    /// </summary>
    public static IReadOnlyList<string> Tokens(string? text, int minimumLength)
    {
        // Every kind of token has a digit: a text without one (most free texts) has none.
        if (text is null || !text.AsSpan().ContainsAnyInRange('0', '9')) return [];
        var tokens = new List<string>();
        var s = text.AsSpan();
        for (var i = 0; i < s.Length;)
        {
            while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
            var start = i;
            while (i < s.Length && !char.IsWhiteSpace(s[i])) i++;
            var word = s[start..i].Trim(WordPunctuation);
            if (word.ContainsAnyInRange('0', '9')) AddToken(tokens, word, minimumLength);
        }
        AddRuns(tokens, s, minimumLength, lettersToo: true);
        AddRuns(tokens, s, minimumLength, lettersToo: false);
        return tokens;
    }

    private const string WordPunctuation = ".,;:()[]\"'!?#*";

    // Maximal runs of letters and digits that contain a digit, or maximal runs of digits.
    private static void AddRuns(List<string> tokens, ReadOnlySpan<char> s, int minimumLength, bool lettersToo)
    {
        for (var i = 0; i < s.Length;)
        {
            while (i < s.Length && !InRun(s[i], lettersToo)) i++;
            var start = i;
            while (i < s.Length && InRun(s[i], lettersToo)) i++;
            if (i > start && (!lettersToo || s[start..i].ContainsAnyInRange('0', '9'))) AddToken(tokens, s[start..i], minimumLength);
        }
    }

    private static bool InRun(char c, bool lettersToo) => lettersToo ? char.IsLetterOrDigit(c) : char.IsAsciiDigit(c);

    private static void AddToken(List<string> tokens, ReadOnlySpan<char> token, int minimumLength)
    {
        if (EffectiveLength(token) < minimumLength) return;
        foreach (var t in tokens) if (token.Equals(t, StringComparison.OrdinalIgnoreCase)) return;
        tokens.Add(token.ToString());
    }

    private static readonly HashSet<string> LegalForms =
        ["AS", "ASA", "ANS", "DA", "ENK", "NUF", "SA", "BA", "KS", "IKS", "SF", "STI", "AB", "GMBH", "LTD", "INC", "OY", "APS"];

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> LegalFormSpans = LegalForms.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Upper case, Norwegian letters folded (Æ→AE, Ø→O, Å→A), punctuation and legal-form words removed.</summary>
    public static string NormalizeName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "";
        var upper = name.ToUpperInvariant();
        var folded = upper.Length <= 128 ? stackalloc char[upper.Length * 2] : new char[upper.Length * 2];
        var n = 0;
        foreach (var ch in upper)
        {
            switch (ch)
            {
                case 'Æ' or 'Ä': folded[n++] = 'A'; folded[n++] = 'E'; break;
                case 'Ø' or 'Ö': folded[n++] = 'O'; break;
                case 'Å': folded[n++] = 'A'; break;
                case 'Ü': folded[n++] = 'U'; break;
                case 'É' or 'È': folded[n++] = 'E'; break;
                default: folded[n++] = char.IsLetterOrDigit(ch) ? ch : ' '; break;
            }
        }
        // The words, single-spaced, without the legal forms.
        var result = new StringBuilder(n);
        foreach (var range in folded[..n].Split(' '))
        {
            var word = folded[range];
            if (word.Length == 0 || LegalFormSpans.Contains(word)) continue;
            if (result.Length > 0) result.Append(' ');
            result.Append(word);
        }
        return result.ToString();
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
