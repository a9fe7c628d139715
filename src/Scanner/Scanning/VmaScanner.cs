using ThpTool.Scanner.Memory;
using ThpTool.Scanner.Procfs;
using ThpTool.Scanner.Scans;

namespace ThpTool.Scanner.Scanning;

/// <summary>
/// Finds every large folio of one VMA and what the shrinker and khugepaged would make of it. Works a chunk of
/// address space at a time, so buffers stay the same size whatever the VMA's.
/// </summary>
internal sealed class VmaScanner(PagemapFile pagemap, KpageflagsFile? kpageflags, ZeroPageProbe probe,
                                 SharedThpRegistry shared, string thpEnabled)
{
    const int SubPages = 512;
    const ulong PmdBytes = 2 * 1024 * 1024;
    const int PageShift = 12;
    const int ChunkBlocks = 128;
    const ulong ChunkBytes = ChunkBlocks * PmdBytes;

    readonly ulong[] entries = new ulong[ChunkBlocks * SubPages];
    readonly bool[] zeroPte = new bool[ChunkBlocks * SubPages];
    readonly ulong[] window = new ulong[KpageflagsFile.Window];
    readonly ChunkWork work = new();
    ulong windowStart = ulong.MaxValue;
    int hugeCursor;

    /// <summary>Null when the VMA holds nothing THP-related, to keep scan files to what matters.</summary>
    public VmaScan? Scan(SmapsVma vma, CancellationToken cancel)
    {
        var special = pagemap.HugeAndZeroRanges(vma.Start, vma.End);
        hugeCursor = 0;
        var result = new VmaResult(vma, vma.CollapseEligible(thpEnabled));
        for (ulong chunk = vma.Start & ~(PmdBytes - 1); chunk < vma.End; chunk += ChunkBytes)
        {
            cancel.ThrowIfCancellationRequested();
            ScanChunk(vma, chunk, Math.Min(chunk + ChunkBytes, vma.End), special, result, cancel);
        }
        return result.HoldsAnything ? result.ToVmaScan() : null;
    }

    void ScanChunk(SmapsVma vma, ulong chunk, ulong end, List<PageRange> special, VmaResult result, CancellationToken cancel)
    {
        ulong from = Math.Max(chunk, vma.Start);
        int pages = (int)((end - chunk) >> PageShift);
        var view = entries.AsSpan(0, pages);
        view.Clear();
        int skip = (int)((from - chunk) >> PageShift);
        int got = pagemap.Read(from, view[skip..]);
        if (got < pages - skip) view[(skip + got)..].Clear();
        MarkZeroPtes(chunk, pages, special);

        work.Clear();
        for (ulong block = chunk; block < end; block += PmdBytes)
        {
            int first = (int)((block - chunk) >> PageShift);
            int count = Math.Min(SubPages, pages - first);
            bool whole = block >= vma.Start && block + PmdBytes <= vma.End;
            var pmd = whole ? FindHuge(special, block) : null;
            if (pmd is { } range)
                AddPmdMapped(block, range, new PagemapEntry(entries[first]), result);
            else
                AddPteMapped(block, first, count, whole, result);
        }
        work.Finish(probe, shared, pagemap.Pid, result, cancel);
    }

    void MarkZeroPtes(ulong chunk, int pages, List<PageRange> special)
    {
        Array.Clear(zeroPte, 0, pages);
        ulong chunkEnd = chunk + ((ulong)pages << PageShift);
        foreach (var r in special)
        {
            if (!r.ZeroPfn || r.Huge || r.End <= chunk || r.Start >= chunkEnd) continue;
            int a = (int)((Math.Max(r.Start, chunk) - chunk) >> PageShift);
            int b = (int)((Math.Min(r.End, chunkEnd) - chunk) >> PageShift);
            Array.Fill(zeroPte, true, a, b - a);
        }
    }

    PageRange? FindHuge(List<PageRange> special, ulong block)
    {
        // Blocks come in address order and the ranges are sorted, so each search resumes where the last one stopped:
        // a VMA of thousands of THPs interleaved with small pages would otherwise cost ranges x blocks.
        while (hugeCursor < special.Count && special[hugeCursor].End <= block) hugeCursor++;
        for (int i = hugeCursor; i < special.Count && special[i].Start <= block; i++)
            if (special[i].Huge && block < special[i].End) return special[i];
        return null;
    }

    void AddPmdMapped(ulong block, PageRange range, PagemapEntry head, VmaResult result)
    {
        if (range.ZeroPfn) { result.HugeZeroPages++; return; }
        if (range.File) { result.FileOrShmemThps++; return; }
        bool mlocked = false;
        if (kpageflags is not null && head.Pfn != 0)
        {
            // A PMD maps its folio's head, so the head's own flags say it all: one entry, not a 512-PFN window.
            var flags = kpageflags.ReadFlags(head.Pfn);
            if (flags.HasFlag(KpageFlags.CompoundHead) && flags.HasFlag(KpageFlags.Thp))
            {
                // The huge zero page is reported PFNZERO on newer kernels, but kpageflags is the authority when present.
                if (flags.HasFlag(KpageFlags.ZeroPage)) { result.HugeZeroPages++; return; }
                if (!flags.HasFlag(KpageFlags.Anon)) { result.FileOrShmemThps++; return; }
                mlocked = flags.HasFlag(KpageFlags.Mlocked);
            }
        }
        work.AddThp(new ThpRecord
        {
            Address = block, Pfn = head.Pfn, Mapping = ThpMapping.Pmd, ZeroSubpages = 0,
            Exclusive = head.Exclusive, FolioMlocked = mlocked,
        }, new ContentRequest(block, SubPages, head.Exclusive));
    }

    /// <summary>
    /// A block without a PMD mapping: PTE-mapped or partially mapped anonymous THPs and mTHP (visible only with
    /// kpageflags), and otherwise a range khugepaged might collapse.
    /// </summary>
    void AddPteMapped(ulong block, int first, int count, bool whole, VmaResult result)
    {
        var span = entries.AsSpan(first, count);
        bool holdsPmdFolio = kpageflags is not null && AddLargeFolios(block, first, span, result);
        if (whole && result.CollapseEligible && !holdsPmdFolio)
            AddCollapseRange(block, first, span);
    }

    /// <summary>Returns whether the block holds part of a PMD-order anonymous folio (which khugepaged leaves alone).</summary>
    bool AddLargeFolios(ulong block, int first, ReadOnlySpan<ulong> span, VmaResult result)
    {
        Dictionary<ulong, (FolioInfo Folio, List<int> Mapped)>? folios = null;
        for (int i = 0; i < span.Length; i++)
        {
            var e = new PagemapEntry(span[i]);
            if (!e.Present || e.Pfn == 0 || zeroPte[first + i]) continue;
            // Only physically contiguous neighbours can be one large folio: this keeps plain 4 KiB heaps at
            // pagemap cost instead of a kpageflags read per page.
            bool prev = i > 0 && new PagemapEntry(span[i - 1]).Pfn + 1 == e.Pfn;
            bool next = i + 1 < span.Length && new PagemapEntry(span[i + 1]).Pfn == e.Pfn + 1;
            if (!prev && !next) continue;
            if (FolioAt(e.Pfn) is not { } folio) continue;
            folios ??= [];
            if (!folios.TryGetValue(folio.HeadPfn, out var entry))
                folios[folio.HeadPfn] = entry = (folio, []);
            entry.Mapped.Add(i);
        }
        if (folios is null) return false;

        bool pmdFolio = false;
        foreach (var (folio, mapped) in folios.Values)
        {
            if (folio.ZeroPage) continue;
            if (!folio.PmdOrder)
            {
                if (folio.Anonymous && result.CountMthp(folio.HeadPfn)) result.MthpBytes += (long)folio.Pages << PageShift;
                continue;
            }
            if (!folio.Anonymous) { if (result.CountFileThp(folio.HeadPfn)) result.FileOrShmemThps++; continue; }
            pmdFolio = true;
            AddPteMappedThp(block, span, folio, mapped);
        }
        return pmdFolio;
    }

    void AddPteMappedThp(ulong block, ReadOnlySpan<ulong> span, FolioInfo folio, List<int> mapped)
    {
        bool inPlace = mapped.Count == SubPages;
        for (int k = 0; inPlace && k < mapped.Count; k++)
            inPlace = new PagemapEntry(span[mapped[k]]).Pfn - folio.HeadPfn == (ulong)mapped[k];
        bool exclusive = true;
        foreach (var i in mapped)
        {
            var e = new PagemapEntry(span[i]);
            exclusive &= e.Exclusive;
            work.AppendPage(block + ((ulong)i << PageShift), e.Exclusive);
        }
        work.AddThp(new ThpRecord
        {
            Address = block + ((ulong)mapped[0] << PageShift),
            Pfn = folio.HeadPfn,
            Mapping = inPlace ? ThpMapping.Pte : ThpMapping.Partial,
            MappedSubpages = mapped.Count,
            ZeroSubpages = 0,
            Exclusive = exclusive,
            FolioMlocked = folio.Mlocked,
        });
    }

    void AddCollapseRange(ulong block, int first, ReadOnlySpan<ulong> span)
    {
        int empty = 0, zero = 0, swap = 0, shared = 0;
        for (int i = 0; i < span.Length; i++)
        {
            var e = new PagemapEntry(span[i]);
            if (e.Present && zeroPte[first + i]) zero++;
            else if (e.Present)
            {
                if (!e.Exclusive) shared++;
                work.AppendPage(block + ((ulong)i << PageShift), e.Exclusive);
            }
            else if (e.Swapped) swap++;
            else empty++;
        }
        // With no PTE populated there may be no page table at all, which khugepaged skips (and nothing was queued).
        if (empty == SubPages) return;
        work.AddRange(block, empty + zero, swap, shared);
    }

    FolioInfo? FolioAt(ulong pfn)
    {
        if (pfn - windowStart >= KpageflagsFile.Window || windowStart == ulong.MaxValue)
        {
            // The kernel works out flags per PFN, so a 512-PFN window costs far more than one entry: in a heap of
            // small pages whose PFNs happen to run on, ask about the page itself first.
            if ((kpageflags!.ReadFlags(pfn) & (KpageFlags.CompoundHead | KpageFlags.CompoundTail)) == 0)
                return null;
            windowStart = kpageflags.ReadWindow(pfn, window);
        }
        return FolioInfo.Find(pfn, windowStart, window);
    }
}
