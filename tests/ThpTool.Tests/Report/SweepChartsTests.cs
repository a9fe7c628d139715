using ThpTool.Report.Advice;
using ThpTool.Report.Charts;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Scans;
using Xunit;
using static ThpTool.Tests.KernelModel.SyntheticScans;

namespace ThpTool.Tests.Report;

public sealed class SweepChartsTests
{
    static readonly ScanFile Scan1 = Scan(Vma([Thp(0), Thp(100), Thp(100), Thp(512), Thp(300, ThpMapping.Partial, mapped: 400), Thp(200, countedIn: 1)]));

    static (SweepResult, ThresholdAdvice) Sweep1(IReadOnlyList<int> thresholds)
    {
        var sweep = Sweep.Run(Scan1, thresholds);
        return (sweep, ThresholdAdvisor.Advise(sweep.Rows, 511));
    }

    [Fact]
    public void Threshold_chart_has_a_point_per_threshold_in_each_series()
    {
        var (sweep, advice) = Sweep1(ThresholdSet.All);
        var chart = SweepCharts.Thresholds("t", sweep, 511, advice);
        Assert.Equal(["Freed by splits (incl. partial)", "Grown by collapses", "Net freed"], chart.Series.Select(s => s.Name));
        Assert.All(chart.Series, s => Assert.Equal(512, s.Points.Count));
        Assert.Equal(512, Assert.Single(chart.LowerPanel!.Series).Points.Count);
        Assert.Equal(AxisUnit.Bytes, chart.Y.Unit);
        Assert.Equal(AxisUnit.Percent, chart.LowerPanel.Y.Unit);
        var row0 = sweep.Rows[0];
        Assert.Equal(new ChartPoint(0, row0.BytesFreed + row0.PartialBytesFreed), chart.Series[0].Points[0]);
        Assert.Equal(new ChartPoint(511, 100), chart.LowerPanel.Series[0].Points[^1]);
    }

    [Fact]
    public void Markers_show_now_and_recommended_or_one_when_equal()
    {
        var (sweep, advice) = Sweep1(ThresholdSet.All);
        Assert.Equal([new Marker(511, "now: 511"), new Marker(advice.Recommended, $"recommended: {advice.Recommended}")],
            SweepCharts.Thresholds("t", sweep, 511, advice).Markers);
        Assert.Equal([new Marker(advice.Recommended, $"now = recommended: {advice.Recommended}")],
            SweepCharts.Thresholds("t", sweep, advice.Recommended, advice).Markers);
        Assert.Equal([new Marker(advice.Recommended, $"recommended: {advice.Recommended}")],
            SweepCharts.ZeroSubpages("h", [Scan1], null, advice).Markers);
    }

    [Fact]
    public void No_coverage_panel_without_thps_at_scan_time()
    {
        var scan = Scan(Vma([], ranges: [new CollapseRange(0x7f0000000000, 10, 10)]));
        var sweep = Sweep.Run(scan, ThresholdSet.All);
        Assert.Null(SweepCharts.Thresholds("t", sweep, 511, null).LowerPanel);
    }

    [Fact]
    public void Histogram_counts_own_fully_mapped_thps_by_zero_subpages()
    {
        var chart = SweepCharts.ZeroSubpages("h", [Scan1, Scan1], 511, null);
        Assert.Equal(513, chart.Bins.Count);
        Assert.Equal(AxisScale.Log, chart.Y.Scale);
        Assert.Equal(2, chart.Bins[0].Count);
        Assert.Equal(4, chart.Bins[100].Count);
        Assert.Equal(2, chart.Bins[512].Count);
        Assert.Equal(0, chart.Bins[200].Count);
        Assert.Equal(0, chart.Bins[300].Count);
        Assert.Equal(8, chart.Bins.Sum(b => b.Count));
    }

    [Theory]
    [InlineData("sweep.svg", "sweep-histogram.svg")]
    [InlineData("/tmp/out/plot.png", "/tmp/out/plot-histogram.png")]
    public void Histogram_goes_next_to_the_chart(string chart, string histogram) =>
        Assert.Equal(histogram, SweepCharts.HistogramPath(chart));
}
