using System.Text.Json;
using Purr.Core.Formats;

namespace Purr.Core.Tests.Camt;

/// <summary>
/// Cross-check against genkgo/camt's own expected results (its *.json regression files): entry amounts in minor
/// units with sign, references, dates, reversal flag and status, and per transaction detail the end-to-end id,
/// debtor name, creditor references and unstructured text; statement balances by type.
/// </summary>
/// <remarks>
/// genkgo serialises an object it has already written as "__RECURSIVITY__"; in a list getXs that is the
/// singular getX of the same parent, which is how it is resolved here. genkgo converts date-times to UTC; only
/// the date is compared, and for these files it is the same.
/// </remarks>
public class CamtGenkgoRegressionTests
{
    private const string Recursion = "__RECURSIVITY__";

    public static TheoryData<string, string> Files => new()
    {
        { "camt053", "camt053.v2.minimal" },
        { "camt053", "camt053.v2.minimal.ultimate" },
        { "camt053", "camt053.v2.multi.statement" },
        { "camt053", "camt053.v2.with-account-name" },
        { "camt053", "camt053.v2.with-party-ids" },
        { "camt053", "camt053.v3" },
        { "camt053", "camt053.v4" },
        { "camt053", "camt053.v8" },
        { "camt054", "camt054.v2" },
        { "camt054", "camt054.v4" },
        { "camt054", "camt054.v8" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Entries_and_details_agree_with_genkgo_expected_output(string category, string name)
    {
        var content = BankTestFiles.Read(category, "genkgo+camt", name + ".xml");
        using var json = JsonDocument.Parse(File.ReadAllText(BankTestFiles.PathOf(category, "genkgo+camt", name + ".json")));
        var expectedEntries = json.RootElement.GetProperty("getEntries").EnumerateArray().ToList();

        Assert.Empty(content.Errors);
        Assert.NotEmpty(expectedEntries);
        // genkgo lists the entries of the last statement only (camt053.v2.multi.statement.json holds one of its
        // two entries), so each expected entry is looked up by its statement id and position in that statement.
        var ours = content.Transactions
            .GroupBy(t => (t.Camt!.StatementId, t.Camt.EntrySequence))
            .ToDictionary(g => g.Key, g => g.ToList());
        var positions = new Dictionary<string, int>();

        for (var i = 0; i < expectedEntries.Count; i++)
        {
            var statementId = expectedEntries[i].GetProperty("getRecord").GetProperty("getId").GetString()!;
            positions[statementId] = positions.GetValueOrDefault(statementId) + 1;
            Assert.True(ours.TryGetValue((statementId, positions[statementId]), out var transactions), $"entry {positions[statementId]} of statement {statementId}");
            var entry = expectedEntries[i];
            var first = transactions[0];
            var amount = entry.GetProperty("getAmount");
            Assert.Equal(amount.GetProperty("getCurrency").GetProperty("getCode").GetString(), first.Camt!.EntryAmount.Currency.Code);
            Assert.Equal(long.Parse(amount.GetProperty("getAmount").GetString()!, System.Globalization.CultureInfo.InvariantCulture), first.Camt.EntryAmount.ToMinorUnits());
            Assert.Equal(entry.GetProperty("getAccountServicerReference").GetString(), first.Camt.EntryAccountServicerReference);
            Assert.Equal(entry.GetProperty("getReversalIndicator").GetBoolean(), first.IsReversal);
            Assert.Equal(entry.GetProperty("getStatus").GetString(), first.Camt.Status);
            Assert.Equal(DatePart(entry, "getBookingDate"), first.BookingDate);
            Assert.Equal(DatePart(entry, "getValueDate"), first.ValueDate);

            var details = Resolve(entry, "getTransactionDetails", "getTransactionDetail").ToList();
            if (first.Camt.IsMergedBatch)
            {
                // One transaction for the whole batch: its references and texts are those of all the details.
                var t = Assert.Single(transactions);
                Assert.Equal(details.SelectMany(CreditorReferences).Distinct(), t.References);
                Assert.Equal(string.Join(" ", details.SelectMany(Messages)), t.FreeText);
                continue;
            }
            Assert.Equal(Math.Max(details.Count, 1), transactions.Count);
            for (var d = 0; d < details.Count; d++)
            {
                var detail = details[d];
                var t = transactions[d];
                var reference = detail.GetProperty("getReference");
                var endToEnd = reference.ValueKind == JsonValueKind.Object ? reference.GetProperty("getEndToEndId").GetString() : null;
                Assert.Equal(endToEnd is "NOTPROVIDED" ? null : endToEnd, t.EndToEndId);
                Assert.Equal(DebtorName(detail), t.PayerName);
                Assert.Equal(CreditorReferences(detail), t.References);
                var messages = Messages(detail).ToList();
                Assert.Equal(messages.Count == 0 ? null : string.Join(" ", messages), t.FreeText);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Balances_agree_with_genkgo_expected_output(string category, string name)
    {
        var summary = BankTestFiles.Read(category, "genkgo+camt", name + ".xml").Summary;
        using var json = JsonDocument.Parse(File.ReadAllText(BankTestFiles.PathOf(category, "genkgo+camt", name + ".json")));
        // Records genkgo serialised in full: inside an entry (getRecord) or in getRecords itself.
        var records = json.RootElement.GetProperty("getEntries").EnumerateArray().Select(e => e.GetProperty("getRecord"))
            .Concat(json.RootElement.GetProperty("getRecords").EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Object))
            .GroupBy(r => r.GetProperty("getId").GetString()).Select(g => g.First()).ToList();

        Assert.NotEmpty(records);
        foreach (var record in records)
        {
            var statement = Assert.Single(summary.Statements, s => s.Id == record.GetProperty("getId").GetString());
            var expected = record.TryGetProperty("getBalances", out var b)
                ? b.EnumerateArray().Select(x => (
                    Type: x.GetProperty("getType").GetString(),
                    Minor: long.Parse(x.GetProperty("getAmount").GetProperty("getAmount").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                    Currency: x.GetProperty("getAmount").GetProperty("getCurrency").GetProperty("getCode").GetString())).ToList()
                : [];
            var ours = statement.Balances.Select(x => (Type: GenkgoBalanceType(x.Type), Minor: x.Amount.ToMinorUnits(), Currency: (string?)x.Amount.Currency.Code)).ToList();
            Assert.Equal(expected, ours);
            Assert.Equal(AccountId(record), statement.Account);
        }
    }

    private static string? AccountId(JsonElement record) =>
        record.GetProperty("getAccount").GetProperty("getIdentification").GetString();

    private static string? GenkgoBalanceType(string code) => code switch
    {
        "OPBD" or "PRCD" => "opening",
        "CLBD" => "closing",
        "OPAV" => "opening_available",
        "CLAV" => "closing_available",
        _ => code,
    };

    private static DateOnly? DatePart(JsonElement element, string property) =>
        element.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Object
            ? DateOnly.ParseExact(v.GetProperty("0").GetString()![..10], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
            : null;

    private static IEnumerable<JsonElement> Resolve(JsonElement parent, string list, string single)
    {
        if (!parent.TryGetProperty(list, out var items) || items.ValueKind != JsonValueKind.Array) yield break;
        foreach (var item in items.EnumerateArray())
            yield return item.ValueKind == JsonValueKind.String && item.GetString() == Recursion ? parent.GetProperty(single) : item;
    }

    private static string? DebtorName(JsonElement detail)
    {
        foreach (var party in Resolve(detail, "getRelatedParties", "getRelatedParty"))
        {
            var type = party.GetProperty("getRelatedPartyType");
            if (type.GetProperty("__CLASS__").GetString()!.EndsWith("\\Debtor", StringComparison.Ordinal))
                return type.GetProperty("getName").GetString();
        }
        return null;
    }

    private static List<string> CreditorReferences(JsonElement detail)
    {
        var result = new List<string>();
        if (!detail.TryGetProperty("getRemittanceInformation", out var ri) || ri.ValueKind != JsonValueKind.Object) return result;
        foreach (var block in Resolve(ri, "getStructuredBlocks", "getStructuredBlock"))
        {
            var cri = block.GetProperty("getCreditorReferenceInformation");
            if (cri.ValueKind == JsonValueKind.String && cri.GetString() == Recursion) cri = ri.GetProperty("getCreditorReferenceInformation");
            if (cri.ValueKind == JsonValueKind.Object && cri.GetProperty("getRef").GetString() is { } r)
            {
                var compact = string.Concat(r.Where(c => !char.IsWhiteSpace(c)));
                if (!result.Contains(compact)) result.Add(compact);
            }
        }
        return result;
    }

    private static IEnumerable<string> Messages(JsonElement detail)
    {
        if (!detail.TryGetProperty("getRemittanceInformation", out var ri) || ri.ValueKind != JsonValueKind.Object) yield break;
        foreach (var block in Resolve(ri, "getUnstructuredBlocks", "getUnstructuredBlock"))
            if (block.GetProperty("getMessage").GetString() is { Length: > 0 } m) yield return m;
    }
}
