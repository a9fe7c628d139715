using ThpTool.Report.Analysis;
using ThpTool.Report.Charts;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;
using Xunit;
using static ThpTool.Tests.Support.SyntheticScans;
using ThpTool.Tests.Support;

namespace ThpTool.Tests.Report.Analysis;

/// <summary>A merged fleet file reports like the host scans it was made from.</summary>
public class FleetReportTests
{
    static (ScanFile A, ScanFile B) TwoHosts() => (
        Scan(Vma([Thp(512), Thp(300), Thp(10), Thp(40, ThpMapping.Partial, mapped: 256)])) with { Host = "a" },
        Scan(Vma([Thp(480), Thp(257, ThpMapping.Pte), Thp(500, mlocked: true)], ranges: [new CollapseRange(0, 100, 300)])) with { Host = "b" });

    [Fact]
    public void EachHostOfAMergedFileSweepsAndAdvisesAsItsOwnScan()
    {
        var (a, b) = TwoHosts();
        var fromScans = ReportAnalysis.Of([("a.json", a), ("b.json", b)], ThresholdSet.All, RemapPolicy.Upstream);
        var fromFleet = ReportAnalysis.Of([("fleet.json", ScanMerge.Merge([a, b]))], ThresholdSet.All, RemapPolicy.Upstream);

        Assert.Equal(["a", "b"], fromFleet.Hosts.Select(h => h.Scan.Host));
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(fromScans.Hosts[i].Sweep.Rows, fromFleet.Hosts[i].Sweep.Rows);
            Assert.Equal(fromScans.Hosts[i].Advice.Recommended, fromFleet.Hosts[i].Advice.Recommended);
        }
        Assert.Equal(fromScans.Total!.Rows, fromFleet.Total!.Rows);
        Assert.Equal(fromScans.TotalAdvice!.Recommended, fromFleet.TotalAdvice!.Recommended);
    }

    [Fact]
    public void TheHistogramOfAMergedFileCountsTheSameThps()
    {
        var (a, b) = TwoHosts();
        var raw = SweepCharts.ZeroSubpages("t", [a, b], null, null).Bins;
        var merged = SweepCharts.ZeroSubpages("t", [ScanMerge.Merge([a, b])], null, null).Bins;
        Assert.Equal(raw, merged);
        Assert.Equal(6, merged.Sum(bin => bin.Count));  // the six fully mapped THPs (mlocked included), not the partial one
    }
}
