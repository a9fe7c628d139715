using System.Text;
using ThpTool.Report.Advice;
using ThpTool.Report.Charts;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Scans;

namespace ThpTool.Report.Html;

/// <summary>A table column: numbers are right-aligned so their digits line up.</summary>
internal readonly record struct Column(string Header, bool Numeric = true, bool Highlight = false);

/// <summary>The few HTML building blocks the report needs; every string from a scan goes through <see cref="Text"/>.</summary>
internal static class Html
{
    /// <summary>Escapes comm, paths and cmdlines (which a process chooses freely) for text and attribute values.</summary>
    public static string Text(string text) => SvgText.Escape(text);

    /// <summary>Cells are HTML already: callers escape what came from the scan.</summary>
    public static void Table(StringBuilder html, IReadOnlyList<Column> columns, IEnumerable<IReadOnlyList<string>> rows, string? caption = null)
    {
        html.Append("<div class=\"scroll\"><table>");
        if (caption is not null) html.Append("<caption>").Append(caption).Append("</caption>");
        html.Append("<thead><tr>");
        foreach (var c in columns)
            html.Append("<th").Append(Class(c)).Append('>').Append(Text(c.Header)).Append("</th>");
        html.Append("</tr></thead><tbody>\n");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            for (int i = 0; i < columns.Count; i++)
                html.Append("<td").Append(Class(columns[i])).Append('>').Append(row[i]).Append("</td>");
            html.Append("</tr>\n");
        }
        html.Append("</tbody></table></div>\n");
    }

    static string Class(Column c) => (c.Numeric, c.Highlight) switch
    {
        (true, true) => " class=\"num rec\"",
        (true, false) => " class=\"num\"",
        (false, true) => " class=\"rec\"",
        _ => "",
    };

    public static string Badge(string kind, string label) => $"<span class=\"badge {kind}\">{Text(label)}</span>";

    /// <summary>A chart for inline use: HTML puts &lt;svg&gt; in the SVG namespace itself, so the xmlns URL can go.</summary>
    public static string InlineSvg(string svg) =>
        svg.Replace(" xmlns=\"http://www.w3.org/2000/svg\"", "", StringComparison.Ordinal);

    /// <summary>The threshold chart and the zero-subpage histogram, inline, with captions that say how to read them.</summary>
    public static void Charts(StringBuilder html, IChartRenderer renderer, string name, SweepResult sweep, IEnumerable<ScanFile> scans, int? current, ThresholdAdvice advice)
    {
        Figure(html, renderer.Render(SweepCharts.Thresholds($"{name}: memory and THP coverage by max_ptes_none", sweep, current, advice)),
            "Top: memory freed by splits (underused and partially mapped THPs), grown by khugepaged collapses, and the net. Bottom: THP-mapped bytes once the kernel has acted.");
        Figure(html, renderer.Render(SweepCharts.ZeroSubpages($"{name}: THPs by zero subpages", scans, current, advice)),
            "Fully mapped THPs counted once (log scale). At threshold N the shrinker splits every THP with more than N zero subpages.");
    }

    static void Figure(StringBuilder html, string svg, string caption) =>
        html.Append("<figure>").Append(InlineSvg(svg)).Append("<figcaption>").Append(Text(caption)).Append("</figcaption></figure>\n");

    public static string Range(ulong start, ulong end) => $"<code>{start:x}-{end:x}</code>";
}
