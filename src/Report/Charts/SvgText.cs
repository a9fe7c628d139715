using System.Globalization;
using System.Text;

namespace ThpTool.Report.Charts;

/// <summary>The bits of SVG text that must be right: escaping and culture-invariant numbers.</summary>
internal static class SvgText
{
    /// <summary>Fonts present on Linux, macOS and Windows without web fonts.</summary>
    public const string FontStack = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif";

    /// <summary>Escapes for text and attribute values; drops characters XML 1.0 cannot hold.</summary>
    public static string Escape(string text)
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

    /// <summary>A coordinate with at most two decimals and a '.' whatever the culture.</summary>
    public static string Num(double v)
    {
        double r = Math.Round(v, 2, MidpointRounding.AwayFromZero);
        return (r == 0 ? 0 : r).ToString("0.##", CultureInfo.InvariantCulture);
    }

    /// <summary>Rough width of <paramref name="text"/> in pixels at <paramref name="fontSize"/> (DejaVu Sans is wide).</summary>
    public static double Width(string text, double fontSize) => text.Length * fontSize * 0.62;
}
