using System.Globalization;
using ThpTool.Common.Errors;

namespace ThpTool.Scanner.Procfs;

/// <summary>Who a pid is, and whether it has user memory at all.</summary>
public sealed record ProcessInfo(int Pid, string Comm, string Cmdline)
{
    const uint PfKthread = 0x00200000;

    /// <summary>Fails with a user error for a pid that does not exist or is a kernel thread.</summary>
    public static ProcessInfo Read(int pid)
    {
        if (pid <= 0)
            throw new UserError(ExitCode.Usage, $"{pid} is not a valid pid");
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException { HResult: 3 })
        {
            throw new UserError(ExitCode.NoSuchProcess, $"no process with pid {pid}");
        }
        int open = stat.IndexOf('('), close = stat.LastIndexOf(')');
        var comm = open >= 0 && close > open ? stat[(open + 1)..close] : "?";
        var fields = StatFields(stat);
        // fields[0] is state (field 3); flags is field 9.
        if (fields.Length > 6 && uint.TryParse(fields[6], NumberStyles.Integer, CultureInfo.InvariantCulture, out var flags) &&
            (flags & PfKthread) != 0)
            throw new UserError(ExitCode.KernelThread, $"pid {pid} ({comm}) is a kernel thread: it has no user memory to scan");
        return new ProcessInfo(pid, comm, ReadCmdline(pid));
    }

    static string ReadCmdline(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim(); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }

    /// <summary>
    /// The fields of /proc/PID/stat after the command name, from the state (field 3) on. The name sits in parentheses
    /// and may itself contain spaces or ')', so the fields resume after the last ')'.
    /// </summary>
    public static string[] StatFields(string stat) => stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

    public static bool Exists(int pid) => Directory.Exists($"/proc/{pid}");
}
