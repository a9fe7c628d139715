using System.Runtime.InteropServices;

namespace ThpTool.Experiments.Interop;

internal static partial class Libc
{
    // getppid cannot fail; kept a plain DllImport so it can be bound before fork (see Libc.Pause.cs).
    [LibraryImport(Name, EntryPoint = "getppid")]
    internal static partial int Getppid();
}
