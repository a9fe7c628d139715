using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ThpTool.Common.Interop;

internal static partial class Libc
{
    [LibraryImport("libc", EntryPoint = "fchown", SetLastError = true)]
    internal static partial int Fchown(SafeFileHandle fd, uint owner, uint group);
}
