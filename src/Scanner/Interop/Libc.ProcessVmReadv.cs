using System.Runtime.InteropServices;

namespace ThpTool.Scanner.Interop;

internal static partial class Libc
{
    [StructLayout(LayoutKind.Sequential)]
    internal struct Iovec
    {
        public nuint Base;
        public nuint Length;
    }

    /// <summary>Reads another process's memory; pins what it reads (see PagePinning in kernel-model.md).</summary>
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial nint process_vm_readv(int pid, Iovec* localIov, nuint localCount, Iovec* remoteIov, nuint remoteCount, nuint flags);
}
