using ThpTool.Scanner.Memory;

namespace ThpTool.Experiments.Workloads;

/// <summary>What the workload knows it wrote: which subpages hold a non-zero byte and which are still mapped.</summary>
internal sealed class RegionContents(int thps)
{
    readonly bool[] nonZero = new bool[thps * Geometry.SubpagesPerThp];
    readonly bool[] unmapped = new bool[thps * Geometry.SubpagesPerThp];

    public void MarkNonZero(long offset) => nonZero[offset / Geometry.PageSize] = true;

    public void MarkUnmapped(long offset, long length)
    {
        for (long page = offset / Geometry.PageSize; page < (offset + length) / Geometry.PageSize; page++)
            unmapped[page] = true;
    }

    public IReadOnlyList<WorkloadThp> Thps(ulong regionAddress, long spacing = Geometry.ThpSize)
    {
        var result = new WorkloadThp[thps];
        for (int thp = 0; thp < thps; thp++)
        {
            int nonZero = 0, mapped = 0;
            for (int page = thp * Geometry.SubpagesPerThp; page < (thp + 1) * Geometry.SubpagesPerThp; page++)
            {
                if (unmapped[page])
                    continue;
                mapped++;
                if (this.nonZero[page])
                    nonZero++;
            }
            result[thp] = new WorkloadThp(regionAddress + (ulong)(thp * spacing), nonZero, mapped);
        }
        return result;
    }
}
