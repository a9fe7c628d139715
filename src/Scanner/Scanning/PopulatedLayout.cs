using ThpTool.Scanner.Procfs;
using ThpTool.Scanner.Memory;

namespace ThpTool.Scanner.Scanning;

/// <summary>
/// What of a VMA the block walker needs to see: the 2 MiB blocks that hold any present or swapped page, merged into
/// spans, and the ranges mapped by a PMD or by zero-page PTEs. A block with nothing in it yields nothing (no folio,
/// and no collapse candidate, since khugepaged skips a range without a page table), so leaving it out changes no
/// result, and a 1 TiB reservation with a few THPs costs what the THPs cost. One instance serves every VMA of a
/// process, so its lists are allocated once.
/// </summary>
internal sealed class PopulatedLayout
{
    const ulong PmdBytes = Geometry.ThpSize;
    readonly Action<PageRange> add;

    public PopulatedLayout() => add = Add;

    /// <summary>PMD mappings and zero-page PTE runs, in address order.</summary>
    public List<PageRange> Special { get; } = [];

    /// <summary>Block-aligned [Start, End) spans holding every populated page, in address order, not touching.</summary>
    public List<(ulong Start, ulong End)> Spans { get; } = [];

    public void Read(PagemapFile pagemap, ulong start, ulong end)
    {
        Special.Clear();
        Spans.Clear();
        pagemap.WalkPopulated(start, end, add);
    }

    void Add(PageRange range)
    {
        if (range.Huge || range.ZeroPfn) Special.Add(range);
        ulong first = range.Start & ~(PmdBytes - 1), last = (range.End + PmdBytes - 1) & ~(PmdBytes - 1);
        if (Spans.Count > 0 && Spans[^1].End >= first)
            Spans[^1] = (Spans[^1].Start, Math.Max(Spans[^1].End, last));
        else
            Spans.Add((first, last));
    }
}
