using ThpTool.Scanner.Memory;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Scanner.KernelModel;

/// <summary>The sweep from a <see cref="HostSummary"/>: the same rows <see cref="Sweep.Run"/> gives from the raw scan.</summary>
public static class HistogramSweep
{
    public static SweepResult Run(HostSummary host, IReadOnlyList<int> thresholds, RemapPolicy policy = RemapPolicy.Upstream) =>
        new(thresholds.Select(n => Row(host, n, policy)).ToArray(), [], policy);

    static SweepRow Row(HostSummary host, int n, RemapPolicy policy)
    {
        var tally = new SweepTally(n, policy);
        foreach (var h in host.Thps)
        {
            bool mlocked = h.Class == ThpClass.Mlocked, uffd = h.Class == ThpClass.UffdArmed;
            tally.Found(h.Mapping, mlocked, h.Counts.Sum());
            if (mlocked) continue;
            if (h.Mapping == ThpMapping.Partial)
            {
                var (count, zeros) = Tail(h.Counts, 0);
                tally.SplitPartial(uffd, count, zeros, (zeros + h.UnmappedSubpages) * Geometry.PageSize);
            }
            else if (n != ShrinkerModel.RuleOff)
            {
                // Underused means strictly more than n zero subpages.
                var (count, zeros) = Tail(h.Counts, n + 1);
                tally.SplitUnderused(h.Mapping, uffd, count, zeros, zeros * Geometry.PageSize);
            }
        }
        foreach (var m in host.PartialMthps.Where(m => m.Class != ThpClass.Mlocked))
            tally.SplitPartialMthp(m.Class == ThpClass.UffdArmed, m.Folios, m.ZeroSubpages,
                                   (m.ZeroSubpages + m.UnmappedSubpages) * Geometry.PageSize);
        foreach (var c in host.Collapse)
            if (KhugepagedModel.EmptyWithinLimit(c.EmptyOrZeroPtes, c.UffdArmed, n))
                tally.Collapsed(c.Ranges, c.Ranges * c.EmptyOrZeroPtes * Geometry.PageSize, ShrinkerModel.IsUnderused(c.ZeroContentPages, n));
        return tally.ToRow();
    }

    /// <summary>THPs with at least <paramref name="from"/> zero subpages, and their zero subpages.</summary>
    static (long Count, long Zeros) Tail(long[] counts, int from)
    {
        long count = 0, zeros = 0;
        for (int z = from; z < counts.Length; z++)
        {
            count += counts[z];
            zeros += z * counts[z];
        }
        return (count, zeros);
    }
}
