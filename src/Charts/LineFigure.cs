using ScottPlot;
using ThpTool.Report.Charts;

namespace ThpTool.Charts;

/// <summary>A line chart, and its lower panel when it has one, sharing the X axis: both data areas start and end at the same pixel.</summary>
internal static class LineFigure
{
    const int MainHeight = 400, LowerHeight = 230;
    const float Left = 100, Right = 36, TitleAndLegend = 150, XAxis = 64, Gap = 14;

    public static Figure Draw(LineChart chart, int width)
    {
        var figure = new Figure(width);
        bool lower = chart.LowerPanel is not null;
        var main = figure.Add(MainHeight);
        main.Title(chart.Title);
        _ = Lines(main, chart.X, chart.Y, chart.Series, 0, chart.Markers, inLegend: true);
        main.Layout.Fixed(new PixelPadding(Left, Right, lower ? Gap : XAxis, TitleAndLegend));
        main.ShowLegend(Edge.Top);
        if (chart.LowerPanel is { } panel)
        {
            main.Axes.Bottom.TickLabelStyle.IsVisible = false;
            var below = figure.Add(LowerHeight);
            var lines = Lines(below, chart.X, panel.Y, panel.Series, chart.Series.Count, chart.Markers, inLegend: false);
            below.Layout.Fixed(new PixelPadding(Left, Right, XAxis, Gap));
            below.HideLegend();
            // One legend for both panels, above the top one: a legend between them would take the room of the data.
            foreach (var line in lines)
                main.Legend.ManualItems.Add(new LegendItem { LabelText = line.LegendText, LineColor = line.Color, LineWidth = line.LineWidth });
            below.XLabel(chart.X.Label);
        }
        else
            main.XLabel(chart.X.Label);
        return figure;
    }

    /// <summary>Wider lines first, so a line drawn over an equal one (net freed over freed, when nothing grows) leaves it showing.</summary>
    static readonly float[] Widths = [5, 3, 2.5f];

    static IReadOnlyList<ScottPlot.Plottables.Scatter> Lines(Plot plot, Axis x, Axis y, IReadOnlyList<Series> series, int firstColour, IReadOnlyList<Marker> markers, bool inLegend)
    {
        var ys = series.SelectMany(s => s.Points).Select(p => p.Y).ToArray();
        var (divisor, unit) = ChartStyle.Scale(y, ys);
        var lines = new List<ScottPlot.Plottables.Scatter>();
        for (int i = 0; i < series.Count; i++)
        {
            var points = series[i].Points;
            var line = plot.Add.ScatterLine(points.Select(p => p.X).ToArray(), points.Select(p => p.Y / divisor).ToArray(),
                ChartStyle.Series[(firstColour + i) % ChartStyle.Series.Length]);
            line.LineWidth = Widths[Math.Min(firstColour + i, Widths.Length - 1)];
            line.LegendText = series[i].Name;
            lines.Add(line);
        }
        ChartStyle.AddMarkers(plot, markers, inLegend);
        plot.YLabel(ChartStyle.Title(y, unit));
        var (xMin, xMax) = Limits.Of(x, series.SelectMany(s => s.Points).Select(p => p.X), pad: false);
        var (yMin, yMax) = Limits.Of(y, ys.Select(v => v / divisor), pad: true);
        plot.Axes.SetLimits(xMin, xMax, yMin, yMax);
        return lines;
    }
}
