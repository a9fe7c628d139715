namespace ThpTool.Report.Charts;

/// <summary>What an axis counts; decides how its ticks are chosen and labelled.</summary>
public enum AxisUnit
{
    /// <summary>Plain numbers; large ones get k/M/G suffixes (120k).</summary>
    Number,

    /// <summary>Bytes; ticks step in binary units and read like "1.5 GiB".</summary>
    Bytes,

    /// <summary>Values already in percent (0..100); ticks read like "40%".</summary>
    Percent,
}

/// <summary>How values map onto an axis.</summary>
public enum AxisScale
{
    Linear,

    /// <summary>
    /// log10(1 + value): zero stays on the axis and a bin holding 1 is still visible next to one holding
    /// a million. Meant for non-negative counts; negative values are drawn at zero.
    /// </summary>
    Log,
}

/// <summary>
/// One axis. Without <see cref="Min"/>/<see cref="Max"/> a Y axis starts at zero and ends on a nice tick
/// above the data, and an X axis spans the data exactly.
/// </summary>
public sealed record Axis(string Label, AxisUnit Unit = AxisUnit.Number)
{
    /// <summary>Fixed lower end of the axis, e.g. 0 for thresholds.</summary>
    public double? Min { get; init; }

    /// <summary>Fixed upper end of the axis, e.g. 511 for thresholds or 100 for percent.</summary>
    public double? Max { get; init; }

    public AxisScale Scale { get; init; } = AxisScale.Linear;
}

public readonly record struct ChartPoint(double X, double Y);

/// <summary>A named line; points are joined in the order given.</summary>
public sealed record Series(string Name, IReadOnlyList<ChartPoint> Points);

/// <summary>A labelled vertical line at <see cref="X"/>, e.g. "current: 511".</summary>
public sealed record Marker(double X, string Label);

/// <summary>A further plot stacked under a line chart's main one, sharing its X axis but with its own Y axis.</summary>
public sealed record ChartPanel(Axis Y, IReadOnlyList<Series> Series);

/// <summary>Any chart: what a renderer draws and a file or report shows under <see cref="Title"/>.</summary>
public abstract record Chart(string Title);

/// <summary>
/// Lines against a shared X axis. <see cref="LowerPanel"/> adds a second plot underneath with its own
/// Y axis (e.g. coverage in % under bytes freed); <see cref="Markers"/> run through both plots.
/// </summary>
public sealed record LineChart(string Title, Axis X, Axis Y, IReadOnlyList<Series> Series) : Chart(Title)
{
    public ChartPanel? LowerPanel { get; init; }

    public IReadOnlyList<Marker> Markers { get; init; } = [];
}

/// <summary>A bar spanning <see cref="From"/>..<see cref="To"/> on the X axis, <see cref="Count"/> high.</summary>
public readonly record struct HistogramBin(double From, double To, double Count)
{
    /// <summary>A bin for one integer value, centred on it: <c>At(3, n)</c> spans 2.5..3.5.</summary>
    public static HistogramBin At(int value, double count) => new(value - 0.5, value + 0.5, count);
}

/// <summary>Bars; bins with a zero count draw no bar. Use <see cref="AxisScale.Log"/> on Y when one bin dominates.</summary>
public sealed record HistogramChart(string Title, Axis X, Axis Y, IReadOnlyList<HistogramBin> Bins) : Chart(Title)
{
    public IReadOnlyList<Marker> Markers { get; init; } = [];
}

/// <summary>One row of a heatmap: <see cref="Values"/>[i] belongs to the chart's column i.</summary>
public sealed record HeatmapRow(string Label, IReadOnlyList<double> Values);

/// <summary>
/// Rows (hosts or cgroups) against thresholds (<see cref="Columns"/>, ascending), each cell a share 0..1 coloured
/// from light to dark; <see cref="Markers"/> are thresholds drawn as vertical lines through every row.
/// </summary>
public sealed record HeatmapChart(string Title, string RowsLabel, IReadOnlyList<int> Columns, IReadOnlyList<HeatmapRow> Rows) : Chart(Title)
{
    public string ColumnsLabel { get; init; } = "max_ptes_none";

    public IReadOnlyList<Marker> Markers { get; init; } = [];
}

public sealed record Bar(string Label, double Value);

/// <summary>Horizontal bars, one per <see cref="Bar"/>, drawn top to bottom in the order given, against <see cref="Value"/>.</summary>
public sealed record BarChart(string Title, Axis Value, IReadOnlyList<Bar> Bars) : Chart(Title);
