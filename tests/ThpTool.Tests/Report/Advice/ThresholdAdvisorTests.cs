using ThpTool.Report.Advice;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;
using Xunit;
using static ThpTool.Tests.Support.SyntheticScans;
using ThpTool.Tests.Support;

namespace ThpTool.Tests.Report.Advice;

public sealed class ThresholdAdvisorTests
{
    const long Thp = 2 << 20;

    /// <summary>Recovered bytes and THPs lost both fall linearly from threshold 0 to 511; ping-pong where asked.</summary>
    static SweepRow[] Linear(Func<int, long>? pingPong = null) => Enumerable.Range(0, 512).Select(n => new SweepRow
    {
        MaxPtesNone = n,
        BytesFreed = (511 - n) * 4096L,
        ThpBytesBefore = 1000 * Thp,
        ThpBytesAfter = (489 + n) * Thp,
        PingPongRanges = pingPong?.Invoke(n) ?? 0,
    }).ToArray();

    static ThresholdAdvice Advise(ScanFile scan, double share = ThresholdAdvisor.DefaultTargetShare) =>
        ThresholdAdvisor.Advise(Sweep.Run(scan, ThresholdSet.All).Rows, scan.Settings.MaxPtesNone, share);

    [Theory]
    [InlineData(0.8, 102)]
    [InlineData(0.5, 255)]
    [InlineData(1.0, 0)]
    public void ShareChoiceIsTheLargestThresholdMeetingTheTarget(double share, int expected)
    {
        var advice = ThresholdAdvisor.Advise(Linear(), 511, share);
        Assert.Equal(expected, advice.ShareChoice!.Threshold);
        Assert.Equal(expected, advice.Recommended);
        Assert.True(advice.ShareChoice.ShareOfMaximum >= share);
    }

    /// <summary>
    /// 100 THPs with 500 zero subpages are cheap to split (98% of the memory for half the THPs), 100 with 10 are not:
    /// the knee sits where the cheap ones are all split, at 499.
    /// </summary>
    [Fact]
    public void KneeIsWhereSplitsStopPaying()
    {
        var scan = Scan(Vma(Enumerable.Repeat(Thp(500), 100).Concat(Enumerable.Repeat(Thp(10), 100))));
        var advice = Advise(scan, share: 0.99);
        Assert.Equal(499, advice.KneeChoice!.Threshold);
        Assert.Equal(9, advice.ShareChoice!.Threshold);
        Assert.Equal(9, advice.Recommended);
        Assert.Equal(100 * Thp, advice.KneeChoice.CoverageLostBytes);
        Assert.Equal(100 * 500 * 4096L, advice.KneeChoice.BytesRecovered);
        Assert.Contains("knee at 499 keeps more THPs", advice.Reason);
    }

    [Fact]
    public void ShareAndKneeAgreeWhenTheTargetIsMetAtTheKnee()
    {
        var scan = Scan(Vma(Enumerable.Repeat(Thp(500), 100).Concat(Enumerable.Repeat(Thp(10), 100))));
        var advice = Advise(scan);
        Assert.Equal(499, advice.Recommended);
        Assert.Contains("also the knee", advice.Reason);
    }

    [Fact]
    public void NothingToReclaimKeepsTheRuleOff()
    {
        var advice = Advise(Scan(Vma(Enumerable.Repeat(Thp(0), 50))));
        Assert.Equal(511, advice.Recommended);
        Assert.Null(advice.ShareChoice);
        Assert.Null(advice.KneeChoice);
        Assert.StartsWith("No threshold frees more", advice.Reason);
    }

    [Fact]
    public void PartialSplitsHappenAnywayAndDoNotCountAsRecovered()
    {
        var advice = Advise(Scan(Vma([Thp(300, ThpMapping.Partial, mapped: 100), Thp(0)])));
        Assert.Equal(511, advice.Recommended);
    }

    [Fact]
    public void PingPongThresholdIsTradedForANearEqualOne()
    {
        var advice = ThresholdAdvisor.Advise(Linear(n => n is >= 100 and <= 102 ? 3 : 0), 511);
        Assert.Equal(99, advice.Recommended);
        Assert.Equal(0, advice.ShareChoice!.PingPongRanges);
        Assert.Contains("102 was passed over: 3 range(s) would be collapsed and split again", advice.Reason);
    }

    [Fact]
    public void PingPongWithoutANearEqualChoiceIsKeptAndFlagged()
    {
        var advice = ThresholdAdvisor.Advise(Linear(n => n < 480 ? 1 : 0), 511);
        Assert.Equal(102, advice.Recommended);
        Assert.Contains("Beware: 1 range(s)", advice.Reason);
    }

    [Fact]
    public void KhugepagedGrowthIsSubtracted()
    {
        // Threshold 0 frees 100 KiB; above 100 a collapse grows 400 KiB, more than any split there frees.
        var rows = Enumerable.Range(0, 512).Select(n => new SweepRow
        {
            MaxPtesNone = n, BytesFreed = n < 100 ? 100 * 1024 : 0, BytesGrown = n >= 100 ? 400 * 1024 : 0,
            ThpBytesAfter = n < 100 ? 0 : Thp,
        }).ToArray();
        var advice = ThresholdAdvisor.Advise(rows, 511);
        Assert.Equal(500 * 1024, advice.ShareChoice!.BytesRecovered);
        Assert.Equal(99, advice.Recommended);
    }

    [Fact]
    public void SaysWhenTheRecommendationIsTheCurrentSetting()
    {
        Assert.Contains("That is the current setting.", ThresholdAdvisor.Advise(Linear(), 102).Reason);
        Assert.DoesNotContain("current setting", ThresholdAdvisor.Advise(Linear(), 511).Reason);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void RejectsATargetShareOutside0To1(double share) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ThresholdAdvisor.Advise(Linear(), 511, share));

    [Fact]
    public void CaveatTravelsWithTheAdvice() =>
        Assert.Contains("judges each THP once", ThresholdAdvisor.Advise(Linear(), 511).Caveat);
}
