using ThpTool.Common.Interop;
using System.Runtime.InteropServices;

namespace ThpTool.Experiments.Interop;

internal static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitpidNative(int pid, out int status, int options);

    /// <summary>Reaps <paramref name="pid"/>; tolerates the runtime having reaped it first (ECHILD).</summary>
    internal static void Reap(int pid)
    {
        while (true)
        {
            if (WaitpidNative(pid, out _, 0) != -1)
                return;
            int errno = Marshal.GetLastPInvokeError();
            if (errno == Errno.ECHILD)
                return;
            if (errno != Errno.EINTR)
                throw new ErrnoException("waitpid", errno);
        }
    }
}
