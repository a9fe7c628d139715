using ThpTool.Common.Errors;
using ThpTool.Experiments.Interop;
using ThpTool.Experiments.Workloads;
using ThpTool.Scanner.Procfs;
using ThpTool.Tests.Support;
using Xunit;

namespace ThpTool.Tests.Experiments.Workloads;

/// <summary>Live workloads; in the LiveKernel collection so a shrinker pass elsewhere cannot split their THPs mid-test.</summary>
[Collection(LiveKernel.Collection)]
[Live]
public class WorkloadProcessTests
{
    const long Size = 32L << 20;
    const long SizeKb = Size / 1024;

    static WorkloadSpec Spec(bool mlock = false, UffdMode? uffd = null, bool fork = false, int partial = 0, bool forkWrite = false) =>
        new() { Size = Size, Fills = [0, 1, 300, 512], Mlock = mlock, Uffd = uffd, Fork = fork, Partial = partial, ForkWrite = forkWrite };

    [Fact]
    public async Task EveryTwoMibOfTheRegionIsOneThp()
    {
        LiveKernel.RequireThp();
        await using var workload = await Support.Workloads.StartAsync(Spec());

        Assert.Equal(SizeKb, workload.ReadSmaps()!.AnonHugePagesKb);
        Assert.Equal(SizeKb, workload.AnonHugePagesKb);
        Assert.Equal(16, workload.Thps.Count);
        Assert.Equal([0, 1, 300, 512], workload.Thps.Take(4).Select(t => t.NonZeroSubpages));
        Assert.Equal([512, 511, 212, 0], workload.Thps.Take(4).Select(t => t.ZeroSubpages));
    }

    [Fact]
    public async Task ForkedChildMapsTheSameThps()
    {
        LiveKernel.RequireThp();
        await using var workload = await Support.Workloads.StartAsync(Spec(fork: true));

        Assert.NotNull(workload.ChildPid);
        Assert.True(ProcessStat.IsAlive(workload.ChildPid!.Value));
        Assert.Equal(SizeKb, workload.ReadChildSmaps()!.AnonHugePagesKb);
        Assert.Equal(SizeKb, workload.ReadSmaps()!.AnonHugePagesKb);
    }

    [Fact]
    public async Task MlockShowsLo()
    {
        LiveKernel.RequireThp();
        await using var workload = await Support.Workloads.StartAsync(Spec(mlock: true));

        var smaps = workload.ReadSmaps()!;
        Assert.Contains("lo", smaps.VmFlags);
        Assert.Equal(SizeKb, smaps.AnonHugePagesKb);
    }

    [Theory]
    [InlineData(UffdMode.Missing, "um")]
    [InlineData(UffdMode.Wp, "uw")]
    public async Task UffdRegistrationShowsInVmFlags(UffdMode mode, string flag)
    {
        LiveKernel.RequireThp();
        await using var workload = await Support.Workloads.StartAsync(Spec(uffd: mode));

        var smaps = workload.ReadSmaps()!;
        Assert.Contains(flag, smaps.VmFlags);
        Assert.Equal(SizeKb, smaps.AnonHugePagesKb);
    }

    [Fact]
    public async Task UffdMinorOnAnonymousMemoryFailsClearlyOrShowsUi()
    {
        LiveKernel.RequireThp();
        try
        {
            await using var workload = await Support.Workloads.StartAsync(Spec(uffd: UffdMode.Minor));
            Assert.Contains("ui", workload.ReadSmaps()!.VmFlags);
        }
        catch (UserError e)
        {
            Assert.Equal(ExitCode.Unsupported, e.Code);
            Assert.Contains("minor", e.Message);
        }
    }

    [Fact]
    public async Task PartialUnmapCostsTheFirstThpItsPmdMapping()
    {
        LiveKernel.RequireThp();
        await using var workload = await Support.Workloads.StartAsync(Spec(partial: 64));

        var smaps = workload.ReadSmaps()!;
        Assert.Equal(SizeKb - 2048, smaps.AnonHugePagesKb);
        Assert.Equal(SizeKb - 64 * 4, smaps.RssKb);
        Assert.Equal(512 - 64, workload.Thps[0].MappedSubpages);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DisposingLeavesNoProcessBehind(bool forkWrite)
    {
        LiveKernel.RequireThp();
        var workload = await Support.Workloads.StartAsync(Spec(fork: !forkWrite, forkWrite: forkWrite));
        int pid = workload.Pid, child = workload.ChildPid!.Value;

        await workload.DisposeAsync();

        Assert.True(Wait.Until(() => !ProcessStat.IsAlive(pid) && !ProcessStat.IsAlive(child)),
            $"workload {pid} or its child {child} outlived Dispose");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task KilledFromOutsideTheForkedChildDiesToo(bool forkWrite)
    {
        LiveKernel.RequireThp();
        await using var workload = await Support.Workloads.StartAsync(Spec(fork: !forkWrite, forkWrite: forkWrite));
        int child = workload.ChildPid!.Value;

        Libc.Kill(workload.Pid, Libc.SIGKILL);

        Assert.True(Wait.Until(() => !ProcessStat.IsAlive(child)), $"child {child} survived its parent's SIGKILL");
    }
}
