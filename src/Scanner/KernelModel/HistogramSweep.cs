using ThpTool.Scanner.Scans;

namespace ThpTool.Scanner.KernelModel;

/// <summary>The sweep from a <see cref="HostSummary"/>: the same rows <see cref="Sweep.Run"/> gives from the raw scan.</summary>
public static class HistogramSweep
{
    const long PmdBytes = ShrinkerModel.SubPages * ShrinkerModel.PageSize;

    public static SweepResult Run(HostSummary host, IReadOnlyList<int> thresholds, RemapPolicy policy = RemapPolicy.Upstream) =>
        new(thresholds.Select(n => Row(host, n, policy)).ToArray(), [], policy);

    static SweepRow Row(HostSummary host, int n, RemapPolicy policy)
    {
        long scanned = 0, split = 0, freed = 0, locked = 0, uffdSplit = 0, partial = 0, partialFreed = 0;
        long zeroMapped = 0, pteNone = 0, pmdBefore = 0, pmdSplit = 0;
        foreach (var h in host.Thps)
        {
            long all = h.Counts.Sum();
            if (h.Mapping == ThpMapping.Pmd) pmdBefore += all;
            if (h.Mapping != ThpMapping.Partial) scanned += all;
            if (h.Class == ThpClass.Mlocked)
            {
                if (h.Mapping != ThpMapping.Partial) locked += all;
                continue;
            }
            bool uffd = h.Class == ThpClass.UffdArmed;
            long count, zeros;
            if (h.Mapping == ThpMapping.Partial)
            {
                (count, zeros) = Tail(h.Counts, 0);
                partial += count;
                partialFreed += (zeros + h.UnmappedSubpages) * ShrinkerModel.PageSize;
            }
            else
            {
                // Underused means strictly more than n zero subpages, and nothing at 511.
                (count, zeros) = n == ShrinkerModel.RuleOff ? (0, 0) : Tail(h.Counts, n + 1);
                split += count;
                freed += zeros * ShrinkerModel.PageSize;
                if (uffd) uffdSplit += count;
                if (h.Mapping == ThpMapping.Pmd) pmdSplit += count;
            }
            if (policy == RemapPolicy.V1 && !uffd) pteNone += zeros;
            else zeroMapped += zeros;
        }

        long collapsed = 0, grown = 0, pingPong = 0;
        foreach (var c in host.Collapse)
        {
            if (!KhugepagedModel.EmptyWithinLimit(c.EmptyOrZeroPtes, c.UffdArmed, n)) continue;
            collapsed += c.Ranges;
            grown += c.Ranges * c.EmptyOrZeroPtes * ShrinkerModel.PageSize;
            if (ShrinkerModel.IsUnderused(c.ZeroContentPages, n)) pingPong += c.Ranges;
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
