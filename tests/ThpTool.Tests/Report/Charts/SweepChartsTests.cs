using ThpTool.Report.Advice;
using ThpTool.Report.Charts;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;
using Xunit;
using static ThpTool.Tests.Support.SyntheticScans;
using ThpTool.Tests.Support;

namespace ThpTool.Tests.Report.Charts;

public sealed class SweepChartsTests
{
    static readonly ScanFile Scan1 = Scan(Vma([Thp(0), Thp(100), Thp(100), Thp(512), Thp(300, ThpMapping.Partial, mapped: 400), Thp(200, countedIn: 1)]));

    static (SweepResult, ThresholdAdvice) Sweep1(IReadOnlyList<int> thresholds)
    {
        var sweep = Sweep.Run(Scan1, thresholds);
        return (sweep, ThresholdAdvisor.Advise(sweep.Rows, 511));
    }

    [Fact]
    public void ThresholdChartHasAPointPerThresholdInEachSeries()
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
    public void MarkersShowNowAndRecommendedOrOneWhenEqual()
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
    public void NoCoveragePanelWithoutThpsAtScanTime()
    {
        var scan = Scan(Vma([], ranges: [new CollapseRange(0x7f0000000000, 10, 10)]));
        var sweep = Sweep.Run(scan, ThresholdSet.All);
        Assert.Null(SweepCharts.Thresholds("t", sweep, 511, null).LowerPanel);
    }

    [Fact]
    public void HistogramCountsOwnFullyMappedThpsByZeroSubpages()
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
    [InlineData("sweep.svg", "-histogram", "sweep-histogram.svg")]
    [InlineData("/tmp/out/plot.png", "-cdf", "/tmp/out/plot-cdf.png")]
    [InlineData("/tmp/out/plot.png", "", "/tmp/out/plot.png")]
    public void ChartsGoBesideTheMainOne(string main, string suffix, string path) =>
        Assert.Equal(path, new PlotFile(suffix, SweepCharts.Cumulative("c", [], null, null), "").PathBeside(main));

    [Fact]
    public void CumulativeDistributionSumsTheHistogramUpTo100Percent()
    {
        var chart = SweepCharts.Cumulative("c", [Scan1], 511, null);
        var points = Assert.Single(chart.Series).Points;
        Assert.Equal(513, points.Count);
        Assert.Equal(AxisUnit.Percent, chart.Y.Unit);
        Assert.Equal((0.0, 100.0), (chart.Y.Min, chart.Y.Max));
        // Own fully mapped THPs: zero counts 0, 100, 100, 512.
        Assert.Equal(new ChartPoint(0, 25), points[0]);
        Assert.Equal(new ChartPoint(99, 25), points[99]);
        Assert.Equal(new ChartPoint(100, 75), points[100]);
        Assert.Equal(new ChartPoint(511, 75), points[511]);
        Assert.Equal(new ChartPoint(512, 100), points[512]);
        Assert.Equal([new Marker(511, "now: 511")], chart.Markers);
        Assert.All(Assert.Single(SweepCharts.Cumulative("c", [], null, null).Series).Points, p => Assert.Equal(0, p.Y));
    }

    [Fact]
    public void HeatmapHasARowPerPartAndTheShareFreedPerThreshold()
    {
        var small = Scan(Vma([Thp(512), Thp(0)]));
        var parts = new[] { new NamedSweep("one", Sweep.Run(Scan1, [0, 256, 511])), new NamedSweep("two", Sweep.Run(small, [0, 256, 511])) };
        var chart = SweepCharts.Heatmap("h", "Host", parts, [new Marker(256, "recommended: 256")]);
        Assert.Equal([0, 256, 511], chart.Columns);
        Assert.Equal(["one", "two"], chart.Rows.Select(r => r.Label));
        // "two": one THP of two is all zero and splits below 511: half its THP memory.
        Assert.Equal([0.5, 0.5, 0], chart.Rows[1].Values);
        var one = parts[0].Sweep.Rows;
        Assert.Equal(one.Select(SweepCharts.ShareFreed), chart.Rows[0].Values);
        // Scan1 at 511: only the partially mapped THP (300 zero of 400 mapped, 112 unmapped) frees, over five THPs' memory.
        Assert.Equal((double)(one[2].PartialBytesFreed) / (5 * 2 * 1024 * 1024), chart.Rows[0].Values[2], 12);
        Assert.True(one[2].PartialBytesFreed > 0);
        Assert.Equal([new Marker(256, "recommended: 256")], chart.Markers);
    }

    [Fact]
    public void SavingsBarsAreNetFreedAtTheThresholdLargestFirstAndCapped()
    {
        var sweeps = Enumerable.Range(0, SweepCharts.MaxBars + 5)
            .Select(i => new NamedSweep($"/cg{i:00}", Sweep.Run(Scan(Vma(Enumerable.Repeat(Thp(512), i % 7).ToArray())), [0, 470, 511])))
            .ToArray();
        var chart = SweepCharts.Savings("s", sweeps, 470);
        Assert.Equal(SweepCharts.MaxBars, chart.Bars.Count);
        Assert.Equal(AxisUnit.Bytes, chart.Value.Unit);
        Assert.Equal(chart.Bars.Select(b => b.Value).OrderDescending(), chart.Bars.Select(b => b.Value));
        Assert.Equal(new Bar("/cg06", 6 * 512 * 4096.0), chart.Bars[0]);
        Assert.Equal(sweeps.Single(s => s.Name == chart.Bars[^1].Label).Sweep.Rows[1].NetBytesFreed, chart.Bars[^1].Value);
    }

    [Fact]
    public void OneHostGetsTheCumulativeDistributionSeveralAHeatmapByHost()
    {
        var (sweep, advice) = Sweep1(ThresholdSet.All);
        var named = new NamedSweep("a", sweep);
        Assert.Equal(["", "-histogram", "-cdf"], SweepCharts.All("h", sweep, [Scan1], 511, advice, [], []).Select(p => p.Suffix));
        Assert.Equal(["", "-histogram", "-cdf", "-cgroups"], SweepCharts.All("h", sweep, [Scan1], 511, advice, [], [named]).Select(p => p.Suffix));
        var cgroups = SweepCharts.All("h", sweep, [Scan1], 511, advice, [], [named, named with { Name = "b" }]);
        Assert.Equal(["", "-histogram", "-cdf", "-heatmap", "-cgroups"], cgroups.Select(p => p.Suffix));
        Assert.Equal("Cgroup", Assert.IsType<HeatmapChart>(cgroups[3].Chart).RowsLabel);
        var fleet = SweepCharts.All("All hosts", sweep, [Scan1], null, advice, [named, named with { Name = "b" }], []);
        Assert.Equal(["", "-histogram", "-heatmap"], fleet.Select(p => p.Suffix));
        Assert.Equal("Host", Assert.IsType<HeatmapChart>(fleet[2].Chart).RowsLabel);
        Assert.All(fleet, p => Assert.StartsWith("All hosts: ", p.Chart.Title));
        Assert.All(fleet, p => Assert.NotEmpty(p.Caption));
    }
}
