using System.Globalization;

namespace ThpTool.Scanner.Procfs;

/// <summary>Just enough of /proc/PID/stat to tell a live process from a dead one and from a reused pid.</summary>
internal static class ProcessStat
{
    /// <summary>Start time in clock ticks since boot, or null when the pid is gone or a zombie (nothing left to free).</summary>
    public static long? StartTimeIfAlive(int pid) =>
        LiveFields(pid) is { } fields ? long.Parse(fields[19], CultureInfo.InvariantCulture) : null;

    public static int? ParentIfAlive(int pid) =>
        LiveFields(pid) is { } fields ? int.Parse(fields[1], CultureInfo.InvariantCulture) : null;

    public static bool IsAlive(int pid) => LiveFields(pid) is not null;

    /// <summary>The fields after the command name, from the state on; null for a gone or zombie process.</summary>
    static string[]? LiveFields(int pid)
    {
        string text;
        try { text = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        var fields = ProcessInfo.StatFields(text);
        return fields[0] is "Z" or "X" ? null : fields;
    }
}
