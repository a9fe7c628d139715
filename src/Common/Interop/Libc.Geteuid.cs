using System.Runtime.InteropServices;

namespace ThpTool.Common.Interop;

internal static partial class Libc
{
    [LibraryImport("libc", EntryPoint = "geteuid")]
    internal static partial uint Geteuid();
}
