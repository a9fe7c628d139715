using System.Runtime.InteropServices;

namespace ThpTool.Experiments.Interop;

internal static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "mlock", SetLastError = true)]
    private static partial int MlockNative(nint addr, nuint length);

    internal static void Mlock(nint addr, nuint length) => ThrowIfFailed(MlockNative(addr, length), "mlock");
}
