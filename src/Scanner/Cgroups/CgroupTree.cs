using System.Globalization;
using ThpTool.Common.Errors;

namespace ThpTool.Scanner.Cgroups;

/// <summary>The processes of a cgroup subtree, and which cgroup a process is in.</summary>
public static class CgroupTree
{
    /// <summary>
    /// An absolute path that is a cgroup directory is taken as it is; anything else is relative to the memory
    /// controller's mount, so "/system.slice/x.service" as /proc/PID/cgroup prints it works too. A cgroup directory
    /// is one on a cgroup file system, not any directory holding a file named cgroup.procs, and not a link.
    /// </summary>
    public static string Resolve(string path, CgroupMount? mount) => Resolve(path, mount, CgroupFs.Holds);

    /// <summary><paramref name="onCgroupFs"/> tells a cgroup file system; tests of the path rules pass fake trees.</summary>
    internal static string Resolve(string path, CgroupMount? mount, Func<string, bool> onCgroupFs)
    {
        if (Path.IsPathRooted(path) && File.Exists(Path.Combine(path, "cgroup.procs")))
            return Checked(Path.GetFullPath(path), path, onCgroupFs);
        if (mount is null)
            throw new UserError(ExitCode.Unsupported, $"--cgroup {path}: no cgroup memory controller is mounted (see /proc/self/mountinfo)");
        var under = Path.GetFullPath(Path.Combine(mount.MountPoint, path.TrimStart('/')));
        if (!under.StartsWith(Path.GetFullPath(mount.MountPoint), StringComparison.Ordinal) || !File.Exists(Path.Combine(under, "cgroup.procs")))
            throw new UserError(ExitCode.Usage, $"--cgroup {path}: no such cgroup (looked for {under}/cgroup.procs)");
        return Checked(under, path, onCgroupFs);
    }

    static string Checked(string directory, string given, Func<string, bool> onCgroupFs)
    {
        if (new DirectoryInfo(directory).LinkTarget is not null)
            throw new UserError(ExitCode.Usage, $"--cgroup {given}: {directory} is a symbolic link; give the cgroup directory itself");
        if (!onCgroupFs(directory))
            throw new UserError(ExitCode.Usage, $"--cgroup {given}: {directory} is not on a cgroup file system");
        return directory;
    }

    /// <summary>
    /// Every pid in the cgroup and its descendants, each once; cgroups removed while walking are passed over. Links
    /// are not followed and only cgroup file system directories entered, so the walk ends whatever the tree holds.
    /// </summary>
    public static IReadOnlyList<int> Pids(string directory) => Pids(directory, CgroupFs.Holds);

    internal static IReadOnlyList<int> Pids(string directory, Func<string, bool> onCgroupFs)
    {
        var pids = new SortedSet<int>();
        var pending = new Stack<string>([directory]);
        while (pending.TryPop(out var dir))
        {
            try
            {
                foreach (var line in File.ReadLines(Path.Combine(dir, "cgroup.procs")))
                    if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) pids.Add(pid);
                foreach (var child in new DirectoryInfo(dir).EnumerateDirectories())
                    if (child.LinkTarget is null && onCgroupFs(child.FullName)) pending.Push(child.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return pids.ToArray();
    }

    /// <summary>
    /// The process's path in the memory hierarchy from /proc/PID/cgroup text: the v1 "memory" line, else the v2
    /// "0::" line; null when neither is there.
    /// </summary>
    public static string? PathOf(string procCgroup)
    {
        string? unified = null;
        foreach (var line in procCgroup.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(':', 3);
            if (parts.Length < 3) continue;
            if (parts[1].Split(',').Contains("memory")) return parts[2];
            if (parts[0] == "0" && parts[1].Length == 0) unified = parts[2];
        }
        return unified;
    }

    public static string? PathOf(int pid)
    {
        try { return PathOf(File.ReadAllText($"/proc/{pid}/cgroup")); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}
