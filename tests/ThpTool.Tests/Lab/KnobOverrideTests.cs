using ThpTool.Lab;
using ThpTool.Lab.Interop;
using ThpTool.Lab.KernelKnobs;
using ThpTool.Lab.Workloads;
using ThpTool.Scanner.Procfs;
using ThpTool.Tests.Support;
using Xunit;

namespace ThpTool.Tests.Lab;

[Collection(LiveKernel.Collection)]
public class KnobOverrideTests
{
    static string MaxPtesNone() => File.ReadAllText(ThpSysfs.MaxPtesNone).Trim();

    [Fact]
    public void DisposeRestoresTheOldValue()
    {
        LiveKernel.RequireRoot();
        LiveKernel.RequireThp();
        var before = MaxPtesNone();

        using (var knob = KnobOverride.Set(ThpSysfs.MaxPtesNone, "300"))
        {
            Assert.Equal("300", MaxPtesNone());
            Assert.Equal(before, knob.OriginalValue);
        }

        Assert.Equal(before, MaxPtesNone());
    }

    [Fact]
    public void AnExceptionInsideStillRestores()
    {
        LiveKernel.RequireRoot();
        LiveKernel.RequireThp();
        var before = MaxPtesNone();

        static void FailWhileOverridden()
        {
            using var knob = KnobOverride.Set(ThpSysfs.MaxPtesNone, "17");
            throw new InvalidOperationException("boom");
        }
        Assert.Throws<InvalidOperationException>(FailWhileOverridden);

        Assert.Equal(before, MaxPtesNone());
    }

    [Fact]
    public void NestedOverridesUnwindToTheFirstValue()
    {
        LiveKernel.RequireRoot();
        LiveKernel.RequireThp();
        var before = MaxPtesNone();

        using (KnobOverride.Set(ThpSysfs.MaxPtesNone, "100"))
        using (KnobOverride.Set(ThpSysfs.MaxPtesNone, "200"))
            Assert.Equal("200", MaxPtesNone());

        Assert.Equal(before, MaxPtesNone());
    }

    [Fact]
    public async Task RestoredEvenWhenTheWorkloadIsKilledFromOutside()
    {
        LiveKernel.RequireRoot();
        LiveKernel.RequireThp();
        var before = MaxPtesNone();

        using (KnobOverride.Set(ThpSysfs.MaxPtesNone, "256"))
        {
            await using var workload = await Workloads.StartAsync(
                new WorkloadSpec { Size = 8L << 20, Fills = [1], Fork = true });
            int pid = workload.Pid, child = workload.ChildPid!.Value;

            Libc.Kill(pid, Libc.SIGKILL);

            Assert.True(Wait.Until(() => !ProcessStat.IsAlive(pid) && !ProcessStat.IsAlive(child)));
        }

        Assert.Equal(before, MaxPtesNone());
    }

    [Fact]
    public void AKnobTheKernelRefusesIsAUserError()
    {
        LiveKernel.RequireRoot();
        LiveKernel.RequireThp();
        var before = MaxPtesNone();

        Assert.Throws<ThpTool.Scanner.Errors.UserError>(() => KnobOverride.Set(ThpSysfs.MaxPtesNone, "9999"));

        Assert.Equal(before, MaxPtesNone());
    }
}
