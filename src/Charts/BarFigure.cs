using ScottPlot;
using ScottPlot.TickGenerators;
using ThpTool.Report.Charts;

namespace ThpTool.Charts;

/// <summary>Horizontal bars, the first on top, with their names on the left: cgroup paths need the width.</summary>
internal static class BarFigure
{
    const int BarHeight = 28;

    public static Figure Draw(BarChart chart, int width)
    {
        var (figure, plot) = Figure.Single(width, 140 + Math.Max(3, chart.Bars.Count) * BarHeight, chart.Title);
        var (divisor, unit) = ChartStyle.Scale(chart.Value, chart.Bars.Select(b => b.Value));
        var bars = chart.Bars.Select((b, i) => new ScottPlot.Bar
        {
            Position = -i,
            Value = b.Value / divisor,
            Size = 0.7,
            FillColor = ChartStyle.Series[b.Value < 0 ? 1 : 0],
            LineWidth = 0,
        }).ToList();
        if (bars.Count > 0)
            plot.Add.Bars(bars).Horizontal = true;
        var names = new NumericManual();
        for (int i = 0; i < chart.Bars.Count; i++)
            names.AddMajor(-i, ChartStyle.Shorten(chart.Bars[i].Label));
        plot.Axes.Left.TickGenerator = names;
        plot.XLabel(ChartStyle.Title(chart.Value, unit));
        var (lo, hi) = Limits.Of(chart.Value, chart.Bars.Select(b => b.Value / divisor), pad: true);
        plot.Axes.SetLimits(lo, hi, -Math.Max(chart.Bars.Count, 1) + 0.5, 0.5);
        plot.Layout.Fixed(new PixelPadding(ChartStyle.LabelMargin(chart.Bars.Select(b => ChartStyle.Shorten(b.Label))), 40, 64, 48));
        return figure;
    }
}
