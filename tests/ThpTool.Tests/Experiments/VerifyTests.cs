using System.Text.Json;
using ThpTool.Cli.Experiments;
using ThpTool.Tests.Support;
using Xunit;

namespace ThpTool.Tests.Experiments;

/// <summary>thptool verify end to end: the model and this kernel agree, and an interrupt leaves nothing behind.</summary>
[Collection(LiveKernel.Collection)]
[Live]
public class VerifyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TheModelAgreesWithThisKernel()
    {
        LiveKernel.RequireExperiments();
        // Not 0: other processes' queued THPs are judged by the same pass, and at 0 nearly all of them would split.
        const int maxPtesNone = 256;
        var before = MachineState.MaxPtesNone();
        var run = await Thptool.RunAsync("verify", "--max-ptes-none", maxPtesNone.ToString(), "--json");
        output.WriteLine(run.Stdout + run.Stderr);
        MachineState.AssertLeftClean(run.Pid, before, []);
        Assert.Equal(0, run.ExitCode);
        var result = JsonSerializer.Deserialize(run.Stdout, ExperimentJson.Default.VerifyResult)!;
        Assert.Equal(maxPtesNone, result.MaxPtesNone);
        Assert.All(result.Rows, r => Assert.True(r.Agrees, $"{r.Workload}: {r}"));
        Assert.Contains(result.Rows, r => r.Workload == "forked (child)");
        var mthp = Assert.Single(result.Rows, r => r.Workload == "partially mapped 64 KiB mTHP");
        Assert.True(mthp.PredictedSplits > 0 && mthp.PredictedRssFreedKb > 0, $"the mTHP case got no partially mapped 64 KiB folio: {mthp}");
        Assert.InRange(result.ObservedUnderusedSplits, result.PredictedUnderusedSplits, long.MaxValue);
        Assert.Contains("only its own workloads' memory", run.Stderr);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(15)]
    public async Task InterruptedItPutsEverythingBack(int signal)
    {
        LiveKernel.RequireExperiments();
        var before = MachineState.MaxPtesNone();
        using var tool = Thptool.Start("verify", "--max-ptes-none", "300");
        HashSet<int> seen = [];
        Assert.True(Wait.Until(() => (seen = MachineState.Descendants(tool.Id)).Count >= 2, TimeSpan.FromSeconds(30)),
                    "verify never started its workloads");
        Assert.Equal("300", MachineState.MaxPtesNone());

        await MachineState.InterruptAndAssertLeftClean(tool, signal, before, seen, output);
    }
}
