using ThpTool.Report.Advice;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Report.Analysis;

/// <summary>
/// Everything the report says about one scan file: the sweep over the evaluated thresholds, the advice, and
/// per-process and per-VMA savings at the thresholds the tables show (<see cref="Shown"/>).
/// </summary>
public sealed record HostAnalysis(
    string Source, ScanFile Scan, SweepResult Sweep, ThresholdAdvice Advice, IReadOnlyList<int> Shown,
    IReadOnlyList<ProcessFigures> Processes, IReadOnlyList<VmaFigures> Vmas)
{
    /// <summary>Reference columns beside the recommendation: the most that can be freed, a midpoint, and today.</summary>
    public const int Midpoint = 256;

    public static HostAnalysis Of(string source, ScanFile scan, IReadOnlyList<int> thresholds, RemapPolicy policy, double targetShare)
    {
        var sweep = Scanner.KernelModel.Sweep.Run(scan, thresholds, policy);
        var advice = ThresholdAdvisor.Advise(sweep.Rows, scan.Settings.MaxPtesNone, targetShare, scan.Sample?.Fraction);
        var shown = ShownThresholds(thresholds, advice);
        var processes = scan.Processes
            .Select(p => Process(p, Scanner.KernelModel.Sweep.Run(scan with { Processes = [p] }, shown, policy)))
            .OrderByDescending(p => Savings(p.AtThreshold, advice.Recommended)).ThenBy(p => p.Pid).ToArray();
        var vmas = scan.Processes
            .SelectMany(p => p.Vmas.Where(v => v.Thps.Count > 0 || v.CollapseRanges.Count > 0)
                .Select(v => Vma(p, v, Scanner.KernelModel.Sweep.Run(scan with { Processes = [p with { Vmas = [v] }] }, shown, policy))))
            .OrderByDescending(v => Savings(v.AtThreshold, advice.Recommended)).ThenBy(v => v.Pid).ThenBy(v => v.Start).ToArray();
        return new HostAnalysis(source, scan, sweep, advice, shown, processes, vmas);
    }

    /// <summary>
    /// One host of a merged fleet file: its histograms are the sweep's sufficient statistic, but they keep no
    /// processes or VMAs, so those tables stay empty.
    /// </summary>
    public static HostAnalysis OfSummary(string source, ScanFile fleet, HostSummary host, IReadOnlyList<int> thresholds,
                                         RemapPolicy policy, double targetShare)
    {
        var scan = fleet with
        {
            Host = host.Host, Kernel = host.Kernel, Timestamp = host.Timestamp, DurationSeconds = host.DurationSeconds,
            Mode = host.Mode, Settings = host.Settings, Vmstat = new Dictionary<string, long>(), Processes = [], Skipped = [], Hosts = null,
        };
        return OfSweep(source, scan, HistogramSweep.Run(host, thresholds, policy), thresholds, targetShare);
    }

    /// <summary>A sweep computed elsewhere (by SQL over a dataset) for a scan that keeps no processes.</summary>
    public static HostAnalysis OfSweep(string source, ScanFile scan, SweepResult sweep, IReadOnlyList<int> thresholds, double targetShare)
    {
        var advice = ThresholdAdvisor.Advise(sweep.Rows, scan.Settings.MaxPtesNone, targetShare, scan.Sample?.Fraction);
        return new HostAnalysis(source, scan, sweep, advice, ShownThresholds(thresholds, advice), [], []);
    }

    /// <summary>THPs of a uffd-armed VMA split at <paramref name="threshold"/>, which the sweep evaluated.</summary>
    public static int SplitsAt(UffdVma vma, int threshold) => vma.SplitsAtThreshold[IndexOf(vma.Thresholds, threshold)];

    static int IndexOf(IReadOnlyList<int> list, int value)
    {
        for (int i = 0; i < list.Count; i++)
            if (list[i] == value) return i;
        throw new ArgumentOutOfRangeException(nameof(value), value, "threshold not in the sweep");
    }

    public static long Savings(IReadOnlyList<ThresholdFigures> figures, int threshold) =>
        figures.FirstOrDefault(f => f.Threshold == threshold)?.NetBytesFreed ?? 0;

    static IReadOnlyList<int> ShownThresholds(IReadOnlyList<int> evaluated, ThresholdAdvice advice) =>
        new[] { advice.Recommended, evaluated.Min(), Midpoint, advice.CurrentSetting }
            .Where(n => n == advice.Recommended || evaluated.Contains(n)).Distinct().Order().ToArray();

    static ProcessFigures Process(ProcessScan p, SweepResult sweep)
    {
        var (thps, zero, locked) = Tally.Of(p.Vmas);
        return new ProcessFigures(p.Pid, p.Comm, p.Cmdline, p.IsDotnet, thps, zero, locked, ThresholdFigures.Of(sweep));
    }

    static VmaFigures Vma(ProcessScan p, VmaScan v, SweepResult sweep)
    {
        var (thps, zero, locked) = Tally.Of([v]);
        var own = Scanner.KernelModel.Sweep.Own(v).ToList();
        return new VmaFigures(p.Pid, p.Comm, p.IsDotnet, v.Start, v.End, v.Path, v.Flags, thps, zero, locked, ThresholdFigures.Of(sweep))
        {
            ContentsUnread = own.Count > 0 && own.All(t => t.Unread),
        };
    }
}
