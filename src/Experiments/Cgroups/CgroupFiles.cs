using ThpTool.Common.Errors;
using ThpTool.Scanner.Procfs;

namespace ThpTool.Experiments.Cgroups;

/// <summary>Reads cgroup control files; writes go through <see cref="KernelKnobs.KnobFile"/> like every kernel setting.</summary>
internal static class CgroupFiles
{
    public static string Read(string cgroup, string file)
    {
        var path = Path.Combine(cgroup, file);
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError(ExitCode.IoError, $"cannot read {path}: {e.Message}");
        }
    }

    public static long ReadNumber(string cgroup, string file) => long.Parse(Read(cgroup, file).Trim());

    /// <summary>One counter of a flat keyed file ("oom_kill 1" lines), 0 when the kernel does not print it.</summary>
    public static long ReadKey(string cgroup, string file, string key) =>
        Vmstat.Parse(Read(cgroup, file)).GetValueOrDefault(key);

    public static void Write(string cgroup, string file, string value) => KernelKnobs.KnobFile.Write(Path.Combine(cgroup, file), value);
}
