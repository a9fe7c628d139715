namespace ThpTool.Scanner.Cgroups;

/// <summary>Where the memory controller's hierarchy is mounted: a v1 "memory" cgroup, or the unified v2 tree.</summary>
public sealed record CgroupMount(string MountPoint, bool Unified)
{
    /// <summary>Prefers the v1 memory controller: on hybrid hosts the v2 mount carries no memory controller.</summary>
    public static CgroupMount? FromMountinfo(string mountinfo)
    {
        CgroupMount? unified = null;
        foreach (var line in mountinfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "36 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory": fields after " - " are
            // fstype, source, super options; the mount point is field 5 with octal escapes for spaces.
            int dash = line.IndexOf(" - ", StringComparison.Ordinal);
            if (dash < 0) continue;
            var fields = line[..dash].Split(' ');
            var tail = line[(dash + 3)..].Split(' ');
            if (fields.Length < 5 || tail.Length < 3) continue;
            var mountPoint = Unescape(fields[4]);
            if (tail[0] == "cgroup" && tail[2].Split(',').Contains("memory")) return new CgroupMount(mountPoint, false);
            if (tail[0] == "cgroup2") unified ??= new CgroupMount(mountPoint, true);
        }
        return unified;
    }

    public static CgroupMount? OfThisHost()
    {
        try { return FromMountinfo(File.ReadAllText("/proc/self/mountinfo")); }
        catch (IOException) { return null; }
    }

    static string Unescape(string field) => field.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\134", "\\");
}
