using ThpTool.Report.Advice;
using ThpTool.Report.Csv;
using ThpTool.Report.Json;
using ThpTool.Report.Terminal;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;
using Xunit;
using ThpTool.Tests.Support;

namespace ThpTool.Tests.Report;

/// <summary>Partially mapped mTHP in every output: terminal summary and table, JSON summary, CSV.</summary>
public sealed class MthpOutputTests
{
    static ScanFile Scan()
    {
        MthpRecord Partial(ulong at, int mapped, int zero) => new() { Address = at, Pfn = at >> 12, Pages = 16, MappedSubpages = mapped, ZeroSubpages = zero };
        var vma = SyntheticScans.Vma([]) with
        {
            PartialMthps = [Partial(0x10000, 15, 9), Partial(0x20000, 14, 0)],
            Others = new OtherFolios { Mthps = 13, MthpBytes = 10 * 65536 + 3 * 16384, MthpsByKb = new Dictionary<int, int> { [64] = 10, [16] = 3 } },
        };
        return SyntheticScans.Scan(vma);
    }

    [Fact]
    public void TerminalSaysHowManyMthpOfEachSizeAndTheTableCountsTheirSplits()
    {
        var scan = Scan();
        Assert.Contains("mTHP: 3 of 16 KiB (0 partially mapped), 10 of 64 KiB (2 partially mapped)", ScanSummary.Describe(scan));
        var hosts = FleetSweep.Run(scan, [0, 511], RemapPolicy.Upstream);
        var advice = ThresholdAdvisor.Advise(hosts[0].Result.Rows, 511, 0.9);
        var table = SweepTable.Render(scan, hosts, advice);
        Assert.Contains("partial mTHP split", table);
    }

    [Fact]
    public void CsvAndJsonCarryThePartialMthpSplits()
    {
        var scan = Scan();
        var host = FleetSweep.Run(scan, [256], RemapPolicy.Upstream)[0];
        var record = SweepCsv.ToRecord(host.Result.Rows[0], host);
        Assert.Equal(2, record.PartialMthpsSplit);
        Assert.Equal((9 + 1 + 0 + 2) * 4096, record.PartialMthpBytesFreed);
        Assert.Equal(record.PartialMthpBytesFreed, record.NetBytesFreed);
        var json = ScanSummaryDocument.From(scan).ToJson();
        Assert.Contains("\"mthps\":[{\"kb\":16,\"folios\":3,\"partial\":0},{\"kb\":64,\"folios\":10,\"partial\":2}]", json.Replace(" ", "").Replace("\n", ""));
    }
}
