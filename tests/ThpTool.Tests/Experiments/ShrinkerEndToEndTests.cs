using ThpTool.Experiments.KernelKnobs;
using ThpTool.Experiments.Workloads;
using ThpTool.Scanner.Procfs;
using ThpTool.Tests.Support;
using Xunit;
using ThpTool.Scanner.Memory;

namespace ThpTool.Tests.Experiments;

/// <summary>The kernel itself, checked with the lab: what kernel-model.md says the shrinker does.</summary>
[Collection(LiveKernel.Collection)]
[Live]
public class ShrinkerEndToEndTests(ITestOutputHelper output)
{
    const int N = 256;
    const long ThpKb = Geometry.ThpSize / 1024;
    // Around the boundary: 255 non-zero leaves 257 zero (split), 256 leaves 256 (kept).
    static readonly int[] Fills = [0, 1, 50, 100, 255, 256, 257, 300, 511, 512];

    static void RequireShrinker()
    {
        LiveKernel.RequireRoot();
        LiveKernel.RequireThp();
        LiveKernel.RequireShrinker();
        if (ThpSysfs.Read().ShrinkUnderused != 1)
            Assert.Skip($"{ThpSysfs.ShrinkUnderused} is not 1: faulted THPs are never queued for the underused check");
    }

    [Theory]
    [InlineData(null)]
    [InlineData(UffdMode.Missing)]
    public async Task SplitsExactlyTheThpsWithMoreThanNZeroSubpages(UffdMode? uffd)
    {
        RequireShrinker();
        // N is set before the THPs exist, so no shrinker pass at N = 511 can take them off the queue first.
        using var knob = KnobOverride.Set(ThpSysfs.MaxPtesNone, N.ToString());
        await using var workload = await Support.Workloads.StartAsync(new WorkloadSpec { Size = 100 * Geometry.ThpSize, Fills = Fills, Uffd = uffd });
        var underused = workload.Thps.Where(t => t.ZeroSubpages > N).ToList();
        long predictedFreedKb = underused.Sum(t => (long)t.ZeroSubpages) * Geometry.PageSize / 1024;
        Assert.Equal(100 * ThpKb, workload.ReadSmaps()!.AnonHugePagesKb);

        var pass = ShrinkerPass.Run(workload);

        output.WriteLine($"100 THPs, N = {N}, uffd {uffd?.ToString() ?? "none"}: predicted {underused.Count} splits freeing {predictedFreedKb} kB; {pass}");
        Assert.Equal(underused.Count * ThpKb, pass.AnonHugePagesLostKb);
        Assert.Equal(predictedFreedKb, pass.RssFreedKb);
        // vmstat is machine-wide: another process's underused THPs split by the same pass would add to it.
        Assert.True(pass.UnderusedSplits >= underused.Count, $"thp_underused_split_page rose by {pass.UnderusedSplits}, expected {underused.Count}");
        if (pass.UnderusedSplits != underused.Count)
            output.WriteLine($"thp_underused_split_page rose by {pass.UnderusedSplits - underused.Count} more than this workload explains: other THP users on the machine");
    }

    [Fact]
    public async Task MlockedThpsAreNeverSplit()
    {
        RequireShrinker();
        using var knob = KnobOverride.Set(ThpSysfs.MaxPtesNone, N.ToString());
        await using var workload = await Support.Workloads.StartAsync(new WorkloadSpec { Size = 8 * Geometry.ThpSize, Fills = [0], Mlock = true });

        var pass = ShrinkerPass.Run(workload);

        output.WriteLine($"8 all-zero mlocked THPs, N = {N}: {pass}");
        Assert.Equal(0, pass.AnonHugePagesLostKb);
        Assert.Equal(0, pass.RssFreedKb);
    }

    [Fact]
    public async Task APartiallyMappedThpIsSplitEvenWithTheRuleOff()
    {
        RequireShrinker();
        using var knob = KnobOverride.Set(ThpSysfs.MaxPtesNone, ThpSysfs.RuleDisabled.ToString());
        await using var workload = await Support.Workloads.StartAsync(new WorkloadSpec { Size = 4 * Geometry.ThpSize, Fills = [1], Partial = 64 });
        var first = workload.Thps[0];

        var pass = ShrinkerPass.Run(workload);

        output.WriteLine($"first of 4 THPs partially mapped ({first.MappedSubpages} mapped, {first.ZeroSubpages} zero), N = 511: {pass}");
        Assert.Equal(3 * ThpKb, pass.After.AnonHugePagesKb);
        Assert.Equal(first.ZeroSubpages * Geometry.PageSize / 1024, pass.RssFreedKb);
    }

    [Fact]
    public async Task AThpJudgedAtN511IsNeverLookedAtAgain()
    {
        RequireShrinker();
        using var ruleOff = KnobOverride.Set(ThpSysfs.MaxPtesNone, ThpSysfs.RuleDisabled.ToString());
        await using var workload = await Support.Workloads.StartAsync(new WorkloadSpec { Size = 8 * Geometry.ThpSize, Fills = [0] });
        var first = ShrinkerPass.Run(workload);

        using var lowered = KnobOverride.Set(ThpSysfs.MaxPtesNone, N.ToString());
        var second = ShrinkerPass.Run(workload);

        output.WriteLine($"8 all-zero THPs: at N = 511 {first}; then at N = {N} {second}");
        Assert.Equal(8 * ThpKb, second.After.AnonHugePagesKb);
        Assert.Equal(0, second.RssFreedKb);
    }
}
