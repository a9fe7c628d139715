using System.Text;
using ThpTool.Report.Charts;

namespace ThpTool.Report.Html;

/// <summary>A table column: numbers are right-aligned so their digits line up.</summary>
internal readonly record struct Column(string Header, bool Numeric = true, bool Highlight = false);

/// <summary>The few HTML building blocks the report needs; every string from a scan goes through <see cref="Text"/>.</summary>
internal static class Html
{
    /// <summary>Escapes comm, paths and cmdlines (which a process chooses freely) for text and attribute values.
    /// Characters XML 1.0 cannot hold are dropped, so the page stays well-formed XML.</summary>
    public static string Text(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&apos;"); break;
                case '\t' or '\n' or '\r': sb.Append(' '); break;
                case < ' ' or '\uFFFE' or '\uFFFF': break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

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

    /// <summary>
    /// A chart for inline use. HTML puts &lt;svg&gt; in the SVG namespace itself, so the XML declaration and the
    /// namespace URLs go; ids get the figure's own prefix, since ids are global to a page and every chart names its
    /// clip paths alike (the figure's offset in the page makes a prefix no other figure has).
    /// </summary>
    public static string InlineSvg(string svg, string idPrefix)
    {
        int root = svg.IndexOf("<svg", StringComparison.Ordinal);
        return svg[(root < 0 ? 0 : root)..]
            .Replace(" xmlns=\"http://www.w3.org/2000/svg\"", "", StringComparison.Ordinal)
            .Replace(" xmlns:xlink=\"http://www.w3.org/1999/xlink\"", "", StringComparison.Ordinal)
            .Replace(" id=\"", $" id=\"{idPrefix}", StringComparison.Ordinal)
            .Replace("url(#", $"url(#{idPrefix}", StringComparison.Ordinal);
    }

    /// <summary>The charts, inline, each with a caption that says how to read it.</summary>
    public static void Charts(StringBuilder html, IChartRenderer renderer, IEnumerable<PlotFile> plots)
    {
        foreach (var plot in plots)
        {
            string svg = Encoding.UTF8.GetString(renderer.Render(plot.Chart, ChartFormat.Svg));
            html.Append("<figure>").Append(InlineSvg(svg, $"f{html.Length}-")).Append("<figcaption>").Append(Text(plot.Caption)).Append("</figcaption></figure>\n");
        }
    }

    public static string Range(ulong start, ulong end) => $"<code>{start:x}-{end:x}</code>";
}
