using System.Runtime.InteropServices;

namespace ThpTool.Experiments.Interop;

internal static partial class Libc
{
    internal const int O_NONBLOCK = 0x800;
    internal const int O_CLOEXEC = 0x80000;
    /// <summary>Lets the kernel refuse kernel-mode faults instead of requiring vm.unprivileged_userfaultfd.</summary>
    internal const int UFFD_USER_MODE_ONLY = 1;

    // glibc has no userfaultfd() wrapper before 2.36, so go through syscall(2).
    static long SysUserfaultfd => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 323,
        Architecture.Arm64 => 282,
        var other => throw new PlatformNotSupportedException($"userfaultfd syscall number unknown on {other}"),
    };

    [LibraryImport(Name, EntryPoint = "syscall", SetLastError = true)]
    private static partial long SyscallNative(long number, long arg1);

    internal static UserfaultfdHandle Userfaultfd(int flags)
    {
        long fd = SyscallNative(SysUserfaultfd, flags);
        ThrowIfFailed(fd, "userfaultfd");
        return new UserfaultfdHandle((int)fd);
    }
}
