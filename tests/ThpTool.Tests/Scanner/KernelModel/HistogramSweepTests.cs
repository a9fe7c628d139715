using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;
using ThpTool.Tests.Support;

namespace ThpTool.Tests.Scanner.KernelModel;

public sealed class HistogramSweepTests
{
    [Theory]
    [InlineData(1, RemapPolicy.Upstream)]
    [InlineData(2, RemapPolicy.Upstream)]
    [InlineData(3, RemapPolicy.V1)]
    [InlineData(4, RemapPolicy.V1)]
    public void SummaryGivesTheRawScansRowsAtEveryThreshold(int seed, RemapPolicy policy)
    {
        var scan = SyntheticScans.Seeded(seed);
        var raw = Sweep.Run(scan, ThresholdSet.All, policy).Rows;
        var summary = HistogramSweep.Run(HostSummary.From(scan), ThresholdSet.All, policy).Rows;
        Assert.True(raw[0].ThpsSplit > 0 && raw[^1].RangesCollapsed > 0 && raw[0].PartialThpsSplit > 0 && raw[0].PartialMthpsSplit > 0 && raw[0].MlockedSkipped > 0 &&
                    raw[0].UffdThpsSplit > 0 && raw.Any(r => r.PingPongRanges > 0), "the synthetic scan must exercise every class");
        Assert.Equal(raw, summary);
    }

    [Fact]
    public void SummarySurvivesTheFleetFileRoundTrip()
    {
        var scan = SyntheticScans.Seeded(7);
        var fleet = ScanFileStore.Parse(System.Text.Encoding.UTF8.GetBytes(ScanFileStore.ToJson(ScanMerge.Merge([scan]))), "test");
        Assert.Equal(Sweep.Run(scan, ThresholdSet.All).Rows, HistogramSweep.Run(Assert.Single(fleet.Hosts!), ThresholdSet.All).Rows);
    }

    [Fact]
    public void SharedThpsAreInTheHistogramOnce()
    {
        var scan = SyntheticScans.Seeded(5);
        long own = Sweep.Vmas(scan).Sum(x => Sweep.Own(x.Vma).Count());
        Assert.True(Sweep.Vmas(scan).Sum(x => x.Vma.Thps.Count) > own, "the synthetic scan must share THPs");
        Assert.Equal(own, HostSummary.From(scan).Thps.Sum(h => h.Counts.Sum()));
    }
}
