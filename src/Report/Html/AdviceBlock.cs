using System.Text;
using ThpTool.Report.Advice;

namespace ThpTool.Report.Html;

/// <summary>The recommendation, the two options it was chosen from, and the one-look caveat, always together.</summary>
internal static class AdviceBlock
{
    public static void Write(StringBuilder html, ThresholdAdvice advice)
    {
        html.Append("<div class=\"advice\"><div class=\"big\">Recommended max_ptes_none: ").Append(advice.Recommended).Append("</div>");
        if (advice.Estimate is not null)
            html.Append("<p><b>").Append(Html.Text(advice.Estimate)).Append("</b></p>");
        html.Append("<p>").Append(Html.Text(advice.Reason)).Append("</p>");
        var options = new (string Basis, ThresholdOption? Option)[]
        {
            ($"largest threshold recovering {Units.Percent(advice.TargetShare)} (recommended)", advice.ShareChoice),
            ("knee of memory recovered against THPs lost", advice.KneeChoice),
        };
        if (advice.ShareChoice is not null)
            Html.Table(html,
                [new("Option", Numeric: false), new("max_ptes_none"), new("Recovered"), new("Share of threshold 0"), new("THP coverage lost"), new("Ping-pong ranges")],
                options.Where(o => o.Option is not null).Select(o => (IReadOnlyList<string>)
                [
                    Html.Text(o.Basis), o.Option!.Threshold.ToString(), Units.Bytes(o.Option.BytesRecovered),
                    Units.Percent(o.Option.ShareOfMaximum), Units.Bytes(o.Option.CoverageLostBytes), Units.Count(o.Option.PingPongRanges),
                ]),
                "Both measured against the highest threshold evaluated (511: the underused rule off).");
        html.Append("</div>\n<div class=\"caveat\"><b>One look only.</b> ").Append(Html.Text(advice.Caveat)).Append("</div>\n");
    }

    /// <summary>"409 (recommended)", "511 (now)", "0": how table headers name a threshold.</summary>
    public static string Label(int threshold, ThresholdAdvice advice, int? current)
    {
        var notes = new List<string>();
        if (threshold == current) notes.Add("now");
        if (threshold == advice.Recommended) notes.Add("recommended");
        return notes.Count == 0 ? threshold.ToString() : $"{threshold} ({string.Join(", ", notes)})";
    }
}
