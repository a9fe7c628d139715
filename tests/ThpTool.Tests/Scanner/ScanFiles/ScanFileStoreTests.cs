using ThpTool.Common.Errors;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;
using Xunit;
using ThpTool.Tests.Support;

namespace ThpTool.Tests.Scanner.ScanFiles;

public class ScanFileStoreTests
{
    static ScanFile Sample() => SyntheticScans.Scan(SyntheticScans.Vma(
        [SyntheticScans.Thp(300), SyntheticScans.Thp(10, ThpMapping.Partial, mapped: 100)],
        ranges: [new CollapseRange(0x7f0000200000, 5, 50, 1, 2)]));

    [Fact]
    public void RoundTripsEverythingTheSweepNeeds()
    {
        var dir = Directory.CreateTempSubdirectory();
        var path = Path.Combine(dir.FullName, "scan.json");
        try
        {
            var scan = Sample();
            ScanFileStore.Save(scan, path);
            var back = ScanFileStore.Load(path);
            Assert.Equal(scan.Version, back.Version);
            Assert.Equal(Sweep.Run(scan, ThresholdSet.All).Rows, Sweep.Run(back, ThresholdSet.All).Rows);
            Assert.Equal(scan.Processes[0].Vmas[0].CollapseRanges, back.Processes[0].Vmas[0].CollapseRanges);
            Assert.Equal([path], Directory.GetFiles(dir.FullName));
        }
        finally { dir.Delete(true); }
    }

    [Theory]
    [InlineData(5.0, 1L, "sample.fraction is 5")]
    [InlineData(0.0, 1L, "sample.fraction is 0")]
    [InlineData(0.5, -3L, "cost.bytesRead is -3")]
    public void RefusesASampleOrCostNoScanRecords(double fraction, long bytesRead, string expected)
    {
        var scan = Sample() with
        {
            Sample = new ContentSample { Fraction = fraction, Seed = 7 },
            Cost = new ScanCost { CpuSeconds = 1, BytesRead = bytesRead, LongestReadSeconds = 0.001 },
        };
        var e = Assert.Throws<UserError>(() => ScanFileStore.Parse(System.Text.Encoding.UTF8.GetBytes(ScanFileStore.ToJson(scan)), "x.json"));
        Assert.Equal(ExitCode.BadScanFile, e.Code);
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("{\"hello\": 1}", "is not a thptool scan")]
    [InlineData("[1,2,3]", "is not a thptool scan")]
    [InlineData("not json at all", "not complete JSON")]
    [InlineData("{\"format\":\"thptool-scan\",\"version\":99}", "version 99")]
    [InlineData("{\"format\":\"thptool-scan\",\"version\":1}", "damaged scan")]
    public void RefusesWhatIsNotACompleteScan(string content, string expected)
    {
        var e = Assert.Throws<UserError>(() => ScanFileStore.Parse(System.Text.Encoding.UTF8.GetBytes(content), "x.json"));
        Assert.Equal(ExitCode.BadScanFile, e.Code);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void RefusesATruncatedScan()
    {
        var json = ScanFileStore.ToJson(Sample());
        var e = Assert.Throws<UserError>(() => ScanFileStore.Parse(System.Text.Encoding.UTF8.GetBytes(json[..(json.Length / 2)]), "cut.json"));
        Assert.Equal(ExitCode.BadScanFile, e.Code);
        Assert.Contains("truncated", e.Message);
    }
}
