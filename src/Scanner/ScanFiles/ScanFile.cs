using System.Text.Json.Serialization;
using ThpTool.Scanner.Dotnet;
using ThpTool.Scanner.Memory;

namespace ThpTool.Scanner.ScanFiles;

/// <summary>
/// A saved scan: everything <c>sweep</c> and <c>report</c> need to recompute any threshold later,
/// so a scan taken on a production host can be analysed elsewhere.
/// </summary>
public sealed record ScanFile
{
    public const string FormatName = "thptool-scan";
    /// <summary>Single-host scans are still version 1, so older thptools read them; a merged fleet file is version 2.</summary>
    public const int SingleHostVersion = 1;
    public const int FleetVersion = 2;
    public const int CurrentVersion = FleetVersion;

    public string Format { get; init; } = FormatName;
    public int Version { get; init; } = SingleHostVersion;
    public required string Host { get; init; }
    public required string Kernel { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public double DurationSeconds { get; init; }
    public int PageSize { get; init; } = Geometry.PageSize;
    public int PmdSize { get; init; } = 2 * 1024 * 1024;

    /// <summary>How THPs were found: with PFNs and /proc/kpageflags, or with PAGEMAP_SCAN only (no root).</summary>
    public required DiscoveryMode Mode { get; init; }

    public required KernelSettings Settings { get; init; }

    /// <summary>The THP counters of /proc/vmstat at scan time (thp_*).</summary>
    public IReadOnlyDictionary<string, long> Vmstat { get; init; } = new Dictionary<string, long>();

    public required IReadOnlyList<ProcessScan> Processes { get; init; }

    /// <summary>Processes asked for but not scanned (exited, refused): listed, never fatal past the first.</summary>
    public IReadOnlyList<SkippedProcess> Skipped { get; init; } = [];

    /// <summary>
    /// Set only in a file written by 'thptool merge': one summary per host, and no <see cref="Processes"/>. The
    /// top-level fields then describe the merge (host "*", the newest scan's time, the first host's settings).
    /// </summary>
    public IReadOnlyList<HostSummary>? Hosts { get; init; }

    /// <summary>Set when only a sample of THPs had their contents read (--sample): the sweep then estimates, with intervals.</summary>
    public ContentSample? Sample { get; init; }

    /// <summary>What the scan took from the host; absent in files from before it was recorded.</summary>
    public ScanCost? Cost { get; init; }
}

/// <summary>What a scan cost the host it ran on.</summary>
public sealed record ScanCost
{
    /// <summary>User and system CPU time of the scanning process.</summary>
    public double CpuSeconds { get; init; }
    /// <summary>Target memory read (THP contents and collapse candidates).</summary>
    public long BytesRead { get; init; }
    /// <summary>The longest single read call: how long a target's mmap lock was held for reading at most.</summary>
    public double LongestReadSeconds { get; init; }
    /// <summary>The --max-rate cap in bytes per second, if one was given.</summary>
    public long? MaxReadRate { get; init; }
}

/// <summary>
/// How a sampled scan chose the THPs whose contents it read: see <see cref="Scanning.ContentSampler"/>. Recorded so a
/// later sweep of the file reports the same estimates and intervals.
/// </summary>
public sealed record ContentSample
{
    /// <summary>Below this many THPs a stratum is read whole, so no interval rests on a handful of THPs.</summary>
    public const int DefaultMinimum = 30;

