using System.Text;
using System.Xml.Linq;
using ScottPlot;
using ScottPlot.Plottables;
using ThpTool.Charts;
using ThpTool.Report.Charts;
using ThpTool.Tests.Support;
using Xunit;

namespace ThpTool.Tests.Charts;

/// <summary>Every chart drawn by ScottPlot: what goes on the plot, and PNG and SVG that really hold a picture.</summary>
public sealed class ChartRenderingTests
{
    static readonly ScottPlotRenderer Renderer = new();

    public static TheoryData<string> Kinds() => new(SampleCharts.All().Select(c => c.GetType().Name));

    static Chart Sample(string kind) => SampleCharts.All().Single(c => c.GetType().Name == kind);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void PngDecodesToAPictureWithInkAndColour(string kind)
    {
        var chart = Sample(kind);
        var png = Bitmap.Decode(Renderer.Render(chart, ChartFormat.Png));
        using var figure = ScottPlotRenderer.Draw(chart);
        Assert.Equal((ScottPlotRenderer.Width, figure.Height), (png.Width, png.Height));
        Assert.Equal(0xFFFFFF, png[0, png.Height - 1]); // white, not transparent black
        Assert.True(png.DistinctColours > 20, $"{png.DistinctColours} colours: blank?");
        double inked = (double)png.NonWhitePixels / png.Pixels.Length;
        Assert.InRange(inked, 0.02, 0.7);
        // The first series' colour, or the heatmap's darkest band, is really drawn.
        int colour = chart is HeatmapChart ? 0x08306B : 0x0072B2;
        Assert.True(png.Near(colour) > 300, $"only {png.Near(colour)} pixels of #{colour:X6}");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void SvgIsWellFormedScalableAndCarriesTheTitle(string kind)
    {
        var chart = Sample(kind) with { Title = "t < & > \"q\"" };
        string svg = Encoding.UTF8.GetString(Renderer.Render(chart, ChartFormat.Svg));
        var root = XDocument.Parse(svg).Root!;
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", root.Name);
        Assert.Equal($"0 0 {ScottPlotRenderer.Width} {root.Attribute("height")!.Value}", root.Attribute("viewBox")!.Value);
        Assert.True(root.Descendants(ns + "path").Count() > 5);
        Assert.Contains(root.Descendants(ns + "text"), t => t.Value.Trim() == "t < & > \"q\"");
        Assert.Empty(root.Descendants(ns + "image")); // vector only: nothing to fetch or decode in the report
    }

    [Fact]
    public void OutputIsTheSameWhateverTheCulture()
    {
        foreach (var chart in SampleCharts.All())
        {
            byte[] invariant = Renderer.Render(chart, ChartFormat.Svg);
            Assert.Equal(invariant, SampleCharts.UnderGermanCulture(() => Renderer.Render(chart, ChartFormat.Svg)));
        }
    }

    [Fact]
    public void LineChartDrawsEachSeriesMarkersAndSharesXWithItsLowerPanel()
    {
        var chart = SampleCharts.Thresholds();
        using var figure = ScottPlotRenderer.Draw(chart);
        Assert.Equal(2, figure.Plots.Count);
        var (main, lower) = (figure.Plots[0], figure.Plots[1]);
        Assert.Equal(["Freed by splitting", "Grown back"], main.GetPlottables<Scatter>().Select(s => s.LegendText));
        Assert.Equal(["Memory still in THPs"], lower.GetPlottables<Scatter>().Select(s => s.LegendText));
        Assert.Equal([511.0, 256.0], main.GetPlottables<VerticalLine>().Select(l => l.X));
        Assert.Equal(["current: 511", "recommended: 256"], main.GetPlottables<VerticalLine>().Select(l => l.LegendText));
        Assert.Equal([511.0, 256.0], lower.GetPlottables<VerticalLine>().Select(l => l.X));
        // Bytes in the largest binary unit that keeps them >= 1: 3.7 GiB reads "GiB", with headroom above.
        Assert.Equal("Memory (GiB)", main.Axes.Left.Label.Text);
        var top = main.Axes.GetLimits();
        Assert.Equal((0, 511), (top.Left, top.Right));
        Assert.Equal(0, top.Bottom);
        Assert.InRange(top.Top, 3.7, 4.0);
        Assert.Equal(3.7, main.GetPlottables<Scatter>().First().Data.GetScatterPoints()[0].Y, 6);
        var bottom = lower.Axes.GetLimits();
        Assert.Equal((0, 511, 0, 100), (bottom.Left, bottom.Right, bottom.Bottom, bottom.Top));
        Assert.Equal("THP coverage (%)", lower.Axes.Left.Label.Text);
    }

    [Fact]
    public void LogHistogramStandsBarsAtLogOfOnePlusCount()
    {
        using var figure = ScottPlotRenderer.Draw(SampleCharts.ZeroSubpages());
        var plot = Assert.Single(figure.Plots);
        var bars = Assert.Single(plot.GetPlottables<BarPlot>()).Bars;
        Assert.Equal(513 - 73, bars.Count); // every 7th of 1..512 is empty and draws nothing
        Assert.Equal(Math.Log10(250_001), bars.Single(b => b.Position == 0).Value, 9);
        Assert.Equal(Math.Log10(1 + 1 + 1 % 13), bars.Single(b => b.Position == 1).Value, 9);
        var limits = plot.Axes.GetLimits();
        Assert.Equal((-0.5, 512.5), (limits.Left, limits.Right));
        Assert.Equal(Math.Log10(1 + 1e6), limits.Top, 9); // 250k rounds up to the 1M decade
        Assert.Equal("THPs (log scale)", plot.Axes.Left.Label.Text);
    }

    [Fact]
    public void LogTicksAreDecadesLabelledLikeCounts()
    {
        var (ticks, top) = HistogramFigure.LogTicks(250_000);
        var major = ticks.Where(t => t.IsMajor).ToArray();
        Assert.Equal(["0", "1", "10", "100", "1k", "10k", "100k", "1M"], major.Select(t => t.Label));
        Assert.Equal(Math.Log10(1 + 1e6), top, 9);
        Assert.Equal(8 * 6, ticks.Count(t => !t.IsMajor));
        Assert.Equal(new[] { "0", "1" }, HistogramFigure.LogTicks(0).Ticks.Where(t => t.IsMajor).Select(t => t.Label).ToArray());
    }

    [Fact]
    public void HeatmapMergesEqualBandsAndSpansSparseThresholds()
    {
        var chart = SampleCharts.Heatmap();
        Assert.Equal([-128, 128, 363, 490.5, 531.5], HeatmapFigure.Edges(chart.Columns));
        Assert.Equal([-0.5, 0.5, 1.5, 2.5], HeatmapFigure.Edges([0, 1, 2]));
        Assert.Equal([(0, 0), (0.099, 0), (0.1, 1), (0.95, 9), (1.0, 9)], new[] { 0, 0.099, 0.1, 0.95, 1.0 }.Select(s => (s, HeatmapFigure.Band(s))));
        using var figure = ScottPlotRenderer.Draw(chart with { Rows = [new HeatmapRow("a", [0.55, 0.51, 0.3, 0.3])] });
        var cells = figure.Plots[0].GetPlottables<ScottPlot.Plottables.Rectangle>().ToArray();
        Assert.Equal(2, cells.Length); // 55% and 51% share a band, as do the two 30%
        Assert.Equal((-128, 363), (cells[0].X1, cells[0].X2));
        Assert.Equal((363, 531.5), (cells[1].X1, cells[1].X2));
        Assert.NotEqual(cells[0].FillColor, cells[1].FillColor);
        Assert.Equal([511.0, 470.0], figure.Plots[0].GetPlottables<VerticalLine>().Select(l => l.X));
    }

    [Fact]
    public void BarsKeepTheirOrderAndByteUnit()
    {
        using var figure = ScottPlotRenderer.Draw(SampleCharts.Bars());
        var plot = figure.Plots[0];
        var bars = Assert.Single(plot.GetPlottables<BarPlot>());
        Assert.All(bars.Bars, b => Assert.Equal(Orientation.Horizontal, b.Orientation));
        Assert.Equal([1.5, 0.4, -0.1], bars.Bars.Select(b => Math.Round(b.Value, 6)));
        Assert.Equal([0.0, -1, -2], bars.Bars.Select(b => b.Position));
        Assert.Equal("Net freed (GiB)", plot.Axes.Bottom.Label.Text);
        var limits = plot.Axes.GetLimits();
        Assert.True(limits.Left < -0.1 && limits.Right > 1.5, $"{limits}");
    }

    [Fact]
    public void LimitsUseFixedEndsElseZeroAndTheData()
    {
        Assert.Equal((0, 511), Limits.Of(SampleCharts.Threshold, [3, 400], pad: false));
        Assert.Equal((0, 106), Limits.Of(new Axis("n"), [50, 100], pad: true));
        Assert.Equal((0, 1), Limits.Of(new Axis("n"), [], pad: true));
        var (lo, hi) = Limits.Of(new Axis("n"), [-10, 90], pad: true);
        Assert.True(lo < -10 && hi > 90);
    }

    [Theory]
    [InlineData(0, "B")]
    [InlineData(1023, "B")]
    [InlineData(1024, "KiB")]
    [InlineData(3.7 * 1024 * 1024 * 1024, "GiB")]
    public void ByteAxesReadInBinaryUnits(double largest, string unit) =>
        Assert.Equal(unit, ChartStyle.ByteUnit(largest).Name);

    [Fact]
    public void LongLabelsAreCutInTheMiddle()
    {
        string label = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234.slice/cri-containerd-0123.scope";
        string shown = ChartStyle.Shorten(label);
        Assert.Equal(48, shown.Length);
        Assert.StartsWith("/kubepods.slice/kubepod…", shown);
        Assert.EndsWith("containerd-0123.scope", shown);
        Assert.Equal("short", ChartStyle.Shorten("short"));
    }
}
