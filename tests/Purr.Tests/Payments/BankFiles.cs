using System.Globalization;
using System.Security;
using System.Text;

namespace Purr.Tests.Payments;

/// <summary>One transaction for a synthetic bank file: credit (money in) when the amount is positive.</summary>
public sealed record Tx(decimal Amount, string Reference)
{
    public string? Kid { get; init; }
    public string? Text { get; init; }
    public string? Payer { get; init; }
    public string? PayerAccount { get; init; }
    public string? EndToEndId { get; init; }
    public bool Reversal { get; init; }
    public string Status { get; init; } = "BOOK";
    public string Date { get; init; } = "2026-03-02";
    public string Currency { get; init; } = "NOK";
}

/// <summary>Builds small, well-formed camt.054 / camt.053 documents and OCR giro files for the tests (one entry per transaction).</summary>
public static class BankFiles
{
    private static string A(decimal d) => Math.Abs(d).ToString("0.00", CultureInfo.InvariantCulture);
    private static string X(string s) => SecurityElement.Escape(s);

    public static byte[] Camt054(string messageId, IEnumerable<Tx> txs, string account = "86011117947") =>
        Encoding.UTF8.GetBytes(Document("camt.054.001.02", "BkToCstmrDbtCdtNtfctn", messageId,
            $"<Ntfctn><Id>{X(messageId)}-1</Id><CreDtTm>2026-03-02T06:00:00+01:00</CreDtTm>{Account(account)}{Entries(txs)}</Ntfctn>"));

    /// <summary>A statement per (id, opening, closing, dates, transactions).</summary>
    public static byte[] Camt053(string messageId, params Statement[] statements) =>
        Encoding.UTF8.GetBytes(Document("camt.053.001.02", "BkToCstmrStmt", messageId, string.Concat(statements.Select(s =>
            $"<Stmt><Id>{X(s.Id)}</Id><CreDtTm>2026-03-02T06:00:00+01:00</CreDtTm>{Account(s.Account)}" +
            Balance("OPBD", s.Opening, s.From) + Balance("CLBD", s.Closing, s.To) + Entries(s.Transactions) + "</Stmt>"))));

    public sealed record Statement(string Id, decimal Opening, decimal Closing, string From, string To, IReadOnlyList<Tx> Transactions, string Account = "86011117947");

    private static string Document(string version, string root, string messageId, string body) =>
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:{version}">
        <{root}><GrpHdr><MsgId>{X(messageId)}</MsgId><CreDtTm>2026-03-02T06:00:00+01:00</CreDtTm></GrpHdr>
        {body}
        </{root}>
        </Document>
        """;

    private static string Account(string account) =>
        $"<Acct><Id><Othr><Id>{X(account)}</Id><SchmeNm><Cd>BBAN</Cd></SchmeNm></Othr></Id><Ccy>NOK</Ccy></Acct>";

    private static string Balance(string type, decimal amount, string date) =>
        $"<Bal><Tp><CdOrPrtry><Cd>{type}</Cd></CdOrPrtry></Tp><Amt Ccy=\"NOK\">{A(amount)}</Amt><CdtDbtInd>{(amount < 0 ? "DBIT" : "CRDT")}</CdtDbtInd><Dt><Dt>{date}</Dt></Dt></Bal>";

    // Each transaction is its own entry with one TxDtls; the entry's AcctSvcrRef is the bank reference.
    private static string Entries(IEnumerable<Tx> txs)
    {
        var sb = new StringBuilder();
        foreach (var t in txs)
        {
            sb.Append($"<Ntry><Amt Ccy=\"{t.Currency}\">{A(t.Amount)}</Amt><CdtDbtInd>{(t.Amount < 0 ? "DBIT" : "CRDT")}</CdtDbtInd>");
            if (t.Reversal) sb.Append("<RvslInd>true</RvslInd>");
            sb.Append($"<Sts>{t.Status}</Sts><BookgDt><Dt>{t.Date}</Dt></BookgDt><ValDt><Dt>{t.Date}</Dt></ValDt><AcctSvcrRef>{X(t.Reference)}</AcctSvcrRef>");
            sb.Append("<NtryDtls><TxDtls>");
            if (t.EndToEndId is not null) sb.Append($"<Refs><EndToEndId>{X(t.EndToEndId)}</EndToEndId></Refs>");
            if (t.Payer is not null || t.PayerAccount is not null)
            {
                sb.Append("<RltdPties>");
                if (t.Payer is not null) sb.Append($"<Dbtr><Nm>{X(t.Payer)}</Nm></Dbtr>");
                if (t.PayerAccount is not null) sb.Append($"<DbtrAcct><Id><Othr><Id>{X(t.PayerAccount)}</Id></Othr></Id></DbtrAcct>");
                sb.Append("</RltdPties>");
            }
            if (t.Kid is not null || t.Text is not null)
            {
                sb.Append("<RmtInf>");
                if (t.Text is not null) sb.Append($"<Ustrd>{X(t.Text)}</Ustrd>");
                if (t.Kid is not null) sb.Append($"<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>{X(t.Kid)}</Ref></CdtrRefInf></Strd>");
                sb.Append("</RmtInf>");
            }
            sb.Append("</TxDtls></NtryDtls></Ntry>\n");
        }
        return sb.ToString();
    }

    /// <summary>An OCR giro transmission with one assignment. Amounts in øre; a negative amount is a reversal with KID (type 18).</summary>
    public static byte[] Ocr(string assignment, IEnumerable<(long Ore, string Kid)> transactions, string netsDate = "020326", string account = "86011117947")
    {
        var lines = new List<string> { Check("NY000010" + "00008080" + "0000001" + "00010200" + new string('0', 49)) };
        lines.Add(Check("NY090020" + "001008566" + assignment + account + new string('0', 45)));
        var n = 0;
        long total = 0;
        foreach (var (ore, kid) in transactions)
        {
            n++;
            var type = ore < 0 ? 18 : 10;
            var amount = Math.Abs(ore);
            total += amount;
            lines.Add(Check($"NY09{type:00}30{n:0000000}{netsDate}13201{"01464"}0{amount.ToString("00000000000000000", CultureInfo.InvariantCulture)}{kid,25}000000"));
            lines.Add(Check($"NY09{type:00}31{n:0000000}9636827194" + "099038562" + "0000000" + "010326" + "12345678903" + new string('0', 22)));
        }
        lines.Add(Check($"NY090088{n:00000000}{2 * n + 2:00000000}{total.ToString("00000000000000000", CultureInfo.InvariantCulture)}{netsDate}{netsDate}{netsDate}" + new string('0', 21)));
        lines.Add(Check($"NY000089{n:00000000}{2 * n + 4:00000000}{total.ToString("00000000000000000", CultureInfo.InvariantCulture)}{netsDate}" + new string('0', 33)));
        return Encoding.Latin1.GetBytes(string.Join("\n", lines) + "\n");
    }

    private static string Check(string record) =>
        record.Length == 80 ? record : throw new InvalidOperationException($"test record has {record.Length} characters: {record}");
}
