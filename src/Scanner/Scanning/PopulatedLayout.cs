using ThpTool.Scanner.Interop;
using ThpTool.Scanner.Memory;
using ThpTool.Scanner.Procfs;

namespace ThpTool.Scanner.Scanning;

/// <summary>
/// What of a VMA the block walker needs to see: the 2 MiB blocks that hold any present or swapped page, merged into
/// spans, and the ranges mapped by a PMD or by zero-page PTEs. A block with nothing in it yields nothing (no folio,
/// and no collapse candidate, since khugepaged skips a range without a page table), so leaving it out changes no
/// result, and a 1 TiB reservation with a few THPs costs what the THPs cost. One instance serves every VMA of a
/// process, in address order, so its lists are allocated once and one PAGEMAP_SCAN call serves many small VMAs.
/// </summary>
internal sealed class PopulatedLayout(PagemapFile pagemap)
{
    const ulong PmdBytes = Geometry.ThpSize;

    // 96 KiB: 60,000 one-page VMAs cost 15 calls, and a call walks no further than its vector holds.
    readonly PageRegion[] ahead = new PageRegion[4096];
    int aheadCount, cursor;
    ulong aheadStart = ulong.MaxValue, aheadEnd, cursorAt;

    /// <summary>PMD mappings and zero-page PTE runs, in address order.</summary>
    public List<PageRange> Special { get; } = [];

    /// <summary>Block-aligned [Start, End) spans holding every populated page, in address order, not touching.</summary>
    public List<(ulong Start, ulong End)> Spans { get; } = [];

    /// <summary>Lays out [start, end); a VMA at a lower address than the last one asked costs a fresh walk.</summary>
    public void Read(ulong start, ulong end)
    {
        Special.Clear();
        Spans.Clear();
        for (ulong at = start; at < end; at = aheadEnd)
        {
            // [aheadStart, aheadEnd) is what the last walk described whole.
            if (at < aheadStart || at >= aheadEnd)
            {
                aheadCount = pagemap.ScanPopulated(at, end, ahead, out aheadEnd);
                aheadStart = at;
                cursor = 0;
                if (aheadEnd <= at) break;
            }
            if (at < cursorAt) cursor = 0;
            cursorAt = at;
            while (cursor < aheadCount && ahead[cursor].End <= at) cursor++;
            // A range may run on into the next VMA (the kernel merges across VMAs): clip it, keep it for the next.
            for (int i = cursor; i < aheadCount && ahead[i].Start < end; i++)
                Add(new PageRange(Math.Max(ahead[i].Start, start), Math.Min(ahead[i].End, end), (PageCategory)ahead[i].Categories));
        }
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
