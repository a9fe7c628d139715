using Microsoft.Win32.SafeHandles;

namespace ThpTool.Scanner.Procfs;

/// <summary>/proc/kpagecount (root only): how many page tables map each page frame.</summary>
public sealed class KpagecountFile : PfnIndexedFile
{
    public const string Path = "/proc/kpagecount";

    KpagecountFile(SafeFileHandle handle) : base(handle) { }

    public static KpagecountFile? TryOpen() => TryOpenHandle(Path) is { } h ? new KpagecountFile(h) : null;

    /// <summary>The fewest and most page tables mapping any page of the folio, in one read of its PFNs into <paramref name="scratch"/>.</summary>
    public (ulong Fewest, ulong Most) MapcountRange(ulong headPfn, Span<ulong> scratch)
    {
        ReadRange(headPfn, scratch);
        ulong fewest = ulong.MaxValue, most = 0;
        foreach (var count in scratch)
            (fewest, most) = (Math.Min(fewest, count), Math.Max(most, count));
        return (fewest, most);
    }
}
