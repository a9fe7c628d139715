using ThpTool.Scanner.Memory;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Scanner.KernelModel;

public sealed record SweepResult(IReadOnlyList<SweepRow> Rows, IReadOnlyList<UffdVma> UffdVmas, RemapPolicy Policy);

/// <summary>Evaluates the shrinker and khugepaged models over a scan at each threshold.</summary>
public static class Sweep
{
    public static SweepResult Run(ScanFile scan, IReadOnlyList<int> thresholds, RemapPolicy policy = RemapPolicy.Upstream)
    {
        var weights = SampleWeights.Of(scan);
        var rows = thresholds.Select(n => Row(scan, weights, n, policy)).ToArray();
        return new SweepResult(rows, UffdVmas(scan, weights, thresholds), policy);
    }

    /// <summary>Every VMA with the process it belongs to, in scan order.</summary>
    public static IEnumerable<(ProcessScan Process, VmaScan Vma)> Vmas(ScanFile scan) =>
        scan.Processes.SelectMany(p => p.Vmas.Select(v => (p, v)));

    /// <summary>THPs counted in this process (not in an earlier one that shares them).</summary>
    public static IEnumerable<ThpRecord> Own(VmaScan vma) => vma.Thps.Where(t => t.CountedInPid is null);

    static SweepRow Row(ScanFile scan, SampleWeights weights, int n, RemapPolicy policy)
    {
        var tally = new SweepTally(n, policy);
        var split = new StratifiedTotal(1);
        var freed = new StratifiedTotal(Geometry.SubpagesPerThp * Geometry.PageSize);
        foreach (var process in scan.Processes)
        {
            // Each read THP stands for population/read of its stratum (1 when every THP was read).
            var (wholeWeight, partialWeight) = (weights.Weight(process.Pid, partial: false), weights.Weight(process.Pid, partial: true));
            var whole = new StratumSplits();
            foreach (var vma in process.Vmas)
            {
                bool uffd = vma.UffdArmed;
                foreach (var thp in Own(vma))
                {
                    var fate = ShrinkerModel.Judge(thp, vma.Mlocked, n);
                    tally.Found(thp.Mapping, fate == ThpFate.SkippedMlocked, 1);
                    if (thp.Unread) continue;
                    double w = thp.Mapping == ThpMapping.Partial ? partialWeight : wholeWeight;
                    long bytes = ShrinkerModel.BytesFreedBySplit(thp);
                    if (fate == ThpFate.SplitUnderused)
                    {
                        tally.SplitUnderused(thp.Mapping, uffd, w, w * thp.ZeroSubpages, w * bytes);
                        whole.Split(bytes);
                    }
                    else if (fate == ThpFate.SplitPartial)
                        tally.SplitPartial(uffd, w, w * thp.ZeroSubpages, w * bytes);
                }
                foreach (var mthp in vma.PartialMthps)
                    if (ShrinkerModel.Judge(mthp, vma.Mlocked) == ThpFate.SplitPartial)
                        tally.SplitPartialMthp(uffd, 1, mthp.ZeroSubpages, ShrinkerModel.BytesFreedBySplit(mthp));
                foreach (var range in vma.CollapseRanges)
                    if (KhugepagedModel.Collapses(range, uffd, n, scan.Settings))
                        tally.Collapsed(1, KhugepagedModel.BytesGrownByCollapse(range), ShrinkerModel.IsUnderused(range.ZeroContentPages, n));
            }
            whole.AddTo(weights.Stratum(process.Pid, partial: false), split, freed);
        }
        var row = tally.ToRow();
        return scan.Sample is null ? row : row with
        {
            ThpsSplitCiLow = (long)Math.Floor(split.Low),
            ThpsSplitCiHigh = (long)Math.Ceiling(split.High),
            BytesFreedCiLow = (long)Math.Floor(freed.Low),
            BytesFreedCiHigh = (long)Math.Ceiling(freed.High),
        };
    }

    /// <summary>The splits among the read THPs of one process's fully mapped stratum.</summary>
    sealed class StratumSplits
    {
        long splits;
        double bytes, bytesSquared;

        public void Split(long freed)
        {
            splits++;
            bytes += freed;
            bytesSquared += (double)freed * freed;
        }

        /// <summary>A split counts 1 and its bytes, a kept THP 0: so the sum of squares of the split indicator is the sum.</summary>
        public void AddTo((long Population, long Read) stratum, StratifiedTotal split, StratifiedTotal freed)
        {
            split.Add(stratum.Population, stratum.Read, splits, splits);
            freed.Add(stratum.Population, stratum.Read, bytes, bytesSquared);
        }
    }

    /// <remarks>
    /// A sampled scan judges only the THPs it read, each standing for its stratum's THPs/read: an unread THP's recorded
    /// 0 zero subpages would count as kept at every threshold.
    /// </remarks>
    static List<UffdVma> UffdVmas(ScanFile scan, SampleWeights weights, IReadOnlyList<int> thresholds)
    {
        var result = new List<UffdVma>();
        foreach (var (process, vma) in Vmas(scan))
        {
            if (!vma.UffdArmed) continue;
            var own = Own(vma).ToList();
            if (own.Count == 0) continue;
            var splits = thresholds.Select(n => (int)Math.Round(own.Sum(t =>
                ShrinkerModel.Judge(t, vma.Mlocked, n) is ThpFate.SplitUnderused or ThpFate.SplitPartial ? weights.Of(process, t) : 0))).ToArray();
            result.Add(new UffdVma(process.Pid, process.Comm, vma.Start, vma.End, vma.Path, vma.Flags, own.Count, thresholds, splits));
        }
        return result;
    }
}
