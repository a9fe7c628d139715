using ThpTool.Scanner.Memory;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Scanner.KernelModel;

/// <summary>What deferred_split_scan (mm/huge_memory.c, 6.12+) does with one anonymous PMD-order folio.</summary>
public enum ThpFate
{
    Kept,
    /// <summary>Fully mapped and more than max_ptes_none of its subpages are zero: thp_underused_split_page.</summary>
    SplitUnderused,
    /// <summary>Partially mapped: split at the next pass whatever the threshold.</summary>
    SplitPartial,
    /// <summary>mlocked: the shrinker leaves it alone.</summary>
    SkippedMlocked,
}

public static class ShrinkerModel
{
    /// <summary>max_ptes_none = HPAGE_PMD_NR - 1 turns the underused rule off.</summary>
    public const int RuleOff = 511;
    public const int MaxThreshold = 511;

    /// <summary>thp_underused(): strictly more than max_ptes_none zero subpages, and never at 511.</summary>
    public static bool IsUnderused(int zeroSubpages, int maxPtesNone) =>
        maxPtesNone != RuleOff && zeroSubpages > maxPtesNone;

    public static ThpFate Judge(ThpRecord thp, bool vmaLocked, int maxPtesNone)
    {
        if (vmaLocked || thp.FolioMlocked) return ThpFate.SkippedMlocked;
        if (thp.Mapping == ThpMapping.Partial) return ThpFate.SplitPartial;
        return IsUnderused(thp.ZeroSubpages, maxPtesNone) ? ThpFate.SplitUnderused : ThpFate.Kept;
    }

    /// <summary>
    /// A partially mapped mTHP: queued when part of it was unmapped and split at the next pass whatever max_ptes_none,
    /// like a partially mapped THP; mlocked ones are skipped. A fully mapped mTHP is never queued, so never judged.
    /// </summary>
    public static ThpFate Judge(MthpRecord mthp, bool vmaLocked) =>
        vmaLocked || mthp.FolioMlocked ? ThpFate.SkippedMlocked : ThpFate.SplitPartial;

    /// <summary>Its all-zero mapped subpages map the shared zero page and are freed, and so are the subpages no one maps.</summary>
    public static long BytesFreedBySplit(MthpRecord mthp) =>
        (long)(mthp.ZeroSubpages + mthp.Pages - mthp.MappedSubpages) * Geometry.PageSize;

    /// <summary>
    /// Bytes a split gives back: every all-zero mapped subpage is remapped to the shared zero page (or left
    /// pte_none under the v1 series) and freed, and the subpages a partial mapping no longer maps are freed too.
    /// A PTE-mapped folio this process maps only in part has its other subpages mapped elsewhere: they stay.
    /// </summary>
    public static long BytesFreedBySplit(ThpRecord thp) =>
        (long)(thp.ZeroSubpages + (thp.Mapping == ThpMapping.Partial ? Geometry.SubpagesPerThp - thp.MappedSubpages : 0)) * Geometry.PageSize;
}
