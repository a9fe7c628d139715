using ThpTool.Scanner.Memory;
using ThpTool.Scanner.Procfs;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Scanner.Scanning;

/// <summary>
/// Finds every large folio of one VMA and what the shrinker and khugepaged would make of it. Works a chunk of
/// address space at a time, so buffers stay the same size whatever the VMA's.
/// </summary>
internal sealed class VmaScanner(PagemapFile pagemap, FolioLookup? folios, ZeroPageProbe probe,
                                 SharedThpRegistry shared, string thpEnabled, Action? chunkDone = null,
                                 ContentSampler.Stratified<DeferredThp>? sampling = null)
{
    const int SubPages = Geometry.SubpagesPerThp;
    const ulong PmdBytes = Geometry.ThpSize;
    const int PageShift = Geometry.PageShift;
    const int ChunkBlocks = 128;
    const ulong ChunkBytes = ChunkBlocks * PmdBytes;

    readonly ulong[] entries = new ulong[ChunkBlocks * SubPages];
    readonly bool[] zeroPte = new bool[ChunkBlocks * SubPages];
    readonly List<(int Start, int End, FolioInfo Folio)> runFolios = [];
    readonly List<ulong> lonePfns = [];
    readonly PageRange?[] blockHuge = new PageRange?[ChunkBlocks];
    readonly ChunkWork work = new(sampling);
    readonly PopulatedLayout layout = new(pagemap);
    int hugeCursor;
    bool vmaHasSharedPages;

    /// <summary>
    /// Null when the VMA holds nothing THP-related, to keep scan files to what matters. Only the blocks
    /// <see cref="PopulatedLayout"/> finds populated are walked.
    /// </summary>
    public VmaScan? Scan(SmapsVma vma, CancellationToken cancel)
    {
        layout.Read(vma.Start, vma.End);
        var special = layout.Special;
        bool collapseEligible = vma.CollapseEligible(thpEnabled);
        // Nothing mapped by a PMD or the zero page, and no PTE that anything would look at: the walk cannot find
        // anything, and a process of 60,000 small VMAs would pay for it 60,000 times.
        if (special.Count == 0 && !PtesNeeded(vma, collapseEligible))
            return vma.AnonHugePagesKb > 0 ? new VmaResult(vma, collapseEligible).ToVmaScan() : null;
        hugeCursor = 0;
        vmaHasSharedPages = vma.SharedKb > 0;
        var result = new VmaResult(vma, collapseEligible);
        foreach (var (start, end) in layout.Spans)
            for (ulong chunk = start; chunk < end && chunk < vma.End; chunk += ChunkBytes)
            {
                cancel.ThrowIfCancellationRequested();
                ScanChunk(vma, chunk, Math.Min(chunk + ChunkBytes, Math.Min(end, vma.End)), special, result, cancel);
                chunkDone?.Invoke();
            }
        // Folios still missing subpages at the VMA's end are partially mapped here.
        work.Clear();
        FlushPteMappedThps(result, completeOnly: false);
        work.Finish(probe, shared, pagemap.Pid, result, cancel);
        return result.HoldsAnything ? result.ToVmaScan() : null;
    }

    void ScanChunk(SmapsVma vma, ulong chunk, ulong end, List<PageRange> special, VmaResult result, CancellationToken cancel)
    {
        int pages = (int)((end - chunk) >> PageShift);
        int blocks = (pages + SubPages - 1) / SubPages;
        bool Whole(ulong block) => block >= vma.Start && block + PmdBytes <= vma.End;
        for (int b = 0; b < blocks; b++)
        {
            ulong block = chunk + (ulong)b * PmdBytes;
            blockHuge[b] = Whole(block) ? FindHuge(special, block) : null;
        }
        ReadEntries(vma, chunk, pages, blocks, result.CollapseEligible);
        MarkZeroPtes(chunk, pages, special);
        if (folios is not null) ReadAheadLonePages(blocks, pages);

        work.Clear();
        for (int b = 0; b < blocks; b++)
        {
            ulong block = chunk + (ulong)b * PmdBytes;
            int first = b * SubPages;
            int count = Math.Min(SubPages, pages - first);
            if (blockHuge[b] is { } range)
                AddPmdMapped(block, range, new PagemapEntry(entries[first]), result);
            else
                AddPteMapped(block, first, count, Whole(block), result);
        }
        FlushPteMappedThps(result, completeOnly: true);
        work.Finish(probe, shared, pagemap.Pid, result, cancel);
    }

    /// <summary>
    /// Reads the pagemap entries the chunk's blocks need. A PMD-mapped block needs only its head's entry: reading all
    /// 512 would cost the kernel a mapcount lookup per subpage, about a sixth of the time the THP's contents take to
    /// read. Other blocks are read in runs, except where nothing would look at them: outside a collapse candidate,
    /// their pages matter only as possible parts of large folios, which needs kpageflags, and which the census rules
    /// out for a VMA whose pages smaps calls all exclusive and anonymous (<see cref="FolioLookup.MayBeInLargeFolio"/>). There
    /// PAGEMAP_SCAN alone covers them.
    /// </summary>
    void ReadEntries(SmapsVma vma, ulong chunk, int pages, int blocks, bool collapseEligible)
    {
        entries.AsSpan(0, pages).Clear();
        bool ptesNeeded = PtesNeeded(vma, collapseEligible);
        int skip = (int)((Math.Max(chunk, vma.Start) - chunk) >> PageShift);
        int runFirst = -1;
        for (int b = 0; b <= blocks; b++)
        {
            bool pte = b < blocks && blockHuge[b] is null && ptesNeeded;
            if (pte && runFirst < 0) runFirst = Math.Max(b * SubPages, skip);
            if (pte) continue;
            if (runFirst >= 0)
            {
                int runEnd = Math.Min(b * SubPages, pages);
                pagemap.Read(chunk + ((ulong)runFirst << PageShift), entries.AsSpan(runFirst, runEnd - runFirst));
                runFirst = -1;
            }
            if (b < blocks && blockHuge[b] is not null)
                pagemap.Read(chunk + (ulong)b * PmdBytes, entries.AsSpan(b * SubPages, 1));
        }
    }

    bool PtesNeeded(SmapsVma vma, bool collapseEligible) =>
        collapseEligible || (folios is not null && !(folios.AllPmdMapped && vma.OnlyExclusiveAnonymous));

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
        if (head.FileOrSharedAnon) { result.FileOrShmemThps++; return; }
        bool mlocked = false;
        if (folios is not null && head.Pfn != 0)
        {
            var folio = folios.PmdMapped(head.Pfn);
            // The huge zero page is reported PFNZERO on newer kernels, but kpageflags is the authority when present.
            if (folio is { ZeroPage: true }) { result.HugeZeroPages++; return; }
            if (folio is { Anonymous: false }) { result.FileOrShmemThps++; return; }
            mlocked = folio?.Mlocked ?? false;
        }
        bool exclusive = PmdMappedExclusively(head);
        work.AddThp(new ThpRecord
        {
            Address = block, Pfn = head.Pfn, Mapping = ThpMapping.Pmd, ZeroSubpages = 0,
            Exclusive = exclusive, FolioMlocked = mlocked,
        }, new ContentRequest(block, SubPages, exclusive));
    }

    /// <summary>
    /// Whether only this PMD maps the folio, so a pinning read cannot make the kernel unshare it. Pagemap judges all
    /// 512 entries of a PMD by the head subpage alone (seen on 6.18): after a forked child copied the first subpage of
    /// a shared THP, the parent's PMD looks exclusive while the child still maps the other 511, and a pinning read
    /// would split the parent's THP. So where smaps shows any page of the VMA mapped twice, kpagecount must confirm
    /// every subpage; without it (no root) such THPs are read without pinning.
    /// </summary>
    bool PmdMappedExclusively(PagemapEntry head)
    {
        if (!head.Exclusive) return false;
        if (!vmaHasSharedPages) return true;
        return folios is not null && head.Pfn != 0 && folios.EveryPageMappedOnce(head.Pfn);
    }

    /// <summary>
    /// A block without a PMD mapping: PTE-mapped or partially mapped anonymous THPs and mTHP (visible only with
    /// kpageflags), and otherwise a range khugepaged might collapse.
    /// </summary>
    void AddPteMapped(ulong block, int first, int count, bool whole, VmaResult result)
    {
        var span = entries.AsSpan(first, count);
        bool holdsPmdFolio = folios is not null && AddLargeFolios(block, first, span, result);
        if (whole && result.CollapseEligible && !holdsPmdFolio)
            AddCollapseRange(block, first, span);
    }

    /// <summary>
    /// Finds the large folios among the block's pages, at most one kpageflags read per run of physically contiguous
    /// pages, none for a run inside the 512-PFN window read last. Returns whether the block holds part of a PMD-order
    /// anonymous folio, which khugepaged leaves alone.
    /// </summary>
    bool AddLargeFolios(ulong block, int first, ReadOnlySpan<ulong> span, VmaResult result)
    {
        bool pmdFolio = false;
        for (int i = 0; i < span.Length;)
        {
            var e = new PagemapEntry(span[i]);
            if (!Candidate(e, first + i)) { i++; continue; }
            int end = i + 1;
            while (end < span.Length && Candidate(new PagemapEntry(span[end]), first + end) &&
                   new PagemapEntry(span[end]).Pfn == e.Pfn + (ulong)(end - i))
                end++;
            // Every run, a lone page too: a subpage whose neighbours were unmapped (MADV_DONTNEED page by page, as
            // allocators free) still belongs to its folio, and each of its mapped pages must be counted.
            pmdFolio |= AddFoliosOfRun(block, i, end, e.Pfn, span, result);
            i = end;
        }
        return pmdFolio;
    }

    /// <summary>
    /// Hands the lookup every page of the chunk that <see cref="AddLargeFolios"/> will find alone in its run (no
    /// physically contiguous neighbour in its block), so their flags are read in clusters, not one by one.
    /// </summary>
    void ReadAheadLonePages(int blocks, int pages)
    {
        lonePfns.Clear();
        for (int b = 0; b < blocks; b++)
        {
            if (blockHuge[b] is not null) continue;
            int first = b * SubPages, end = Math.Min(first + SubPages, pages);
            for (int i = first; i < end; i++)
            {
                var e = new PagemapEntry(entries[i]);
                if (!Candidate(e, i)) continue;
                bool joinsPrevious = i > first && Candidate(new PagemapEntry(entries[i - 1]), i - 1) && new PagemapEntry(entries[i - 1]).Pfn + 1 == e.Pfn;
                bool joinsNext = i + 1 < end && Candidate(new PagemapEntry(entries[i + 1]), i + 1) && e.Pfn + 1 == new PagemapEntry(entries[i + 1]).Pfn;
                if (!joinsPrevious && !joinsNext) lonePfns.Add(e.Pfn);
            }
        }
        folios!.ReadAhead(lonePfns);
    }

    /// <summary>A page kpageflags may show in a large folio: zero-page PTEs map the shared zero page, no folio of ours.</summary>
    bool Candidate(PagemapEntry e, int index) => !zeroPte[index] && folios!.MayBeInLargeFolio(e);

    /// <summary>
    /// Counts a run's large folios into the result: file THPs at once, anonymous folios (mTHP counted at once too)
    /// gathered until their pages are all seen. Returns whether the run holds part of a PMD-order anonymous folio.
    /// </summary>
    bool AddFoliosOfRun(ulong block, int from, int to, ulong pfn, ReadOnlySpan<ulong> span, VmaResult result)
    {
        folios!.FoliosInRun(pfn, to - from, runFolios);
        bool pmdFolio = false;
        foreach (var (k, end, folio) in runFolios)
        {
            if (folio.ZeroPage) { }
            else if (!folio.Anonymous)
            {
                if (folio.PmdOrder && result.CountFileThp(folio.HeadPfn)) result.FileOrShmemThps++;
            }
            else
            {
                if (folio.PmdOrder) pmdFolio = true;
                else result.CountMthp(folio);
                // A misaligned (mremapped) folio straddles two blocks: gather its pages until it is whole.
                var pages = result.OpenFolio(folio);
                for (int j = k; j < end; j++)
                    pages.Add((block + ((ulong)(from + j) << PageShift), new PagemapEntry(span[from + j]).Exclusive));
            }
        }
        return pmdFolio;
    }

    /// <summary>
    /// Hands PTE-mapped anonymous folios to the chunk's work: the complete ones (every subpage mapped here) as soon as
    /// they are, the rest at the VMA's end. Those are partially mapped, unless every subpage is still mapped somewhere,
    /// as when a forked child copied one subpage of a THP its parent still maps: the kernel does not treat that folio
    /// as partially mapped but judges it whole, by the underused rule. An mTHP is never judged by that rule, so only a
    /// partially mapped one is read.
    /// </summary>
    void FlushPteMappedThps(VmaResult result, bool completeOnly)
    {
        foreach (var (folio, pages) in result.TakeOpenFolios(all: !completeOnly))
        {
            bool everyPageMapped = pages.Count == folio.Pages || folios!.EveryPageMapped(folio);
            if (!folio.PmdOrder && everyPageMapped) continue;
            pages.Sort((a, b) => a.Address.CompareTo(b.Address));
            foreach (var (address, exclusive) in pages)
                work.AppendPage(address, exclusive);
            if (!folio.PmdOrder)
            {
                work.AddMthp(new MthpRecord
                {
                    Address = pages[0].Address, Pfn = folio.HeadPfn, Pages = folio.Pages, MappedSubpages = pages.Count,
                    ZeroSubpages = 0, FolioMlocked = folio.Mlocked,
                });
                continue;
            }
            work.AddThp(new ThpRecord
            {
                Address = pages[0].Address,
                Pfn = folio.HeadPfn,
                Mapping = everyPageMapped ? ThpMapping.Pte : ThpMapping.Partial,
                MappedSubpages = pages.Count,
                ZeroSubpages = 0,
                Exclusive = pages.TrueForAll(p => p.Exclusive),
                FolioMlocked = folio.Mlocked,
            });
        }
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
}
