using System.Globalization;

namespace ThpTool.Experiments;

/// <summary>
/// Processes that hold THPs now. A shrinker pass takes every THP it looks at off the queue, theirs
/// included, so running one changes what the shrinker will later do for them.
/// </summary>
public static class OtherThpUsers
{
    public static IReadOnlyList<OtherThpUser> Find()
    {
        var users = new List<OtherThpUser>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
                continue;
            try
            {
                long kb = AnonHugePagesKb(File.ReadAllText(Path.Combine(dir, "smaps_rollup")));
                if (kb > 0)
                    users.Add(new OtherThpUser(pid, File.ReadAllText(Path.Combine(dir, "comm")).Trim(), kb));
            }
            // Processes come and go while the list is read, and kernel threads have no memory to report.
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return users;
    }

    internal static long AnonHugePagesKb(string smapsRollup)
    {
        foreach (var line in smapsRollup.Split('\n'))
            if (line.StartsWith("AnonHugePages:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return 0;
    }
}
