using System.Runtime.InteropServices;

namespace ThpTool.Experiments.Interop;

internal static partial class Libc
{
    internal const int MADV_DONTNEED = 4;
    internal const int MADV_FREE = 8;
    internal const int MADV_HUGEPAGE = 14;
    internal const int MADV_NOHUGEPAGE = 15;

    [LibraryImport(Name, EntryPoint = "madvise", SetLastError = true)]
    private static partial int MadviseNative(nint addr, nuint length, int advice);

    internal static void Madvise(nint addr, nuint length, int advice) =>
        ThrowIfFailed(MadviseNative(addr, length, advice), "madvise");
}
