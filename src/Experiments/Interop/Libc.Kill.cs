using ThpTool.Common.Interop;
using System.Runtime.InteropServices;

namespace ThpTool.Experiments.Interop;

internal static partial class Libc
{
    internal const int SIGKILL = 9;

    [LibraryImport(Name, EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    /// <summary>False when the process is already gone (ESRCH); other failures throw.</summary>
    internal static bool Kill(int pid, int signal)
    {
        if (KillNative(pid, signal) == 0)
            return true;
        int errno = Marshal.GetLastPInvokeError();
        if (errno == Errno.ESRCH)
            return false;
        throw new ErrnoException("kill", errno);
    }
}
