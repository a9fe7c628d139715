using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ThpTool.Common.Interop;

internal static partial class Libc
{
    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    internal static partial int Fchmod(SafeFileHandle fd, uint mode);
}
