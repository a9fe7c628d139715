using Xunit;
using System.Globalization;
using ThpTool.Report.Charts;

namespace ThpTool.Tests.Charts;

/// <summary>Every kind of chart the tool draws, on made-up but plausible data.</summary>
internal static class SampleCharts
{
    public const double GiB = 1024.0 * 1024 * 1024;

    public static readonly Axis Threshold = new("max_ptes_none threshold") { Min = 0, Max = 511 };

    /// <summary>Bytes freed and grown back against the threshold, with THP coverage in a lower panel.</summary>
    public static LineChart Thresholds(string title = "Shrinker effect by max_ptes_none")
    {
        var freed = new List<ChartPoint>();
        var grown = new List<ChartPoint>();
        var coverage = new List<ChartPoint>();
        for (int t = 0; t <= 511; t++)
        {
            double f = 3.7 * GiB * Math.Pow(1 - t / 511.0, 2);
            freed.Add(new(t, f));
            grown.Add(new(t, f * 0.3));
            coverage.Add(new(t, 100 * (1 - Math.Pow(1 - t / 511.0, 3))));
        }
        return new LineChart(title, Threshold, new Axis("Memory", AxisUnit.Bytes),
            [new Series("Freed by splitting", freed), new Series("Grown back", grown)])
        {
            LowerPanel = new ChartPanel(new Axis("THP coverage", AxisUnit.Percent) { Min = 0, Max = 100 },
                [new Series("Memory still in THPs", coverage)]),
            Markers = [new Marker(511, "current: 511"), new Marker(256, "recommended: 256")],
        };
    }

    /// <summary>THPs per zero-subpage count 0..512; bin 0 dominates, every 7th is empty.</summary>
    public static HistogramChart ZeroSubpages(AxisScale scale = AxisScale.Log)
    {
        var bins = Enumerable.Range(0, 513)
            .Select(k => HistogramBin.At(k, k == 0 ? 250_000 : k % 7 == 0 ? 0 : 1 + k % 13))
            .ToList();
        return new HistogramChart("THPs by zero-filled subpages", new Axis("Zero-filled subpages per THP"),
            new Axis("THPs") { Scale = scale }, bins)
        {
            Markers = [new Marker(511, "current: 511")],
        };
    }

    /// <summary>Three hosts (one with a long name) by four thresholds, shares spanning every colour band.</summary>
    public static HeatmapChart Heatmap() => new("Share of THP memory freed", "Host", [0, 256, 470, 511],
        [
            new HeatmapRow("web1", [0.95, 0.6, 0.3, 0]),
            new HeatmapRow("db-primary.example.internal.very-long-host-name-that-gets-shortened", [0.81, 0.45, 0.12, 0.05]),
            new HeatmapRow("cache", [1.0, 0.72, 0.55, 0.2]),
        ])
    {
        Markers = [new Marker(511, "now: 511"), new Marker(470, "recommended: 470")],
    };

    /// <summary>Net bytes freed per cgroup, one negative (collapses grow it).</summary>
    public static BarChart Bars() => new("Net freed at 470, by cgroup", new Axis("Net freed", AxisUnit.Bytes),
        [new Bar("/system.slice/api.service", 1.5 * GiB), new Bar("/system.slice/db.service", 0.4 * GiB), new Bar("/user.slice", -0.1 * GiB)]);

    public static IEnumerable<Chart> All() => [Thresholds(), ZeroSubpages(), Heatmap(), Bars()];

    /// <summary>Runs <paramref name="action"/> with a German-style number format (',' for decimals).</summary>
    public static T UnderGermanCulture<T>(Func<T> action)
    {
        var saved = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            var culture = German();
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            Assert.Equal("1,5", 1.5.ToString(CultureInfo.CurrentCulture));
            return action();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = saved;
        }
    }

    /// <summary>de-DE; the build uses invariant globalization, where only a hand-made look-alike exists.</summary>
    private static CultureInfo German()
    {
        try
        {
            var de = CultureInfo.GetCultureInfo("de-DE");
            if (de.NumberFormat.NumberDecimalSeparator == ",")
                return de;
        }
        catch (CultureNotFoundException)
        {
        }
        var custom = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        custom.NumberFormat.NumberDecimalSeparator = ",";
        custom.NumberFormat.NumberGroupSeparator = ".";
        custom.NumberFormat.PercentDecimalSeparator = ",";
        return custom;
    }
}
