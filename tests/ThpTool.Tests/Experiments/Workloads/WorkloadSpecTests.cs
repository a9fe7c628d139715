using Xunit;
using ThpTool.Common.Errors;
using ThpTool.Common.Text;
using ThpTool.Experiments.Workloads;
using ThpTool.Scanner.Memory;

namespace ThpTool.Tests.Experiments.Workloads;

public class WorkloadSpecTests
{
    [Theory]
    [InlineData("4096", 4096L)]
    [InlineData("50K", 50L * 1024)]
    [InlineData("200m", 200L << 20)]
    [InlineData("1G", 1L << 30)]
    public void ByteSizeAcceptsBinarySuffixes(string text, long expected) =>
        Assert.Equal(expected, ByteSize.Parse(text, "--size"));

    [Theory]
    [InlineData("0")]
    [InlineData("-4K")]
    [InlineData("12X")]
    [InlineData("M")]
    public void ByteSizeRejectsNonsense(string text) =>
        Assert.Equal(ExitCode.Usage, Assert.Throws<UserError>(() => ByteSize.Parse(text, "--size")).Code);

    [Theory]
    [InlineData("3M", null, "1")]       // not a multiple of 2 MiB
    [InlineData("4M", null, null)]      // no pattern
    [InlineData("4M", "50K", "1")]      // two patterns
    [InlineData("4M", null, "513")]     // more subpages than a THP has
    [InlineData("4M", null, "1,,2")]
    public void FromOptionsRejectsBadSpecs(string size, string? stride, string? fills) =>
        Assert.Equal(ExitCode.Usage,
            Assert.Throws<UserError>(() => WorkloadSpec.FromOptions(size, stride, fills, false, null, false, 0)).Code);

    [Fact]
    public void PartialAndMlockAreRefusedTogether() =>
        Assert.Throws<UserError>(() => WorkloadSpec.FromOptions("4M", null, "1", mlock: true, null, false, partial: 8));

    [Fact]
    public void ArgumentsRoundTrip()
    {
        var spec = WorkloadSpec.FromOptions("8M", null, "0,1,512", mlock: true, uffd: "wp", fork: true, partial: 0);
        var args = spec.ToArguments();
        Assert.Equal(["workload", "--size", "8388608", "--fills", "0,1,512", "--mlock", "--uffd", "wp", "--fork"], args);
    }

    [Fact]
    public void ForkWriteIsPassedOnAndRefusedWithShmem()
    {
        var spec = new WorkloadSpec { Size = 4L << 20, Fills = [1], ForkWrite = true };
        Assert.Equal("--fork-write", spec.ToArguments()[^1]);
        Assert.Equal(ExitCode.Usage, Assert.Throws<UserError>(() => (spec with { Shmem = true }).Validate()).Code);
    }

    [Fact]
    public void DropsParseRangesAndEmptyGroupsAndRoundTrip()
    {
        var drops = SubpageDrops.Parse("12,10/1-3,5//511");
        Assert.Equal([[10, 12], [1, 2, 3, 5], [], [511]], drops.PerThp.Select(g => g.ToArray()).ToArray());
        Assert.Equal([1, 2, 3, 5], drops.Of(5));
        var spec = new WorkloadSpec { Size = 4L << 20, ContentSeed = 7, Drops = drops, LazyFree = true };
        spec.Validate();
        Assert.Equal(["--content-seed", "7", "--drops", "10,12/1,2,3,5//511", "--lazy-free"], spec.ToArguments().Skip(3));
    }

    [Theory]
    [InlineData("512")]
    [InlineData("5-3")]
    [InlineData("1-2-3")]
    [InlineData("x")]
    public void BadDropsAreUsageErrors(string text) =>
        Assert.Equal(ExitCode.Usage, Assert.Throws<UserError>(() => SubpageDrops.Parse(text)).Code);

    [Fact]
    public void LazyFreeNeedsDropsAndDropsRefuseMlock()
    {
        var spec = new WorkloadSpec { Size = 4L << 20, Fills = [1] };
        Assert.Throws<UserError>(() => (spec with { LazyFree = true }).Validate());
        Assert.Throws<UserError>(() => (spec with { Drops = SubpageDrops.Parse("1"), Mlock = true }).Validate());
    }

    [Fact]
    public void ShmemIsPassedOn() =>
        Assert.Equal("--shmem", new WorkloadSpec { Size = 4L << 20, Fills = [1], Shmem = true }.ToArguments()[^1]);

    [Fact]
    public void FillsSpreadKnownCountsOverEveryThp()
    {
        var spec = new WorkloadSpec { Size = 6 * Geometry.ThpSize, Fills = [0, 1, 512] };
        var thps = Contents(spec).Thps(0);
        Assert.Equal([0, 1, 512, 0, 1, 512], thps.Select(t => t.NonZeroSubpages));
        Assert.All(thps, t => Assert.Equal(512, t.MappedSubpages));
    }

    [Fact]
    public void FillsPutTheNonZeroByteAtFirstLastAndMiddle()
    {
        var spec = new WorkloadSpec { Size = Geometry.ThpSize, Fills = [3] };
        var offsets = FillPlan.Bytes(spec).Select(b => b.Offset % Geometry.PageSize);
        Assert.Equal([0L, 4095L, 2048L], offsets);
    }

    [Fact]
    public void StrideOf50KiBTouches41SubpagesPerThp()
    {
        var spec = new WorkloadSpec { Size = 2 * Geometry.ThpSize, Stride = 50 * 1024 };
        Assert.Equal([41, 41], Contents(spec).Thps(0).Select(t => t.NonZeroSubpages));
    }

    static RegionContents Contents(WorkloadSpec spec)
    {
        var contents = new RegionContents(spec.ThpCount);
        foreach (var b in FillPlan.Bytes(spec))
            contents.MarkNonZero(b.Offset);
        return contents;
    }
}
