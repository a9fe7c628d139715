using ThpTool.Report.Advice;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Scans;

namespace ThpTool.Report.Charts;

/// <summary>The two pictures of a sweep: what each threshold frees and costs, and why (zero subpages per THP).</summary>
public static class SweepCharts
{
    public static readonly Axis ThresholdAxis = new("max_ptes_none") { Min = 0, Max = ShrinkerModel.MaxThreshold };

    /// <summary>
    /// Bytes freed (underused and partial splits), grown (collapses) and net in the top panel; THP-mapped bytes
    /// after the kernel acts, as a percentage of those at scan time, underneath (left out when there were none).
    /// </summary>
    public static LineChart Thresholds(string title, SweepResult sweep, int? currentSetting, ThresholdAdvice? advice)
    {
        var rows = sweep.Rows.OrderBy(r => r.MaxPtesNone).ToArray();
        Series Line(string name, Func<SweepRow, double> y) => new(name, rows.Select(r => new ChartPoint(r.MaxPtesNone, y(r))).ToArray());
        long before = rows.Length == 0 ? 0 : rows[0].ThpBytesBefore;
        return new LineChart(title, ThresholdAxis, new Axis("Memory", AxisUnit.Bytes),
            [
                Line("Freed by splits (incl. partial)", r => r.BytesFreed + r.PartialBytesFreed),
                Line("Grown by collapses", r => r.BytesGrown),
                Line("Net freed", r => r.NetBytesFreed),
            ])
        {
            LowerPanel = before == 0 ? null : new ChartPanel(new Axis("THP coverage", AxisUnit.Percent)
            {
                Min = 0,
                // Only collapses take coverage past 100%; without them the axis ends there rather than on a tick above.
                Max = rows.All(r => r.ThpBytesAfter <= before) ? 100 : null,
            },
                [Line("THP-mapped bytes after, % of those at scan", r => 100.0 * r.ThpBytesAfter / before)]),
            Markers = Markers(currentSetting, advice),
        };
    }

    /// <summary>Own, fully mapped THPs by their count of zero subpages (0..512), on a log scale: most THPs sit at 0.</summary>
    public static HistogramChart ZeroSubpages(string title, IEnumerable<ScanFile> scans, int? currentSetting, ThresholdAdvice? advice)
    {
        var counts = new long[ShrinkerModel.SubPages + 1];
        foreach (var thp in scans.SelectMany(Sweep.Vmas).SelectMany(x => Sweep.Own(x.Vma)))
            if (thp.Mapping != ThpMapping.Partial)
                counts[thp.ZeroSubpages]++;
        // A merged fleet file keeps no THP records, only each host's histograms: the same statistic, already counted.
        foreach (var histogram in scans.SelectMany(s => s.Hosts ?? []).SelectMany(h => h.Thps))
            if (histogram.Mapping != ThpMapping.Partial)
                for (int z = 0; z < counts.Length; z++) counts[z] += histogram.Counts[z];
        return new HistogramChart(title, new Axis("Zero subpages per THP") { Min = 0, Max = ShrinkerModel.SubPages },
            new Axis("THPs") { Scale = AxisScale.Log }, counts.Select((n, k) => HistogramBin.At(k, n)).ToArray())
        {
            Markers = Markers(currentSetting, advice),
        };
    }

    /// <summary>The path of the histogram written next to a threshold chart: plot.svg gives plot-histogram.svg.</summary>
    public static string HistogramPath(string chartPath) =>
        Path.Combine(Path.GetDirectoryName(chartPath) ?? "",
            Path.GetFileNameWithoutExtension(chartPath) + "-histogram" + Path.GetExtension(chartPath));

    /// <summary>Today's setting (unknown when hosts differ) and the recommendation; one marker when they coincide.</summary>
    static IReadOnlyList<Marker> Markers(int? current, ThresholdAdvice? advice)
    {
        var markers = new List<Marker>();
        if (current is int now)
            markers.Add(new Marker(now, advice?.Recommended == now ? $"now = recommended: {now}" : $"now: {now}"));
        if (advice is not null && advice.Recommended != current)
            markers.Add(new Marker(advice.Recommended, $"recommended: {advice.Recommended}"));
        return markers;
    }
}
