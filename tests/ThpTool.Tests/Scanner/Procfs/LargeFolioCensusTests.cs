using ThpTool.Experiments.Workloads;
using ThpTool.Scanner.Procfs;
using ThpTool.Tests.Support;
using Xunit;
using ThpTool.Scanner.Memory;

namespace ThpTool.Tests.Scanner.Procfs;

/// <summary>
/// The kernel counters the census compares, against live workloads: a THP mapped only by PTEs must make the
/// census rule nothing out, or the scanner would skip the kpageflags lookups that find it.
/// </summary>
[Collection(LiveKernel.Collection)]
[Live]
public class LargeFolioCensusTests
{
    static void RequireQuietCensus()
    {
        LiveKernel.RequireRoot();
        LiveKernel.RequireThp();
        if (!File.Exists(ThpSysfs.SizeAnonFolios(ThpSysfs.PmdSizeKb)))
            Assert.Skip("this kernel has no per-size nr_anon counter (Linux 6.13+)");
        LiveKernel.RequireQuietFolioCensus();
    }

    [Fact]
    public async Task PmdMappedThpsKeepTheCountersEqual()
    {
        RequireQuietCensus();
        await using var w = await Workloads.StartAsync(new WorkloadSpec { Size = 8 * Geometry.ThpSize, Stride = 4096, Fork = true });
        Assert.Equal(8 * 2048, w.ReadSmaps()!.AnonHugePagesKb);
        Assert.Equal(new LargeFolioCensus(OnlyPmdSized: true, AllPmdMapped: true), LargeFolioCensus.Read());
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 100)]
    public async Task AThpMappedOnlyByPtesTurnsTheCensusOff(bool misalign, int partial)
    {
        RequireQuietCensus();
        await using var w = await Workloads.StartAsync(new WorkloadSpec
        {
            Size = 4 * Geometry.ThpSize, Stride = 4096, Misalign = misalign, Partial = partial,
        });
        Assert.Equal(new LargeFolioCensus(OnlyPmdSized: true, AllPmdMapped: false), LargeFolioCensus.Read());
    }
}
