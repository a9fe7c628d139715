using Microsoft.Win32.SafeHandles;

namespace ThpTool.Scanner.Procfs;

/// <summary>/proc/kpagecount (root only): how many page tables map each page frame.</summary>
public sealed class KpagecountFile : PfnIndexedFile
{
    public const string Path = "/proc/kpagecount";

    KpagecountFile(SafeFileHandle handle) : base(handle) { }

    public static KpagecountFile? TryOpen() => TryOpenHandle(Path) is { } h ? new KpagecountFile(h) : null;

    /// <summary>Whether every page of the folio is mapped exactly once, in one read of its PFNs into <paramref name="scratch"/>.</summary>
    public bool EveryPageMappedOnce(ulong headPfn, Span<ulong> scratch)
    {
        ReadRange(headPfn, scratch);
        foreach (var count in scratch)
            if (count != 1) return false;
        return true;
    }
}
