using ThpTool.Scanner.Scans;

namespace ThpTool.Scanner.KernelModel;

public sealed record SweepResult(IReadOnlyList<SweepRow> Rows, IReadOnlyList<UffdVma> UffdVmas, RemapPolicy Policy);

/// <summary>Evaluates the shrinker and khugepaged models over a scan at each threshold.</summary>
public static class Sweep
{
    const long PmdBytes = ShrinkerModel.SubPages * ShrinkerModel.PageSize;

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
        long scanned = 0, split = 0, freed = 0, locked = 0, uffdSplit = 0, partial = 0, partialFreed = 0;
        long zeroMapped = 0, pteNone = 0, collapsed = 0, grown = 0, pingPong = 0, pmdBefore = 0, pmdSplit = 0;
        foreach (var (_, vma) in Vmas(scan))
        {
            bool uffd = vma.UffdArmed;
            foreach (var thp in Own(vma))
            {
                if (thp.Mapping != ThpMapping.Partial) scanned++;
                if (thp.Mapping == ThpMapping.Pmd) pmdBefore++;
                var fate = ShrinkerModel.Judge(thp, vma.Mlocked, n);
                if (fate == ThpFate.SkippedMlocked && thp.Mapping != ThpMapping.Partial) locked++;
                if (fate is not (ThpFate.SplitUnderused or ThpFate.SplitPartial)) continue;
                long bytes = ShrinkerModel.BytesFreedBySplit(thp);
                if (fate == ThpFate.SplitUnderused)
                {
                    split++;
                    freed += bytes;
                    if (uffd) uffdSplit++;
                    if (thp.Mapping == ThpMapping.Pmd) pmdSplit++;
                }
                else
                {
                    partial++;
                    partialFreed += bytes;
                }
                if (policy == RemapPolicy.V1 && !uffd) pteNone += thp.ZeroSubpages;
                else zeroMapped += thp.ZeroSubpages;
            }
            foreach (var range in vma.CollapseRanges)
            {
                if (!KhugepagedModel.Collapses(range, uffd, n, scan.Settings)) continue;
                collapsed++;
                grown += KhugepagedModel.BytesGrownByCollapse(range);
                if (ShrinkerModel.IsUnderused(range.ZeroContentPages, n)) pingPong++;
            }
        }
        return new SweepRow
        {
            MaxPtesNone = n,
            ThpsScanned = scanned,
            ThpsSplit = split,
            BytesFreed = freed,
            MlockedSkipped = locked,
            UffdThpsSplit = uffdSplit,
            PartialThpsSplit = partial,
            PartialBytesFreed = partialFreed,
            SubpagesZeroMapped = zeroMapped,
            SubpagesPteNone = pteNone,
            RangesCollapsed = collapsed,
            BytesGrown = grown,
            PingPongRanges = pingPong,
            ThpBytesBefore = pmdBefore * PmdBytes,
            ThpBytesAfter = (pmdBefore - pmdSplit + collapsed - pingPong) * PmdBytes,
        };
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
