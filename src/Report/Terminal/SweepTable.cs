using System.Text;
using ThpTool.Report.Advice;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Scans;

namespace ThpTool.Report.Terminal;

/// <summary>The terminal view of a sweep: a few telling thresholds, the machine's setting, and the caveats.</summary>
public static class SweepTable
{
    /// <summary>Spread to show the shape of the curve; the kernel series' 470 included for comparison.</summary>
    public static readonly int[] TellingThresholds = [0, 64, 128, 256, 384, 448, 470, 480, 496, 504, 510, 511];

    public const string OneLookCaveat =
        "The shrinker judges each THP once: a THP found not underused (every THP judged while max_ptes_none was 511) " +
        "leaves its queue for good, so lowering the knob frees memory only in THPs faulted or collapsed afterwards, " +
        "or not yet visited.";

    public static string Render(ScanFile scan, SweepResult sweep, ThresholdAdvice advice)
    {
        var text = new StringBuilder();
        text.Append(ScanSummary.Describe(scan)).Append('\n');
        var table = new TextTable("max_ptes_none", "THPs split", "freed", "partial split", "collapsed", "grown", "net freed", "THP coverage after");
        foreach (var r in sweep.Rows)
        {
            string label = r.MaxPtesNone + (r.MaxPtesNone == scan.Settings.MaxPtesNone ? " (now)" : "") +
                           (r.MaxPtesNone == advice.Recommended ? " (recommended)" : "");
            table.Add(label,
                $"{Units.Count(r.ThpsSplit)} / {Units.Count(r.ThpsScanned)}",
                Units.Bytes(r.BytesFreed),
                Units.Count(r.PartialThpsSplit),
                Units.Count(r.RangesCollapsed),
                Units.Bytes(r.BytesGrown),
                Units.Bytes(r.NetBytesFreed),
                Units.Bytes(r.ThpBytesAfter));
        }
        text.Append(table).Append('\n');
        foreach (var vma in sweep.UffdVmas)
            text.Append($"uffd-armed: pid {vma.Pid} ({vma.Comm}) {vma.Start:x}-{vma.End:x} {vma.Path} [{string.Join(' ', vma.Flags.Where(VmFlagCodes.IsUffd))}]: " +
                        $"{vma.Thps} THPs; its zero subpages must map the shared zero page, not pte_none\n");
        text.Append(advice.Sentence).Append('\n');
        text.Append("note: ").Append(advice.Caveat).Append('\n');
        return text.ToString();
    }

    /// <summary>The rows the terminal shows: the telling thresholds plus the machine's current one and the recommended one.</summary>
    public static IReadOnlyList<int> DefaultThresholds(ScanFile scan, ThresholdAdvice advice) =>
        TellingThresholds.Append(scan.Settings.MaxPtesNone).Append(advice.Recommended).Distinct().Order().ToArray();
}
