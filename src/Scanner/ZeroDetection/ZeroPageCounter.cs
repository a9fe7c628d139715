namespace ThpTool.Scanner.ZeroDetection;

// Placeholder with the agreed signatures; replaced by the SIMD implementation on merge.
public static class ZeroPageCounter
{
    public const int PageSize = 4096;

    public static bool IsZeroPage(ReadOnlySpan<byte> page) => page[..PageSize].IndexOfAnyExcept((byte)0) < 0;

    public static int CountZeroPages(ReadOnlySpan<byte> pages)
    {
        if (pages.Length % PageSize != 0) throw new ArgumentException("length must be a multiple of 4096", nameof(pages));
        int zero = 0;
        for (int i = 0; i < pages.Length; i += PageSize)
            if (IsZeroPage(pages.Slice(i, PageSize))) zero++;
        return zero;
    }
}