    public required double Fraction { get; init; }
    public required ulong Seed { get; init; }
    public int MinimumPerStratum { get; init; } = DefaultMinimum;
}

[JsonConverter(typeof(JsonStringEnumConverter<DiscoveryMode>))]
public enum DiscoveryMode
{
    /// <summary>PFNs from pagemap and folio flags from /proc/kpageflags: sees every large folio.</summary>
    Kpageflags,
    /// <summary>PAGEMAP_SCAN only: sees PMD-mapped THPs, not mTHP nor PTE-mapped or partially mapped ones, nor sharing between processes.</summary>
    PagemapScan,
}

/// <summary>The THP knobs in force when the scan was taken.</summary>
public sealed record KernelSettings
{
    public required string Enabled { get; init; }
    public required string Defrag { get; init; }
    /// <summary>-1 when the kernel has no underused shrinker (before 6.12).</summary>
    public required int ShrinkUnderused { get; init; }
    public required int MaxPtesNone { get; init; }
    public required int MaxPtesSwap { get; init; }
    public required int MaxPtesShared { get; init; }
}

public sealed record SkippedProcess(int Pid, string Reason);

public sealed record ProcessScan
{
    public required int Pid { get; init; }
    public required string Comm { get; init; }
    /// <summary>Settable, not init: the JSON source generator gives an absent init property its type's default (null), not "".</summary>
    public string Cmdline { get; set; } = "";
    /// <summary>A .NET runtime: it has a diagnostics port or maps libcoreclr.so (see <see cref="Dotnet"/>).</summary>
    public bool IsDotnet { get; init; }
    public DotnetRuntime? Dotnet { get; init; }
    /// <summary>The process's path in the memory cgroup hierarchy (v1 memory controller, else v2), as /proc/PID/cgroup says.</summary>
    public string? Cgroup { get; init; }
    /// <summary>The VMAs that hold THPs, collapse candidates or other large folios; the rest only in <see cref="OtherVmas"/>.</summary>
    public required IReadOnlyList<VmaScan> Vmas { get; init; }
    public VmaTotals OtherVmas { get; init; } = new();
}

/// <summary>VMAs that hold nothing THP-related, kept only as totals, so a scan's size follows its THPs, not its mappings.</summary>
public sealed record VmaTotals
{
    public int Count { get; init; }
    public long RssKb { get; init; }
}

public sealed record VmaScan
{
    public required ulong Start { get; init; }
    public required ulong End { get; init; }
    public required string Perms { get; init; }
    /// <summary>Settable for the same reason as <see cref="ProcessScan.Cmdline"/>: files from before it was written lack it.</summary>
    public string Path { get; set; } = "";
    /// <summary>VmFlags codes as the kernel printed them, unknown ones included.</summary>
    public required IReadOnlyList<string> Flags { get; init; }
    public long RssKb { get; init; }
    public long AnonHugePagesKb { get; init; }

    /// <summary>Anonymous order-9 folios mapped here: the shrinker's candidates and the partially mapped ones.</summary>
    public IReadOnlyList<ThpRecord> Thps { get; init; } = [];

    /// <summary>2 MiB-aligned ranges that khugepaged could collapse (THP-eligible VMA, not THP-backed now).</summary>
    public IReadOnlyList<CollapseRange> CollapseRanges { get; init; } = [];

    /// <summary>
    /// Anonymous mTHP (large folios smaller than a PMD) with a subpage mapped by no process: the shrinker splits them at
    /// every pass, whatever max_ptes_none. Absent from scans written before thptool modelled them: the source-generated
    /// reader sets a member missing from the file to null, hence the fallback.
    /// </summary>
    public IReadOnlyList<MthpRecord> PartialMthps { get => partialMthps; init => partialMthps = value ?? []; }
    readonly IReadOnlyList<MthpRecord> partialMthps = [];

    /// <summary>Large folios that never enter the sweep, counted so the report can say what else is there.</summary>
    public OtherFolios Others { get; init; } = new();

    [JsonIgnore] public ulong Size => End - Start;
    [JsonIgnore] public bool Mlocked => Flags.Contains(VmFlagCodes.Locked);
    [JsonIgnore] public bool UffdArmed => Flags.Any(VmFlagCodes.IsUffd);
}

public static class VmFlagCodes
{
    public const string Locked = "lo";
    public const string HugePage = "hg";
    public const string NoHugePage = "nh";
    public const string UffdMissing = "um";
    public const string UffdWp = "uw";
    public const string UffdMinor = "ui";

