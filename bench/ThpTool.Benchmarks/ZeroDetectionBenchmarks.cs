using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using ThpTool.Scanner.Memory;
using ThpTool.Scanner.ZeroDetection;

namespace ThpTool.Benchmarks;

/// <summary>One operation counts the zero pages of the whole buffer.</summary>
[Config(typeof(QuickConfig))]
public class ZeroDetectionBenchmarks
{
    private const int Page = Geometry.PageSize;
    private PageBuffer? pages;

    // 256 KiB stays in L2; 256 MiB is far beyond L3, as a real scan of a large process is.
    [Params(256, 256 * 1024)]
    public int BufferKiB { get; set; }

    [ParamsAllValues]
    public PageData Data { get; set; }

    private ReadOnlySpan<byte> Buffer => pages!.Span;

    [GlobalSetup]
    public void Setup() => pages = new PageBuffer(BufferKiB, Data);

    [GlobalCleanup]
    public void Cleanup() => pages?.Dispose();

    [Benchmark(Baseline = true)]
    public int IndexOfAnyExcept()
    {
        var buffer = Buffer;
        int zero = 0;
        for (int offset = 0; offset < buffer.Length; offset += Page)
        {
            if (buffer.Slice(offset, Page).IndexOfAnyExcept((byte)0) < 0)
                zero++;
        }
        return zero;
    }

    /// <summary>The obvious safe-code loop, to show what the unsafe loads buy.</summary>
    [Benchmark]
    public int HandWritten256()
    {
        var buffer = Buffer;
        int zero = 0;
        for (int offset = 0; offset < buffer.Length; offset += Page)
        {
            var vectors = MemoryMarshal.Cast<byte, Vector256<byte>>(buffer.Slice(offset, Page));
            bool isZero = true;
            for (int i = 0; i < vectors.Length && isZero; i += 4)
                isZero = (vectors[i] | vectors[i + 1] | vectors[i + 2] | vectors[i + 3]) == Vector256<byte>.Zero;
            if (isZero)
                zero++;
        }
        return zero;
    }

    [Benchmark] public int Scalar() => ZeroPageCounter.CountZeroPages(Buffer, ZeroDetectorWidth.Scalar);
    [Benchmark] public int Vector128() => ZeroPageCounter.CountZeroPages(Buffer, ZeroDetectorWidth.Vector128);
    [Benchmark] public int Vector256() => ZeroPageCounter.CountZeroPages(Buffer, ZeroDetectorWidth.Vector256);
    [Benchmark] public int Vector512() => ZeroPageCounter.CountZeroPages(Buffer, ZeroDetectorWidth.Vector512);
    [Benchmark] public int Default() => ZeroPageCounter.CountZeroPages(Buffer);
}
