using System.Globalization;
using System.Text;
using Purr.Core.Identifiers;

namespace Purr.Bench;

/// <summary>One generated invoice and the payment that comes for it.</summary>
/// <param name="Kind">kid (exact), partial (KID, less than the amount), text (invoice number in Ustrd), payer (name only).</param>
public sealed record BenchPayment(string InvoiceNumber, string CustomerNumber, string CustomerName, string Kid, long InvoiceOre, long PaidOre, string Kind);

/// <summary>Deterministic test data: customers, invoices with MOD10 KIDs, and the payments for them.</summary>
public static class Generators
{
    private static readonly string[] First = ["Kari", "Ola", "Ingrid", "Per", "Anne", "Lars", "Marit", "Knut", "Siri", "Jon", "Liv", "Tor"];
    private static readonly string[] Last = ["Nordmann", "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Berg", "Haugen", "Dahl", "Lie"];

    public static List<BenchPayment> Payments(int count, int invoicesPerCustomer = 5, int seed = 42)
    {
        var rng = new Random(seed);
        var list = new List<BenchPayment>(count);
        for (var i = 0; i < count; i++)
        {
            var customer = i / invoicesPerCustomer;
            var number = (100000 + i).ToString(CultureInfo.InvariantCulture);
            var kid = Kid.Create((1000000 + i).ToString(CultureInfo.InvariantCulture), 8, KidMethod.Mod10)!.Value.Value;
            var ore = (long)rng.Next(10_000, 5_000_000);
            var roll = rng.Next(100);
            var (kind, paid) = roll switch
            {
                < 80 => ("kid", ore),
                < 90 => ("partial", ore / 2),
                < 95 => ("text", ore),
                _ => ("payer", ore + i % 7),           // an amount no invoice has (mostly): unmatched, as in life
            };
            list.Add(new BenchPayment(number, "C" + customer.ToString("000000", CultureInfo.InvariantCulture),
                $"{First[customer % First.Length]} {Last[customer / First.Length % Last.Length]} {customer}", kid, ore, paid, kind));
        }
        return list;
    }

