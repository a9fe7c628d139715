namespace ThpTool.Report.Charts;

/// <summary>Turns chart descriptions into a document; SVG today, a plotting library could stand in later.</summary>
public interface IChartRenderer
{
    string Render(LineChart chart);

    string Render(HistogramChart chart);
}
