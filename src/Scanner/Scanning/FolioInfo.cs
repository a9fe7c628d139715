using ThpTool.Scanner.Memory;
using ThpTool.Scanner.Procfs;

namespace ThpTool.Scanner.Scanning;

/// <summary>A large folio as kpageflags describes it: where it starts, how big it is, what it holds.</summary>
internal readonly record struct FolioInfo(ulong HeadPfn, int Pages, KpageFlags HeadFlags)
{
    public bool Anonymous => HeadFlags.HasFlag(KpageFlags.Anon);
    public bool ZeroPage => HeadFlags.HasFlag(KpageFlags.ZeroPage);
    public bool Mlocked => HeadFlags.HasFlag(KpageFlags.Mlocked);
    public bool PmdOrder => Pages == Geometry.SubpagesPerThp;

    /// <summary>
    /// The folio holding <paramref name="pfn"/>, from the 512-entry window that contains it, or null for a small page.
    /// Folios up to PMD order are naturally aligned, so head and tails are all in that window.
    /// </summary>
    public static FolioInfo? Find(ulong pfn, ulong windowStart, ReadOnlySpan<ulong> window)
    {
        int at = (int)(pfn - windowStart);
        var flags = (KpageFlags)window[at];
        if (!flags.HasFlag(KpageFlags.CompoundHead) && !flags.HasFlag(KpageFlags.CompoundTail))
            return null;
        int head = at;
        while (head > 0 && ((KpageFlags)window[head]).HasFlag(KpageFlags.CompoundTail)) head--;
        var headFlags = (KpageFlags)window[head];
        if (!headFlags.HasFlag(KpageFlags.CompoundHead) || !headFlags.HasFlag(KpageFlags.Thp))
            return null;
        int end = head + 1;
        while (end < window.Length && ((KpageFlags)window[end]).HasFlag(KpageFlags.CompoundTail)) end++;
        return new FolioInfo(windowStart + (ulong)head, end - head, headFlags);
    }
}
