using ThpTool.Scanner.ZeroDetection;
using Xunit;
using ThpTool.Scanner.Memory;

namespace ThpTool.Tests.Scanner.ZeroDetection;

public class ZeroPageCounterTests
{
    private const int Page = Geometry.PageSize;

    // Names, not the enum: the enum is internal and theory methods must be public.
    public static TheoryData<string> Widths => new(Enum.GetNames<ZeroDetectorWidth>());

    /// <summary>
    /// Offsets where a width-specific loop could go wrong: page ends, the first and last 64 bytes,
    /// the middle of a vector, and both sides of every boundary of every vector and unrolled block.
    /// </summary>
    public static TheoryData<string, int> WidthsAndOffsets()
    {
        var offsets = new SortedSet<int> { 0, Page - 1, Page / 2 };
        for (int i = 0; i < 64; i++)
        {
            offsets.Add(i);
            offsets.Add(Page - 64 + i);
        }
        foreach (int vector in new[] { 8, 16, 32, 64, 128, 256 })
        {
            for (int end = vector; end <= Page; end += vector)
            {
                offsets.Add(end - 1);
                offsets.Add(end - vector / 2);
                if (end < Page) offsets.Add(end);
            }
        }
        var data = new TheoryData<string, int>();
        foreach (string width in Enum.GetNames<ZeroDetectorWidth>())
        foreach (int offset in offsets)
            data.Add(width, offset);
        return data;
    }

    [Theory, MemberData(nameof(Widths))]
    public void AllZeroPageIsZero(string width)
    {
        var w = Accelerated(width);
        var page = new byte[Page];
        Assert.True(ZeroPageCounter.IsZeroPage(page, w));
        Assert.Equal(1, ZeroPageCounter.CountZeroPages(page, w));
    }

    [Theory, MemberData(nameof(WidthsAndOffsets))]
    public void OneNonZeroByteMakesThePageNonZero(string width, int offset)
    {
        var w = Accelerated(width);
        foreach (byte value in new byte[] { 0x01, 0x80, 0xFF })
        {
            var page = new byte[Page];
            page[offset] = value;
            Assert.False(ZeroPageCounter.IsZeroPage(page, w));
            Assert.Equal(0, ZeroPageCounter.CountZeroPages(page, w));
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void EveryOffsetOfAnUnalignedPageIsSeen(string width)
    {
        var w = Accelerated(width);
        var backing = new byte[Page + 64];
        foreach (int shift in new[] { 1, 7, 33 })
        {
            var page = backing.AsSpan(shift, Page);
            for (int offset = 0; offset < Page; offset++)
            {
                page[offset] = 1;
                Assert.False(ZeroPageCounter.IsZeroPage(page, w), $"shift {shift}, offset {offset}");
                page[offset] = 0;
            }
            Assert.True(ZeroPageCounter.IsZeroPage(page, w));
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void RandomPagesAreNonZero(string width)
    {
        var w = Accelerated(width);
        var random = new Random(42);
        var page = new byte[Page];
        for (int i = 0; i < 100; i++)
        {
            random.NextBytes(page);
            Assert.Equal(IsZeroReference(page), ZeroPageCounter.IsZeroPage(page, w));
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void OnlyTheNonZeroPageOfABufferIsNotCounted(string width)
    {
        var w = Accelerated(width);
        const int pages = 9;
        var buffer = new byte[pages * Page];
        Assert.Equal(pages, ZeroPageCounter.CountZeroPages(buffer, w));
        for (int n = 0; n < pages; n++)
        {
            int at = n * Page + (n * 457) % Page;
            buffer[at] = 3;
            Assert.Equal(pages - 1, ZeroPageCounter.CountZeroPages(buffer, w));
            buffer[at] = 0;
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void LengthsThatAreNotWholePagesAreRejected(string width)
    {
        var w = Accelerated(width);
        foreach (int length in new[] { 1, 64, Page - 1, Page + 1, 2 * Page - 64 })
            Assert.Throws<ArgumentException>(() => ZeroPageCounter.CountZeroPages(new byte[length], w));
        foreach (int length in new[] { 0, Page - 1, 2 * Page })
            Assert.Throws<ArgumentException>(() => ZeroPageCounter.IsZeroPage(new byte[length], w));
        Assert.Equal(0, ZeroPageCounter.CountZeroPages([], w));
    }

    [Fact]
    public void PublicApiUsesAnAcceleratedDefault()
    {
        Assert.True(ZeroPageCounter.IsAccelerated(ZeroPageCounter.DefaultWidth));
        var buffer = new byte[3 * Page];
        buffer[Page + 100] = 1;
        Assert.Equal(2, ZeroPageCounter.CountZeroPages(buffer));
        Assert.True(ZeroPageCounter.IsZeroPage(buffer.AsSpan(0, Page)));
        Assert.False(ZeroPageCounter.IsZeroPage(buffer.AsSpan(Page, Page)));
        Assert.Throws<ArgumentException>(() => ZeroPageCounter.CountZeroPages(new byte[Page + 1]));
    }

    [Theory, MemberData(nameof(Widths))]
    public void MatchesTheScalarReferenceOnRandomBuffers(string width)
    {
        var w = Accelerated(width);
        var random = new Random(20240611);
        for (int round = 0; round < 400; round++)
        {
            int pages = random.Next(1, 17);
            var backing = new byte[pages * Page + 64];
            var buffer = backing.AsSpan(random.Next(0, 64), pages * Page);
            for (int p = 0; p < pages; p++)
                Fill(random, buffer.Slice(p * Page, Page));

            int expected = 0;
            for (int p = 0; p < pages; p++)
            {
                var page = buffer.Slice(p * Page, Page);
                bool zero = IsZeroReference(page);
                Assert.Equal(zero, ZeroPageCounter.IsZeroPage(page, w));
                if (zero) expected++;
            }
            Assert.Equal(expected, ZeroPageCounter.CountZeroPages(buffer, w));
        }
    }

    /// <summary>Mostly zero or nearly zero pages: fully random ones would never test the zero answer.</summary>
    private static void Fill(Random random, Span<byte> page)
    {
        switch (random.Next(4))
        {
            case 0:
                break;
            case 1:
                random.NextBytes(page);
                break;
            default:
                for (int k = random.Next(1, 4); k > 0; k--)
                    page[random.Next(Page)] = (byte)random.Next(1, 256);
                break;
        }
    }

    private static bool IsZeroReference(ReadOnlySpan<byte> page)
    {
        foreach (byte b in page)
        {
            if (b != 0) return false;
        }
        return true;
    }

    private static ZeroDetectorWidth Accelerated(string width)
    {
        var w = Enum.Parse<ZeroDetectorWidth>(width);
        if (!ZeroPageCounter.IsAccelerated(w))
            Assert.Skip($"{width} is not hardware accelerated on this CPU.");
        return w;
    }
}
