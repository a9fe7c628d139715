using System.Runtime.InteropServices;

namespace ThpTool.Scanner.Interop;

internal static partial class Libc
{
    // ioctl is variadic in C; one pointer argument is passed in the same register either way.
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int ioctl(SafeHandle fd, nuint request, void* argument);
}
