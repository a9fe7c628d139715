namespace ThpTool.Scanner.KernelModel;

/// <summary>What the kernel would do at one max_ptes_none, over every process of a scan (shared THPs once).</summary>
public sealed record SweepRow
{
    public required int MaxPtesNone { get; init; }
    /// <summary>Fully mapped anonymous THPs: the candidates the underused rule judges (mlocked ones included).</summary>
    public long ThpsScanned { get; init; }
    /// <summary>Candidates split by the underused rule (thp_underused_split_page).</summary>
    public long ThpsSplit { get; init; }
    /// <summary>4096 x the zero subpages of <see cref="ThpsSplit"/>.</summary>
    public long BytesFreed { get; init; }
    public long MlockedSkipped { get; init; }
    /// <summary>Of <see cref="ThpsSplit"/>, those in userfaultfd-armed VMAs.</summary>
    public long UffdThpsSplit { get; init; }
    /// <summary>Partially mapped THPs: split at every pass whatever the threshold.</summary>
    public long PartialThpsSplit { get; init; }
    public long PartialBytesFreed { get; init; }
    /// <summary>Freed subpages whose PTE then maps the shared zero page (all of them upstream; uffd-armed ones under v1).</summary>
    public long SubpagesZeroMapped { get; init; }
    /// <summary>Freed subpages left pte_none (v1 policy outside uffd-armed VMAs).</summary>
    public long SubpagesPteNone { get; init; }
    public long RangesCollapsed { get; init; }
    public long BytesGrown { get; init; }
    /// <summary>Ranges collapsed and then split again at the same threshold.</summary>
    public long PingPongRanges { get; init; }
    /// <summary>Partially mapped mTHP: split at every pass whatever the threshold, like partially mapped THPs.</summary>
    public long PartialMthpsSplit { get; init; }
    public long PartialMthpBytesFreed { get; init; }
    public long NetBytesFreed => BytesFreed + PartialBytesFreed + PartialMthpBytesFreed - BytesGrown;
    /// <summary>Bytes mapped by PMD THPs now, and after the shrinker and khugepaged have acted at this threshold.</summary>
    public long ThpBytesBefore { get; init; }
    public long ThpBytesAfter { get; init; }

    /// <summary>Two hosts' rows at the same threshold: hosts share no physical memory, so their counts add.</summary>
    public SweepRow Plus(SweepRow other) => this with
    {
        ThpsScanned = ThpsScanned + other.ThpsScanned,
        ThpsSplit = ThpsSplit + other.ThpsSplit,
        BytesFreed = BytesFreed + other.BytesFreed,
        MlockedSkipped = MlockedSkipped + other.MlockedSkipped,
        UffdThpsSplit = UffdThpsSplit + other.UffdThpsSplit,
        PartialThpsSplit = PartialThpsSplit + other.PartialThpsSplit,
        PartialBytesFreed = PartialBytesFreed + other.PartialBytesFreed,
        PartialMthpsSplit = PartialMthpsSplit + other.PartialMthpsSplit,
        PartialMthpBytesFreed = PartialMthpBytesFreed + other.PartialMthpBytesFreed,
        SubpagesZeroMapped = SubpagesZeroMapped + other.SubpagesZeroMapped,
        SubpagesPteNone = SubpagesPteNone + other.SubpagesPteNone,
        RangesCollapsed = RangesCollapsed + other.RangesCollapsed,
        BytesGrown = BytesGrown + other.BytesGrown,
        PingPongRanges = PingPongRanges + other.PingPongRanges,
        ThpBytesBefore = ThpBytesBefore + other.ThpBytesBefore,
        ThpBytesAfter = ThpBytesAfter + other.ThpBytesAfter,
    };
}
