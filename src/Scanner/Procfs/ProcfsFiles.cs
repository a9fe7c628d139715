using Microsoft.Win32.SafeHandles;
using ThpTool.Common.Errors;
using ThpTool.Common.Interop;

namespace ThpTool.Scanner.Procfs;

/// <summary>Opens per-process procfs files, turning errno into what the user must do about it.</summary>
internal static class ProcfsFiles
{
    public static SafeFileHandle OpenForPid(int pid, string name)
    {
        try
        {
            return File.OpenHandle($"/proc/{pid}/{name}", FileMode.Open, FileAccess.Read);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ProcessGoneError(pid);
        }
        catch (UnauthorizedAccessException)
        {
            throw NoPtraceAccess(pid);
        }
        catch (IOException e)
        {
            // ESRCH: the process exited after its directory was looked up (seen in --all scans).
            throw ReadFailure(pid, name, e);
        }
    }

    public static UserError NoPtraceAccess(int pid) => new(ExitCode.PermissionDenied,
        $"no access to pid {pid}'s memory: it needs ptrace access (run as the same user, or with CAP_SYS_PTRACE, e.g. as root)");

    /// <summary>Maps the errno of a failed read of a per-process file.</summary>
    public static Exception ReadFailure(int pid, string name, IOException e) => e.HResult switch
    {
        Errno.ESRCH or Errno.ENOENT => new ProcessGoneError(pid),
        Errno.EPERM or Errno.EACCES => NoPtraceAccess(pid),
        _ => new UserError(ExitCode.IoError, $"reading /proc/{pid}/{name} failed: {e.Message}"),
    };
}

/// <summary>The process exited (or its memory went away) between two reads.</summary>
public sealed class ProcessGoneError(int pid)
    : UserError(ExitCode.NoSuchProcess, $"pid {pid} exited during the scan")
{
    public int Pid { get; } = pid;
}
