using System.Runtime.InteropServices;

namespace ThpTool.Lab.Interop;

internal static partial class Libc
{
    // ioctl is variadic in C; one pointer argument is passed in the same register either way.
    [LibraryImport(Name, EntryPoint = "ioctl", SetLastError = true)]
    private static unsafe partial int IoctlNative(SafeHandle fd, nuint request, void* arg);

    internal static unsafe void Ioctl(SafeHandle fd, nuint request, void* arg, string name) =>
        ThrowIfFailed(IoctlNative(fd, request, arg), $"ioctl({name})");
}
