using ThpTool.Scanner.Errors;

namespace ThpTool.Lab.Cgroups;

/// <summary>Finds the memory controller from the mount table, whichever cgroup version provides it.</summary>
public static class CgroupMounts
{
    public const string MountInfo = "/proc/self/mountinfo";

    public static IMemoryController FindMemoryController(string mountInfo = MountInfo)
    {
        string text;
        try { text = File.ReadAllText(mountInfo); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError(ExitCode.Unsupported, $"cannot read {mountInfo}: {e.Message}");
        }
        return Choose(text) ?? throw new UserError(ExitCode.Unsupported,
            "no memory cgroup controller is mounted (neither a v1 'memory' hierarchy nor a v2 hierarchy with the memory controller enabled)");
    }

    /// <summary>
    /// A v1 memory hierarchy wins: while it exists the controller cannot be on v2 (a hybrid host mounts v2
    /// too, without it). A v2 hierarchy counts only if its root lets children use the memory controller.
    /// </summary>
    internal static IMemoryController? Choose(string mountInfo)
    {
        IMemoryController? v2 = null;
        foreach (var line in mountInfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "36 35 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory"
            var halves = line.Split(" - ", 2);
            if (halves.Length < 2)
                continue;
            var mount = halves[0].Split(' ');
            var fs = halves[1].Split(' ');
            if (mount.Length < 5 || fs.Length < 3)
                continue;
            var mountPoint = Unescape(mount[4]);
            if (fs[0] == "cgroup" && fs[2].Split(',').Contains("memory"))
                return new CgroupV1Memory(mountPoint);
            if (fs[0] == "cgroup2" && v2 is null && DelegatesMemory(mountPoint))
                v2 = new CgroupV2Memory(mountPoint);
        }
        return v2;
    }

    static bool DelegatesMemory(string root)
    {
        try { return File.ReadAllText(Path.Combine(root, "cgroup.subtree_control")).Split().Contains("memory"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>mountinfo writes space, tab, newline and backslash as octal escapes.</summary>
    static string Unescape(string field) =>
        field.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\");
}
