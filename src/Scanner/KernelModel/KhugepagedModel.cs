using ThpTool.Scanner.Memory;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Scanner.KernelModel;

/// <summary>hpage_collapse_scan_pmd() (mm/khugepaged.c): whether a 2 MiB range is collapsed into a THP.</summary>
public static class KhugepagedModel
{
    /// <summary>
    /// Collapsed iff empty-or-zero-page PTEs are at most max_ptes_none (none at all in a uffd-armed VMA), and swap and
    /// shared PTEs are within their own limits. Whether the pages were recently referenced is not modelled.
    /// </summary>
    public static bool Collapses(CollapseRange range, bool uffdArmed, int maxPtesNone, KernelSettings settings) =>
        EmptyWithinLimit(range.EmptyOrZeroPtes, uffdArmed, maxPtesNone) && WithinSwapAndSharedLimits(range, settings);

    public static bool EmptyWithinLimit(int emptyOrZeroPtes, bool uffdArmed, int maxPtesNone) =>
        emptyOrZeroPtes <= (uffdArmed ? 0 : maxPtesNone);

    /// <summary>The limits that do not depend on max_ptes_none: a range outside them collapses at no threshold.</summary>
    public static bool WithinSwapAndSharedLimits(CollapseRange range, KernelSettings settings) =>
        (settings.MaxPtesSwap < 0 || range.SwapPtes <= settings.MaxPtesSwap) &&
        (settings.MaxPtesShared < 0 || range.SharedPtes <= settings.MaxPtesShared);

    /// <summary>A collapse fills every empty or zero-mapped slot with a fresh zeroed page.</summary>
    public static long BytesGrownByCollapse(CollapseRange range) => (long)range.EmptyOrZeroPtes * Geometry.PageSize;

    /// <summary>Collapsed, and the THP it becomes is then underused at the same threshold: work and memory churn.</summary>
    public static bool PingPong(CollapseRange range, bool uffdArmed, int maxPtesNone, KernelSettings settings) =>
        Collapses(range, uffdArmed, maxPtesNone, settings) && ShrinkerModel.IsUnderused(range.ZeroContentPages, maxPtesNone);
}
