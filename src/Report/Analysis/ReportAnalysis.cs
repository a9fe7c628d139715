using ThpTool.Report.Advice;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Report.Analysis;

/// <summary>The report over one or more scan files: each host on its own, and with several, their sum.</summary>
/// <param name="Total">The hosts' sweeps added threshold by threshold; null for a single host.</param>
/// <param name="TotalAdvice">One threshold for the whole fleet; null for a single host.</param>
public sealed record ReportAnalysis(IReadOnlyList<HostAnalysis> Hosts, SweepResult? Total, ThresholdAdvice? TotalAdvice, double TargetShare)
{
    public static ReportAnalysis Of(IReadOnlyList<(string Source, ScanFile Scan)> scans, IReadOnlyList<int> thresholds,
                                    RemapPolicy policy, double targetShare = ThresholdAdvisor.DefaultTargetShare)
    {
        // A merged fleet file stands for all its hosts, each a section of its own.
        var hosts = scans.SelectMany(s => s.Scan.Hosts is { } summaries
                ? summaries.Select(h => HostAnalysis.OfSummary(s.Source, s.Scan, h, thresholds, policy, targetShare))
                : [HostAnalysis.Of(s.Source, s.Scan, thresholds, policy, targetShare)]).ToArray();
        if (hosts.Length < 2) return new ReportAnalysis(hosts, null, null, targetShare);
        var total = new SweepResult(thresholds.Select((_, i) => hosts.Select(h => h.Sweep.Rows[i]).Aggregate((a, b) => a.Plus(b))).ToArray(),
            hosts.SelectMany(h => h.Sweep.UffdVmas).ToArray(), policy);
        return new ReportAnalysis(hosts, total, ThresholdAdvisor.Advise(total.Rows, CommonSetting(hosts) ?? ShrinkerModel.RuleOff, targetShare,
            hosts.Min(h => h.Scan.Sample?.Fraction)), targetShare);
    }

    /// <summary>The max_ptes_none every host runs with, or null when they differ.</summary>
    public static int? CommonSetting(IEnumerable<HostAnalysis> hosts)
    {
        var settings = hosts.Select(h => h.Scan.Settings.MaxPtesNone).Distinct().ToArray();
        return settings.Length == 1 ? settings[0] : null;
    }
}
