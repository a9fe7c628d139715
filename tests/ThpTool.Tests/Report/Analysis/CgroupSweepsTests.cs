using ThpTool.Report.Analysis;
using ThpTool.Scanner.KernelModel;
using Xunit;
using ThpTool.Tests.Support;

namespace ThpTool.Tests.Report.Analysis;

public sealed class CgroupSweepsTests
{
    [Fact]
    public void CgroupsAddUpToTheHostWithSharedThpsCountedOnce()
    {
        var scan = SyntheticScans.Host();
        int[] thresholds = [0, 100, 256, 470, 511];
        var parts = CgroupSweeps.Of(scan, thresholds, RemapPolicy.Upstream);
        Assert.Equal(["/machine.slice/machine-qemu\\x2d1\\x2dguest.scope", "/system.slice/api.service", SyntheticScans.HostileCgroup], parts.Select(p => p.Name));
        var whole = Sweep.Run(scan, thresholds).Rows;
        for (int i = 0; i < thresholds.Length; i++)
        {
            var sum = parts.Select(p => p.Sweep.Rows[i]).Aggregate((a, b) => a.Plus(b));
            Assert.Equal((whole[i].ThpsScanned, whole[i].BytesFreed, whole[i].PartialBytesFreed, whole[i].BytesGrown, whole[i].NetBytesFreed),
                         (sum.ThpsScanned, sum.BytesFreed, sum.PartialBytesFreed, sum.BytesGrown, sum.NetBytesFreed));
        }
    }

    [Fact]
    public void WithoutRecordedCgroupsThereIsNoBreakdownAndAMissingOneIsNamed()
    {
        var scan = SyntheticScans.Host();
        Assert.Empty(CgroupSweeps.Of(scan with { Processes = scan.Processes.Select(p => p with { Cgroup = null }).ToArray() }, [0, 511], RemapPolicy.Upstream));
        var oneUnknown = scan with { Processes = [scan.Processes[0] with { Cgroup = null }, .. scan.Processes.Skip(1)] };
        Assert.Contains(CgroupSweeps.Unknown, CgroupSweeps.Of(oneUnknown, [0, 511], RemapPolicy.Upstream).Select(p => p.Name));
    }
}
