using ThpTool.Report.Charts;

namespace ThpTool.Charts;

/// <summary>Draws every chart of the tool with ScottPlot, as PNG or SVG.</summary>
public sealed class ScottPlotRenderer : IChartRenderer
{
    public const int Width = 1000;

    public byte[] Render(Chart chart, ChartFormat format)
    {
        using var figure = Draw(chart);
        return figure.Encode(format);
    }

    internal static Figure Draw(Chart chart) => chart switch
    {
        LineChart line => LineFigure.Draw(line, Width),
        HistogramChart histogram => HistogramFigure.Draw(histogram, Width),
        HeatmapChart heatmap => HeatmapFigure.Draw(heatmap, Width),
        BarChart bars => BarFigure.Draw(bars, Width),
        _ => throw new ArgumentException($"no drawing for a {chart.GetType().Name}", nameof(chart)),
    };
}
