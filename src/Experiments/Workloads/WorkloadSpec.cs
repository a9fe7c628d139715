using System.Globalization;
using ThpTool.Common.Errors;
using ThpTool.Common.Text;
using ThpTool.Scanner.Memory;

namespace ThpTool.Experiments.Workloads;

/// <summary>What a workload maps and writes; exactly one of <see cref="Stride"/>, <see cref="Fills"/> and <see cref="ContentSeed"/> is set.</summary>
public sealed record WorkloadSpec
{
    public required long Size { get; init; }
    public long? Stride { get; init; }
    public IReadOnlyList<int>? Fills { get; init; }
    /// <summary>Random contents from this seed: each THP gets its own share of non-zero subpages at random positions.</summary>
    public int? ContentSeed { get; init; }
    /// <summary>Subpages of each THP to give back after filling it (MADV_DONTNEED, or MADV_FREE with <see cref="LazyFree"/>).</summary>
    public SubpageDrops? Drops { get; init; }
    /// <summary>Give <see cref="Drops"/> back with MADV_FREE: lazily freed, they stay mapped until reclaim takes them.</summary>
    public bool LazyFree { get; init; }
    public bool Mlock { get; init; }
    public UffdMode? Uffd { get; init; }
    public bool Fork { get; init; }
    /// <summary>
    /// Fork as <see cref="Fork"/> does, and have the child write a byte 1 at the start of every THP: the child's
    /// PMDs are split copy-on-write and it maps 511 subpages of each of the parent's THPs by PTEs. The THPs reported
    /// are the parent's; the child's differ only where a THP's first subpage was all zero.
    /// </summary>
    public bool ForkWrite { get; init; }
    /// <summary>Move the filled region off 2 MiB alignment, so its THPs are PTE-mapped yet fully mapped.</summary>
    public bool Misalign { get; init; }
    /// <summary>Subpages at the end of the first THP to MADV_DONTNEED, leaving it partially mapped.</summary>
    public int Partial { get; init; }
    /// <summary>A cgroup.procs file the workload joins before it maps anything, so every THP is charged there.</summary>
    public string? CgroupProcs { get; init; }
    /// <summary>MADV_NOHUGEPAGE instead of MADV_HUGEPAGE: 4 KiB pages only, where the pattern writes (stride 4096 maps every page).</summary>
    public bool NoHugepage { get; init; }
    /// <summary>MAP_SHARED anonymous memory (shmem): its THPs are file folios the shrinker never judges.</summary>
    public bool Shmem { get; init; }
    /// <summary>
    /// Bytes from one THP's start to the next one's, in a MAP_NORESERVE reservation of <see cref="ThpCount"/> times
    /// that: a sparse address space, as a sanitizer's shadow or a piecemeal-committed heap has. Null: packed.
    /// </summary>
    public long? Spread { get; init; }
    /// <summary>One-page anonymous VMAs, each written once, mapped beside the region: a process with many mappings.</summary>
    public int ExtraVmas { get; init; }

    public int ThpCount => (int)(Size / Geometry.ThpSize);

    /// <summary>Builds a spec from the CLI's raw option values; every mistake is a <see cref="UserError"/>.</summary>
    public static WorkloadSpec FromOptions(string? size, string? stride, string? fills, bool mlock, string? uffd, bool fork, int partial,
                                           bool misalign = false, string? cgroupProcs = null, int? contentSeed = null)
    {
        if (size is null)
            throw new UserError(ExitCode.Usage, "--size is required");
        var spec = new WorkloadSpec
        {
            Size = ByteSize.Parse(size, "--size"),
            Stride = stride is null ? null : ByteSize.Parse(stride, "--stride"),
            Fills = fills is null ? null : ParseFills(fills),
            ContentSeed = contentSeed,
            Mlock = mlock,
            Uffd = uffd is null ? null : ParseUffd(uffd),
            Fork = fork,
            Partial = partial,
            Misalign = misalign,
            CgroupProcs = cgroupProcs,
        };
        spec.Validate();
        return spec;
    }

