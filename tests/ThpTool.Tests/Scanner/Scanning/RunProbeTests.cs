using ThpTool.Scanner.Scanning;
using Xunit;

namespace ThpTool.Tests.Scanner.Scanning;

/// <summary>
/// Which pages of a physically contiguous run the scanner asks kpageflags about when only PMD-sized folios exist:
/// every such folio touching the run must cover one of them.
/// </summary>
public class RunProbeTests
{
    static List<int> Probes(ulong pfn, int length)
    {
        var probes = new List<int>();
        for (int k = 0; k < length; k = FolioLookup.NextProbe(pfn, k, length)) probes.Add(k);
        return probes;
    }

    [Theory]
    [InlineData(1000UL, 100, new[] { 0, 24, 99 })]
    [InlineData(1024UL, 512, new[] { 0, 511 })]
    [InlineData(1023UL, 512, new[] { 0, 1, 511 })]
    [InlineData(5UL, 2, new[] { 0, 1 })]
    [InlineData(512UL, 1, new[] { 0 })]
    public void ProbesTheEndsAndEvery512AlignedPfn(ulong pfn, int length, int[] expected) =>
        Assert.Equal(expected, Probes(pfn, length));

    /// <summary>Brute force: a 512-aligned folio overlapping the run in any way contains a probed page.</summary>
    [Fact]
    public void EveryPmdSizedFolioOverlappingARunContainsAProbe()
    {
        for (ulong pfn = 4096; pfn < 4096 + 1100; pfn += 37)
            foreach (int length in new[] { 2, 65, 300, 511, 512 })
            {
                var probes = Probes(pfn, length);
                for (ulong head = pfn & ~511UL; head < pfn + (ulong)length; head += 512)
                    Assert.Contains(probes, k => pfn + (ulong)k >= head && pfn + (ulong)k < head + 512);
            }
    }
}
