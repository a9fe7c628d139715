using System.Text;

namespace ThpTool.Report.Terminal;

/// <summary>A plain aligned text table: readable in a terminal, in a log and in a pasted bug report alike.</summary>
public sealed class TextTable(params string[] headers)
{
    readonly List<string[]> rows = [];

    public TextTable Add(params string[] cells)
    {
        if (cells.Length != headers.Length) throw new ArgumentException($"expected {headers.Length} cells, got {cells.Length}");
        rows.Add(cells.Select(TerminalText.Safe).ToArray());
        return this;
    }

    /// <summary>The first column is left-aligned (labels), the others right-aligned (numbers).</summary>
    public override string ToString()
    {
        var widths = headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        void Line(string[] cells)
        {
            for (int i = 0; i < cells.Length; i++)
            {
                if (i > 0) text.Append("  ");
                text.Append(i == 0 ? cells[i].PadRight(widths[i]) : cells[i].PadLeft(widths[i]));
            }
            text.Append('\n');
        }
        Line(headers);
        Line(widths.Select(w => new string('-', w)).ToArray());
        foreach (var row in rows) Line(row);
        return text.ToString();
    }
}
