namespace Purr.Core.Formats.Csv;

/// <summary>One data row of a CSV file with its 1-based physical line number.</summary>
public sealed class CsvRow(int line, IReadOnlyList<string> fields, CsvTable table)
{
    /// <summary>The line in the file where the row starts.</summary>
    public int Line { get; } = line;
    /// <summary>The raw fields.</summary>
    public IReadOnlyList<string> Fields { get; } = fields;

    /// <summary>The trimmed value of a column by canonical name, or null when the column is absent or empty.</summary>
    public string? this[string column]
    {
        get
        {
            if (!table.Columns.TryGetValue(column, out var i) || i >= Fields.Count) return null;
            var v = Fields[i].Trim();
            return v.Length == 0 ? null : v;
        }
    }
}

/// <summary>
/// A CSV file split into rows, with columns found by header name (case-insensitive, with Norwegian and English aliases).
/// RFC 4180 quoting: fields in double quotes may contain separators, quotes ("") and line breaks.
/// </summary>
public sealed class CsvTable
{
    private CsvTable(string file, CsvDialect dialect, string encoding)
    {
        File = file;
        Dialect = dialect;
        Encoding = encoding;
    }

    /// <summary>The file name used in error messages.</summary>
    public string File { get; }
    /// <summary>The detected dialect.</summary>
    public CsvDialect Dialect { get; }
    /// <summary>The detected encoding.</summary>
    public string Encoding { get; }
    /// <summary>Canonical column name → field index.</summary>
    public Dictionary<string, int> Columns { get; } = new(StringComparer.Ordinal);
    /// <summary>The header names as written in the file.</summary>
    public List<string> Header { get; } = [];
    /// <summary>Data rows (blank lines skipped).</summary>
    public List<CsvRow> Rows { get; } = [];
    /// <summary>Problems found while splitting the file or mapping the header.</summary>
    public List<InputError> Errors { get; } = [];

    /// <summary>
    /// Reads a CSV file. <paramref name="aliases"/> maps every accepted header spelling (lower case) to the canonical
    /// column name; <paramref name="required"/> lists canonical columns that must be present.
    /// </summary>
    public static CsvTable Read(string file, ReadOnlySpan<byte> bytes, IReadOnlyDictionary<string, string> aliases, IEnumerable<string> required)
    {
        var (text, enc) = CsvDialect.Decode(bytes);
        var firstLineEnd = text.IndexOfAny(['\r', '\n']);
        var headerLine = firstLineEnd < 0 ? text : text[..firstLineEnd];
        var t = new CsvTable(file, CsvDialect.Detect(headerLine), enc);
        var records = Split(text, t.Dialect.Separator, file, t.Errors);
        if (records.Count == 0)
        {
            t.Errors.Add(new InputError(file, 1, null, null, "a header line naming the columns"));
            return t;
        }
        var (headerLineNo, header) = records[0];
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim();
            t.Header.Add(name);
            var key = Normalize(name);
            if (key.Length == 0) continue;
            if (!aliases.TryGetValue(key, out var canonical))
            {
                t.Errors.Add(new InputError(file, headerLineNo, name, name, $"a known column name ({string.Join(", ", aliases.Values.Distinct())})"));
                continue;
            }
            if (!t.Columns.TryAdd(canonical, i))
                t.Errors.Add(new InputError(file, headerLineNo, name, name, $"column {canonical} only once"));
        }
        foreach (var r in required.Where(r => !t.Columns.ContainsKey(r)))
            t.Errors.Add(new InputError(file, headerLineNo, r, null, $"a column named {r}"));
        foreach (var (line, fields) in records.Skip(1))
        {
            if (fields.All(f => f.Trim().Length == 0)) continue;
            if (fields.Count > header.Count && fields.Skip(header.Count).Any(f => f.Trim().Length > 0))
                t.Errors.Add(new InputError(file, line, null, string.Join(t.Dialect.Separator, fields), $"at most {header.Count} fields like the header, found {fields.Count}"));
            t.Rows.Add(new CsvRow(line, fields, t));
        }
        return t;
    }

    /// <summary>Lower case, trimmed, with spaces, dashes and dots turned into underscores ("Due date" → "due_date").</summary>
    public static string Normalize(string header) =>
        string.Join('_', header.Trim().Trim('"').ToLowerInvariant()
            .Split([' ', '-', '.', '_'], StringSplitOptions.RemoveEmptyEntries));

    private static List<(int Line, List<string> Fields)> Split(string text, char sep, string file, List<InputError> errors)
    {
        var result = new List<(int, List<string>)>();
        var fields = new List<string>();
        var sb = new System.Text.StringBuilder();
        var line = 1;
        var recordLine = 1;
        var inQuotes = false;
        var quoteStartLine = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { sb.Append('"'); i++; }
                    else inQuotes = false;
                }
                else
                {
                    if (c == '\n') line++;
                    sb.Append(c);
                }
                continue;
            }
            if (c == '"' && sb.ToString().Trim().Length == 0) { sb.Clear(); inQuotes = true; quoteStartLine = line; }
            else if (c == sep) { fields.Add(sb.ToString()); sb.Clear(); }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                fields.Add(sb.ToString()); sb.Clear();
                result.Add((recordLine, fields));
                fields = [];
                line++;
                recordLine = line;
            }
            else sb.Append(c);
        }
        if (inQuotes) errors.Add(new InputError(file, quoteStartLine, null, null, "a closing double quote for the field opened here"));
        if (sb.Length > 0 || fields.Count > 0) { fields.Add(sb.ToString()); result.Add((recordLine, fields)); }
        // A file that is only a header followed by nothing yields one record.
        return result.Where(r => !(r.Item2.Count == 1 && r.Item2[0].Length == 0)).ToList();
    }
}
