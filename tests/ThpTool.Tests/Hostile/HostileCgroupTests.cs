using System.Diagnostics;
using ThpTool.Experiments.Cgroups;
using ThpTool.Scanner.Cgroups;
using ThpTool.Tests.Support;
using Xunit;

namespace ThpTool.Tests.Hostile;

/// <summary>--cgroup takes only directories of a cgroup file system, and its walk follows no link.</summary>
[Live]
public sealed class HostileCgroupTests : IDisposable
{
    readonly string fake = Directory.CreateTempSubdirectory("thptool-fake-cgroup-").FullName;
    readonly List<string> cgroups = [];
    readonly List<Process> sleepers = [];

    Process Sleeper()
    {
        var sleeper = Process.Start(new ProcessStartInfo("sleep", ["300"]))!;
        sleepers.Add(sleeper);
        return sleeper;
    }

    /// <summary>A directory anyone could make: a cgroup.procs naming a live process, and two links back to itself.</summary>
    string FakeCgroupWithCycles()
    {
        File.WriteAllText(Path.Combine(fake, "cgroup.procs"), $"{Sleeper().Id}\n");
        Directory.CreateSymbolicLink(Path.Combine(fake, "a"), ".");
        Directory.CreateSymbolicLink(Path.Combine(fake, "b"), ".");
        return fake;
    }

    [Fact]
    public async Task ADirectoryOutsideCgroupfsIsRefusedBeforeAnyScan()
    {
        var dir = FakeCgroupWithCycles();
        var result = await Thptool.RunAsync("scan", "--cgroup", dir, "--quiet");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"thptool: --cgroup {dir}: {dir} is not on a cgroup file system\n", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public void TheWalkFollowsNoLinkSoCyclesEnd()
    {
        var dir = FakeCgroupWithCycles();
        // Even with the file system check waived, links are not entered: one pid, once.
        Assert.Equal([sleepers[0].Id], CgroupTree.Pids(dir, _ => true));
    }

    [Fact]
    public void ALinkToARealCgroupIsRefusedAndTheCgroupItselfIsTaken()
    {
        LiveKernel.RequireRoot();
        var root = CgroupMounts.FindMemoryController().Root;
        var parent = Path.Combine(root, $"hostile-cgroup-test-{Environment.ProcessId}");
        var child = Path.Combine(parent, "child");
        Directory.CreateDirectory(child);
        cgroups.AddRange([child, parent]);
        var sleeper = Sleeper();
        File.WriteAllText(Path.Combine(child, "cgroup.procs"), sleeper.Id.ToString());

        Assert.Equal([sleeper.Id], CgroupTree.Pids(CgroupTree.Resolve(parent, null)));
        Assert.Equal([sleeper.Id], CgroupTree.Pids(CgroupTree.Resolve(Path.GetFileName(parent), new CgroupMount(root, false))));
        var link = Path.Combine(fake, "link");
        Directory.CreateSymbolicLink(link, parent);
        var refused = Assert.Throws<ThpTool.Common.Errors.UserError>(() => CgroupTree.Resolve(link, null));
        Assert.Contains("is a symbolic link", refused.Message);
    }

    public void Dispose()
    {
        foreach (var s in sleepers)
        {
            s.Kill();
            s.WaitForExit();
            s.Dispose();
        }
        foreach (var c in cgroups)
            if (Directory.Exists(c)) Directory.Delete(c);
        Directory.Delete(fake, recursive: true);
    }
}
