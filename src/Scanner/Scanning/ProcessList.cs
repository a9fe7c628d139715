using System.Globalization;

namespace ThpTool.Scanner.Scanning;

/// <summary>The pids of a whole host.</summary>
public static class ProcessList
{
    /// <summary>Every process but this one: scanning the scanner measures its own buffers.</summary>
    public static IReadOnlyList<int> All(string proc = "/proc") =>
        Directory.EnumerateDirectories(proc)
            .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0 && pid != Environment.ProcessId)
            .Order()
            .ToArray();
}
