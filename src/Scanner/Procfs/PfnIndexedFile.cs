using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ThpTool.Scanner.Procfs;

/// <summary>
/// A /proc file with one 64-bit entry per page frame (kpageflags, kpagecount), readable only with CAP_SYS_ADMIN.
/// The kernel's cost is per PFN and a system call per page is not, so callers ask for ranges.
/// </summary>
public abstract class PfnIndexedFile : IDisposable
{
    readonly SafeFileHandle handle;

    protected PfnIndexedFile(SafeFileHandle handle) => this.handle = handle;

    /// <summary>Null when the file cannot be read (no CAP_SYS_ADMIN): the caller falls back to what needs no root.</summary>
    protected static SafeFileHandle? TryOpenHandle(string path)
    {
        try
        {
            var h = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            Span<byte> probe = stackalloc byte[8];
            if (RandomAccess.Read(h, probe, 0) == 8) return h;
            h.Dispose();
        }
        catch (UnauthorizedAccessException) { }
        catch (IOException) { }
        return null;
    }

    /// <summary>The entries of <paramref name="entries"/>.Length PFNs from <paramref name="pfn"/> on, in one read.</summary>
    public void ReadRange(ulong pfn, Span<ulong> entries)
    {
        var bytes = MemoryMarshal.AsBytes(entries);
        int n = RandomAccess.Read(handle, bytes, (long)pfn * sizeof(ulong));
        // Past the end of physical memory the file is short; what is missing is "no page".
        bytes[Math.Max(n, 0)..].Clear();
    }

    public void Dispose()
    {
        handle.Dispose();
        GC.SuppressFinalize(this);
    }
}
