using System.Diagnostics;
using System.Globalization;
using ThpTool.Experiments.Cgroups;
using ThpTool.Experiments.Interop;
using ThpTool.Scanner.Procfs;
using ThpTool.Tests.Support;
using Xunit;

namespace ThpTool.Tests.Experiments;

/// <summary>What an experiment may change and must give back: the threshold, its cgroups, its processes.</summary>
internal static class MachineState
{
    public static string MaxPtesNone() => File.ReadAllText(ThpSysfs.MaxPtesNone).Trim();

    public static string CgroupRoot => CgroupMounts.FindMemoryController().Root;

    /// <summary>Cgroups a thptool with this pid made (named thptool-repro-PID-N).</summary>
    public static string[] CgroupsOf(int pid) =>
        Directory.GetDirectories(CgroupRoot, $"{MemoryCgroup.NamePrefix}{pid}-*");

    /// <summary>Live descendants of <paramref name="pid"/>: its workloads and their forked children.</summary>
    public static HashSet<int> Descendants(int pid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && ProcessStat.ParentIfAlive(p) is { } parent)
                parents[p] = parent;
        var found = new HashSet<int>();
        for (bool grew = true; grew;)
        {
            grew = false;
            foreach (var (child, parent) in parents)
                grew |= (parent == pid || found.Contains(parent)) && found.Add(child);
        }
        return found;
    }

    public static bool Alive(int pid) => ProcessStat.IsAlive(pid);

    /// <summary>Waits until a running repro has made its cgroup and put its workload in it.</summary>
    public static void WaitForWorkloadInCgroup(Process tool)
    {
        string? cgroup = null;
        Assert.True(Wait.Until(() => (cgroup = CgroupsOf(tool.Id).FirstOrDefault()) is not null
                                     && File.ReadAllText(Path.Combine(cgroup, "cgroup.procs")).Trim().Length > 0,
                               TimeSpan.FromSeconds(30)), "no workload ever joined a repro cgroup");
    }

    /// <summary>Checks, after the tool with <paramref name="pid"/> has exited, that it left nothing behind.</summary>
    public static void AssertLeftClean(int pid, string maxPtesNoneBefore, IEnumerable<int> processesSeen)
    {
        Assert.Equal(maxPtesNoneBefore, MaxPtesNone());
        Assert.True(Wait.Until(() => CgroupsOf(pid).Length == 0, TimeSpan.FromSeconds(10)), $"cgroups left: {string.Join(", ", CgroupsOf(pid))}");
        Assert.True(Wait.Until(() => !processesSeen.Any(Alive), TimeSpan.FromSeconds(10)),
            $"processes left: {string.Join(", ", processesSeen.Where(Alive))}");
    }

    /// <summary>
    /// Sends <paramref name="signal"/> to a running tool, waits for it to exit and checks that it undid
    /// everything: the threshold, its cgroups and the processes it had started (<paramref name="seen"/>).
    /// </summary>
    public static async Task InterruptAndAssertLeftClean(Process tool, int signal, string maxPtesNoneBefore, IEnumerable<int> seen, ITestOutputHelper output)
    {
        var ct = TestContext.Current.CancellationToken;
        var stderr = tool.StandardError.ReadToEndAsync(ct);
        var stdout = tool.StandardOutput.ReadToEndAsync(ct);
        Libc.Kill(tool.Id, signal);
        await tool.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
        output.WriteLine($"exit {tool.ExitCode}:\n{await stdout}{await stderr}");
        Assert.NotEqual(0, tool.ExitCode);
        AssertLeftClean(tool.Id, maxPtesNoneBefore, seen);
    }
}
