namespace ThpTool.Report.Charts;

public enum ChartFormat
{
    Svg,
    Png,
}

/// <summary>
/// Draws chart descriptions. The drawing library lives in an assembly of its own (src/Charts, ScottPlot with its
/// native Skia library), so code that only describes charts, and a sweep that draws none, never loads it.
/// </summary>
public interface IChartRenderer
{
    /// <summary>An SVG document (UTF-8) or a PNG image of <paramref name="chart"/>.</summary>
    byte[] Render(Chart chart, ChartFormat format);
}
