using System.Runtime.InteropServices;

namespace ThpTool.Experiments.Interop;

internal static partial class Libc
{
    /// <summary>Scanner's one ioctl import, with a failure turned into an exception as every Experiments call does.</summary>
    internal static unsafe void Ioctl(SafeHandle fd, nuint request, void* arg, string name) =>
        ThrowIfFailed(Scanner.Interop.Libc.ioctl(fd, request, arg), $"ioctl({name})");
}
