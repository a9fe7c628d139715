using System.Globalization;

namespace ThpTool.Lab;

/// <summary>Just enough of /proc/PID/stat to tell a live process from a dead one and from a reused pid.</summary>
internal static class ProcessStat
{
    /// <summary>Start time in clock ticks since boot, or null when the pid is gone or a zombie (nothing left to free).</summary>
    public static long? StartTimeIfAlive(int pid)
    {
        string text;
        try { text = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        // The command name is in parentheses and may contain spaces; fields resume after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        if (fields[0] is "Z" or "X")
            return null;
        return long.Parse(fields[19], CultureInfo.InvariantCulture);
    }

    public static bool IsAlive(int pid) => StartTimeIfAlive(pid) is not null;
}
