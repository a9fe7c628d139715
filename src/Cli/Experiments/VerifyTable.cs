using ThpTool.Experiments;
using ThpTool.Report;
using ThpTool.Report.Terminal;

namespace ThpTool.Cli.Experiments;

internal static class VerifyTable
{
    public static string Notice(int maxPtesNone, string current) =>
        $"verify: starts its own workloads, sets max_ptes_none to {maxPtesNone} while they run (back to {current} afterwards) " +
        "and runs one shrinker pass (2 > /proc/sys/vm/drop_caches). It reads and changes only its own workloads' memory.";

    public static string OthersWarning(IReadOnlyList<OtherThpUser> others, int maxPtesNone) =>
        $"warning: {others.Count} other process(es) hold THPs ({string.Join(", ", others.Take(5).Select(o => $"{o.Pid} {TerminalText.Safe(o.Comm)} {Units.Bytes(o.AnonHugePagesKb * 1024)}"))}" +
        $"{(others.Count > 5 ? ", ..." : "")}). The pass judges their queued THPs too: those underused at {maxPtesNone} are split, " +
        "the others leave the queue for good, and their splits add to thp_underused_split_page.";

    public static string Render(VerifyResult result)
    {
        var table = new TextTable("workload", "pid", "THPs", "splits", "AnonHugePages lost: model", "kernel", "Rss freed: model", "kernel", "agree");
        foreach (var r in result.Rows)
            table.Add(r.Workload, r.Pid.ToString(), r.Thps.ToString(), r.PredictedSplits.ToString(),
                      Kb(r.PredictedAnonHugePagesLostKb), Kb(r.ObservedAnonHugePagesLostKb),
                      Kb(r.PredictedRssFreedKb), Kb(r.ObservedRssFreedKb), r.Agrees ? "yes" : "NO");
        var counter = $"thp_underused_split_page rose by {result.ObservedUnderusedSplits}; the model predicts {result.PredictedUnderusedSplits} for these workloads";
        var verdict = result.ObservedUnderusedSplits < result.PredictedUnderusedSplits ? " (fewer: the kernel split less than the model says)"
            : result.SplitsFromOtherProcesses ? $" ({result.ObservedUnderusedSplits - result.PredictedUnderusedSplits} more: other processes' THPs, split by the same pass)"
            : "";
        return $"max_ptes_none {result.MaxPtesNone}\n\n{table}\n{counter}{verdict}.\n" +
               (result.Agrees ? "The model and this kernel agree.\n" : "The model and this kernel DISAGREE.\n");
    }

    static string Kb(long kb) => $"{kb} kB";
}
