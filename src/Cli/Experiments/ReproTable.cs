using ThpTool.Experiments;
using ThpTool.Report;
using ThpTool.Report.Terminal;

namespace ThpTool.Cli.Experiments;

internal static class ReproTable
{
    public static string Render(ReproSettings settings, string cgroupVersion, IReadOnlyList<ReproResult> results)
    {
        var table = new TextTable("max_ptes_none", "outcome", "peak", "underused splits", "all splits",
                                  "AnonHugePages", "model: underused", "model: frees", "THPs left");
        foreach (var r in results)
            table.Add(r.MaxPtesNone.ToString(), r.OomKilled ? "OOM-killed" : r.ExitSignal is { } s ? $"signal {s}" : "survived",
                      Units.Bytes(r.PeakBytes), Units.Count(r.UnderusedSplits), Units.Count(r.Splits),
                      Units.Bytes(r.AnonHugePagesKb * 1024), $"{r.PredictedSplits} of {r.Thps}", Units.Bytes(r.PredictedBytesFreed),
                      r.ThpsLeft is { } left ? $"{left} ({r.UnderusedLeft} underused)" : "-");
        return $"repro: {Units.Bytes(settings.Bytes)} of MADV_HUGEPAGE memory, one byte written every {Units.Bytes(settings.Stride)}, " +
               $"in a {cgroupVersion} memory cgroup limited to {Units.Bytes(settings.LimitBytes)} with no swap.\n\n" +
               table +
               "\nsplits are /proc/vmstat deltas (machine-wide); AnonHugePages is at the end, or the last seen before an OOM kill.\n" +
               "model: THPs of the pattern with more than max_ptes_none zero subpages, and the memory their splits free;\n" +
               "THPs left: what a scan of a surviving workload still finds, and how many of them the next pass would split.\n";
    }
}
