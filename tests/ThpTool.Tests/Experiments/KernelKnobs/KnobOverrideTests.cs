using ThpTool.Common.Errors;
using ThpTool.Experiments.Interop;
using ThpTool.Experiments.KernelKnobs;
using ThpTool.Experiments.Restore;
using ThpTool.Experiments.Workloads;
using ThpTool.Scanner.Procfs;
using ThpTool.Tests.Support;
using Xunit;

namespace ThpTool.Tests.Experiments.KernelKnobs;

[Collection(LiveKernel.Collection)]
[Live]
public class KnobOverrideTests
{
    static string MaxPtesNone() => File.ReadAllText(ThpSysfs.MaxPtesNone).Trim();

    /// <summary>Runs <paramref name="body"/> and checks max_ptes_none is back to what it was before.</summary>
    static async Task ExpectRestored(Func<string, Task> body)
    {
        LiveKernel.RequireRoot();
        LiveKernel.RequireThp();
        var before = MaxPtesNone();
        await body(before);
        Assert.Equal(before, MaxPtesNone());
    }

    [Fact]
    public Task DisposeRestoresTheOldValue() => ExpectRestored(before =>
    {
        using var knob = KnobOverride.Set(ThpSysfs.MaxPtesNone, "300");
        Assert.Equal("300", MaxPtesNone());
        Assert.Equal(before, knob.OriginalValue);
        return Task.CompletedTask;
    });

    [Fact]
    public Task AnExceptionInsideStillRestores() => ExpectRestored(_ =>
    {
        static void FailWhileOverridden()
        {
            using var knob = KnobOverride.Set(ThpSysfs.MaxPtesNone, "17");
            throw new InvalidOperationException("boom");
        }
        Assert.Throws<InvalidOperationException>(FailWhileOverridden);
        return Task.CompletedTask;
    });

    [Fact]
    public Task NestedOverridesUnwindToTheFirstValue() => ExpectRestored(_ =>
    {
        using (KnobOverride.Set(ThpSysfs.MaxPtesNone, "100"))
        using (KnobOverride.Set(ThpSysfs.MaxPtesNone, "200"))
            Assert.Equal("200", MaxPtesNone());
        return Task.CompletedTask;
    });

    [Fact]
    public Task AValueTheKernelRefusesIsAUserError() => ExpectRestored(_ =>
    {
        Assert.Throws<UserError>(() => KnobOverride.Set(ThpSysfs.MaxPtesNone, "9999"));
        // Nothing changed, so nothing may be left for a later thptool to "undo".
        Assert.DoesNotContain(Directory.Exists(RestoreJournal.Folder) ? Directory.GetFiles(RestoreJournal.Folder) : [],
                              f => Path.GetFileName(f).StartsWith($"{Environment.ProcessId}-", StringComparison.Ordinal));
        return Task.CompletedTask;
    });

    [Theory]
    [InlineData("shmem_enabled", "advise")]
    [InlineData("hugepages-64kB/enabled", "madvise")]
    public void AChoiceKnobAKilledThptoolLeftIsRestoredFromTheJournal(string name, string value)
    {
        LiveKernel.RequireRoot();
        LiveKernel.RequireThp();
        var path = $"{ThpSysfs.Root}/{name}";
        if (!File.Exists(path))
            Assert.Skip($"this kernel has no {path}");
        string Read() => File.ReadAllText(path).Trim();
        var before = Read();
        using var knob = KnobOverride.Set(path, value);
        Assert.Equal(value, ThpSysfs.Selected(Read()));

        // Hand our entry to a pid that cannot exist, as if SIGKILL had ended its owner before it could undo.
        var entry = Directory.GetFiles(RestoreJournal.Folder, $"{Environment.ProcessId}-*.undo")
            .Single(f => File.ReadAllLines(f)[1] == path);
        int gone = int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max")) + 1;
        var entryName = Path.GetFileName(entry);
        File.Move(entry, Path.Combine(RestoreJournal.Folder, $"{gone}{entryName[entryName.IndexOf('-')..]}"));

        Assert.Contains(RestoreJournal.RecoverStale(), line => line.Contains(path, StringComparison.Ordinal));
        Assert.Equal(before, Read());
    }

    [Fact]
    public Task RestoredEvenWhenTheWorkloadIsKilledFromOutside() => ExpectRestored(async _ =>
    {
        using var knob = KnobOverride.Set(ThpSysfs.MaxPtesNone, "256");
        await using var workload = await Support.Workloads.StartAsync(new WorkloadSpec { Size = 8L << 20, Fills = [1], Fork = true });
        int pid = workload.Pid, child = workload.ChildPid!.Value;

        Libc.Kill(pid, Libc.SIGKILL);

        Assert.True(Wait.Until(() => !ProcessStat.IsAlive(pid) && !ProcessStat.IsAlive(child)));
    });
}
