using System.Text;
using ThpTool.Common.Errors;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;
using ThpTool.Tests.Support;

namespace ThpTool.Tests.Scanner.ScanFiles;

public sealed class MergeTests
{
    [Fact]
    public void FleetRowsAreTheSumOfTheHosts()
    {
        var a = SyntheticScans.Seeded(1, "a");
        var b = SyntheticScans.Seeded(2, "b");
        var hosts = FleetSweep.Run(ScanMerge.Merge([a, b]), ThresholdSet.All, RemapPolicy.Upstream);
        Assert.Equal(["a", "b"], hosts.Select(h => h.Host));
        var total = FleetSweep.Total(hosts);
        Assert.Equal(FleetSweep.FleetHost, total.Host);
        var rawA = Sweep.Run(a, ThresholdSet.All).Rows;
        var rawB = Sweep.Run(b, ThresholdSet.All).Rows;
        for (int n = 0; n < rawA.Count; n++)
        {
            Assert.Equal(rawA[n].BytesFreed + rawB[n].BytesFreed, total.Result.Rows[n].BytesFreed);
            Assert.Equal(rawA[n].NetBytesFreed + rawB[n].NetBytesFreed, total.Result.Rows[n].NetBytesFreed);
            Assert.Equal(rawA[n].ThpBytesAfter + rawB[n].ThpBytesAfter, total.Result.Rows[n].ThpBytesAfter);
        }
    }

    [Fact]
    public void MergesOfMergesFlatten()
    {
        var ab = ScanMerge.Merge([SyntheticScans.Seeded(1, "a"), SyntheticScans.Seeded(2, "b")]);
        var abc = ScanMerge.Merge([ab, SyntheticScans.Seeded(3, "c")]);
        Assert.Equal(["a", "b", "c"], abc.Hosts!.Select(h => h.Host));
    }

    [Fact]
    public void OneHostTwiceIsRefused()
    {
        var e = Assert.Throws<UserError>(() => ScanMerge.Merge([SyntheticScans.Seeded(1, "a"), SyntheticScans.Seeded(2, "a")]));
        Assert.Equal(ExitCode.Usage, e.Code);
        Assert.Contains("host a appears 2 times", e.Message);
    }

    [Fact]
    public void SingleHostScansStayVersion1AndFleetFilesAreVersion2()
    {
        var scan = SyntheticScans.Seeded(1);
        Assert.Contains("\"version\":1,", ScanFileStore.ToJson(scan));
        Assert.DoesNotContain("\"hosts\"", ScanFileStore.ToJson(scan));
        Assert.Contains("\"version\":2,", ScanFileStore.ToJson(ScanMerge.Merge([scan])));
    }

    [Fact]
    public void VersionAndHostSummariesMustAgree()
    {
        var v2WithoutHosts = ScanFileStore.ToJson(SyntheticScans.Seeded(1) with { Version = ScanFile.FleetVersion });
        var e = Assert.Throws<UserError>(() => ScanFileStore.Parse(Encoding.UTF8.GetBytes(v2WithoutHosts), "x"));
        Assert.Equal(ExitCode.BadScanFile, e.Code);
    }

    [Fact]
    public void Version1FilesWithoutTheNewFieldsStillLoad()
    {
        // What a thptool from before cgroups and .NET details wrote.
        const string old = """
            {"format":"thptool-scan","version":1,"host":"h","kernel":"6.12","timestamp":"2025-01-01T00:00:00+00:00","mode":"Kpageflags",
             "settings":{"enabled":"always","defrag":"madvise","shrinkUnderused":1,"maxPtesNone":511,"maxPtesSwap":64,"maxPtesShared":256},
             "processes":[{"pid":1,"comm":"a","isDotnet":false,"vmas":[{"start":0,"end":2097152,"perms":"rw-p","flags":["hg"],
             "rssKb":2048,"anonHugePagesKb":2048,
             "thps":[{"address":0,"pfn":5,"mapping":"Pmd","mappedSubpages":512,"zeroSubpages":500,"exclusive":true,"folioMlocked":false}],
             "collapseRanges":[],"others":{"fileOrShmemThps":0,"hugeZeroPages":0,"mthps":0,"mthpBytes":0}}]}],"vmstat":{},"skipped":[]}
            """;
        var scan = ScanFileStore.Parse(Encoding.UTF8.GetBytes(old), "old");
        Assert.Null(scan.Processes[0].Cgroup);
        Assert.Null(scan.Hosts);
        Assert.Equal(1, Sweep.Run(scan, [499]).Rows[0].ThpsSplit);
        Assert.Empty(scan.Processes[0].Vmas[0].PartialMthps);
        Assert.Empty(scan.Processes[0].Vmas[0].Others.MthpsByKb);
        Assert.Equal(0, Sweep.Run(scan, [499]).Rows[0].PartialMthpsSplit);
    }
}
