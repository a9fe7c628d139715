using ThpTool.Scanner.Memory;
using ThpTool.Scanner.Procfs;

namespace ThpTool.Tests.Support;

/// <summary>One anonymous large folio as a process's region maps it, page by page.</summary>
public sealed record TrueFolio(ulong HeadPfn, int Pages, IReadOnlyList<ulong> Mapped, IReadOnlyList<ulong> ZeroMapped, bool PartiallyMapped)
{
    public override string ToString() =>
        $"folio {HeadPfn:x} ({Pages} pages): {Mapped.Count} mapped here, {ZeroMapped.Count} of them zero{(PartiallyMapped ? ", partially mapped" : "")}; " +
        $"mapped subpages {Subpages(Mapped)}, zero {Subpages(ZeroMapped)}";

    /// <summary>Virtual pages as offsets in the folio's 2 MiB slot, in compressed runs: "0-9,11,13-511".</summary>
    static string Subpages(IReadOnlyList<ulong> addresses)
    {
        var runs = new List<string>();
        var pages = addresses.Select(a => (int)(a / Geometry.PageSize % Geometry.SubpagesPerThp)).Order().ToList();
        for (int i = 0; i < pages.Count;)
        {
            int end = i + 1;
            while (end < pages.Count && pages[end] == pages[end - 1] + 1) end++;
            runs.Add(end - i == 1 ? $"{pages[i]}" : $"{pages[i]}-{pages[end - 1]}");
            i = end;
        }
        return string.Join(',', runs);
    }
}

/// <summary>
/// The truth a scan is checked against, read without any of the scanner's shortcuts: every page's pagemap entry,
/// every PFN's kpageflags and kpagecount one by one, every mapped page's contents through /proc/PID/mem (which does
/// not pin, so it cannot unshare anything).
/// </summary>
public static class FolioTruth
{
    public static Dictionary<ulong, TrueFolio> Read(int pid, ulong address, ulong size)
    {
        using var kpageflags = KpageflagsFile.TryOpen() ?? throw new InvalidOperationException($"cannot read {KpageflagsFile.Path} as root");
        using var kpagecount = KpagecountFile.TryOpen() ?? throw new InvalidOperationException($"cannot read {KpagecountFile.Path} as root");
        using var mem = File.OpenHandle($"/proc/{pid}/mem");
        var entries = new ulong[size / Geometry.PageSize];
        using (var pagemap = PagemapFile.Open(pid))
            pagemap.Read(address, entries);

        var folios = new Dictionary<ulong, (int Pages, List<ulong> Mapped, List<ulong> Zero)>();
        var page = new byte[Geometry.PageSize];
        // Folios up to PMD order are naturally aligned: each lies in one 512-PFN window. Found ones are remembered there,
        // so the walk to a head is made once per folio.
        var known = new Dictionary<ulong, List<(ulong Head, int Pages)>>();
        for (int i = 0; i < entries.Length; i++)
        {
            var entry = new PagemapEntry(entries[i]);
            if (!entry.Present || entry.Pfn == 0 || FolioOf(kpageflags, entry.Pfn, known) is not { } folio) continue;
            ulong at = address + (ulong)i * Geometry.PageSize;
            if (!folios.TryGetValue(folio.Head, out var found))
                folios[folio.Head] = found = (folio.Pages, [], []);
            found.Mapped.Add(at);
            RandomAccess.Read(mem, page, (long)at);
            if (!page.AsSpan().ContainsAnyExcept((byte)0)) found.Zero.Add(at);
        }
        return folios.ToDictionary(f => f.Key, f => new TrueFolio(f.Key, f.Value.Pages, f.Value.Mapped, f.Value.Zero,
            Enumerable.Range(0, f.Value.Pages).Any(k => Read(kpagecount, f.Key + (ulong)k) == 0)));
    }

    /// <summary>The anonymous large folio holding a page: walk back to its head, forward past its tails.</summary>
    static (ulong Head, int Pages)? FolioOf(KpageflagsFile kpageflags, ulong pfn, Dictionary<ulong, List<(ulong Head, int Pages)>> known)
    {
        if (known.TryGetValue(pfn / Geometry.SubpagesPerThp, out var inWindow))
            foreach (var f in inWindow)
                if (pfn >= f.Head && pfn < f.Head + (ulong)f.Pages) return f;
        var flags = (KpageFlags)Read(kpageflags, pfn);
        if ((flags & (KpageFlags.CompoundHead | KpageFlags.CompoundTail)) == 0) return null;
        ulong head = pfn;
        while (((KpageFlags)Read(kpageflags, head)).HasFlag(KpageFlags.CompoundTail)) head--;
        var headFlags = (KpageFlags)Read(kpageflags, head);
        if (!headFlags.HasFlag(KpageFlags.Anon) || !headFlags.HasFlag(KpageFlags.Thp) || headFlags.HasFlag(KpageFlags.ZeroPage)) return null;
        int pages = 1;
        while (((KpageFlags)Read(kpageflags, head + (ulong)pages)).HasFlag(KpageFlags.CompoundTail)) pages++;
        if (!known.TryGetValue(head / Geometry.SubpagesPerThp, out inWindow))
            known[head / Geometry.SubpagesPerThp] = inWindow = [];
        inWindow.Add((head, pages));
        return (head, pages);
    }

    static ulong Read(PfnIndexedFile file, ulong pfn)
    {
        Span<ulong> one = stackalloc ulong[1];
        file.ReadRange(pfn, one);
        return one[0];
    }
}
