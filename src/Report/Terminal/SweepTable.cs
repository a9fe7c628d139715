using System.Globalization;
using System.Text;
using ThpTool.Report.Advice;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;

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

    /// <summary>One host's table; for several hosts, the fleet total's table and one line per host.</summary>
    public static string Render(ScanFile scan, IReadOnlyList<HostSweep> hosts, ThresholdAdvice advice)
    {
        var text = new StringBuilder();
        text.Append(ScanSummary.Describe(scan)).Append('\n');
        var sweep = hosts.Count == 1 ? hosts[0].Result : FleetSweep.Total(hosts).Result;
        if (hosts.Count > 1) text.Append("fleet total (host *):\n");
        var table = new TextTable("max_ptes_none", "THPs split", "freed", "partial split", "partial mTHP split", "collapsed", "grown", "net freed", "THP coverage after");
        foreach (var r in sweep.Rows)
        {
            string label = r.MaxPtesNone + (hosts.All(h => h.Settings.MaxPtesNone == r.MaxPtesNone) ? " (now)" : "") +
                           (r.MaxPtesNone == advice.Recommended ? " (recommended)" : "");
            table.Add(label,
                Units.Splits(r),
                Units.Freed(r),
                Units.Count(r.PartialThpsSplit),
                Units.Count(r.PartialMthpsSplit),
                Units.Count(r.RangesCollapsed),
                Units.Bytes(r.BytesGrown),
                Units.Bytes(r.NetBytesFreed),
                Units.Bytes(r.ThpBytesAfter));
        }
        text.Append(table).Append('\n');
        if (scan.Sample is { } sample)
            text.Append($"sampled: contents read for {sample.Fraction:P1} of each process's THPs (at least {sample.MinimumPerStratum}; seed {sample.Seed}); " +
                        "THPs split and freed are estimates, 95% intervals in brackets\n");
        if (hosts.Count > 1) text.Append(PerHost(hosts)).Append('\n');
        foreach (var vma in sweep.UffdVmas)
            text.Append($"uffd-armed: pid {vma.Pid} ({TerminalText.Safe(vma.Comm)}) {vma.Start:x}-{vma.End:x} {TerminalText.Safe(vma.Path)} [{string.Join(' ', vma.Flags.Where(VmFlagCodes.IsUffd))}]: " +
                        $"{vma.Thps} THPs; its zero subpages must map the shared zero page, not pte_none\n");
        text.Append(advice.Sentence).Append('\n');
        text.Append("note: ").Append(advice.Caveat).Append('\n');
        return text.ToString();
    }

    /// <summary>Each host at its own current max_ptes_none (the thresholds swept must include it to show a value).</summary>
    static string PerHost(IReadOnlyList<HostSweep> hosts)
    {
        var table = new TextTable("host", "kernel", "THPs", "max_ptes_none now", "net freed now");
        foreach (var h in hosts)
        {
            var now = h.Result.Rows.FirstOrDefault(r => r.MaxPtesNone == h.Settings.MaxPtesNone);
            table.Add(h.Host, h.Kernel, Units.Count(h.Result.Rows.FirstOrDefault()?.ThpsScanned ?? 0),
                      h.Settings.MaxPtesNone.ToString(CultureInfo.InvariantCulture), now is null ? "-" : Units.Bytes(now.NetBytesFreed));
        }
        return table.ToString();
    }

    /// <summary>The rows the terminal shows: the telling thresholds, every host's current one and the recommended one.</summary>
    public static IReadOnlyList<int> DefaultThresholds(ScanFile scan, ThresholdAdvice advice) =>
        TellingThresholds.Concat(scan.Hosts?.Select(h => h.Settings.MaxPtesNone) ?? [scan.Settings.MaxPtesNone])
            .Append(advice.Recommended).Distinct().Order().ToArray();
}
