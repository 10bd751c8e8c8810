using System.Text;
using CsCheck;
using Purr.Core.Identifiers;
using Purr.Core.Matching;

namespace Purr.Core.Tests.Matching;

/// <summary>
/// The matcher's text helpers run on spans for speed; these properties hold them to plain LINQ specifications of the
/// same rules over texts built from the characters that matter (digits, letters, Norwegian letters, punctuation, every
/// kind of white space).
/// </summary>
public class MatcherTextSpecTests
{
    private static readonly Gen<string> Text = Gen.OneOf(
            '0', '0', '1', '2', '3', '9', 'a', 'B', 'z', 'æ', 'Ø', 'å', 'Ä', 'é', 'ü', ' ', ' ', '\t', '\u00A0', '\u2003',
            '.', ',', '-', '/', '(', ')', '#', '\'', '"', '!', '*', ':', '&')
        .Array[0, 40].Select(chars => new string(chars));

    private static readonly Gen<string> Words = Gen.OneOf("AS", "asa", "Ola", "Hansen", "ENK", "da", "Sønn", "Æ", "ÆÆÆÆÆÆ", "&", "-", "  ", "GmbH", "12", "Ærlig")
        .Array[0, 12].Select(ws => string.Join(' ', ws));

    [Fact]
    public void Tokens_follow_the_specification() =>
        Gen.Select(Text, Gen.Int[0, 5]).Sample((text, min) => Assert.Equal(SpecTokens(text, min), PaymentMatcher.Tokens(text, min)), iter: 20_000);

    [Fact]
    public void Names_follow_the_specification() =>
        Gen.OneOf(Text, Words).Sample(name => Assert.Equal(SpecName(name), PaymentMatcher.NormalizeName(name)), iter: 20_000);

    [Fact]
    public void Compact_removes_exactly_the_group_separators() =>
        Gen.OneOf(Text, Gen.String).Sample(s => Assert.Equal(string.Concat(s.Where(c => c is not (' ' or '.' or '\u00A0' or '\t'))), Checksums.Compact(s)), iter: 20_000);

    [Fact]
    public void A_long_name_of_expanding_letters_is_normalized_whole() =>
        Assert.Equal(string.Concat(Enumerable.Repeat("AE", 200)) + " OG " + string.Concat(Enumerable.Repeat("O", 100)),
            PaymentMatcher.NormalizeName(new string('Æ', 200) + " og " + new string('ø', 100) + " AS"));

    private static List<string> SpecTokens(string? text, int minimumLength)
    {
        var tokens = new List<string>();
        if (string.IsNullOrWhiteSpace(text)) return tokens;
        int Effective(string t) => t.All(char.IsAsciiDigit) ? t.TrimStart('0').Length : t.Length;
        void Add(string t)
        {
            if (Effective(t) >= minimumLength && !tokens.Contains(t, StringComparer.OrdinalIgnoreCase)) tokens.Add(t);
        }
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var trimmed = word.Trim('.', ',', ';', ':', '(', ')', '[', ']', '"', '\'', '!', '?', '#', '*');
            if (trimmed.Any(char.IsAsciiDigit)) Add(trimmed);
        }
        foreach (var run in Runs(text, char.IsLetterOrDigit).Where(r => r.Any(char.IsAsciiDigit))) Add(run);
        foreach (var run in Runs(text, char.IsAsciiDigit)) Add(run);
        return tokens;
    }

    private static IEnumerable<string> Runs(string text, Func<char, bool> inRun) =>
        System.Text.RegularExpressions.Regex.Split(new string(text.Select(c => inRun(c) ? c : '\0').ToArray()), "\0+").Where(r => r.Length > 0);

    private static readonly string[] LegalForms = ["AS", "ASA", "ANS", "DA", "ENK", "NUF", "SA", "BA", "KS", "IKS", "SF", "STI", "AB", "GMBH", "LTD", "INC", "OY", "APS"];

    private static string SpecName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "";
        var folded = new StringBuilder();
        foreach (var ch in name.ToUpperInvariant())
            folded.Append(ch switch
            {
                'Æ' or 'Ä' => "AE",
                'Ø' or 'Ö' => "O",
                'Å' => "A",
                'Ü' => "U",
                'É' or 'È' => "E",
                _ => char.IsLetterOrDigit(ch) ? ch.ToString() : " ",
            });
        return string.Join(' ', folded.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !LegalForms.Contains(w)));
    }
}
