using ThpTool.Report.Advice;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Memory;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Report.Charts;

/// <summary>The sweep of a part of what was scanned, by name: a host or a cgroup.</summary>
public sealed record NamedSweep(string Name, SweepResult Sweep);

/// <summary>A chart to show, the suffix its file gets beside the main chart (plot.svg, plot-histogram.svg), and how to read it.</summary>
public sealed record PlotFile(string Suffix, Chart Chart, string Caption)
{
    /// <summary>The file this chart is written to when the main chart goes to <paramref name="mainPath"/>.</summary>
    public string PathBeside(string mainPath) => PathBeside(mainPath, Suffix);

    /// <summary>Every file <see cref="SweepCharts.All"/> may write beside <paramref name="mainPath"/>, to check before a scan.</summary>
    public static IEnumerable<string> PossiblePaths(string mainPath) =>
        new[] { "", "-histogram", "-cdf", "-heatmap", "-cgroups" }.Select(suffix => PathBeside(mainPath, suffix));

    static string PathBeside(string mainPath, string suffix) =>
        Path.Combine(Path.GetDirectoryName(mainPath) ?? "", Path.GetFileNameWithoutExtension(mainPath) + suffix + Path.GetExtension(mainPath));
}

/// <summary>The pictures of a sweep: what each threshold frees and costs, why (zero subpages per THP), and where (hosts, cgroups).</summary>
public static class SweepCharts
{
    public static readonly Axis ThresholdAxis = new("max_ptes_none") { Min = 0, Max = ShrinkerModel.MaxThreshold };

    /// <summary>Past this many cgroups a bar chart stops being readable; the largest savers are kept.</summary>
    public const int MaxBars = 25;

