using ThpTool.Common.Errors;
using ThpTool.Scanner.Cgroups;

namespace ThpTool.Tests.Scanner.Cgroups;

/// <summary>Cgroup discovery against fake cgroupfs trees, so v2 is tested on a v1 machine and vice versa.</summary>
public sealed class CgroupTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("thptool-cgroupfs-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>These trees stand in for cgroupfs to test the path rules; HostileCgroupTests checks the real one.</summary>
    static bool Fake(string directory) => true;

    const string HybridMountinfo = """
        30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        31 30 0:28 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        """;

    [Fact]
    public void MountinfoPrefersTheV1MemoryController()
    {
        Assert.Equal(new CgroupMount("/sys/fs/cgroup/memory", false), CgroupMount.FromMountinfo(HybridMountinfo, _ => true));
        Assert.Null(CgroupMount.FromMountinfo("31 30 0:28 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n", _ => true));
    }

    [Fact]
    public void AHybridHostsUnifiedMountWithoutTheMemoryControllerIsNotChosen()
    {
        var hybridWithoutV1Memory = string.Join('\n', HybridMountinfo.Split('\n').Where(line => !line.Contains("memory")));
        Assert.Null(CgroupMount.FromMountinfo(hybridWithoutV1Memory, _ => false));
        Assert.Equal(new CgroupMount("/sys/fs/cgroup/unified", true), CgroupMount.FromMountinfo(hybridWithoutV1Memory, _ => true));
    }

    [Fact]
    public void TheFirstUnifiedMountThatDelegatesMemoryIsChosen()
    {
        const string twoUnified = """
            25 1 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate
            26 1 0:27 / /srv/delegated rw - cgroup2 cgroup2 rw
            """;
        Assert.Equal(new CgroupMount("/srv/delegated", true), CgroupMount.FromMountinfo(twoUnified, root => root == "/srv/delegated"));
    }

    [Fact]
    public void TheDefaultDelegationCheckReadsTheRootsSubtreeControl()
    {
        var mountinfo = $"40 30 0:37 / {root} rw,relatime - cgroup2 cgroup2 rw\n";
        File.WriteAllText(Path.Combine(root, "cgroup.subtree_control"), "cpu pids\n");
        Assert.Null(CgroupMount.FromMountinfo(mountinfo));
        File.WriteAllText(Path.Combine(root, "cgroup.subtree_control"), "cpu memory pids\n");
        Assert.Equal(new CgroupMount(root, true), CgroupMount.FromMountinfo(mountinfo));
    }

    [Theory]
    [InlineData(@"/sys/fs/my\040cgroup", "/sys/fs/my cgroup")]
    [InlineData(@"/a\011tab\012newline", "/a\ttab\nnewline")]
    [InlineData(@"/back\134slash", @"/back\slash")]
    [InlineData(@"/not\an\escape\9", @"/not\an\escape\9")]
    [InlineData(@"/cut\04", @"/cut\04")]
    public void MountPointsAreUnescapedAsTheKernelEscapesThem(string field, string mountPoint)
    {
        Assert.Equal(mountPoint, CgroupMount.Unescape(field));
        Assert.Equal(new CgroupMount(mountPoint, false),
                     CgroupMount.FromMountinfo($"34 30 0:31 / {field} rw,relatime - cgroup cgroup rw,memory\n", _ => false));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SubtreePidsFromRelativeAndAbsolutePaths(bool unified)
    {
        // v1 and v2 keep the same cgroup.procs files; only the mount differs.
        Cgroup("app", 10, 11);
        Cgroup("app/worker", 12, 10);
        Cgroup("app/worker/deep", 13);
        Cgroup("other", 99);
        var mount = new CgroupMount(root, unified);
        Assert.Equal([10, 11, 12, 13], CgroupTree.Pids(CgroupTree.Resolve("/app", mount, Fake), Fake));
        Assert.Equal([10, 11, 12, 13], CgroupTree.Pids(CgroupTree.Resolve("app", mount, Fake), Fake));
        Assert.Equal([10, 12, 13], CgroupTree.Pids(CgroupTree.Resolve(Path.Combine(root, "app/worker"), mount, Fake), Fake));
        Assert.Equal([10, 12, 13], CgroupTree.Pids(CgroupTree.Resolve(Path.Combine(root, "app/worker"), null, Fake), Fake));
    }

    [Fact]
    public void UnknownCgroupsAndEscapesAreUsageErrors()
    {
        Cgroup("app", 1);
        var mount = new CgroupMount(root, true);
        Assert.Equal(ExitCode.Usage, Assert.Throws<UserError>(() => CgroupTree.Resolve("/nope", mount, Fake)).Code);
        Assert.Equal(ExitCode.Usage, Assert.Throws<UserError>(() => CgroupTree.Resolve("../..", mount, Fake)).Code);
        Assert.Equal(ExitCode.Unsupported, Assert.Throws<UserError>(() => CgroupTree.Resolve("app", null, Fake)).Code);
    }

    [Fact]
    public void ProcessCgroupPathFromV1OrV2Lines()
    {
        Assert.Equal("/app/x", CgroupTree.PathOf("12:pids:/p\n4:memory:/app/x\n1:name=systemd:/s\n0::/unified\n"));
        Assert.Equal("/app/x", CgroupTree.PathOf("5:cpu,memory:/app/x\n"));
        Assert.Equal("/system.slice/a.service", CgroupTree.PathOf("0::/system.slice/a.service\n"));
        Assert.Null(CgroupTree.PathOf("3:cpu:/x\n"));
    }

    void Cgroup(string relative, params int[] pids)
    {
        var dir = Path.Combine(root, relative);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "cgroup.procs"), string.Concat(pids.Select(p => p + "\n")));
    }
}
