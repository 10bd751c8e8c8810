using System.Text;

namespace Purr.Core.Tests;

/// <summary>One data row of a test-vector CSV: its 1-based line number in the file and its fields by header name.</summary>
public sealed record CsvRow(int Line, IReadOnlyDictionary<string, string> Fields)
{
    public string this[string column] => Fields[column];
}

/// <summary>Reads the copied test data under the test output folder (tests/data/** is copied to bin/.../data/).</summary>
public static class TestData
{
    public static string PathOf(params string[] parts) =>
        Path.Combine([AppContext.BaseDirectory, "data", .. parts]);

    /// <summary>Reads an RFC 4180 CSV with a header line (quoted fields may hold commas, doubled quotes and newlines).</summary>
    public static IReadOnlyList<CsvRow> ReadCsv(params string[] parts)
    {
        var text = File.ReadAllText(PathOf(parts), Encoding.UTF8);
        var records = Split(text);
        var header = records[0].Fields;
        return records.Skip(1)
            .Where(r => !(r.Fields.Count == 1 && r.Fields[0].Length == 0))
            .Select(r =>
            {
                if (r.Fields.Count != header.Count)
                    throw new InvalidDataException($"{string.Join('/', parts)}:{r.Line}: {r.Fields.Count} fields, header has {header.Count}");
                return new CsvRow(r.Line, header.Zip(r.Fields).ToDictionary(p => p.First, p => p.Second));
            })
            .ToList();
    }

    private static List<(int Line, List<string> Fields)> Split(string text)
    {
        var result = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else { if (c == '\n') line++; field.Append(c); }
                continue;
            }
            switch (c)
            {
                case '"': quoted = true; break;
                case ',': fields.Add(field.ToString()); field.Clear(); break;
                case '\r': break;
                case '\n':
                    fields.Add(field.ToString()); field.Clear();
                    result.Add((recordLine, fields));
                    fields = [];
                    line++;
                    recordLine = line;
                    break;
                default: field.Append(c); break;
            }
        }
        if (field.Length > 0 || fields.Count > 0) { fields.Add(field.ToString()); result.Add((recordLine, fields)); }
        return result;
    }
}
