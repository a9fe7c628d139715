using ThpTool.Scanner.Memory;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Scanner.Scanning;

/// <summary>
/// The rule for THPs that processes of one scan share. A THP that forked processes share is one folio to the
/// shrinker, so it is counted (and read) once, in the first process met that maps it whole; a process that maps it
/// only in part, as after a forked child wrote into it, takes that whole count, because the folio stays whole and
/// is judged by the underused rule, not split as partially mapped.
/// </summary>
internal sealed class SharedThpRegistry
{
    /// <summary>The zero count of a THP whose contents a sampled scan did not read.</summary>
    public const int Unread = -1;

    readonly Dictionary<ulong, (int Pid, int ZeroSubpages)> seen = [];

    /// <summary>Only a THP that is not exclusive can be mapped by another process; a partially mapped one is no longer PMD-sized.</summary>
    static bool Shareable(ThpRecord thp) => !thp.Exclusive && thp.Mapping != ThpMapping.Partial;

    /// <summary>Whether another process of this scan already counted this THP: then reuse its count, don't read again.</summary>
    public bool TryCountedElsewhere(ThpRecord thp, out int pid, out int zeroSubpages)
    {
        if (Shareable(thp)) return TryGet(thp.Pfn, out pid, out zeroSubpages);
        pid = zeroSubpages = 0;
        return false;
    }

    /// <summary>
    /// Records a process's count of a THP (or <see cref="Unread"/>); only a count over the whole folio can stand for
    /// it, not one over the part this process maps while another maps the rest.
    /// </summary>
    public void Counted(ThpRecord thp, int pid, int zeroSubpages)
    {
        if (Shareable(thp) && thp.MappedSubpages == Geometry.SubpagesPerThp) Add(thp.Pfn, pid, zeroSubpages);
    }

    /// <summary>
    /// A THP registered <see cref="Unread"/> whose contents its process read after all (a sampled scan's top-up): the
    /// processes met later that share it take this count, not "unread".
    /// </summary>
    public void ReadLater(ThpRecord thp, int pid, int zeroSubpages)
    {
        if (thp.Pfn != 0 && seen.TryGetValue(thp.Pfn, out var entry) && entry == (pid, Unread)) seen[thp.Pfn] = (pid, zeroSubpages);
    }

    /// <summary>
    /// Whether a THP this process maps only in part by PTEs is mapped whole by another process of the scan, and so is
    /// counted there: that process and its zero count (or <see cref="Unread"/>).
    /// </summary>
    public bool TryWholeElsewhere(ThpRecord thp, int pid, out int wholeIn, out int zeroSubpages)
    {
        (wholeIn, zeroSubpages) = (0, 0);
        return thp.Mapping == ThpMapping.Pte && thp.MappedSubpages < Geometry.SubpagesPerThp && thp.CountedInPid is null &&
               TryGet(thp.Pfn, out wholeIn, out zeroSubpages) && wholeIn != pid;
    }

    bool TryGet(ulong pfn, out int pid, out int zeroSubpages)
    {
        if (pfn != 0 && seen.TryGetValue(pfn, out var hit))
        {
            (pid, zeroSubpages) = hit;
            return true;
        }
        pid = zeroSubpages = 0;
        return false;
    }

    void Add(ulong pfn, int pid, int zeroSubpages)
    {
        if (pfn != 0) seen.TryAdd(pfn, (pid, zeroSubpages));
    }
}
