using ThpTool.Common.Errors;
using ThpTool.Scanner.Procfs;
using ThpTool.Tests.Support;
using Xunit;

namespace ThpTool.Tests.Cli.Experiments;

/// <summary>The lab's own instruments cannot be turned against the host: no writes outside cgroupfs, no demo beyond memory.</summary>
public sealed class ExperimentGuardTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("thptool-lab-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public async Task TheWorkloadJoinsOnlyAMemoryCgroup()
    {
        string victim = Path.Combine(dir, "victim");
        File.WriteAllText(victim, "keep");
        File.CreateSymbolicLink(Path.Combine(dir, "cgroup.procs"), victim);
        foreach (var procs in new[] { victim, Path.Combine(dir, "cgroup.procs") })
        {
            var r = await Thptool.RunAsync("workload", "--size", "2M", "--stride", "4K", "--cgroup-procs", procs);
            Assert.Equal((int)ExitCode.Usage, r.ExitCode);
            Assert.Contains("is not the cgroup.procs file of a memory cgroup", r.Stderr);
        }
        Assert.Equal("keep", File.ReadAllText(victim));
    }

    [Fact]
    public async Task TheDemoRefusesMoreMemoryThanTheHostHas()
    {
        long size = PhysicalMemory.Total() * 2 / (2 << 20) * (2 << 20);
        var r = await Thptool.RunInProcess("demo", "--size", size.ToString());
        Assert.Equal((int)ExitCode.Usage, r.ExitCode);
        Assert.Contains("more than half of the", r.Stderr);
        Assert.Empty(r.Stdout);
    }
}
