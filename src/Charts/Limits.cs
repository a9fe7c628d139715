using ThpTool.Report.Charts;

namespace ThpTool.Charts;

/// <summary>Where an axis starts and ends: the chart's fixed ends, else the data's (with zero in view, and headroom above).</summary>
internal static class Limits
{
    public static (double Min, double Max) Of(Axis axis, IEnumerable<double> data, bool pad)
    {
        var values = data.Where(double.IsFinite).ToArray();
        double lo = axis.Min ?? (values.Length == 0 ? 0 : Math.Min(0, values.Min()));
        double hi = axis.Max ?? (values.Length == 0 ? 0 : values.Max());
        if (pad && axis.Max is null)
            hi += (hi - lo) * 0.06;
        if (pad && axis.Min is null && lo < 0)
            lo -= (hi - lo) * 0.04;
        if (hi <= lo)
            hi = lo + 1;
        return (lo, hi);
    }
}
