using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ThpTool.Cli.Experiments;
using ThpTool.Common.Errors;
using ThpTool.Experiments;
using ThpTool.Experiments.Interop;
using ThpTool.Experiments.KernelKnobs;
using ThpTool.Experiments.Restore;
using ThpTool.Scanner.Procfs;
using ThpTool.Tests.Support;
using Xunit;

namespace ThpTool.Tests.Experiments;

/// <summary>thptool repro end to end on this kernel, as a separate process, on every way it can end.</summary>
[Collection(LiveKernel.Collection)]
[Live]
public class ReproTests(ITestOutputHelper output)
{
    static async Task<Thptool.Result> Repro(params string[] args)
    {
        var before = MachineState.MaxPtesNone();
        var run = await Thptool.RunAsync(["repro", .. args]);
        MachineState.AssertLeftClean(run.Pid, before, []);
        return run;
    }

    /// <summary>An experiment that ran, whatever its outcome: exit 0 and the JSON document.</summary>
    async Task<T> ReproJson<T>(JsonTypeInfo<T> type, params string[] args)
    {
        var run = await Repro([.. args, "--json"]);
        output.WriteLine(run.Stdout + run.Stderr);
        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("could not remove", run.Stderr);
        return JsonSerializer.Deserialize(run.Stdout, type)!;
    }

    [Fact]
    public async Task TheSeriesSweepShowsWhereTheOomStarts()
    {
        LiveKernel.RequireExperiments();
        var rows = await ReproJson(ExperimentJson.Default.IReadOnlyListReproResult,
            "--limit", "20M", "--bytes", "40M", "--stride", "50K", "--sweep", "400,450,470,500,511");
        Assert.Equal([400, 450, 470, 500, 511], rows.Select(r => r.MaxPtesNone));
        // 50K stride leaves 471 or 472 zero subpages per THP: underused at 470 and below, not at 500 or 511.
        Assert.All(rows.Where(r => r.MaxPtesNone <= 470), r =>
        {
            Assert.False(r.OomKilled);
            Assert.Equal(r.Thps, r.PredictedSplits);
            Assert.InRange(r.UnderusedSplits, 1, long.MaxValue);
        });
        Assert.All(rows.Where(r => r.MaxPtesNone >= 500), r =>
        {
            Assert.True(r.OomKilled);
            Assert.Equal(0, r.PredictedSplits);
        });
    }

    [Fact]
    public async Task AnOomKilledWorkloadIsReportedAndItsCgroupStillRemoved()
    {
        LiveKernel.RequireExperiments();
        var result = await ReproJson(ExperimentJson.Default.ReproResult, "--limit", "8M", "--bytes", "32M", "--stride", "4K", "--max-ptes-none", "511");
        Assert.True(result.OomKilled);
        Assert.Equal(Libc.SIGKILL, result.ExitSignal);
        Assert.InRange(result.OomKills, 1, long.MaxValue);
    }

    [Theory]
    [InlineData("--limit", "1M", "below 4 MiB")]
    [InlineData("--limit", "100000G", "above this machine's")]
    [InlineData("--bytes", "200M", "more than 4x the limit")]
    [InlineData("--stride", "1K", "below 4096")]
    [InlineData("--bytes", "41M", "multiple of 2 MiB")]
    [InlineData("--max-ptes-none", "512", "between 0 and 511")]
    [InlineData("--sweep", "400,600", "outside 0..511")]
    public async Task AnUnreasonableExperimentIsRefusedChangingNothing(string option, string value, string expected)
    {
        var run = await Repro(option, value);
        Assert.Equal((int)ExitCode.Usage, run.ExitCode);
        Assert.Contains(expected, run.Stderr);
        Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(15)]
    public async Task InterruptedItPutsEverythingBack(int signal)
    {
        LiveKernel.RequireExperiments();
        var before = MachineState.MaxPtesNone();
        using var tool = Thptool.Start("repro", "--sweep", "400,450,470,500,511");
        MachineState.WaitForWorkloadInCgroup(tool);
        var seen = MachineState.Descendants(tool.Id);
        Assert.Equal("400", MachineState.MaxPtesNone());

        await MachineState.InterruptAndAssertLeftClean(tool, signal, before, seen, output);
    }

    [Fact]
    public async Task KilledWithSigkillItsLeftoversAreUndoneByTheNextChange()
    {
        LiveKernel.RequireExperiments();
        var before = MachineState.MaxPtesNone();
        using var tool = Thptool.Start("repro", "--sweep", "400,450,470,500,511");
        MachineState.WaitForWorkloadInCgroup(tool);
        var seen = MachineState.Descendants(tool.Id);

        // SIGKILL: no handler runs, so the threshold and the cgroup stay as the dead tool left them.
        tool.Kill();
        await tool.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal("400", MachineState.MaxPtesNone());
        Assert.NotEmpty(MachineState.CgroupsOf(tool.Id));

        // The next change to the machine first undoes what the dead tool had written down.
        using (KnobOverride.Set(ThpSysfs.MaxPtesNone, "300"))
            Assert.Equal("300", MachineState.MaxPtesNone());
        MachineState.AssertLeftClean(tool.Id, before, seen);
        Assert.DoesNotContain(Directory.Exists(RestoreJournal.Folder) ? Directory.GetFiles(RestoreJournal.Folder) : [],
                              f => Path.GetFileName(f).StartsWith($"{tool.Id}-", StringComparison.Ordinal));
    }
}
