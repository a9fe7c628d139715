using System.Runtime.InteropServices;

namespace ThpTool.Scanner.Interop;

/// <summary>struct page_region of include/uapi/linux/fs.h.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PageRegion
{
    public ulong Start;
    public ulong End;
    public ulong Categories;
}

/// <summary>struct pm_scan_arg of include/uapi/linux/fs.h (Linux 6.7+).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PmScanArg
{
    public ulong Size;
    public ulong Flags;
    public ulong Start;
    public ulong End;
    public ulong WalkEnd;
    public ulong Vec;
    public ulong VecLen;
    public ulong MaxPages;
    public ulong CategoryInverted;
    public ulong CategoryMask;
    public ulong CategoryAnyofMask;
    public ulong ReturnMask;
}

[Flags]
public enum PageCategory : ulong
{
    WpAllowed = 1 << 0,
    Written = 1 << 1,
    File = 1 << 2,
    Present = 1 << 3,
    Swapped = 1 << 4,
    PfnZero = 1 << 5,
    Huge = 1 << 6,
}

internal static class PagemapScanIoctl
{
    // _IOWR('f', 16, struct pm_scan_arg): dir 3 << 30 | size << 16 | 'f' << 8 | 16.
    public static readonly nuint Request = (nuint)((3u << 30) | ((uint)Marshal.SizeOf<PmScanArg>() << 16) | ('f' << 8) | 16u);
}
