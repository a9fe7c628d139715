using Xunit;
using ThpTool.Scanner.Procfs;

namespace ThpTool.Tests.Scanner.Procfs;

public class SmapsRegionTests
{
    const string Smaps = """
        55d000000000-55d000001000 r--p 00000000 08:01 123 /usr/bin/x
        Size:                  4 kB
        Rss:                   4 kB
        AnonHugePages:         0 kB
        VmFlags: rd mr mw me
        7f0000000000-7f0000400000 rw-p 00000000 00:00 0 
        Size:               4096 kB
        Rss:                4056 kB
        AnonHugePages:      2048 kB
        VmFlags: rd wr mr mw me ac hg um zz
        7f0000400000-7f0000600000 rw-p 00000000 00:00 0 
        Size:               2048 kB
        Rss:                2048 kB
        AnonHugePages:      2048 kB
        VmFlags: rd wr mr mw me ac hg lo
        7f0000600000-7f0000a00000 rw-s 00000000 00:01 7 /dev/zero (deleted)
        Size:               4096 kB
        Rss:                4096 kB
        AnonHugePages:         0 kB
        ShmemPmdMapped:     4096 kB
        VmFlags: rd wr sh mr mw me ms hg
        """;

    [Fact]
    public void SumsTheVmasStartingInTheRangeAndKeepsUnknownFlags()
    {
        var region = SmapsRegion.Parse(Smaps, 0x7f0000000000, 6UL << 20)!;
        Assert.Equal(6144, region.SizeKb);
        Assert.Equal(6104, region.RssKb);
        Assert.Equal(4096, region.AnonHugePagesKb);
        Assert.Superset(new HashSet<string> { "hg", "um", "lo", "zz" }, new HashSet<string>(region.VmFlags));
    }

    [Fact]
    public void CountsShmemThpsApartFromAnonymousOnes()
    {
        var region = SmapsRegion.Parse(Smaps, 0x7f0000600000, 4UL << 20)!;
        Assert.Equal(4096, region.ShmemPmdMappedKb);
        Assert.Equal(0, region.AnonHugePagesKb);
        Assert.Equal(0, SmapsRegion.Parse(Smaps, 0x7f0000000000, 6UL << 20)!.ShmemPmdMappedKb);
    }

    [Fact]
    public void NullWhenNoVmaStartsInTheRange() =>
        Assert.Null(SmapsRegion.Parse(Smaps, 0x1000, 0x1000));
}