    public static bool IsUffd(string code) => code is UffdMissing or UffdWp or UffdMinor;
}

[JsonConverter(typeof(JsonStringEnumConverter<ThpMapping>))]
public enum ThpMapping
{
    /// <summary>Mapped by one PMD entry: what AnonHugePages counts.</summary>
    Pmd,
    /// <summary>
    /// Mapped by PTEs (after mremap or a PMD split), every subpage mapped somewhere: still judged by the underused rule.
    /// Fewer than 512 subpages mapped here means another process maps the rest (a forked child's copy-on-write).
    /// </summary>
    Pte,
    /// <summary>Some subpages mapped by no process: the shrinker splits it at its next pass whatever the threshold.</summary>
    Partial,
}

/// <summary>One anonymous PMD-order folio as this process maps it.</summary>
public sealed record ThpRecord
{
    public required ulong Address { get; init; }
    /// <summary>Head page frame number; 0 when PFNs are hidden (no CAP_SYS_ADMIN).</summary>
    public ulong Pfn { get; init; }
    public required ThpMapping Mapping { get; init; }
    /// <summary>Subpages mapped in this VMA (512 unless partially mapped).</summary>
    public int MappedSubpages { get; init; } = Geometry.SubpagesPerThp;
    /// <summary>Mapped subpages whose 4096 bytes are all zero.</summary>
    public required int ZeroSubpages { get; init; }
    /// <summary>pagemap bit 56: no other process maps it (so it was read with process_vm_readv).</summary>
    public bool Exclusive { get; init; } = true;
    /// <summary>The folio itself is mlocked (kpageflags bit 33), whatever the VMA says.</summary>
    public bool FolioMlocked { get; init; }
    /// <summary>Set when an earlier process of the same scan maps this physical THP: counted there, not here.</summary>
    public int? CountedInPid { get; init; }
    /// <summary>A sampled scan did not read its contents: <see cref="ZeroSubpages"/> is 0 and means nothing.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Unread { get; init; }
}

/// <summary>One partially mapped anonymous mTHP as this process maps it.</summary>
public sealed record MthpRecord
{
    /// <summary>The first subpage this VMA maps.</summary>
    public required ulong Address { get; init; }
    public ulong Pfn { get; init; }
    /// <summary>The folio's size in subpages (16 for 64 KiB).</summary>
    public required int Pages { get; init; }
    public required int MappedSubpages { get; init; }
    /// <summary>Mapped subpages whose 4096 bytes are all zero.</summary>
    public required int ZeroSubpages { get; init; }
    public bool FolioMlocked { get; init; }
}

/// <summary>
/// A khugepaged candidate range. <see cref="EmptyOrZeroPtes"/> decides collapse (at most max_ptes_none);
/// <see cref="ZeroContentPages"/> (those plus present pages that hold only zeros) decides whether the THP it
/// would become is split again.
/// </summary>
public sealed record CollapseRange(ulong Address, int EmptyOrZeroPtes, int ZeroContentPages, int SwapPtes = 0, int SharedPtes = 0);

public sealed record OtherFolios
{
    public int FileOrShmemThps { get; init; }
    public int HugeZeroPages { get; init; }
    public int Mthps { get; init; }
    public long MthpBytes { get; init; }
    /// <summary>The anonymous mTHP counted in <see cref="Mthps"/> by folio size in KiB (absent from older scans).</summary>
    public IReadOnlyDictionary<int, int> MthpsByKb { get => mthpsByKb; init => mthpsByKb = value ?? new Dictionary<int, int>(); }
    readonly IReadOnlyDictionary<int, int> mthpsByKb = new Dictionary<int, int>();

    /// <summary>By value, the sizes' counts included: two scans of the same memory give equal records.</summary>
    public bool Equals(OtherFolios? other) =>
        other is not null && (FileOrShmemThps, HugeZeroPages, Mthps, MthpBytes) == (other.FileOrShmemThps, other.HugeZeroPages, other.Mthps, other.MthpBytes) &&
        MthpsByKb.Count == other.MthpsByKb.Count && MthpsByKb.All(kv => other.MthpsByKb.TryGetValue(kv.Key, out int n) && n == kv.Value);

    public override int GetHashCode() => HashCode.Combine(FileOrShmemThps, HugeZeroPages, Mthps, MthpBytes, MthpsByKb.Count);
}
