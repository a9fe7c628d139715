using System.Runtime.InteropServices;

namespace ThpTool.Experiments.Interop;

internal static partial class Libc
{
    internal const int PROT_READ = 0x1;
    internal const int PROT_WRITE = 0x2;
    internal const int MAP_SHARED = 0x01;
    internal const int MAP_PRIVATE = 0x02;
    internal const int MAP_FIXED = 0x10;
    internal const int MAP_ANONYMOUS = 0x20;
    internal const int MAP_NORESERVE = 0x4000;
    internal static readonly nint MAP_FAILED = -1;

    [LibraryImport(Name, EntryPoint = "mmap", SetLastError = true)]
    private static partial nint MmapNative(nint addr, nuint length, int prot, int flags, int fd, nint offset);

    internal static nint Mmap(nint addr, nuint length, int prot, int flags, int fd, nint offset)
    {
        nint result = MmapNative(addr, length, prot, flags, fd, offset);
        if (result == MAP_FAILED)
            throw ErrnoException.FromLastError("mmap");
        return result;
    }
}