    public static byte[] CustomersCsv(IReadOnlyList<BenchPayment> payments)
    {
        var sb = new StringBuilder("customer_number,name,kind\n");
        foreach (var p in payments.DistinctBy(p => p.CustomerNumber)) sb.Append(p.CustomerNumber).Append(',').Append(p.CustomerName).Append(",private\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    public static byte[] InvoicesCsv(IReadOnlyList<BenchPayment> payments)
    {
        var sb = new StringBuilder("invoice_number,customer_number,issue_date,due_date,amount,kid\n");
        var day = new DateOnly(2026, 1, 1);
        for (var i = 0; i < payments.Count; i++)
        {
            var p = payments[i];
            var issue = day.AddDays(i % 50);
            sb.Append(p.InvoiceNumber).Append(',').Append(p.CustomerNumber).Append(',').Append(issue.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(',')
              .Append(issue.AddDays(14).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(',').Append(Amount(p.InvoiceOre)).Append(',').Append(p.Kid).Append('\n');
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    public static string Amount(long ore) => (ore / 100).ToString(CultureInfo.InvariantCulture) + "." + (ore % 100).ToString("00", CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes a camt.054.001.02 notification: batch entries of <paramref name="batchSize"/> TxDtls each (as a bank books a
    /// day's KID payments), each detail with its own AcctSvcrRef, end-to-end id, amount, debtor, debtor account and
    /// either a SCOR KID or unstructured text. Stops after <paramref name="count"/> transactions or, when
    /// <paramref name="minBytes"/> is given, once the file is at least that large. Returns the transactions written.
    /// </summary>
    public static long WriteCamt054(string path, IReadOnlyList<BenchPayment> payments, long count, int batchSize = 100, long minBytes = 0, string messageId = "BENCH-1") =>
        WriteCamt(path, payments, count, batchSize, minBytes, messageId, statement: false);

    /// <summary>
    /// The same entries as <see cref="WriteCamt054"/> in one camt.053 account statement. Its balances are written before
    /// the entries, as the schema orders them, so they are not the entries' sum: the statement does not reconcile (a
    /// warning), which does not matter to a benchmark.
    /// </summary>
    public static long WriteCamt053(string path, IReadOnlyList<BenchPayment> payments, long count, int batchSize = 100, long minBytes = 0, string messageId = "BENCH-1") =>
        WriteCamt(path, payments, count, batchSize, minBytes, messageId, statement: true);

    private static long WriteCamt(string path, IReadOnlyList<BenchPayment> payments, long count, int batchSize, long minBytes, string messageId, bool statement)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var w = new StreamWriter(file, new UTF8Encoding(false), 1 << 20);
        var (version, root, element) = statement ? ("camt.053.001.02", "BkToCstmrStmt", "Stmt") : ("camt.054.001.02", "BkToCstmrDbtCdtNtfctn", "Ntfctn");
        const string balances = """
                  <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="NOK">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-03-01</Dt></Dt></Bal>
                  <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="NOK">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-03-02</Dt></Dt></Bal>

            """;
        w.Write($"""
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:{version}">
              <{root}>
                <GrpHdr><MsgId>{messageId}</MsgId><CreDtTm>2026-03-02T06:00:00+01:00</CreDtTm></GrpHdr>
                <{element}>
                  <Id>{messageId}-1</Id>
                  <CreDtTm>2026-03-02T06:00:00+01:00</CreDtTm>
                  <Acct><Id><Othr><Id>86011117947</Id><SchmeNm><Cd>BBAN</Cd></SchmeNm></Othr></Id><Ccy>NOK</Ccy></Acct>

            """);
        if (statement) w.Write(balances);
        long written = 0;
        var entry = 0;
        var details = new StringBuilder();
        while (minBytes > 0 ? file.Position < minBytes : written < count)
        {
            entry++;
            details.Clear();
            long sum = 0;
            var n = 0;
            for (; n < batchSize && (minBytes > 0 || written < count); n++, written++)
            {
                var p = payments[(int)(written % payments.Count)];
                sum += p.PaidOre;
                var reference = $"{messageId}-{entry}-{n + 1}";
                details.Append("          <TxDtls>\n");
                details.Append($"            <Refs><AcctSvcrRef>{reference}</AcctSvcrRef><EndToEndId>E2E{written + 1}</EndToEndId></Refs>\n");
                details.Append($"            <AmtDtls><TxAmt><Amt Ccy=\"NOK\">{Amount(p.PaidOre)}</Amt></TxAmt></AmtDtls>\n");
                details.Append($"            <RltdPties><Dbtr><Nm>{p.CustomerName}</Nm></Dbtr><DbtrAcct><Id><Othr><Id>{AccountOf(written)}</Id></Othr></Id></DbtrAcct></RltdPties>\n");
                details.Append(p.Kind switch
                {
                    "kid" or "partial" => $"            <RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>{p.Kid}</Ref></CdtrRefInf></Strd></RmtInf>\n",
                    "text" => $"            <RmtInf><Ustrd>Betaling faktura {p.InvoiceNumber}</Ustrd></RmtInf>\n",
                    _ => "            <RmtInf><Ustrd>Innbetaling</Ustrd></RmtInf>\n",
                });
                details.Append("          </TxDtls>\n");
            }
            w.Write($"""
                      <Ntry>
                        <Amt Ccy="NOK">{Amount(sum)}</Amt>
                        <CdtDbtInd>CRDT</CdtDbtInd>
                        <Sts>BOOK</Sts>
                        <BookgDt><Dt>2026-03-02</Dt></BookgDt>
                        <ValDt><Dt>2026-03-02</Dt></ValDt>
                        <AcctSvcrRef>{messageId}-{entry}</AcctSvcrRef>
                        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>
                        <NtryDtls>
                          <Btch><NbOfTxs>{n}</NbOfTxs></Btch>

                """);
            w.Write(details);
            w.Write("        </NtryDtls>\n      </Ntry>\n");
            if (minBytes > 0) w.Flush();
        }
        w.Write($"    </{element}>\n  </{root}>\n</Document>\n");
        return written;
    }

    // A valid Norwegian account number per payer (MOD11), so payer accounts are realistic.
    private static string AccountOf(long i)
    {
        var body = (1200000000L + i % 50000 * 7).ToString(CultureInfo.InvariantCulture);
        for (var k = 0; k < 10; k++)
        {
            if (AccountNumber.TryParse(body + k.ToString(CultureInfo.InvariantCulture), out var a, out _)) return a.Value;
        }
        return "12345678903";
    }

    /// <summary>Writes a Nets OCR giro transmission of exactly <paramref name="records"/> records (one assignment).</summary>
    public static long WriteOcr(string path, IReadOnlyList<BenchPayment> payments, int records)
    {
        var transactions = (records - 4) / 2;
        using var w = new StreamWriter(path, false, Encoding.Latin1, 1 << 20) { NewLine = "\n" };
        w.WriteLine(Check("NY000010" + "00008080" + "0000001" + "00010200" + new string('0', 49)));
        w.WriteLine(Check("NY090020" + "001008566" + "0000001" + "86011117947" + new string('0', 45)));
        long total = 0;
        for (var i = 0; i < transactions; i++)
        {
            var p = payments[i % payments.Count];
            var n = i + 1;
            total += p.PaidOre;
            w.WriteLine(Check($"NY091030{n:0000000}02032613201014640{p.PaidOre:00000000000000000}{p.Kid,25}000000"));
            w.WriteLine(Check($"NY091031{n:0000000}9636827194" + "099038562" + "0000000" + "010326" + AccountOf(i) + new string('0', 22)));
        }
        w.WriteLine(Check($"NY090088{transactions:00000000}{2 * transactions + 2:00000000}{total:00000000000000000}020326020326020326" + new string('0', 21)));
        w.WriteLine(Check($"NY000089{transactions:00000000}{2 * transactions + 4:00000000}{total:00000000000000000}020326" + new string('0', 33)));
        return transactions;
    }

    private static string Check(string record) =>
        record.Length == 80 ? record : throw new InvalidOperationException($"record has {record.Length} characters: {record}");
}
