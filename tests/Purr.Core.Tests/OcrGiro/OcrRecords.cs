using System.Globalization;

namespace Purr.Core.Tests.OcrGiro;

/// <summary>Builds well-formed 80-character OCR giro records for synthetic test files (layout: NORWAY-RULES §5.2).</summary>
internal static class OcrRecords
{
    public static string Start(string transmission = "0000001", string recipient = "00010200") =>
        Check("NY000010" + "00008080" + transmission + recipient + new string('0', 49));

    public static string AssignmentStart(string assignment = "0000001", string agreement = "001008566", string account = "99991042764") =>
        Check("NY090020" + agreement + assignment + account + new string('0', 45));

    public static string Item1(int type, int number, long ore, string? kid, string netsDate = "020326", char sign = '0') =>
        Check($"NY09{type:00}30{number:0000000}{netsDate}13201{"01464"}{sign}{ore.ToString("00000000000000000", CultureInfo.InvariantCulture)}{kid ?? "",25}000000");

    public static string Item2(int type, int number, string bankDate = "010326", string debitAccount = "12345678903") =>
        Check($"NY09{type:00}31{number:0000000}9636827194" + "099038562" + "0000000" + $"{bankDate}{debitAccount}" + new string('0', 22));

    public static string Item3(int type, int number, string text) =>
        Check($"NY09{type:00}32{number:0000000}{text,-40}" + new string('0', 25));

    public static string AssignmentEnd(long transactions, long records, long ore, string date = "020326") =>
        Check($"NY090088{transactions:00000000}{records:00000000}{ore.ToString("00000000000000000", CultureInfo.InvariantCulture)}{date}{date}{date}" + new string('0', 21));

    public static string End(long transactions, long records, long ore, string date = "020326") =>
        Check($"NY000089{transactions:00000000}{records:00000000}{ore.ToString("00000000000000000", CultureInfo.InvariantCulture)}{date}" + new string('0', 33));

    private static string Check(string record) =>
        record.Length == 80 ? record : throw new InvalidOperationException($"test record has {record.Length} characters: {record}");
}
