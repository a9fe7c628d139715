using ThpTool.Report.Terminal;
using ThpTool.Scanner.ScanFiles;
using ThpTool.Tests.Support;

namespace ThpTool.Tests.Report.Terminal;

public sealed class RollupTests
{
    [Fact]
    public void SharedThpsCountOncePerCgroupAndEveryTimePerProcess()
    {
        // One physical THP (PFN 512) mapped by three processes, two of them in cgroup /a; /a also has a THP of its own.
        var scan = SyntheticScans.Seeded(1) with
        {
            Processes =
            [
                Process(1, "/a", Thp(512, null, 500), Thp(1024, null, 100)),
                Process(2, "/a", Thp(512, 1, 500)),
                Process(3, "/b", Thp(512, 1, 500)),
            ],
        };
        Assert.Equal([2L, 1, 1], Rollup.PerProcess(scan).Select(l => l.Thps));
        var cgroups = Rollup.PerCgroup(scan).ToDictionary(l => l.Name);
        Assert.Equal((2, 2L, 600L), (cgroups["/a"].Processes, cgroups["/a"].Thps, cgroups["/a"].ZeroSubpages));
        Assert.Equal((1, 1L, 500L), (cgroups["/b"].Processes, cgroups["/b"].Thps, cgroups["/b"].ZeroSubpages));
        Assert.Contains("3 process(es), 2 THPs", ScanSummary.Describe(scan));
    }

    static ThpRecord Thp(ulong pfn, int? countedIn, int zero) =>
        new() { Address = pfn << 12, Pfn = pfn, Mapping = ThpMapping.Pmd, ZeroSubpages = zero, CountedInPid = countedIn };

    static ProcessScan Process(int pid, string cgroup, params ThpRecord[] thps) => new()
    {
        Pid = pid, Comm = $"p{pid}", Cgroup = cgroup,
        Vmas = [new VmaScan { Start = 0, End = 1UL << 30, Perms = "rw-p", Flags = ["hg"], Thps = thps }],
    };
}