    public void Validate()
    {
        if (Size <= 0 || Size % Geometry.ThpSize != 0)
            throw new UserError(ExitCode.Usage, $"--size {Size} must be a positive multiple of 2 MiB");
        if ((Stride is null ? 0 : 1) + (Fills is null ? 0 : 1) + (ContentSeed is null ? 0 : 1) != 1)
            throw new UserError(ExitCode.Usage, "give exactly one fill pattern: --stride, --fills or --content-seed");
        if (Stride is <= 0)
            throw new UserError(ExitCode.Usage, "--stride must be positive");
        if (Fills is { Count: 0 } || Fills?.Any(f => f is < 0 or > Geometry.SubpagesPerThp) == true)
            throw new UserError(ExitCode.Usage, $"--fills needs one or more counts between 0 and {Geometry.SubpagesPerThp}");
        if (Partial is < 0 or >= Geometry.SubpagesPerThp)
            throw new UserError(ExitCode.Usage, $"--partial must be between 0 and {Geometry.SubpagesPerThp - 1}");
        if (Partial > 0 && Mlock)
            throw new UserError(ExitCode.Usage, "--partial cannot be combined with --mlock: the kernel refuses MADV_DONTNEED on locked memory");
        if (Drops is not null && Mlock)
            throw new UserError(ExitCode.Usage, "--drops cannot be combined with --mlock: the kernel refuses MADV_DONTNEED on locked memory");
        if (LazyFree && Drops is null)
            throw new UserError(ExitCode.Usage, "--lazy-free needs --drops: it says how the dropped subpages are given back");
        if (Spread is { } spread && (spread < Geometry.ThpSize || spread % Geometry.ThpSize != 0))
            throw new UserError(ExitCode.Usage, $"--spread {spread} must be a multiple of 2 MiB");
        if (Spread is not null && (Misalign || Shmem || ForkWrite || Uffd is not null))
            throw new UserError(ExitCode.Usage, "--spread cannot be combined with --misalign, --shmem, --fork-write or --uffd");
        if (ExtraVmas < 0)
            throw new UserError(ExitCode.Usage, "--extra-vmas must not be negative");
        if (ForkWrite && Shmem)
            throw new UserError(ExitCode.Usage, "--fork-write cannot be combined with --shmem: the child's writes would land in the parent's memory");
    }

    /// <summary>The arguments of `thptool workload` that reproduce this spec.</summary>
    public IReadOnlyList<string> ToArguments()
    {
        var args = new List<string> { "workload", "--size", Size.ToString(CultureInfo.InvariantCulture) };
        if (Stride is { } stride)
            args.AddRange(["--stride", stride.ToString(CultureInfo.InvariantCulture)]);
        if (Fills is { } fills)
            args.AddRange(["--fills", string.Join(',', fills)]);
        if (ContentSeed is { } seed)
            args.AddRange(["--content-seed", seed.ToString(CultureInfo.InvariantCulture)]);
        if (Drops is { } drops)
            args.AddRange(["--drops", drops.ToString()]);
        if (LazyFree)
            args.Add("--lazy-free");
        if (Mlock)
            args.Add("--mlock");
        if (Uffd is { } uffd)
            args.AddRange(["--uffd", uffd.ToString().ToLowerInvariant()]);
        if (Fork)
            args.Add("--fork");
        if (ForkWrite)
            args.Add("--fork-write");
        if (Partial > 0)
            args.AddRange(["--partial", Partial.ToString(CultureInfo.InvariantCulture)]);
        if (Misalign)
            args.Add("--misalign");
        if (CgroupProcs is { } procs)
            args.AddRange(["--cgroup-procs", procs]);
        if (NoHugepage)
            args.Add("--no-hugepage");
        if (Shmem)
            args.Add("--shmem");
        if (Spread is { } spread)
            args.AddRange(["--spread", spread.ToString(CultureInfo.InvariantCulture)]);
        if (ExtraVmas > 0)
            args.AddRange(["--extra-vmas", ExtraVmas.ToString(CultureInfo.InvariantCulture)]);
        return args;
    }

    /// <summary>The THPs as the pattern leaves them (before any partial unmap), addressed from 0: known without running it.</summary>
    public IReadOnlyList<WorkloadThp> WrittenThps() => FillPlan.Contents(this).Thps(0);

    static int[] ParseFills(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var counts = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out counts[i]))
                throw new UserError(ExitCode.Usage, $"--fills '{text}': '{parts[i]}' is not a subpage count");
        return counts;
    }

    static UffdMode ParseUffd(string text) => text.ToLowerInvariant() switch
    {
        "missing" => UffdMode.Missing,
        "wp" => UffdMode.Wp,
        "minor" => UffdMode.Minor,
        _ => throw new UserError(ExitCode.Usage, $"--uffd '{text}' must be missing, wp or minor"),
    };
}
