using System.Runtime.InteropServices;

namespace ThpTool.Experiments.Interop;

internal static partial class Libc
{
    internal const int MREMAP_MAYMOVE = 1;
    internal const int MREMAP_FIXED = 2;

    [LibraryImport(Name, EntryPoint = "mremap", SetLastError = true)]
    private static partial nint MremapNative(nint oldAddress, nuint oldSize, nuint newSize, int flags, nint newAddress);

    internal static nint Mremap(nint oldAddress, nuint oldSize, nuint newSize, int flags, nint newAddress)
    {
        nint result = MremapNative(oldAddress, oldSize, newSize, flags, newAddress);
        if (result == MAP_FAILED)
            throw ErrnoException.FromLastError("mremap");
        return result;
    }
}
