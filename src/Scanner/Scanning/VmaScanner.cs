using ThpTool.Scanner.Memory;
using ThpTool.Scanner.Procfs;
using ThpTool.Scanner.Scans;

namespace ThpTool.Scanner.Scanning;

/// <summary>
/// Finds every large folio of one VMA and what the shrinker and khugepaged would make of it. Works a chunk of
/// address space at a time, so buffers stay the same size whatever the VMA's.
/// </summary>
internal sealed class VmaScanner(PagemapFile pagemap, KpageflagsFile? kpageflags, ZeroPageProbe probe,
                                 SharedThpRegistry shared, string thpEnabled, Action? chunkDone = null)
{
    const int SubPages = 512;
    const ulong PmdBytes = 2 * 1024 * 1024;
    const int PageShift = 12;
    const int ChunkBlocks = 128;
    const ulong ChunkBytes = ChunkBlocks * PmdBytes;

    readonly ulong[] entries = new ulong[ChunkBlocks * SubPages];
    readonly bool[] zeroPte = new bool[ChunkBlocks * SubPages];
    readonly ulong[] window = new ulong[KpageflagsFile.Window];
    ulong windowStart = ulong.MaxValue;

    /// <summary>Null when the VMA holds nothing THP-related, to keep scan files to what matters.</summary>
    public VmaScan? Scan(SmapsVma vma, CancellationToken cancel)
    {
        var special = pagemap.HugeAndZeroRanges(vma.Start, vma.End);
        var result = new VmaResult(vma, vma.CollapseEligible(thpEnabled));
        for (ulong chunk = vma.Start & ~(PmdBytes - 1); chunk < vma.End; chunk += ChunkBytes)
        {
            cancel.ThrowIfCancellationRequested();
            ScanChunk(vma, chunk, Math.Min(chunk + ChunkBytes, vma.End), special, result, cancel);
            chunkDone?.Invoke();
        }
        // Folios still missing subpages at the VMA's end are partially mapped here.
        var rest = new ChunkWork();
        FlushPteMappedThps(rest, result, completeOnly: false);
        rest.Finish(probe, shared, pagemap.Pid, result, cancel);
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

        var work = new ChunkWork();
        for (ulong block = chunk; block < end; block += PmdBytes)
        {
            int first = (int)((block - chunk) >> PageShift);
            int count = Math.Min(SubPages, pages - first);
            bool whole = block >= vma.Start && block + PmdBytes <= vma.End;
            var pmd = whole ? FindHuge(special, block) : null;
            if (pmd is { } range)
                AddPmdMapped(block, range, new PagemapEntry(entries[first]), work, result);
            else
                AddPteMapped(block, first, count, whole, work, result);
        }
        FlushPteMappedThps(work, result, completeOnly: true);
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

    static PageRange? FindHuge(List<PageRange> special, ulong block)
    {
        foreach (var r in special)
            if (r.Huge && r.Start <= block && block < r.End) return r;
        return null;
    }

    void AddPmdMapped(ulong block, PageRange range, PagemapEntry head, ChunkWork work, VmaResult result)
    {
        if (range.ZeroPfn) { result.HugeZeroPages++; return; }
        if (range.File) { result.FileOrShmemThps++; return; }
        bool mlocked = false;
        if (kpageflags is not null && head.Pfn != 0)
        {
            var folio = FolioAt(head.Pfn);
            // The huge zero page is reported PFNZERO on newer kernels, but kpageflags is the authority when present.
            if (folio is { ZeroPage: true }) { result.HugeZeroPages++; return; }
            if (folio is { Anonymous: false }) { result.FileOrShmemThps++; return; }
            mlocked = folio?.Mlocked ?? false;
        }
        work.AddThp(new ThpRecord
        {
            Address = block, Pfn = head.Pfn, Mapping = ThpMapping.Pmd, ZeroSubpages = 0,
            Exclusive = head.Exclusive, FolioMlocked = mlocked,
        }, [new ContentRequest(block, SubPages, head.Exclusive)]);
    }

    /// <summary>
    /// A block without a PMD mapping: PTE-mapped or partially mapped anonymous THPs and mTHP (visible only with
    /// kpageflags), and otherwise a range khugepaged might collapse.
    /// </summary>
    void AddPteMapped(ulong block, int first, int count, bool whole, ChunkWork work, VmaResult result)
    {
        var span = entries.AsSpan(first, count);
        bool holdsPmdFolio = kpageflags is not null && AddLargeFolios(block, first, span, result);
        if (whole && result.CollapseEligible && !holdsPmdFolio)
            AddCollapseRange(block, first, span, work);
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
            // pagemap cost instead of a kpageflags read per page. A block's edge pages are always looked at: there a
            // misaligned THP leaves a single subpage whose neighbour is in the next block.
            bool prev = i > 0 && new PagemapEntry(span[i - 1]).Pfn + 1 == e.Pfn;
            bool next = i + 1 < span.Length && new PagemapEntry(span[i + 1]).Pfn == e.Pfn + 1;
            bool edge = i == 0 || i == span.Length - 1;
            if (!prev && !next && !edge) continue;
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
            // A misaligned (mremapped) THP straddles two blocks: gather its pages until it is whole.
            var pages = result.OpenFolio(folio);
            foreach (var i in mapped)
                pages.Add((block + ((ulong)i << PageShift), new PagemapEntry(span[i]).Exclusive));
        }
        return pmdFolio;
    }

    /// <summary>
    /// Hands PTE-mapped PMD-order folios to the chunk's work: the complete ones (all 512 subpages mapped, judged by the
    /// underused rule) as soon as they are, the rest, at the VMA's end, as partially mapped.
    /// </summary>
    static void FlushPteMappedThps(ChunkWork work, VmaResult result, bool completeOnly)
    {
        foreach (var (folio, pages) in result.TakeOpenFolios(completeOnly ? SubPages : 1))
        {
            pages.Sort((a, b) => a.Address.CompareTo(b.Address));
            var requests = new List<ContentRequest>();
            foreach (var (address, exclusive) in pages)
                AppendPage(requests, address, exclusive);
            work.AddThp(new ThpRecord
            {
                Address = pages[0].Address,
                Pfn = folio.HeadPfn,
                Mapping = pages.Count == SubPages ? ThpMapping.Pte : ThpMapping.Partial,
                MappedSubpages = pages.Count,
                ZeroSubpages = 0,
                Exclusive = pages.TrueForAll(p => p.Exclusive),
                FolioMlocked = folio.Mlocked,
            }, requests);
        }
    }

    void AddCollapseRange(ulong block, int first, ReadOnlySpan<ulong> span, ChunkWork work)
    {
        int empty = 0, zero = 0, swap = 0, shared = 0;
        var requests = new List<ContentRequest>();
        for (int i = 0; i < span.Length; i++)
        {
            var e = new PagemapEntry(span[i]);
            if (e.Present && zeroPte[first + i]) zero++;
            else if (e.Present)
            {
                if (!e.Exclusive) shared++;
                AppendPage(requests, block + ((ulong)i << PageShift), e.Exclusive);
            }
            else if (e.Swapped) swap++;
            else empty++;
        }
        // With no PTE populated there may be no page table at all, which khugepaged skips.
        if (empty == SubPages) return;
        int emptyOrZero = empty + zero;
        work.AddRange(block, emptyOrZero, swap, shared, requests);
    }

    /// <summary>Extends the last request when the page continues it, so runs of pages are read in one piece.</summary>
    static void AppendPage(List<ContentRequest> requests, ulong address, bool exclusive)
    {
        if (requests.Count > 0)
        {
            var last = requests[^1];
            if (last.Exclusive == exclusive && last.Address + (ulong)last.Bytes == address)
            {
                requests[^1] = last with { Pages = last.Pages + 1 };
                return;
            }
        }
        requests.Add(new ContentRequest(address, 1, exclusive));
    }

    FolioInfo? FolioAt(ulong pfn)
    {
        if (pfn - windowStart >= KpageflagsFile.Window || windowStart == ulong.MaxValue)
            windowStart = kpageflags!.ReadWindow(pfn, window);
        return FolioInfo.Find(pfn, windowStart, window);
    }
}
