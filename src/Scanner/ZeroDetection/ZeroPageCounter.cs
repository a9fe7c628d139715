using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ThpTool.Scanner.Memory;

namespace ThpTool.Scanner.ZeroDetection;

/// <summary>Which loop judges a page; every width gives the same answer, only speed differs.</summary>
internal enum ZeroDetectorWidth
{
    Scalar,
    Vector128,
    Vector256,
    Vector512,
}

/// <summary>
/// Counts 4 KiB pages whose bytes are all zero: the kernel's test for a "zero" THP subpage.
/// This is the scan's hot path, it sees every byte of every THP read.
/// </summary>
public static class ZeroPageCounter
{

    // Four loads ORed per iteration: one branch per 4 vectors keeps all-zero pages (the common case
    // in a wasteful THP) at load throughput, while a non-zero page still stops within 4 vectors.
    private const int Unroll = 4;

    internal static readonly ZeroDetectorWidth DefaultWidth = ChooseDefault();

    public static bool IsZeroPage(ReadOnlySpan<byte> page) => IsZeroPage(page, DefaultWidth);

    public static int CountZeroPages(ReadOnlySpan<byte> pages) => CountZeroPages(pages, DefaultWidth);

    internal static bool IsZeroPage(ReadOnlySpan<byte> page, ZeroDetectorWidth width)
    {
        if (page.Length != Geometry.PageSize)
            throw new ArgumentException($"A page is {Geometry.PageSize} bytes, got {page.Length}.", nameof(page));
        return CountZeroPages(page, width) == 1;
    }

    internal static int CountZeroPages(ReadOnlySpan<byte> pages, ZeroDetectorWidth width)
    {
        if (pages.Length % Geometry.PageSize != 0)
            throw new ArgumentException($"Length {pages.Length} is not a multiple of {Geometry.PageSize}.", nameof(pages));
        ref byte start = ref MemoryMarshal.GetReference(pages);
        int count = pages.Length / Geometry.PageSize;
        // One switch per buffer, not per page: each Count<T> is a separate specialised loop.
        return width switch
        {
            ZeroDetectorWidth.Scalar => Count<ScalarScan>(ref start, count),
            ZeroDetectorWidth.Vector128 => Count<Scan128>(ref start, count),
            ZeroDetectorWidth.Vector256 => Count<Scan256>(ref start, count),
            ZeroDetectorWidth.Vector512 => Count<Scan512>(ref start, count),
            _ => throw new ArgumentOutOfRangeException(nameof(width), width, null),
        };
    }

    /// <summary>False when the width would run in software emulation: tests skip it, the default avoids it.</summary>
    internal static bool IsAccelerated(ZeroDetectorWidth width) => width switch
    {
        ZeroDetectorWidth.Scalar => true,
        ZeroDetectorWidth.Vector128 => Vector128.IsHardwareAccelerated,
        ZeroDetectorWidth.Vector256 => Vector256.IsHardwareAccelerated,
        ZeroDetectorWidth.Vector512 => Vector512.IsHardwareAccelerated,
        _ => false,
    };

    // 256-bit even where 512-bit is accelerated. Measured on the project's AMD EPYC machines
    // (docs/performance.md): in cache the two tie on zero pages, out of cache 512-bit leads by 5-23 %,
    // but on pages that are non-zero near the start 512-bit loses 20-60 % everywhere: its first
    // unrolled step reads 256 bytes (four cache lines) before it can give up, against 128.
    private static ZeroDetectorWidth ChooseDefault()
    {
        if (Vector256.IsHardwareAccelerated) return ZeroDetectorWidth.Vector256;
        if (Vector128.IsHardwareAccelerated) return ZeroDetectorWidth.Vector128;
        return ZeroDetectorWidth.Scalar;
    }

    private static int Count<TScan>(ref byte start, int pageCount) where TScan : struct, IPageScan
    {
        int zero = 0;
        for (int i = 0; i < pageCount; i++)
        {
            if (TScan.IsZero(ref Unsafe.Add(ref start, (nint)i * Geometry.PageSize)))
                zero++;
        }
        return zero;
    }

    // A static abstract member lets the JIT compile one loop per width with the check inlined;
    // a delegate or virtual call per page would cost more than scanning a cached page.
    private interface IPageScan
    {
        static abstract bool IsZero(ref byte page);
    }

    private readonly struct ScalarScan : IPageScan
    {
        public static bool IsZero(ref byte page)
        {
            for (nuint i = 0; i < Geometry.PageSize; i += Unroll * sizeof(ulong))
            {
                ulong acc = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref page, i))
                          | Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref page, i + 8))
                          | Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref page, i + 16))
                          | Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref page, i + 24));
                if (acc != 0) return false;
            }
            return true;
        }
    }

    private readonly struct Scan128 : IPageScan
    {
        public static bool IsZero(ref byte page)
        {
            const int n = 16;
            for (nuint i = 0; i < Geometry.PageSize; i += Unroll * n)
            {
                var acc = Vector128.LoadUnsafe(ref page, i) | Vector128.LoadUnsafe(ref page, i + n)
                        | Vector128.LoadUnsafe(ref page, i + 2 * n) | Vector128.LoadUnsafe(ref page, i + 3 * n);
                if (acc != Vector128<byte>.Zero) return false;
            }
            return true;
        }
    }

    private readonly struct Scan256 : IPageScan
    {
        public static bool IsZero(ref byte page)
        {
            const int n = 32;
            for (nuint i = 0; i < Geometry.PageSize; i += Unroll * n)
            {
                var acc = Vector256.LoadUnsafe(ref page, i) | Vector256.LoadUnsafe(ref page, i + n)
                        | Vector256.LoadUnsafe(ref page, i + 2 * n) | Vector256.LoadUnsafe(ref page, i + 3 * n);
                if (acc != Vector256<byte>.Zero) return false;
            }
            return true;
        }
    }

    private readonly struct Scan512 : IPageScan
    {
        public static bool IsZero(ref byte page)
        {
            const int n = 64;
            for (nuint i = 0; i < Geometry.PageSize; i += Unroll * n)
            {
                var acc = Vector512.LoadUnsafe(ref page, i) | Vector512.LoadUnsafe(ref page, i + n)
                        | Vector512.LoadUnsafe(ref page, i + 2 * n) | Vector512.LoadUnsafe(ref page, i + 3 * n);
                if (acc != Vector512<byte>.Zero) return false;
            }
            return true;
        }
    }
}
