using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ThpTool.Common.Interop;

internal static partial class Libc
{
    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    internal static partial int Fsync(SafeFileHandle fd);
}
