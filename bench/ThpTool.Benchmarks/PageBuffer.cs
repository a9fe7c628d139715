using System.Runtime.InteropServices;
using ThpTool.Scanner.Memory;
using ThpTool.Scanner.ZeroDetection;

namespace ThpTool.Benchmarks;

public enum PageData
{
    AllZero,
    /// <summary>A non-zero byte at offset 100 of every page: measures how fast a loop gives up.</summary>
    EarlyNonZero,
    /// <summary>90 % zero pages, the rest with one non-zero byte at a random offset: a wasteful THP.</summary>
    Mixed90Zero,
}

/// <summary>
/// A page-aligned native buffer of pages, like the scanner's read buffers: a misaligned 64-byte load
/// splits a cache line, which would penalise the wide loops for an accident of the managed heap.
/// </summary>
public sealed unsafe class PageBuffer : IDisposable
{
    private const int Page = Geometry.PageSize;
    private byte* start;

    public PageBuffer(int kib, PageData data)
    {
        Length = kib * 1024;
        start = (byte*)NativeMemory.AlignedAlloc((nuint)Length, Page);
        var span = new Span<byte>(start, Length);
        span.Clear();
        var random = new Random(1);
        for (int p = 0; p < Length / Page; p++)
        {
            int? at = data switch
            {
                PageData.EarlyNonZero => 100,
                PageData.Mixed90Zero when random.Next(10) == 0 => random.Next(Page),
                _ => null,
            };
            if (at is int offset)
                span[p * Page + offset] = 1;
        }
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => new(start, Length);

    public void Dispose()
    {
        NativeMemory.AlignedFree(start);
        start = null;
    }
}
