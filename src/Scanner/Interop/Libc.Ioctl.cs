using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ThpTool.Scanner.Interop;

internal static partial class Libc
{
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int ioctl(SafeFileHandle fd, nuint request, void* argument);
}
