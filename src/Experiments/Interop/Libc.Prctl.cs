using System.Runtime.InteropServices;

namespace ThpTool.Experiments.Interop;

internal static partial class Libc
{
    internal const int PR_SET_PDEATHSIG = 1;
    internal const int PR_GET_PDEATHSIG = 2;
    internal const int PR_SET_THP_DISABLE = 41;

    // prctl is variadic in C; on the Linux x86-64 and arm64 ABIs passing every argument as a full
    // register matches what the kernel reads.
    [LibraryImport(Name, EntryPoint = "prctl", SetLastError = true)]
    private static partial int PrctlNative(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    internal static void Prctl(int option, nuint arg2) => ThrowIfFailed(TryPrctl(option, arg2), "prctl");

    /// <summary>For the forked child, which has nobody to throw to.</summary>
    internal static int TryPrctl(int option, nuint arg2) => PrctlNative(option, arg2, 0, 0, 0);
}
