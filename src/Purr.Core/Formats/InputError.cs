using System.Text;

namespace Purr.Core.Formats;

/// <summary>
/// One problem in an input file, located precisely: file, line, column (CSV) or XPath (XML), the raw value,
/// and what was expected. Readers return these instead of throwing.
/// </summary>
public sealed record InputError(string File, int Line, string? Column, string? RawValue, string Expected, string? XPath = null)
{
    /// <summary>One line for a terminal, e.g. <c>invoices.csv:7: column due_date: "31.02.2026": expected a date dd.mm.yyyy</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(File);
        if (Line > 0) sb.Append(':').Append(Line);
        sb.Append(": ");
        if (XPath is not null) sb.Append(XPath).Append(": ");
        if (Column is not null) sb.Append("column ").Append(Column).Append(": ");
        if (RawValue is not null) sb.Append('"').Append(RawValue).Append("\": ");
        sb.Append(Expected);
        return sb.ToString();
    }
}
