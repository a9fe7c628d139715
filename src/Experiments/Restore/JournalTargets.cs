using System.Globalization;
using ThpTool.Common.Errors;
using ThpTool.Experiments.Cgroups;
using ThpTool.Scanner.Cgroups;
using ThpTool.Scanner.Procfs;

namespace ThpTool.Experiments.Restore;

/// <summary>
/// What a journal entry may name: a THP knob, with a value that knob accepts, or a cgroup of this tool's directly
/// under the memory cgroup mount. An entry that names anything else is not acted on: writing "original" back into
/// any file, or killing what is in any directory's cgroup.procs, would hand root to whoever wrote the entry.
/// </summary>
internal static class JournalTargets
{
    /// <summary>Why the knob entry cannot be undone, or null. A missing knob is a problem: this kernel never had it.</summary>
    public static string? KnobProblem(string target, string original, string value)
    {
        if (!target.StartsWith(ThpSysfs.Root + "/", StringComparison.Ordinal) || Path.GetFullPath(target) != target)
            return $"{target} is not a THP knob under {ThpSysfs.Root}";
        for (var path = target; path.Length > ThpSysfs.Root.Length; path = Path.GetDirectoryName(path)!)
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not null) return $"{path} is a symbolic link";
            if (path == target ? !info.Exists : !Directory.Exists(path)) return $"{target} does not exist";
        }
        string now;
        try { now = File.ReadAllText(target); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return $"cannot read {target}: {e.Message}"; }
        foreach (var v in new[] { original, value })
            if (!Accepts(now, v)) return $"{target} does not take the value '{v}'";
        return null;
    }

    /// <summary>A choice knob ("always [madvise] never") takes one of its words; any other THP knob is a number.</summary>
    static bool Accepts(string knobText, string value)
    {
        if (knobText.Contains('['))
            return knobText.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim('[', ']')).Contains(value);
        return value.Length is > 0 and <= 10 && uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }

    /// <summary>Why the cgroup entry cannot be undone, or null. A cgroup already gone is no problem.</summary>
    public static string? CgroupProblem(string target, int ownerPid)
    {
        IMemoryController controller;
        try { controller = CgroupMounts.FindMemoryController(); }
        catch (UserError e) { return e.Message; }
        var root = controller.Root.TrimEnd('/');
        if (Path.GetFullPath(target) != target || Path.GetDirectoryName(target) != root)
            return $"{target} is not directly under the memory cgroup mount {root}";
        if (!MemoryCgroup.IsNameOf(Path.GetFileName(target), ownerPid))
            return $"{target} is not named as thptool names its cgroups ({MemoryCgroup.NamePrefix}{ownerPid}-N)";
        var info = new DirectoryInfo(target);
        if (info.LinkTarget is not null) return $"{target} is a symbolic link";
        if (!info.Exists) return File.Exists(target) ? $"{target} is not a directory" : null;
        return CgroupFs.Holds(target) ? null : $"{target} is not on a cgroup file system";
    }
}
