using System.Text;

namespace ThpTool.Scanner.Cgroups;

/// <summary>Where the memory controller's hierarchy is mounted: a v1 "memory" cgroup, or the unified v2 tree.</summary>
public sealed record CgroupMount(string MountPoint, bool Unified)
{
    public const string MountinfoPath = "/proc/self/mountinfo";

    /// <summary>
    /// A v1 memory hierarchy wins: while it exists the controller cannot be on v2 (a hybrid host mounts v2 too,
    /// without it). A v2 hierarchy counts only if its root lets children use the memory controller, which
    /// <paramref name="delegatesMemory"/> decides (by default: the root's cgroup.subtree_control names it).
    /// </summary>
    public static CgroupMount? FromMountinfo(string mountinfo, Func<string, bool>? delegatesMemory = null)
    {
        delegatesMemory ??= DelegatesMemory;
        CgroupMount? unified = null;
        foreach (var line in mountinfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "36 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory": fields after " - " are
            // fstype, source, super options; the mount point is field 5.
            int dash = line.IndexOf(" - ", StringComparison.Ordinal);
            if (dash < 0) continue;
            var fields = line[..dash].Split(' ');
            var tail = line[(dash + 3)..].Split(' ');
            if (fields.Length < 5 || tail.Length < 3) continue;
            var mountPoint = Unescape(fields[4]);
            if (tail[0] == "cgroup" && tail[2].Split(',').Contains("memory")) return new CgroupMount(mountPoint, false);
            if (tail[0] == "cgroup2" && unified is null && delegatesMemory(mountPoint)) unified = new CgroupMount(mountPoint, true);
        }
        return unified;
    }

    /// <summary>This host's memory controller; null when none is mounted or the mount table cannot be read.</summary>
    public static CgroupMount? OfThisHost(string mountinfoPath = MountinfoPath)
    {
        try { return FromMountinfo(File.ReadAllText(mountinfoPath)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    static bool DelegatesMemory(string root)
    {
        try { return File.ReadAllText(Path.Combine(root, "cgroup.subtree_control")).Split().Contains("memory"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>
    /// The kernel writes space, tab, newline and backslash in mount points as a backslash and three octal digits
    /// (fs/proc_namespace.c, mangle()); anything else is taken as it stands.
    /// </summary>
    internal static string Unescape(string field)
    {
        if (!field.Contains('\\')) return field;
        var text = new StringBuilder(field.Length);
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                text.Append((char)((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 + (field[i + 3] - '0')));
                i += 3;
            }
            else text.Append(field[i]);
        }
        return text.ToString();
    }

    static bool IsOctal(string s, int at) =>
        at + 2 < s.Length && s[at] is >= '0' and <= '3' && s[at + 1] is >= '0' and <= '7' && s[at + 2] is >= '0' and <= '7';
}
