using ThpTool.Scanner.Scans;

namespace ThpTool.Scanner.KernelModel;

/// <summary>
/// Adds up one threshold's row, whether THPs come one by one (raw scan) or by the bucketful (histogram summary),
/// so both sweeps share the accounting and cannot drift apart.
/// </summary>
internal sealed class SweepTally(int maxPtesNone, RemapPolicy policy)
{
    const long PmdBytes = ShrinkerModel.SubPages * ShrinkerModel.PageSize;

    long scanned, split, freed, locked, uffdSplit, partial, partialFreed, zeroMapped, pteNone;
    long collapsed, grown, pingPong, pmdBefore, pmdSplit, partialMthps, partialMthpFreed;

    public void Found(ThpMapping mapping, bool mlocked, long count)
    {
        if (mapping == ThpMapping.Pmd) pmdBefore += count;
        if (mapping == ThpMapping.Partial) return;
        scanned += count;
        if (mlocked) locked += count;
    }

    public void SplitUnderused(ThpMapping mapping, bool uffd, long count, long zeroSubpages, long bytesFreed)
    {
        split += count;
        freed += bytesFreed;
        if (uffd) uffdSplit += count;
        if (mapping == ThpMapping.Pmd) pmdSplit += count;
        Remapped(uffd, zeroSubpages);
    }

    public void SplitPartial(bool uffd, long count, long zeroSubpages, long bytesFreed)
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

    void Remapped(bool uffd, long zeroSubpages)
    {
        if (policy == RemapPolicy.V1 && !uffd) pteNone += zeroSubpages;
        else zeroMapped += zeroSubpages;
    }

    public SweepRow ToRow() => new()
    {
        MaxPtesNone = maxPtesNone,
        ThpsScanned = scanned,
        ThpsSplit = split,
        BytesFreed = freed,
        MlockedSkipped = locked,
        UffdThpsSplit = uffdSplit,
        PartialThpsSplit = partial,
        PartialBytesFreed = partialFreed,
        PartialMthpsSplit = partialMthps,
        PartialMthpBytesFreed = partialMthpFreed,
        SubpagesZeroMapped = zeroMapped,
        SubpagesPteNone = pteNone,
        RangesCollapsed = collapsed,
        BytesGrown = grown,
        PingPongRanges = pingPong,
        ThpBytesBefore = pmdBefore * PmdBytes,
        ThpBytesAfter = (pmdBefore - pmdSplit + collapsed - pingPong) * PmdBytes,
    };
}
