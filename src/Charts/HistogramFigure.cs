using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;
using ThpTool.Report.Charts;

namespace ThpTool.Charts;

/// <summary>Bars of counts. On a log axis the bars stand log10(1 + count) high, so an empty bin stays at zero and one THP still shows.</summary>
internal static class HistogramFigure
{
    const int Height = 420;

    public static Figure Draw(HistogramChart chart, int width)
    {
        var (figure, plot) = Figure.Single(width, Height, chart.Title);
        bool log = chart.Y.Scale == AxisScale.Log;
        var bars = chart.Bins.Where(b => b.Count > 0).Select(b => new ScottPlot.Bar
        {
            Position = (b.From + b.To) / 2,
            Size = Math.Abs(b.To - b.From),
            Value = log ? Math.Log10(1 + b.Count) : b.Count,
            FillColor = ChartStyle.Series[0],
            LineWidth = 0,
        }).ToList();
        if (bars.Count > 0)
            plot.Add.Bars(bars).LegendText = chart.Y.Label;
        ChartStyle.AddMarkers(plot, chart.Markers, inLegend: true);
        plot.XLabel(chart.X.Label);
        plot.YLabel(ChartStyle.Title(chart.Y));
        double largest = chart.Bins.Select(b => b.Count).DefaultIfEmpty(0).Max();
        // Fixed ends are values (0..512 zero subpages): their bars reach half a bin beyond.
        var (xMin, xMax) = Limits.Of(chart.X, chart.Bins.SelectMany(b => new[] { b.From, b.To }), pad: false);
        xMin -= chart.X.Min is null ? 0 : 0.5;
        xMax += chart.X.Max is null ? 0 : 0.5;
        double yMax;
        if (log)
        {
            var (ticks, top) = LogTicks(largest);
            plot.Axes.Left.TickGenerator = new NumericManual(ticks);
            yMax = top;
        }
        else
            yMax = Limits.Of(chart.Y, [largest], pad: true).Max;
        plot.Axes.SetLimits(xMin, xMax, 0, yMax);
        plot.Layout.Fixed(new PixelPadding(100, 36, 64, 112));
        plot.ShowLegend(Edge.Top);
        return figure;
    }

    /// <summary>Ticks at 0 and every power of ten (1, 10, 100, 1k...) up to the first at or above <paramref name="largest"/>, with the 2..9 multiples as minor ticks.</summary>
    internal static (Tick[] Ticks, double Top) LogTicks(double largest)
    {
        int decades = largest <= 1 ? 0 : (int)Math.Ceiling(Math.Log10(largest) - 1e-9);
        var ticks = new List<Tick> { Tick.Major(0, "0") };
        for (int e = 0; e <= decades; e++)
        {
            ticks.Add(Tick.Major(Math.Log10(1 + Math.Pow(10, e)), Count(Math.Pow(10, e))));
            if (e < decades)
                for (int m = 2; m <= 9; m++)
                    ticks.Add(Tick.Minor(Math.Log10(1 + m * Math.Pow(10, e))));
        }
        return (ticks.ToArray(), Math.Log10(1 + Math.Pow(10, decades)));
    }

    /// <summary>1, 10, 100, 1k, 10k, 100k, 1M...</summary>
    internal static string Count(double v) => v switch
    {
        >= 1e9 => (v / 1e9).ToString("0.#", CultureInfo.InvariantCulture) + "G",
        >= 1e6 => (v / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 1e3 => (v / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => v.ToString("0.#", CultureInfo.InvariantCulture),
    };
}
