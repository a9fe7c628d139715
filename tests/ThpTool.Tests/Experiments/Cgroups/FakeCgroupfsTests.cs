using ThpTool.Experiments.Cgroups;
using Xunit;

namespace ThpTool.Tests.Experiments.Cgroups;

/// <summary>Cgroup v2 handling against a tree of plain files: this machine mounts the memory controller on v1 only.</summary>
public sealed class FakeCgroupfsTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("thptool-fake-cgroupfs-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    string MountInfoV2 => $"40 30 0:37 / {root} rw,relatime - cgroup2 cgroup2 rw\n";

    string Cgroup(params (string File, string Text)[] files)
    {
        var dir = Directory.CreateDirectory(Path.Combine(root, "thptool-repro-1-1")).FullName;
        foreach (var (file, text) in files)
            File.WriteAllText(Path.Combine(dir, file), text);
        return dir;
    }

    [Fact]
    public void AV1MemoryHierarchyWinsOverAHybridUnifiedMount()
    {
        const string hybrid =
            "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n" +
            "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
        var controller = CgroupMounts.Choose(hybrid);
        Assert.IsType<CgroupV1Memory>(controller);
        Assert.Equal("/sys/fs/cgroup/memory", controller.Root);
    }

    [Fact]
    public void AV2RootThatDelegatesMemoryIsChosen()
    {
        File.WriteAllText(Path.Combine(root, "cgroup.subtree_control"), "cpu memory pids\n");
        var controller = CgroupMounts.Choose(MountInfoV2);
        Assert.IsType<CgroupV2Memory>(controller);
        Assert.Equal(root, controller.Root);
    }

    [Fact]
    public void AV2RootWithoutTheMemoryControllerIsNot()
    {
        File.WriteAllText(Path.Combine(root, "cgroup.subtree_control"), "cpu pids\n");
        Assert.Null(CgroupMounts.Choose(MountInfoV2 + "31 30 0:28 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"));
    }

    [Fact]
    public void LimitWritesTheMemoryAndSwapMaxima()
    {
        var cgroup = Cgroup(("memory.max", ""), ("memory.swap.max", ""));
        new CgroupV2Memory(root).Limit(cgroup, 20L << 20);
        Assert.Equal("20971520", File.ReadAllText(Path.Combine(cgroup, "memory.max")));
        Assert.Equal("0", File.ReadAllText(Path.Combine(cgroup, "memory.swap.max")));
    }

    [Fact]
    public void WithoutSwapAccountingNoSwapFileIsMade()
    {
        var cgroup = Cgroup(("memory.max", ""));
        new CgroupV2Memory(root).Limit(cgroup, 8L << 20);
        Assert.False(File.Exists(Path.Combine(cgroup, "memory.swap.max")));
    }

    [Fact]
    public void StatsComeFromPeakEventsAndStat()
    {
        var cgroup = Cgroup(
            ("memory.peak", "20971520\n"),
            ("memory.events", "low 0\nhigh 0\nmax 37\noom 2\noom_kill 1\noom_group_kill 0\n"),
            ("memory.stat", "anon 16777216\nfile 0\nanon_thp 14680064\nfile_thp 0\n"));
        Assert.Equal(new CgroupMemoryStats(PeakBytes: 20971520, OomKills: 1, LimitHits: 37, AnonThpBytes: 14680064),
                     new CgroupV2Memory(root).ReadStats(cgroup));
    }
}
