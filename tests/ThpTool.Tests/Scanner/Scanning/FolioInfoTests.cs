using ThpTool.Scanner.Procfs;
using ThpTool.Scanner.Scanning;
using Xunit;

namespace ThpTool.Tests.Scanner.Scanning;

public class FolioInfoTests
{
    const ulong Base = 0x40000;

    static ulong[] Window(params (int At, int Pages, KpageFlags Flags)[] folios)
    {
        var window = new ulong[512];
        foreach (var (at, pages, flags) in folios)
        {
            window[at] = (ulong)(flags | KpageFlags.CompoundHead | KpageFlags.Thp);
            for (int i = at + 1; i < at + pages; i++) window[i] = (ulong)(KpageFlags.CompoundTail | KpageFlags.Thp | (flags & KpageFlags.Anon));
        }
        return window;
    }

    [Fact]
    public void FindsAPmdOrderFolioFromAnyOfItsPages()
    {
        var window = Window((0, 512, KpageFlags.Anon | KpageFlags.Mlocked));
        foreach (var page in new[] { 0, 1, 300, 511 })
        {
            var folio = FolioInfo.Find(Base + (ulong)page, Base, window)!.Value;
            Assert.Equal(Base, folio.HeadPfn);
            Assert.True(folio.PmdOrder);
            Assert.True(folio.Anonymous);
            Assert.True(folio.Mlocked);
        }
    }

    [Fact]
    public void FindsMthpsAndTellsSmallPagesApart()
    {
        var window = Window((32, 16, KpageFlags.Anon), (48, 4, 0));
        var mthp = FolioInfo.Find(Base + 40, Base, window)!.Value;
        Assert.Equal((Base + 32, 16), (mthp.HeadPfn, mthp.Pages));
        var file = FolioInfo.Find(Base + 49, Base, window)!.Value;
        Assert.Equal((Base + 48, 4, false), (file.HeadPfn, file.Pages, file.Anonymous));
        Assert.Null(FolioInfo.Find(Base + 100, Base, window));
    }

    [Fact]
    public void IgnoresCompoundPagesThatAreNotThps()
    {
        var window = new ulong[512];
        window[0] = (ulong)(KpageFlags.CompoundHead | KpageFlags.Huge);   // hugetlb: compound, but not a THP
        window[1] = (ulong)KpageFlags.CompoundTail;
        Assert.Null(FolioInfo.Find(Base + 1, Base, window));
    }
}
