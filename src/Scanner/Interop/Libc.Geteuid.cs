using System.Runtime.InteropServices;

namespace ThpTool.Scanner.Interop;

internal static partial class Libc
{
    [LibraryImport("libc", EntryPoint = "geteuid")]
    internal static partial uint Geteuid();
}
