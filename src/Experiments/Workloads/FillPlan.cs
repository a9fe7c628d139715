using ThpTool.Scanner.Memory;

namespace ThpTool.Experiments.Workloads;

/// <summary>One non-zero byte to write: its offset in the region.</summary>
internal readonly record struct NonZeroByte(long Offset);

/// <summary>
/// Where a spec puts its non-zero bytes. Every THP also gets a zero byte written at its start, so THPs the
/// pattern misses are still faulted in, as all-zero THPs.
/// </summary>
internal static class FillPlan
{
    /// <summary>In ascending offset order, so each THP is complete before the next one is touched.</summary>
    public static IEnumerable<NonZeroByte> Bytes(WorkloadSpec spec) =>
        spec.Stride is { } stride ? StrideBytes(spec.Size, stride)
        : spec.ContentSeed is { } seed ? RandomBytes(spec.ThpCount, seed)
        : FillsBytes(spec.ThpCount, spec.Fills!);

    public static RegionContents Contents(WorkloadSpec spec)
    {
        var contents = new RegionContents(spec.ThpCount);
        foreach (var b in Bytes(spec))
            contents.MarkNonZero(b.Offset);
        return contents;
    }

    static IEnumerable<NonZeroByte> StrideBytes(long size, long stride)
    {
        for (long offset = 0; offset < size; offset += stride)
            yield return new NonZeroByte(offset);
    }

    static IEnumerable<NonZeroByte> FillsBytes(int thps, IReadOnlyList<int> fills)
    {
        for (int thp = 0; thp < thps; thp++)
        {
            int count = fills[thp % fills.Count];
            for (int j = 0; j < count; j++)
            {
                // Spread evenly, so a partial unmap of the tail drops some of them.
                long subpage = (long)j * Geometry.SubpagesPerThp / count;
                yield return new NonZeroByte(thp * Geometry.ThpSize + subpage * Geometry.PageSize + PositionInSubpage(j));
            }
        }
    }

    /// <summary>
    /// Each THP draws how full it is (all-zero and all-written included), then which subpages, then where in each the
    /// non-zero byte goes. Deterministic for a seed, so a failing case can be run again.
    /// </summary>
    static IEnumerable<NonZeroByte> RandomBytes(int thps, int seed)
    {
        var random = new Random(seed);
        double[] shares = [0, 0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.98, 1];
        for (int thp = 0; thp < thps; thp++)
        {
            double share = shares[random.Next(shares.Length)];
            for (int subpage = 0; subpage < Geometry.SubpagesPerThp; subpage++)
                if (random.NextDouble() < share)
                    yield return new NonZeroByte(thp * Geometry.ThpSize + subpage * Geometry.PageSize + random.Next(Geometry.PageSize));
        }
    }

    // First, last and middle byte in turn: a zero detector that checks only part of a page gets caught.
    static int PositionInSubpage(int j) => (j % 3) switch
    {
        0 => 0,
        1 => Geometry.PageSize - 1,
        _ => Geometry.PageSize / 2,
    };
}
