using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;
using Xunit;
using static ThpTool.Tests.Support.SyntheticScans;
using ThpTool.Tests.Support;

namespace ThpTool.Tests.Scanner.KernelModel;

public class SweepTests
{
    [Fact]
    public void CountsSplitsAndBytesExactlyPerThreshold()
    {
        var scan = Scan(Vma([Thp(512), Thp(400), Thp(257), Thp(256), Thp(0)]));
        var rows = Sweep.Run(scan, [0, 256, 400, 511]).Rows;
        Assert.All(rows, r => Assert.Equal(5, r.ThpsScanned));
        Assert.Equal([4L, 3, 1, 0], rows.Select(r => r.ThpsSplit));
        Assert.Equal((512L + 400 + 257 + 256) * 4096, rows[0].BytesFreed);
        Assert.Equal((512L + 400 + 257) * 4096, rows[1].BytesFreed);
        Assert.Equal(512L * 4096, rows[2].BytesFreed);
        Assert.Equal(0, rows[3].BytesFreed);
        Assert.Equal(5L * 2 * 1024 * 1024, rows[3].ThpBytesAfter);
        Assert.Equal(1L * 2 * 1024 * 1024, rows[0].ThpBytesAfter);
    }

    [Fact]
    public void SharedThpsAreCountedOnceAndMlockedOnesNever()
    {
        var scan = Scan(Vma([Thp(500), Thp(500, countedIn: 1), Thp(500, mlocked: true)]), Vma([Thp(500)], flags: "rd wr hg lo"));
        var row = Sweep.Run(scan, [0]).Rows[0];
        Assert.Equal(3, row.ThpsScanned);
        Assert.Equal(1, row.ThpsSplit);
        Assert.Equal(2, row.MlockedSkipped);
    }

    [Fact]
    public void RemapPolicyMovesZeroSubpagesBetweenZeroPageAndPteNoneButFreesTheSame()
    {
        var scan = Scan(Vma([Thp(500)]), Vma([Thp(400)], flags: "rd wr hg um"));
        var upstream = Sweep.Run(scan, [0], RemapPolicy.Upstream);
        var v1 = Sweep.Run(scan, [0], RemapPolicy.V1);
        Assert.Equal(900, upstream.Rows[0].SubpagesZeroMapped);
        Assert.Equal(0, upstream.Rows[0].SubpagesPteNone);
        Assert.Equal(400, v1.Rows[0].SubpagesZeroMapped);
        Assert.Equal(500, v1.Rows[0].SubpagesPteNone);
        Assert.Equal(upstream.Rows[0].BytesFreed, v1.Rows[0].BytesFreed);
        Assert.Equal(1, upstream.Rows[0].UffdThpsSplit);
        var flagged = Assert.Single(upstream.UffdVmas);
        Assert.Equal([1], flagged.SplitsAtThreshold);
    }

    [Fact]
    public void CollapsesGrowMemoryAndPingPongIsCounted()
    {
        var ranges = new[] { new CollapseRange(0, 10, 10), new CollapseRange(0, 100, 300), new CollapseRange(0, 400, 450) };
        var scan = Scan(Vma([], ranges: ranges));
        var rows = Sweep.Run(scan, [9, 10, 200, 511]).Rows;
        Assert.Equal([0L, 1, 2, 3], rows.Select(r => r.RangesCollapsed));
        Assert.Equal(110L * 4096, rows[2].BytesGrown);
        Assert.Equal(1, rows[2].PingPongRanges);
        Assert.Equal(0, rows[3].PingPongRanges);
        Assert.Equal(-110L * 4096, rows[2].NetBytesFreed);
    }

    [Fact]
    public void SplitsAndBytesFreedNeverRiseWithTheThreshold()
    {
        // Property: over many random populations, the sweep is monotone in the threshold.
        var random = new Random(1234);
        for (int trial = 0; trial < 200; trial++)
        {
            var thps = Enumerable.Range(0, random.Next(1, 60)).Select(_ => Thp(random.Next(0, 513),
                random.Next(10) == 0 ? ThpMapping.Partial : ThpMapping.Pmd, mapped: 512, mlocked: random.Next(20) == 0)).ToList();
            var rows = Sweep.Run(Scan(Vma(thps)), ThresholdSet.All).Rows;
            for (int n = 1; n < rows.Count; n++)
            {
                Assert.True(rows[n].ThpsSplit <= rows[n - 1].ThpsSplit);
                Assert.True(rows[n].BytesFreed <= rows[n - 1].BytesFreed);
                Assert.Equal(rows[0].PartialThpsSplit, rows[n].PartialThpsSplit);
            }
            Assert.Equal(0, rows[511].ThpsSplit);
        }
    }
}
