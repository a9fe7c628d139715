using System.Globalization;
using System.Xml.Linq;
using ThpTool.Report.Charts;
using Xunit;

namespace ThpTool.Tests.Charts;

public class SvgChartRendererTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static XDocument Parse(string svg) => XDocument.Parse(svg);

    private static IEnumerable<string> Texts(XDocument doc) => doc.Descendants(Svg + "text").Select(t => t.Value);

    private static double D(XElement e, string attribute) => double.Parse(e.Attribute(attribute)!.Value, CultureInfo.InvariantCulture);

    private static List<(double X, double Y)> PolylinePoints(XElement polyline) =>
        polyline.Attribute("points")!.Value.Split(' ')
            .Select(p => p.Split(','))
            .Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture)))
            .ToList();

    [Fact]
    public void Line_chart_is_standalone_svg_with_title_axes_legend_and_markers()
    {
        var doc = Parse(new SvgChartRenderer().Render(SampleCharts.Thresholds()));
        var root = doc.Root!;
        Assert.Equal(Svg + "svg", root.Name);
        Assert.Equal("960", root.Attribute("width")!.Value);
        Assert.StartsWith("0 0 960 ", root.Attribute("viewBox")!.Value);
        Assert.Contains("sans-serif", root.Attribute("font-family")!.Value);
        Assert.Equal("Shrinker effect by max_ptes_none", root.Element(Svg + "title")!.Value);

        var texts = Texts(doc).ToList();
        Assert.Contains("Shrinker effect by max_ptes_none", texts);
        Assert.Contains("max_ptes_none threshold", texts);
        Assert.Contains("Memory (bytes)", texts);
        Assert.Contains("THP coverage (%)", texts);
        Assert.Contains("Freed by splitting", texts);
        Assert.Contains("Grown back", texts);
        Assert.Contains("Memory still in THPs", texts);
        Assert.Contains("current: 511", texts);
        Assert.Contains("recommended: 256", texts);
        Assert.Contains("4.0 GiB", texts);
        Assert.Contains("100%", texts);

        var lines = doc.Descendants(Svg + "polyline").ToList();
        Assert.Equal(3, lines.Count);
        Assert.All(lines, l => Assert.Equal(512, PolylinePoints(l).Count));
        Assert.Equal(3, doc.Descendants(Svg + "g").Count(g => g.Attribute("class")?.Value == "legend-entry"));
        // Two markers, drawn through both panels.
        Assert.Equal(4, doc.Descendants(Svg + "line").Count(l => l.Attribute("class")?.Value == "marker"));
        // Series differ in colour.
        Assert.Equal(3, lines.Select(l => l.Attribute("stroke")!.Value).Distinct().Count());
    }

    [Fact]
    public void Points_land_on_the_axes_pixels()
    {
        var chart = new LineChart("t", new Axis("x") { Min = 0, Max = 100 }, new Axis("y") { Min = 0, Max = 10 },
            [new Series("s", [new(0, 0), new(50, 5), new(100, 10)])]);
        var doc = Parse(new SvgChartRenderer().Render(chart));
        var axis = doc.Descendants(Svg + "g").Single(g => g.Attribute("class")?.Value == "axis").Elements(Svg + "line").ToList();
        var yAxis = axis[0]; // x1 = x2 = left, y1 = top, y2 = bottom
        var xAxis = axis[1]; // y1 = y2 = bottom, x1 = left, x2 = right
        double left = D(xAxis, "x1"), right = D(xAxis, "x2"), top = D(yAxis, "y1"), bottom = D(yAxis, "y2");
        Assert.Equal(left, D(yAxis, "x1"));
        Assert.Equal(bottom, D(xAxis, "y1"));

        var pts = PolylinePoints(doc.Descendants(Svg + "polyline").Single());
        Assert.Equal((left, bottom), pts[0]);
        Assert.Equal(((left + right) / 2, (top + bottom) / 2), (pts[1].X, pts[1].Y), new ToleranceComparer(0.01));
        Assert.Equal((right, top), pts[2]);
        // Few points also get dots.
        Assert.Equal(3, doc.Descendants(Svg + "circle").Count());
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<(double, double)>
    {
        public bool Equals((double, double) a, (double, double) b) =>
            Math.Abs(a.Item1 - b.Item1) <= tolerance && Math.Abs(a.Item2 - b.Item2) <= tolerance;

        public int GetHashCode((double, double) obj) => 0;
    }

    [Fact]
    public void Histogram_draws_one_bar_per_non_empty_bin_and_keeps_small_bins_visible()
    {
        foreach (var scale in new[] { AxisScale.Log, AxisScale.Linear })
        {
            var chart = SampleCharts.ZeroSubpages(scale);
            var doc = Parse(new SvgChartRenderer().Render(chart));
            var bars = doc.Descendants(Svg + "rect").Where(r => r.Attribute("class")?.Value == "bar").ToList();
            Assert.Equal(chart.Bins.Count(b => b.Count > 0), bars.Count);
            Assert.All(bars, b => Assert.True(D(b, "height") >= 1 && D(b, "width") >= 1, "every bar is at least one pixel"));
            var texts = Texts(doc).ToList();
            Assert.Contains("THPs by zero-filled subpages", texts);
            Assert.Contains("Zero-filled subpages per THP", texts);
            Assert.Contains(scale == AxisScale.Log ? "THPs (log scale)" : "THPs", texts);
            Assert.Contains("current: 511", texts);
            Assert.Contains("500", texts);
        }
    }

    [Fact]
    public void Log_histogram_gives_a_count_of_one_a_clearly_visible_bar()
    {
        var chart = new HistogramChart("h", new Axis("k"), new Axis("n") { Scale = AxisScale.Log },
            [HistogramBin.At(0, 1_000_000), HistogramBin.At(1, 1)]);
        var bars = Parse(new SvgChartRenderer().Render(chart)).Descendants(Svg + "rect")
            .Where(r => r.Attribute("class")?.Value == "bar").ToList();
        Assert.Equal(2, bars.Count);
        // log10(2) of six decades over the plot: a twentieth of the tallest bar, well over ten pixels.
        Assert.True(D(bars[1], "height") > 10, $"count 1 bar is {D(bars[1], "height")} px");
        Assert.True(D(bars[1], "height") > 0.04 * D(bars[0], "height"));
    }

    [Fact]
    public void Text_is_escaped()
    {
        const string nasty = "a <b> & \"c\" 'd'";
        var chart = new LineChart(nasty, new Axis("x <"), new Axis("y &"), [new Series("s \"q\"", [new(0, 1), new(1, 2)])])
        {
            Markers = [new Marker(0.5, "m > 1")],
        };
        string svg = new SvgChartRenderer().Render(chart);
        Assert.DoesNotContain("<b>", svg);
        var doc = Parse(svg);
        var texts = Texts(doc).ToList();
        Assert.Contains(nasty, texts);
        Assert.Contains("x <", texts);
        Assert.Contains("y &", texts);
        Assert.Contains("s \"q\"", texts);
        Assert.Contains("m > 1", texts);
        Assert.Equal(nasty, doc.Root!.Element(Svg + "title")!.Value);
    }

    [Fact]
    public void Control_characters_are_dropped_so_the_xml_stays_valid()
    {
        var chart = new LineChart("bad\u0001title\u0007", new Axis("x"), new Axis("y"), []);
        Assert.Equal("badtitle", Parse(new SvgChartRenderer().Render(chart)).Root!.Element(Svg + "title")!.Value);
    }

    [Fact]
    public void Output_is_deterministic_and_culture_invariant()
    {
        var renderer = new SvgChartRenderer();
        string invariant = renderer.Render(SampleCharts.Thresholds());
        string german = SampleCharts.UnderGermanCulture(() => renderer.Render(SampleCharts.Thresholds()));
        Assert.Equal(invariant, german);
        Assert.Equal(invariant, renderer.Render(SampleCharts.Thresholds()));
        Assert.Contains("1.5 GiB", invariant);
        Assert.DoesNotContain(Texts(Parse(german)), t => System.Text.RegularExpressions.Regex.IsMatch(t, @"\d,\d"));
        // Coordinates use '.' as well.
        Assert.Matches(@"points=""[0-9.]+,[0-9.]+ ", invariant);

        string histGerman = SampleCharts.UnderGermanCulture(() => renderer.Render(SampleCharts.ZeroSubpages()));
        Assert.Equal(renderer.Render(SampleCharts.ZeroSubpages()), histGerman);
    }

    [Fact]
    public void Empty_and_degenerate_charts_still_render()
    {
        var renderer = new SvgChartRenderer();
        var empty = Parse(renderer.Render(new LineChart("empty", new Axis("x"), new Axis("y"), [])));
        Assert.Empty(empty.Descendants(Svg + "polyline"));

        var zeros = Parse(renderer.Render(new LineChart("zeros", SampleCharts.Threshold, new Axis("b", AxisUnit.Bytes),
            [new Series("none freed", Enumerable.Range(0, 512).Select(t => new ChartPoint(t, 0)).ToList())])));
        Assert.Equal(512, PolylinePoints(zeros.Descendants(Svg + "polyline").Single()).Count);

        var single = Parse(renderer.Render(new LineChart("one", new Axis("x"), new Axis("y"), [new Series("p", [new(7, 3)])])));
        Assert.Single(single.Descendants(Svg + "circle"));

        Assert.DoesNotContain(Parse(renderer.Render(new HistogramChart("h", new Axis("x"), new Axis("y"), []))).Descendants(Svg + "rect"),
            r => r.Attribute("class")?.Value == "bar");
    }

    [Fact]
    public void Non_finite_points_are_refused()
    {
        var chart = new LineChart("t", new Axis("x"), new Axis("y"), [new Series("s", [new(0, double.NaN)])]);
        Assert.Throws<ArgumentException>(() => new SvgChartRenderer().Render(chart));
    }

    [Fact]
    public void X_tick_labels_do_not_overlap_even_on_a_narrow_chart()
    {
        var chart = new LineChart("narrow", new Axis("bytes", AxisUnit.Bytes), new Axis("y"),
            [new Series("s", [new(0, 0), new(3.7 * SampleCharts.GiB, 1)])]);
        var doc = Parse(new SvgChartRenderer(width: 320).Render(chart));
        var labels = doc.Descendants(Svg + "g").Single(g => g.Attribute("class")?.Value == "x-ticks").Elements(Svg + "text").ToList();
        Assert.True(labels.Count >= 2);
        for (int i = 1; i < labels.Count; i++)
        {
            double gap = D(labels[i], "x") - D(labels[i - 1], "x");
            double halfWidths = (SvgText.Width(labels[i].Value, 12) + SvgText.Width(labels[i - 1].Value, 12)) / 2;
            Assert.True(gap > halfWidths, $"'{labels[i - 1].Value}' and '{labels[i].Value}' overlap");
        }
    }

    [Fact]
    public void Marker_labels_close_together_go_on_separate_rows()
    {
        var chart = SampleCharts.Thresholds() with
        {
            Markers = [new Marker(250, "recommended: 250"), new Marker(256, "kernel default: 256")],
        };
        var labels = Parse(new SvgChartRenderer().Render(chart)).Descendants(Svg + "g")
            .Single(g => g.Attribute("class")?.Value == "marker-labels").Elements(Svg + "text").ToList();
        Assert.Equal(2, labels.Count);
        Assert.NotEqual(D(labels[0], "y"), D(labels[1], "y"));
    }

    [Fact]
    public void Markers_outside_the_x_range_are_left_out()
    {
        var chart = SampleCharts.Thresholds() with { Markers = [new Marker(600, "beyond")] };
        Assert.DoesNotContain("beyond", new SvgChartRenderer().Render(chart));
    }
}
