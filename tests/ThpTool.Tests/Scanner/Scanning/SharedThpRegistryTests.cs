using ThpTool.Scanner.ScanFiles;
using ThpTool.Scanner.Scanning;

namespace ThpTool.Tests.Scanner.Scanning;

/// <summary>The rule for THPs that processes of one scan share, apart from the live scans that exercise it.</summary>
public sealed class SharedThpRegistryTests
{
    const ulong Pfn = 0x40000;

    static ThpRecord Thp(ThpMapping mapping = ThpMapping.Pmd, bool exclusive = false, int mapped = 512, ulong pfn = Pfn) =>
        new() { Address = 0x7f0000000000, Pfn = pfn, Mapping = mapping, Exclusive = exclusive, MappedSubpages = mapped, ZeroSubpages = 0 };

    [Fact]
    public void AWholeSharedThpIsCountedOnceAndReusedByTheNextProcess()
    {
        var shared = new SharedThpRegistry();
        Assert.False(shared.TryCountedElsewhere(Thp(), out _, out _));
        shared.Counted(Thp(), pid: 100, zeroSubpages: 300);
        Assert.True(shared.TryCountedElsewhere(Thp(), out int pid, out int zero));
        Assert.Equal((100, 300), (pid, zero));
        shared.Counted(Thp(), pid: 200, zeroSubpages: 7);
        Assert.True(shared.TryCountedElsewhere(Thp(ThpMapping.Pte), out pid, out zero));
        Assert.Equal((100, 300), (pid, zero));
    }

    [Theory]
    [InlineData(ThpMapping.Pmd, true, 512)]     // exclusive: no other process maps it
    [InlineData(ThpMapping.Partial, false, 512)] // partially mapped: judged as such, not as a shared whole
    [InlineData(ThpMapping.Pte, false, 100)]   // a count over a part must not stand for the folio
    public void OnlyACountOverAWholeShareableThpIsRecorded(ThpMapping mapping, bool exclusive, int mapped)
    {
        var shared = new SharedThpRegistry();
        shared.Counted(Thp(mapping, exclusive, mapped), pid: 100, zeroSubpages: 300);
        Assert.False(shared.TryCountedElsewhere(Thp(), out _, out _));
    }

    [Fact]
    public void AThpRegisteredUnreadTakesTheCountItsOwnProcessReadLaterAndNoOtherProcesss()
    {
        var shared = new SharedThpRegistry();
        shared.Counted(Thp(), pid: 100, SharedThpRegistry.Unread);
        shared.ReadLater(Thp(), pid: 200, zeroSubpages: 7);
        Assert.True(shared.TryCountedElsewhere(Thp(), out int pid, out int zero));
        Assert.Equal((100, SharedThpRegistry.Unread), (pid, zero));
        shared.ReadLater(Thp(), pid: 100, zeroSubpages: 300);
        Assert.True(shared.TryCountedElsewhere(Thp(), out pid, out zero));
        Assert.Equal((100, 300), (pid, zero));
        shared.ReadLater(Thp(), pid: 100, zeroSubpages: 5);
        Assert.True(shared.TryCountedElsewhere(Thp(), out pid, out zero));
        Assert.Equal((100, 300), (pid, zero));
    }

    [Fact]
    public void AnExclusiveThpNeverTakesAnotherProcesssCount()
    {
        var shared = new SharedThpRegistry();
        shared.Counted(Thp(), pid: 100, zeroSubpages: 300);
        Assert.False(shared.TryCountedElsewhere(Thp(exclusive: true), out _, out _));
    }

    [Fact]
    public void PfnZeroMeansUnknownAndIsNeverShared()
    {
        var shared = new SharedThpRegistry();
        shared.Counted(Thp(pfn: 0), pid: 100, zeroSubpages: 300);
        Assert.False(shared.TryCountedElsewhere(Thp(pfn: 0), out _, out _));
    }

    [Fact]
    public void APartMappedByPtesIsCountedWhereTheFolioIsWhole()
    {
        var shared = new SharedThpRegistry();
        shared.Counted(Thp(), pid: 100, zeroSubpages: SharedThpRegistry.Unread);
        Assert.True(shared.TryWholeElsewhere(Thp(ThpMapping.Pte, mapped: 511), pid: 200, out int wholeIn, out int zero));
        Assert.Equal((100, SharedThpRegistry.Unread), (wholeIn, zero));
        Assert.False(shared.TryWholeElsewhere(Thp(ThpMapping.Pte, mapped: 511), pid: 100, out _, out _));
        Assert.False(shared.TryWholeElsewhere(Thp(ThpMapping.Pte, mapped: 512), pid: 200, out _, out _));
        Assert.False(shared.TryWholeElsewhere(Thp(ThpMapping.Pte, mapped: 511) with { CountedInPid = 100 }, pid: 200, out _, out _));
        Assert.False(shared.TryWholeElsewhere(Thp(ThpMapping.Pte, mapped: 511, pfn: Pfn + 512), pid: 200, out _, out _));
    }
}
