using ThpTool.Scanner.Memory;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Scanner.KernelModel;

/// <summary>
/// Adds up one threshold's row, whether THPs come one by one (raw scan) or by the bucketful (histogram summary),
/// so both sweeps share the accounting and cannot drift apart.
/// </summary>
internal sealed class SweepTally(int maxPtesNone, RemapPolicy policy)
{
    const long PmdBytes = Geometry.ThpSize;

    // Splits are sums of weights: a sampled scan's read THPs each stand for several (1 when every THP was read).
    // Partially mapped mTHPs are always read.
    long scanned, locked, collapsed, grown, pingPong, pmdBefore, partialMthps, partialMthpFreed;
    double split, freed, uffdSplit, partial, partialFreed, zeroMapped, pteNone, pmdSplit;

    public void Found(ThpMapping mapping, bool mlocked, long count)
    {
        if (mapping == ThpMapping.Pmd) pmdBefore += count;
        if (mapping == ThpMapping.Partial) return;
        scanned += count;
        if (mlocked) locked += count;
    }

    public void SplitUnderused(ThpMapping mapping, bool uffd, double count, double zeroSubpages, double bytesFreed)
    {
        split += count;
        freed += bytesFreed;
        if (uffd) uffdSplit += count;
        if (mapping == ThpMapping.Pmd) pmdSplit += count;
        Remapped(uffd, zeroSubpages);
    }

    public void SplitPartial(bool uffd, double count, double zeroSubpages, double bytesFreed)
    {
        partial += count;
        partialFreed += bytesFreed;
        Remapped(uffd, zeroSubpages);
    }

    public void SplitPartialMthp(bool uffd, long count, long zeroSubpages, long bytesFreed)
    {
        partialMthps += count;
        partialMthpFreed += bytesFreed;
        Remapped(uffd, zeroSubpages);
    }

    public void Collapsed(long ranges, long bytesGrown, bool splitAgain)
    {
        collapsed += ranges;
        grown += bytesGrown;
        if (splitAgain) pingPong += ranges;
    }

    void Remapped(bool uffd, double zeroSubpages)
    {
        if (policy == RemapPolicy.V1 && !uffd) pteNone += zeroSubpages;
        else zeroMapped += zeroSubpages;
    }

    static long Round(double value) => (long)Math.Round(value);

    /// <summary>The intervals equal the values: <see cref="Sweep"/> widens them for a sampled scan.</summary>
    public SweepRow ToRow() => new()
    {
        MaxPtesNone = maxPtesNone,
        ThpsScanned = scanned,
        ThpsSplit = Round(split),
        BytesFreed = Round(freed),
        ThpsSplitCiLow = Round(split),
        ThpsSplitCiHigh = Round(split),
        BytesFreedCiLow = Round(freed),
        BytesFreedCiHigh = Round(freed),
        MlockedSkipped = locked,
        UffdThpsSplit = Round(uffdSplit),
        PartialThpsSplit = Round(partial),
        PartialBytesFreed = Round(partialFreed),
        PartialMthpsSplit = partialMthps,
        PartialMthpBytesFreed = partialMthpFreed,
        SubpagesZeroMapped = Round(zeroMapped),
        SubpagesPteNone = Round(pteNone),
        RangesCollapsed = collapsed,
        BytesGrown = grown,
        PingPongRanges = pingPong,
        ThpBytesBefore = pmdBefore * PmdBytes,
        ThpBytesAfter = (pmdBefore - Round(pmdSplit) + collapsed - pingPong) * PmdBytes,
    };
}
