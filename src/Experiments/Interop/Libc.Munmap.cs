using System.Runtime.InteropServices;

namespace ThpTool.Experiments.Interop;

internal static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "munmap", SetLastError = true)]
    private static partial int MunmapNative(nint addr, nuint length);

    internal static void Munmap(nint addr, nuint length) => ThrowIfFailed(MunmapNative(addr, length), "munmap");
}
