namespace ThpTool.Scanner.Scanning;

/// <summary>
/// Physical THPs already counted in this scan, by head PFN: a THP that forked processes share is one folio to the
/// shrinker, so it is counted (and read) once.
/// </summary>
internal sealed class SharedThpRegistry
{
    /// <summary>The zero count of a THP whose contents a sampled scan did not read.</summary>
    public const int Unread = -1;

    readonly Dictionary<ulong, (int Pid, int ZeroSubpages)> seen = [];

    public bool TryGet(ulong pfn, out int pid, out int zeroSubpages)
    {
        if (pfn != 0 && seen.TryGetValue(pfn, out var hit))
        {
            (pid, zeroSubpages) = hit;
            return true;
        }
        pid = zeroSubpages = 0;
        return false;
    }

    public void Add(ulong pfn, int pid, int zeroSubpages)
    {
        if (pfn != 0) seen.TryAdd(pfn, (pid, zeroSubpages));
    }
}
