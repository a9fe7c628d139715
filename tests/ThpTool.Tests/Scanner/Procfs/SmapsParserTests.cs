using ThpTool.Scanner.Procfs;
using Xunit;

namespace ThpTool.Tests.Scanner.Procfs;

public class SmapsParserTests
{
    const string Sample = """
        55d4c6a00000-55d4c6c00000 rw-p 00000000 00:00 0                          [heap]
        Size:               2048 kB
        Rss:                1024 kB
        AnonHugePages:         0 kB
        VmFlags: rd wr mr mw me ac sd
        7f0000000000-7f0000400000 rw-p 00000000 00:00 0 
        Size:               4096 kB
        Rss:                4096 kB
        AnonHugePages:      4096 kB
        THPeligible:    1
        VmFlags: rd wr mr mw me ac hg lo um uw ui zz ur
        7f1000000000-7f1000001000 r--p 00001000 fd:01 1234                       /usr/lib/my lib.so
        Rss:                   4 kB
        VmFlags: rd mr mw me
        """;

    [Fact]
    public void ParsesEveryVmaWithRangesPathsAndSizes()
    {
        var vmas = SmapsParser.Parse(Sample);
        Assert.Equal(3, vmas.Count);
        Assert.Equal(0x55d4c6a00000UL, vmas[0].Start);
        Assert.Equal(0x55d4c6c00000UL, vmas[0].End);
        Assert.Equal("[heap]", vmas[0].Path);
        Assert.Equal(1024, vmas[0].RssKb);
        Assert.Equal(4096, vmas[1].AnonHugePagesKb);
        Assert.Equal("", vmas[1].Path);
        Assert.Equal("/usr/lib/my lib.so", vmas[2].Path);
        Assert.Equal(0x1000UL, vmas[2].Offset);
    }

    [Fact]
    public void KeepsKnownAndUnknownVmFlags()
    {
        var vma = SmapsParser.Parse(Sample)[1];
        foreach (var flag in new[] { "hg", "lo", "um", "uw", "ui", "zz", "ur" })
            Assert.Contains(flag, vma.Flags);
        Assert.True(vma.CollapseEligible("madvise"));
        Assert.False(SmapsParser.Parse(Sample)[0].CollapseEligible("madvise"));
        Assert.True(SmapsParser.Parse(Sample)[0].CollapseEligible("always"));
        Assert.False(SmapsParser.Parse(Sample)[2].Anonymous);
    }

    [Fact]
    public void ParsesThisProcessesOwnSmaps()
    {
        var vmas = SmapsParser.Parse(File.ReadAllText("/proc/self/smaps"));
        Assert.NotEmpty(vmas);
        Assert.All(vmas, v => Assert.True(v.End > v.Start));
        Assert.Contains(vmas, v => v.Path == "[stack]");
        Assert.All(vmas, v => Assert.NotEmpty(v.Flags));
    }

    [Fact]
    public void PagemapEntryDecodesBits()
    {
        var e = new PagemapEntry((1UL << 63) | (1UL << 56) | 0x1234);
        Assert.True(e.Present);
        Assert.True(e.Exclusive);
        Assert.False(e.Swapped);
        Assert.Equal(0x1234UL, e.Pfn);
        Assert.Equal(0UL, new PagemapEntry(1UL << 62).Pfn);
    }
}
