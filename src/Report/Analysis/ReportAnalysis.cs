using ThpTool.Report.Advice;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Scans;

namespace ThpTool.Report.Analysis;

/// <summary>The report over one or more scan files: each host on its own, and with several, their sum.</summary>
/// <param name="Total">The hosts' sweeps added threshold by threshold; null for a single host.</param>
/// <param name="TotalAdvice">One threshold for the whole fleet; null for a single host.</param>
public sealed record ReportAnalysis(IReadOnlyList<HostAnalysis> Hosts, SweepResult? Total, ThresholdAdvice? TotalAdvice, double TargetShare)
{
    public static ReportAnalysis Of(IReadOnlyList<(string Source, ScanFile Scan)> scans, IReadOnlyList<int> thresholds,
                                    RemapPolicy policy, double targetShare = ThresholdAdvisor.DefaultTargetShare)
    {
        var hosts = scans.Select(s => HostAnalysis.Of(s.Source, s.Scan, thresholds, policy, targetShare)).ToArray();
        if (hosts.Length < 2) return new ReportAnalysis(hosts, null, null, targetShare);
        var total = new SweepResult(thresholds.Select((_, i) => Add(hosts.Select(h => h.Sweep.Rows[i]))).ToArray(),
            hosts.SelectMany(h => h.Sweep.UffdVmas).ToArray(), policy);
        return new ReportAnalysis(hosts, total, ThresholdAdvisor.Advise(total.Rows, CommonSetting(hosts) ?? ShrinkerModel.RuleOff, targetShare), targetShare);
    }

    /// <summary>The max_ptes_none every host runs with, or null when they differ.</summary>
    public static int? CommonSetting(IEnumerable<HostAnalysis> hosts)
    {
        var settings = hosts.Select(h => h.Scan.Settings.MaxPtesNone).Distinct().ToArray();
        return settings.Length == 1 ? settings[0] : null;
    }

    static SweepRow Add(IEnumerable<SweepRow> rows) => rows.Aggregate((a, b) => a with
    {
        ThpsScanned = a.ThpsScanned + b.ThpsScanned,
        ThpsSplit = a.ThpsSplit + b.ThpsSplit,
        BytesFreed = a.BytesFreed + b.BytesFreed,
        MlockedSkipped = a.MlockedSkipped + b.MlockedSkipped,
        UffdThpsSplit = a.UffdThpsSplit + b.UffdThpsSplit,
        PartialThpsSplit = a.PartialThpsSplit + b.PartialThpsSplit,
        PartialBytesFreed = a.PartialBytesFreed + b.PartialBytesFreed,
        SubpagesZeroMapped = a.SubpagesZeroMapped + b.SubpagesZeroMapped,
        SubpagesPteNone = a.SubpagesPteNone + b.SubpagesPteNone,
        RangesCollapsed = a.RangesCollapsed + b.RangesCollapsed,
        BytesGrown = a.BytesGrown + b.BytesGrown,
        PingPongRanges = a.PingPongRanges + b.PingPongRanges,
        ThpBytesBefore = a.ThpBytesBefore + b.ThpBytesBefore,
        ThpBytesAfter = a.ThpBytesAfter + b.ThpBytesAfter,
    });
}
