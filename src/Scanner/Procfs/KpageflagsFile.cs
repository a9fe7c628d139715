using Microsoft.Win32.SafeHandles;
using ThpTool.Scanner.Memory;

namespace ThpTool.Scanner.Procfs;

/// <summary>/proc/kpageflags (root only): a PMD-order folio is naturally aligned in PFN space, so one 512-PFN window holds all of it.</summary>
public sealed class KpageflagsFile : PfnIndexedFile
{
    public const string Path = "/proc/kpageflags";
    public const int Window = Geometry.SubpagesPerThp;

    KpageflagsFile(SafeFileHandle handle) : base(handle) { }

    public static KpageflagsFile? TryOpen() => TryOpenHandle(Path) is { } h ? new KpageflagsFile(h) : null;

    /// <summary>Reads the flags of the 512-aligned window holding <paramref name="pfn"/>; returns the window's first PFN.</summary>
    public ulong ReadWindow(ulong pfn, Span<ulong> flags)
    {
        ulong first = pfn & ~(ulong)(Window - 1);
        ReadRange(first, flags[..Window]);
        return first;
    }
}
