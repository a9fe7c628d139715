using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ThpTool.Scanner.Procfs;

/// <summary>/proc/kpageflags (root only), read a 512-PFN window at a time: a PMD-order folio is naturally aligned in PFN space, so one window holds all of it.</summary>
public sealed class KpageflagsFile : IDisposable
{
    public const string Path = "/proc/kpageflags";
    public const int Window = 512;
    readonly SafeFileHandle handle;

    KpageflagsFile(SafeFileHandle handle) => this.handle = handle;

    /// <summary>Null when the file cannot be read (no CAP_SYS_ADMIN): the caller falls back to PAGEMAP_SCAN only.</summary>
    public static KpageflagsFile? TryOpen()
    {
        try
        {
            var h = File.OpenHandle(Path, FileMode.Open, FileAccess.Read);
            Span<byte> probe = stackalloc byte[8];
            if (RandomAccess.Read(h, probe, 0) == 8) return new KpageflagsFile(h);
            h.Dispose();
        }
        catch (UnauthorizedAccessException) { }
        catch (IOException) { }
        return null;
    }

    /// <summary>Reads the flags of the 512-aligned window holding <paramref name="pfn"/>; returns the window's first PFN.</summary>
    public ulong ReadWindow(ulong pfn, Span<ulong> flags)
    {
        ulong first = pfn & ~(ulong)(Window - 1);
        var bytes = MemoryMarshal.AsBytes(flags[..Window]);
        int n = RandomAccess.Read(handle, bytes, (long)first * sizeof(ulong));
        // Past the end of physical memory the file is short; what is missing is "no page".
        bytes[Math.Max(n, 0)..].Clear();
        return first;
    }

    /// <summary>
    /// The flags of <paramref name="flags"/>.Length PFNs from <paramref name="pfn"/> on, in one read: a run of physically
    /// contiguous pages is asked about at once, because the kernel's cost is per PFN and a syscall per page is not.
    /// </summary>
    public void ReadRange(ulong pfn, Span<ulong> flags)
    {
        var bytes = MemoryMarshal.AsBytes(flags);
        int n = RandomAccess.Read(handle, bytes, (long)pfn * sizeof(ulong));
        bytes[Math.Max(n, 0)..].Clear();
    }

    public void Dispose() => handle.Dispose();
}
