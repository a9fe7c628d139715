using ThpTool.Scanner.Memory;
using ThpTool.Scanner.Procfs;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Scanner.Scanning;

/// <summary>Accumulates one VMA's findings across its chunks.</summary>
internal sealed class VmaResult(SmapsVma vma, bool collapseEligible)
{
    readonly HashSet<ulong> countedHeads = [];
    readonly Dictionary<ulong, (FolioInfo Folio, List<(ulong Address, bool Exclusive)> Pages)> openFolios = [];

    public bool CollapseEligible { get; } = collapseEligible;
    public List<ThpRecord> Thps { get; } = [];
    public List<CollapseRange> CollapseRanges { get; } = [];
    public List<MthpRecord> PartialMthps { get; } = [];
    public Dictionary<int, int> MthpsByKb { get; } = [];
    public int FileOrShmemThps { get; set; }
    public int HugeZeroPages { get; set; }
    public int Mthps { get; private set; }
    public long MthpBytes { get; private set; }

    /// <summary>A PTE-mapped folio can show up in two blocks; count it once.</summary>
    public void CountMthp(FolioInfo folio)
    {
        if (!countedHeads.Add(folio.HeadPfn)) return;
        Mthps++;
        MthpBytes += (long)folio.Pages * Geometry.PageSize;
        int kb = folio.Pages * 4;
        MthpsByKb[kb] = MthpsByKb.GetValueOrDefault(kb) + 1;
    }

    public bool CountFileThp(ulong head) => countedHeads.Add(head);

    /// <summary>The mapped pages gathered so far of a PTE-mapped anonymous large folio (PMD-order or mTHP).</summary>
    public List<(ulong Address, bool Exclusive)> OpenFolio(FolioInfo folio)
    {
        if (!openFolios.TryGetValue(folio.HeadPfn, out var open))
            openFolios[folio.HeadPfn] = open = (folio, []);
        return open.Pages;
    }

    /// <summary>Removes and returns the open folios: those with every page gathered, or with <paramref name="all"/> every one.</summary>
    public List<(FolioInfo Folio, List<(ulong Address, bool Exclusive)> Pages)> TakeOpenFolios(bool all)
    {
        var taken = openFolios.Values.Where(f => all || f.Pages.Count >= f.Folio.Pages).ToList();
        foreach (var f in taken) openFolios.Remove(f.Folio.HeadPfn);
        return taken;
    }

    public bool HoldsAnything =>
        Thps.Count > 0 || CollapseRanges.Count > 0 || PartialMthps.Count > 0 || FileOrShmemThps > 0 || HugeZeroPages > 0 || Mthps > 0 || vma.AnonHugePagesKb > 0;

    public VmaScan ToVmaScan() => new()
    {
        Start = vma.Start,
        End = vma.End,
        Perms = vma.Perms,
        Path = vma.Path,
        Flags = vma.Flags,
        RssKb = vma.RssKb,
        AnonHugePagesKb = vma.AnonHugePagesKb,
        Thps = Thps,
        CollapseRanges = CollapseRanges,
        PartialMthps = PartialMthps,
        Others = new OtherFolios
        {
            FileOrShmemThps = FileOrShmemThps, HugeZeroPages = HugeZeroPages, Mthps = Mthps, MthpBytes = MthpBytes, MthpsByKb = MthpsByKb,
        },
    };
}
