using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;
using Xunit;
using static ThpTool.Tests.Support.SyntheticScans;
using ThpTool.Tests.Support;

namespace ThpTool.Tests.Scanner.KernelModel;

public class ShrinkerModelTests
{
    [Theory]
    [InlineData(257, 256, true)]
    [InlineData(256, 256, false)]   // strictly more than max_ptes_none
    [InlineData(512, 510, true)]
    [InlineData(512, 511, false)]   // 511 turns the rule off, even for an all-zero THP
    [InlineData(1, 0, true)]
    [InlineData(0, 0, false)]
    public void UnderusedIsStrictlyMoreThanTheThresholdAndOffAt511(int zero, int n, bool expected) =>
        Assert.Equal(expected, ShrinkerModel.IsUnderused(zero, n));

    [Fact]
    public void MlockedThpsAreSkippedWhetherTheFolioOrTheVmaIsLocked()
    {
        Assert.Equal(ThpFate.SkippedMlocked, ShrinkerModel.Judge(Thp(512, mlocked: true), vmaLocked: false, 0));
        Assert.Equal(ThpFate.SkippedMlocked, ShrinkerModel.Judge(Thp(512), vmaLocked: true, 0));
    }

    [Fact]
    public void PartiallyMappedThpsSplitAtEveryThresholdAnd511Included()
    {
        foreach (var n in new[] { 0, 256, 511 })
            Assert.Equal(ThpFate.SplitPartial, ShrinkerModel.Judge(Thp(0, ThpMapping.Partial, mapped: 256), false, n));
    }

    [Fact]
    public void PteMappedFullThpsAreJudgedLikePmdMappedOnes()
    {
        Assert.Equal(ThpFate.SplitUnderused, ShrinkerModel.Judge(Thp(300, ThpMapping.Pte), false, 256));
        Assert.Equal(ThpFate.Kept, ShrinkerModel.Judge(Thp(200, ThpMapping.Pte), false, 256));
    }

    [Fact]
    public void ASplitFreesTheZeroSubpagesAndWhatAPartialMappingDropped()
    {
        Assert.Equal(300L * 4096, ShrinkerModel.BytesFreedBySplit(Thp(300)));
        Assert.Equal((10L + 256) * 4096, ShrinkerModel.BytesFreedBySplit(Thp(10, ThpMapping.Partial, mapped: 256)));
    }

    [Fact]
    public void APteMappedPartOfAWholeFolioIsJudgedByTheRuleAndFreesOnlyItsZeroSubpages()
    {
        // A forked child's 511 subpages of a THP its parent maps whole: the 512th is mapped there and stays.
        var part = Thp(300, ThpMapping.Pte, mapped: 511);
        Assert.Equal(300L * 4096, ShrinkerModel.BytesFreedBySplit(part));
        Assert.Equal(ThpFate.Kept, ShrinkerModel.Judge(part, vmaLocked: false, maxPtesNone: 511));
        Assert.Equal(ThpFate.SplitUnderused, ShrinkerModel.Judge(part, vmaLocked: false, maxPtesNone: 299));
    }

    [Fact]
    public void KhugepagedCollapsesAtMostMaxPtesNoneEmptyAndNoneInUffdVmas()
    {
        var settings = Settings();
        var range = new CollapseRange(0, EmptyOrZeroPtes: 100, ZeroContentPages: 300);
        Assert.True(KhugepagedModel.Collapses(range, uffdArmed: false, 100, settings));
        Assert.False(KhugepagedModel.Collapses(range, uffdArmed: false, 99, settings));
        Assert.False(KhugepagedModel.Collapses(range, uffdArmed: true, 511, settings));
        Assert.True(KhugepagedModel.Collapses(range with { EmptyOrZeroPtes = 0 }, uffdArmed: true, 0, settings));
        Assert.False(KhugepagedModel.Collapses(range with { SwapPtes = 65 }, false, 511, settings));
        Assert.False(KhugepagedModel.Collapses(range with { SharedPtes = 257 }, false, 511, settings));
        Assert.Equal(100L * 4096, KhugepagedModel.BytesGrownByCollapse(range));
        Assert.True(KhugepagedModel.PingPong(range, false, 200, settings));    // 100 <= 200 < 300
        Assert.False(KhugepagedModel.PingPong(range, false, 300, settings));
        Assert.False(KhugepagedModel.PingPong(range, false, 511, settings));   // nothing splits at 511
    }

    [Fact]
    public void PartiallyMappedMthpsSplitAtEveryThresholdFreeingUnmappedAndZeroSubpagesUnlessMlocked()
    {
        var mthp = new MthpRecord { Address = 0, Pages = 16, MappedSubpages = 15, ZeroSubpages = 10 };
        var locked = mthp with { FolioMlocked = true };
        var scan = SyntheticScans.Scan(SyntheticScans.Vma([]) with { PartialMthps = [mthp, locked] });
        foreach (var row in Sweep.Run(scan, [0, 256, 511]).Rows)
        {
            Assert.Equal(1, row.PartialMthpsSplit);
            Assert.Equal((10 + 1) * 4096, row.PartialMthpBytesFreed);
            Assert.Equal(10, row.SubpagesZeroMapped);
            Assert.Equal(row.PartialMthpBytesFreed, row.NetBytesFreed);
            Assert.Equal(0, row.ThpsScanned);
        }
        Assert.Equal(ThpFate.SkippedMlocked, ShrinkerModel.Judge(mthp, vmaLocked: true));
    }
}