    /// <summary>
    /// Every chart of one sweep, the threshold chart first. <paramref name="hosts"/> with two or more entries gives a
    /// heatmap by host (and no cumulative distribution, which is one host's picture); otherwise two or more
    /// <paramref name="cgroups"/> give a heatmap by cgroup. Any cgroup gives the bar chart of savings per cgroup.
    /// </summary>
    public static IReadOnlyList<PlotFile> All(string name, SweepResult sweep, IReadOnlyList<ScanFile> scans, int? current, ThresholdAdvice advice,
                                              IReadOnlyList<NamedSweep> hosts, IReadOnlyList<NamedSweep> cgroups)
    {
        var markers = Markers(current, advice);
        // The histograms say so themselves; the sweeps' splits and bytes freed are estimates too.
        var note = SampleNote.Of(scans);
        string Estimated(string title) => note is null ? title : $"{title} ({note})";
        var plots = new List<PlotFile>
        {
            new("", Thresholds(Estimated($"{name}: memory and THP coverage by max_ptes_none"), sweep, current, advice),
                "Top: memory freed by splits (underused and partially mapped THPs), grown by khugepaged collapses, and the net. Bottom: THP-mapped bytes once the kernel has acted."),
            new("-histogram", ZeroSubpages($"{name}: THPs by zero subpages", scans, current, advice),
                "Fully mapped THPs counted once (log scale). At threshold N the shrinker splits every THP with more than N zero subpages."),
        };
        if (hosts.Count < 2)
            plots.Add(new("-cdf", Cumulative($"{name}: THPs with at most N zero subpages", scans, current, advice),
                "Share of fully mapped THPs with at most N zero subpages: at threshold N the shrinker splits the rest."));
        if (hosts.Count >= 2)
            plots.Add(new("-heatmap", Heatmap(Estimated($"{name}: share of THP memory freed, by host and max_ptes_none"), "Host", hosts, markers),
                "Each row a host: the share of its THP memory the shrinker frees at each threshold (darker frees more)."));
        else if (cgroups.Count >= 2)
            plots.Add(new("-heatmap", Heatmap(Estimated($"{name}: share of THP memory freed, by cgroup and max_ptes_none"), "Cgroup", cgroups, markers),
                "Each row a cgroup: the share of its THP memory the shrinker frees at each threshold (darker frees more)."));
        if (cgroups.Count >= 1)
            plots.Add(new("-cgroups", Savings(Estimated($"{name}: net freed at the recommended max_ptes_none ({advice.Recommended}), by cgroup"), cgroups, advice.Recommended),
                $"Memory freed by splits minus grown by collapses at {advice.Recommended}, per cgroup, largest first (at most {MaxBars})."));
        return plots;
    }

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
                // Only collapses take coverage past 100%; without them the axis ends there.
                Max = rows.All(r => r.ThpBytesAfter <= before) ? 100 : null,
            },
                [Line("THP-mapped bytes after, % of those at scan", r => 100.0 * r.ThpBytesAfter / before)]),
            Markers = Markers(currentSetting, advice),
        };
    }

    /// <summary>Own, fully mapped THPs by their count of zero subpages (0..512), on a log scale: most THPs sit at 0.</summary>
    /// <remarks>From a sampled scan the counts are estimates (see <see cref="ZeroSubpageCounts"/>), and title and axis say so.</remarks>
    public static HistogramChart ZeroSubpages(string title, IReadOnlyList<ScanFile> scans, int? currentSetting, ThresholdAdvice? advice)
    {
        var note = SampleNote.Of(scans);
        return new(note is null ? title : $"{title} ({note})", new Axis("Zero subpages per THP") { Min = 0, Max = Geometry.SubpagesPerThp },
            new Axis(note is null ? "THPs" : "THPs (estimated)") { Scale = AxisScale.Log }, ZeroSubpageCounts(scans).Select((n, k) => HistogramBin.At(k, n)).ToArray())
        {
            Markers = Markers(currentSetting, advice),
        };
    }

    /// <summary>The histogram summed up: the percentage of fully mapped THPs with at most N zero subpages, N = 0..512.</summary>
    public static LineChart Cumulative(string title, IReadOnlyList<ScanFile> scans, int? currentSetting, ThresholdAdvice? advice)
    {
        var note = SampleNote.Of(scans);
        var counts = ZeroSubpageCounts(scans);
        double total = counts.Sum(), running = 0;
        var points = new ChartPoint[counts.Length];
        for (int z = 0; z < counts.Length; z++)
        {
            running += counts[z];
            points[z] = new ChartPoint(z, total == 0 ? 0 : 100 * running / total);
        }
        return new LineChart(note is null ? title : $"{title} ({note})", new Axis("Zero subpages per THP (N)") { Min = 0, Max = Geometry.SubpagesPerThp },
            new Axis(note is null ? "THPs with at most N zero subpages" : "THPs with at most N zero subpages (estimated)", AxisUnit.Percent) { Min = 0, Max = 100 },
            [new Series("Fully mapped THPs", points)])
        {
            Markers = Markers(currentSetting, advice),
        };
    }

    /// <summary>
    /// One row per host or cgroup, one column per threshold swept: the share of the row's THP memory (fully and
    /// partially mapped THPs, 2 MiB each) that splits free at that threshold.
    /// </summary>
    public static HeatmapChart Heatmap(string title, string rowsLabel, IReadOnlyList<NamedSweep> rows, IReadOnlyList<Marker> markers)
    {
        var columns = rows.Count == 0 ? [] : rows[0].Sweep.Rows.Select(r => r.MaxPtesNone).OrderBy(n => n).ToArray();
        return new HeatmapChart(title, rowsLabel, columns,
            rows.Select(r => new HeatmapRow(r.Name, columns.Select(n => ShareFreed(r.Sweep.Rows.First(x => x.MaxPtesNone == n))).ToArray())).ToArray())
        {
            Markers = markers,
        };
    }

    /// <summary>Net bytes freed at <paramref name="threshold"/> per cgroup, largest first, at most <see cref="MaxBars"/>.</summary>
    public static BarChart Savings(string title, IReadOnlyList<NamedSweep> cgroups, int threshold) =>
        new(title, new Axis("Net freed", AxisUnit.Bytes),
            cgroups.Select(c => new Bar(c.Name, c.Sweep.Rows.First(r => r.MaxPtesNone == threshold).NetBytesFreed))
                .OrderByDescending(b => b.Value).ThenBy(b => b.Label, StringComparer.Ordinal).Take(MaxBars).ToArray());

    /// <summary>Bytes split free over the bytes of every THP scanned (fully and partially mapped); 0 without THPs.</summary>
    public static double ShareFreed(SweepRow row)
    {
        long thpBytes = (row.ThpsScanned + row.PartialThpsSplit) * Geometry.SubpagesPerThp * Geometry.PageSize;
        return thpBytes == 0 ? 0 : (double)(row.BytesFreed + row.PartialBytesFreed) / thpBytes;
    }

    /// <summary>
    /// Own, fully mapped THPs counted by zero subpages, index 0..512. A sampled scan knows the count of the THPs it read
    /// alone: each stands for its stratum's THPs/read (<see cref="SampleWeights"/>), so the bins are estimates that
    /// add up to every THP found, and an unread THP lands in no bin (its recorded 0 means nothing).
    /// </summary>
    static double[] ZeroSubpageCounts(IEnumerable<ScanFile> scans)
    {
        var counts = new double[Geometry.SubpagesPerThp + 1];
        foreach (var scan in scans)
        {
            var weights = SampleWeights.Of(scan);
            foreach (var (process, vma) in Sweep.Vmas(scan))
                foreach (var thp in Sweep.Own(vma))
                    if (thp.Mapping != ThpMapping.Partial)
                        counts[thp.ZeroSubpages] += weights.Of(process, thp);
            // A merged fleet file keeps no THP records, only each host's histograms: the same statistic, already counted.
            foreach (var histogram in (scan.Hosts ?? []).SelectMany(h => h.Thps))
                if (histogram.Mapping != ThpMapping.Partial)
                    for (int z = 0; z < counts.Length; z++) counts[z] += histogram.Counts[z];
        }
        return counts;
    }

    /// <summary>Today's setting (unknown when hosts differ) and the recommendation; one marker when they coincide.</summary>
    public static IReadOnlyList<Marker> Markers(int? current, ThresholdAdvice? advice)
    {
        var markers = new List<Marker>();
        if (current is int now)
            markers.Add(new Marker(now, advice?.Recommended == now ? $"now = recommended: {now}" : $"now: {now}"));
        if (advice is not null && advice.Recommended != current)
            markers.Add(new Marker(advice.Recommended, $"recommended: {advice.Recommended}"));
        return markers;
    }
}
