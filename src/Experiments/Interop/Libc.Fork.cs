using System.Runtime.InteropServices;

namespace ThpTool.Experiments.Interop;

internal static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "fork", SetLastError = true)]
    private static partial int ForkNative();

    /// <summary>Returns 0 in the child and the child's pid in the parent.</summary>
    internal static int Fork()
    {
        int pid = ForkNative();
        ThrowIfFailed(pid, "fork");
        return pid;
    }
}
