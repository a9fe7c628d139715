using ThpTool.Scanner.Memory;
using ThpTool.Scanner.Procfs;

namespace ThpTool.Scanner.Scanning;

/// <summary>
/// What kpageflags and kpagecount say about the page frames a scan meets, asked as rarely as the kernel's large-folio
/// census allows: both files cost the kernel work per PFN, and every read costs a system call.
/// </summary>
internal sealed class FolioLookup(KpageflagsFile kpageflags, KpagecountFile? kpagecount, LargeFolioCensus census)
{
    const int SubPages = Geometry.SubpagesPerThp;
    // Above this a run costs more read whole than probed: measured here, a kpageflags read costs about 1.2 us plus
    // 40 ns per PFN, so 64 PFNs cost as much as the two or three one-entry reads of a probed run.
    const int ProbedRunPages = 64;

    // Two PFNs closer than this cost less read together than apart: 30 x 40 ns is about one system call.
    const int ReadAheadGap = 30;

    readonly ulong[] window = new ulong[KpageflagsFile.Window];
    readonly Dictionary<ulong, ulong> aheadFlags = [];
    readonly ulong[] scratch = new ulong[SubPages];
    ulong windowStart = ulong.MaxValue;

    /// <summary>
    /// Whether a present page could belong to a large folio worth a lookup. When every anonymous large folio in the
    /// system is PMD-sized and mapped by a PMD somewhere (<see cref="LargeFolioCensus.AllPmdMapped"/>), a page of one
    /// that a process maps by a PTE is mapped twice, so pagemap cannot call it exclusive: an exclusive anonymous page
    /// is then a small page, and a heap of them costs no kpageflags reads at all.
    /// </summary>
    public bool MayBeInLargeFolio(PagemapEntry e) =>
        e.Present && e.Pfn != 0 && !(census.AllPmdMapped && e.Exclusive && !e.FileOrSharedAnon);

    /// <summary>Whether whole VMAs of exclusive anonymous pages can be passed over (see <see cref="MayBeInLargeFolio"/>).</summary>
    public bool AllPmdMapped => census.AllPmdMapped;

    /// <summary>
    /// The folio a PMD maps, from its head's flags alone: a PMD maps a whole PMD-order folio from its head, so the
    /// 511 tails' flags would say nothing new (and cost the kernel as much as a sixth of reading the THP).
    /// </summary>
    public FolioInfo? PmdMapped(ulong headPfn)
    {
        var flags = scratch.AsSpan(0, 1);
        kpageflags.ReadRange(headPfn, flags);
        var head = (KpageFlags)flags[0];
        return head.HasFlag(KpageFlags.CompoundHead) && head.HasFlag(KpageFlags.Thp)
            ? new FolioInfo(headPfn, SubPages, head)
            : At(headPfn);
    }

    /// <summary>Whether every subpage of a PMD-order folio is mapped exactly once; false when kpagecount is unreadable.</summary>
    public bool EveryPageMappedOnce(ulong headPfn) =>
        kpagecount is not null && kpagecount.MapcountRange(headPfn, scratch) == (1, 1);

    /// <summary>
    /// Whether every subpage of a folio is mapped somewhere, by any process; false when kpagecount is unreadable. Only
    /// a folio with a subpage mapped nowhere is "partially mapped" to the kernel.
    /// </summary>
    public bool EveryPageMapped(FolioInfo folio) =>
        kpagecount is not null && kpagecount.MapcountRange(folio.HeadPfn, scratch.AsSpan(0, folio.Pages)).Fewest >= 1;

    /// <summary>
    /// The large folios in a run of <paramref name="length"/> physically contiguous pages from <paramref name="pfn"/>,
    /// as (first page in the run, end in the run, folio). A run may be a single page: a mapped subpage between two
    /// unmapped ones is still part of its folio. When only PMD-sized anonymous folios exist, a long run is
    /// probed, not read whole: a PMD-sized folio is aligned to 512 PFNs, so one that lies inside the run has its head
    /// at a 512-aligned PFN, and one that sticks out holds the run's first or last page. Smaller file folios the probes
    /// pass over are ones the scan ignores anyway.
    /// </summary>
    public void FoliosInRun(ulong pfn, int length, List<(int Start, int End, FolioInfo Folio)> found)
    {
        found.Clear();
        // A run inside the window read last needs no read: the isolated subpages of a partially mapped THP come one
        // by one, each a run of its own, and all but the first find their folio there.
        bool cached = windowStart != ulong.MaxValue && pfn >= windowStart && pfn + (ulong)length <= windowStart + KpageflagsFile.Window;
        var flags = cached ? window.AsSpan((int)(pfn - windowStart), length) : scratch.AsSpan(0, length);
        bool probed = !cached && census.OnlyPmdSized && length > ProbedRunPages;
        if (!cached && length == 1 && aheadFlags.TryGetValue(pfn, out var ahead)) flags[0] = ahead;
        else if (!probed && !cached) kpageflags.ReadRange(pfn, flags);
        for (int k = 0; k < length;)
        {
            if (probed) kpageflags.ReadRange(pfn + (ulong)k, flags.Slice(k, 1));
            if (((KpageFlags)flags[k] & (KpageFlags.CompoundHead | KpageFlags.CompoundTail)) == 0 ||
                At(pfn + (ulong)k) is not { } folio)
            {
                k = probed ? NextProbe(pfn, k, length) : k + 1;
                continue;
            }
            // The run's PFNs are consecutive, so the folio's other pages in it follow at once: look it up once.
            int end = (int)Math.Min((ulong)length, folio.HeadPfn + (ulong)folio.Pages - pfn);
            found.Add((k, end, folio));
            k = end;
        }
    }

    /// <summary>
    /// Reads the flags of a chunk's lone pages (runs of one page) ahead, one read per cluster of nearby PFNs: a
    /// fragmented heap is mostly lone pages, and a read each would cost a system call per page. Sorted by PFN, pages of
    /// one chunk measured here fell into 42 % as many clusters as pages.
    /// </summary>
    public void ReadAhead(List<ulong> pfns)
    {
        aheadFlags.Clear();
        pfns.Sort();
        for (int i = 0; i < pfns.Count;)
        {
            int j = i + 1;
            while (j < pfns.Count && pfns[j] - pfns[j - 1] <= ReadAheadGap && pfns[j] - pfns[i] < SubPages) j++;
            var flags = scratch.AsSpan(0, (int)(pfns[j - 1] - pfns[i]) + 1);
            kpageflags.ReadRange(pfns[i], flags);
            for (int k = i; k < j; k++) aheadFlags[pfns[k]] = flags[(int)(pfns[k] - pfns[i])];
            i = j;
        }
    }

    /// <summary>After page <paramref name="k"/> of a probed run, the next page a PMD-sized folio would have to cover.</summary>
    internal static int NextProbe(ulong pfn, int k, int length)
    {
        if (k >= length - 1) return length;
        int aligned = (int)(((pfn + (ulong)k + SubPages) & ~(ulong)(SubPages - 1)) - pfn);
        return Math.Min(aligned, length - 1);
    }

    /// <summary>The folio holding a page, from the 512-PFN window around it, cached while pages stay in one window.</summary>
    FolioInfo? At(ulong pfn)
    {
        if (windowStart == ulong.MaxValue || pfn - windowStart >= KpageflagsFile.Window)
            windowStart = kpageflags.ReadWindow(pfn, window);
        return FolioInfo.Find(pfn, windowStart, window);
    }
}
