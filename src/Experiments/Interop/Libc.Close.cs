using System.Runtime.InteropServices;

namespace ThpTool.Experiments.Interop;

internal static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);
}
