using System.Text.Json;
using ThpTool.Cli.Experiments;
using ThpTool.Lab.Interop;
using ThpTool.Tests.Support;
using Xunit;

namespace ThpTool.Tests.Experiments;

/// <summary>thptool verify end to end: the model and this kernel agree, and an interrupt leaves nothing behind.</summary>
[Collection(LiveKernel.Collection)]
public class VerifyTests(ITestOutputHelper output)
{
    static void RequireLive()
    {
        LiveKernel.RequireRoot();
        LiveKernel.RequireThp();
        LiveKernel.RequireShrinker();
    }

    [Fact]
    public async Task TheModelAgreesWithThisKernel()
    {
        RequireLive();
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
        Assert.InRange(result.ObservedUnderusedSplits, result.PredictedUnderusedSplits, long.MaxValue);
        Assert.Contains("only its own workloads' memory", run.Stderr);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(15)]
    public async Task InterruptedItPutsEverythingBack(int signal)
    {
        RequireLive();
        var before = MachineState.MaxPtesNone();
        using var tool = Thptool.Start("verify", "--max-ptes-none", "300");
        var stdout = tool.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        HashSet<int> seen = [];
        Assert.True(Wait.Until(() => (seen = MachineState.Descendants(tool.Id)).Count >= 2, TimeSpan.FromSeconds(30)),
                    "verify never started its workloads");
        Assert.Equal("300", MachineState.MaxPtesNone());

        Libc.Kill(tool.Id, signal);

        await tool.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        output.WriteLine($"exit {tool.ExitCode}: {await stdout}");
        Assert.NotEqual(0, tool.ExitCode);
        MachineState.AssertLeftClean(tool.Id, before, seen);
    }
}
