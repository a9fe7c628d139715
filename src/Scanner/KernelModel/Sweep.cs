using ThpTool.Scanner.Scans;

namespace ThpTool.Scanner.KernelModel;

public sealed record SweepResult(IReadOnlyList<SweepRow> Rows, IReadOnlyList<UffdVma> UffdVmas, RemapPolicy Policy);

/// <summary>Evaluates the shrinker and khugepaged models over a scan at each threshold.</summary>
public static class Sweep
{
    public static SweepResult Run(ScanFile scan, IReadOnlyList<int> thresholds, RemapPolicy policy = RemapPolicy.Upstream)
    {
        var rows = thresholds.Select(n => Row(scan, n, policy)).ToArray();
        return new SweepResult(rows, UffdVmas(scan, thresholds), policy);
    }

    /// <summary>Every VMA with the process it belongs to, in scan order.</summary>
    public static IEnumerable<(ProcessScan Process, VmaScan Vma)> Vmas(ScanFile scan) =>
        scan.Processes.SelectMany(p => p.Vmas.Select(v => (p, v)));

    /// <summary>THPs counted in this process (not in an earlier one that shares them).</summary>
    public static IEnumerable<ThpRecord> Own(VmaScan vma) => vma.Thps.Where(t => t.CountedInPid is null);

    static SweepRow Row(ScanFile scan, int n, RemapPolicy policy)
    {
        var tally = new SweepTally(n, policy);
        foreach (var (_, vma) in Vmas(scan))
        {
            bool uffd = vma.UffdArmed;
            foreach (var thp in Own(vma))
            {
                var fate = ShrinkerModel.Judge(thp, vma.Mlocked, n);
                tally.Found(thp.Mapping, fate == ThpFate.SkippedMlocked, 1);
                if (fate == ThpFate.SplitUnderused)
                    tally.SplitUnderused(thp.Mapping, uffd, 1, thp.ZeroSubpages, ShrinkerModel.BytesFreedBySplit(thp));
                else if (fate == ThpFate.SplitPartial)
                    tally.SplitPartial(uffd, 1, thp.ZeroSubpages, ShrinkerModel.BytesFreedBySplit(thp));
            }
            foreach (var mthp in vma.PartialMthps)
                if (ShrinkerModel.Judge(mthp, vma.Mlocked) == ThpFate.SplitPartial)
                    tally.SplitPartialMthp(uffd, 1, mthp.ZeroSubpages, ShrinkerModel.BytesFreedBySplit(mthp));
            foreach (var range in vma.CollapseRanges)
                if (KhugepagedModel.Collapses(range, uffd, n, scan.Settings))
                    tally.Collapsed(1, KhugepagedModel.BytesGrownByCollapse(range), ShrinkerModel.IsUnderused(range.ZeroContentPages, n));
        }
        return tally.ToRow();
    }

    static List<UffdVma> UffdVmas(ScanFile scan, IReadOnlyList<int> thresholds)
    {
        var result = new List<UffdVma>();
        foreach (var (process, vma) in Vmas(scan))
        {
            if (!vma.UffdArmed) continue;
            var own = Own(vma).ToList();
            if (own.Count == 0) continue;
            var splits = thresholds.Select(n => own.Count(t => ShrinkerModel.Judge(t, vma.Mlocked, n) is ThpFate.SplitUnderused or ThpFate.SplitPartial)).ToArray();
            result.Add(new UffdVma(process.Pid, process.Comm, vma.Start, vma.End, vma.Path, vma.Flags, own.Count, thresholds, splits));
        }
        return result;
    }
}
