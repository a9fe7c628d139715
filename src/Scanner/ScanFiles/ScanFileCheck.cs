using ThpTool.Common.Errors;
using ThpTool.Scanner.Dotnet;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Memory;

namespace ThpTool.Scanner.ScanFiles;

/// <summary>
/// Every field of a scan or fleet file checked against what a scan can hold, on load and before a save: JSON that
/// parses can still hold nulls where lists belong, counts that overflow once turned into bytes, or thresholds the
/// model has no row for, and would give stack traces or silently wrong figures ("-2.5 GiB freed") further on.
/// The first bad field is named in one line.
/// </summary>
internal sealed class ScanFileCheck(string source)
{
    /// <summary>
    /// THP records, histogram counts and collapse ranges in one file, summed: 2^36 THPs are 128 PiB, and with every
    /// byte figure at most 2^57 the sweep's sums cannot overflow.
    /// </summary>
    public const long MaxThps = 1L << 36;
    /// <summary>A year: longer is no scan duration, and sums of many hosts' stay finite.</summary>
    const double MaxSeconds = 365 * 24 * 3600.0;
    const int MaxSubpage = Geometry.SubpagesPerThp;
    long thps;

    public static void Validate(ScanFile scan, string source) => new ScanFileCheck(source).File(scan);

    void File(ScanFile scan)
    {
        Text(scan.Host, "host");
        Text(scan.Kernel, "kernel");
        Seconds(scan.DurationSeconds, "durationSeconds");
        // Files from before these fields read them as 0; the model knows 4 KiB pages and 2 MiB THPs only.
        if (scan.PageSize is not (0 or Geometry.PageSize)) throw Bad("pageSize", $"is {scan.PageSize}, not {Geometry.PageSize}");
        if (scan.PmdSize is not (0 or Geometry.PageSize * MaxSubpage)) throw Bad("pmdSize", $"is {scan.PmdSize}, not {Geometry.PageSize * MaxSubpage}");
        Mode(scan.Mode, "mode");
        Settings(scan.Settings, "settings");
        foreach (var (key, value) in NotNull(scan.Vmstat, "vmstat")) Range(value, 0, long.MaxValue, $"vmstat.{key}");
        Each(scan.Processes, "processes", Process);
        Each(scan.Skipped, "skipped", (s, at) =>
        {
            Range(s.Pid, 1, int.MaxValue, $"{at}.pid");
            Text(s.Reason, $"{at}.reason");
        });
        if (scan.Sample is { } sample)
        {
            if (!(sample.Fraction is > 0 and <= 1)) throw Bad("sample.fraction", $"is {sample.Fraction}, outside (0, 1]");
            Range(sample.MinimumPerStratum, 1, int.MaxValue, "sample.minimumPerStratum");
        }
        if (scan.Cost is { } cost)
        {
            Seconds(cost.CpuSeconds, "cost.cpuSeconds");
            Seconds(cost.LongestReadSeconds, "cost.longestReadSeconds");
            Range(cost.BytesRead, 0, long.MaxValue, "cost.bytesRead");
            if (cost.MaxReadRate is { } rate) Range(rate, 1, long.MaxValue, "cost.maxReadRate");
        }
        if (scan.Hosts is { } hosts)
        {
            if (hosts.Count == 0) throw Bad("hosts", "is empty");
            Each(hosts, "hosts", Host);
        }
    }

    void Settings(KernelSettings? s, string at)
    {
        NotNull(s, at);
        Text(s!.Enabled, $"{at}.enabled");
        Text(s.Defrag, $"{at}.defrag");
        Range(s.ShrinkUnderused, -1, 1, $"{at}.shrinkUnderused");
        Range(s.MaxPtesNone, 0, MaxSubpage - 1, $"{at}.maxPtesNone");
        Range(s.MaxPtesSwap, 0, MaxSubpage - 1, $"{at}.maxPtesSwap");
        Range(s.MaxPtesShared, 0, MaxSubpage - 1, $"{at}.maxPtesShared");
    }

    void Process(ProcessScan p, string at)
    {
        Range(p.Pid, 1, int.MaxValue, $"{at}.pid");
        Text(p.Comm, $"{at}.comm");
        Text(p.Cmdline, $"{at}.cmdline");
        if (p.Dotnet is { } dotnet) Dotnet(dotnet, $"{at}.dotnet");
        Each(p.Vmas, $"{at}.vmas", Vma);
    }

    void Dotnet(DotnetRuntime d, string at)
    {
        NotNull(d.GcSettings, $"{at}.gcSettings");
        if (d.InducedGc is { } gc) Seconds(gc.Seconds, $"{at}.inducedGc.seconds");
    }

    void Vma(VmaScan v, string at)
    {
        if (v.End < v.Start) throw Bad($"{at}.end", $"is below its start ({v.End:x} < {v.Start:x})");
        Text(v.Perms, $"{at}.perms");
        Text(v.Path, $"{at}.path");
        Each(v.Flags, $"{at}.flags", (_, _) => { });
        Range(v.RssKb, 0, long.MaxValue / 1024, $"{at}.rssKb");
        Range(v.AnonHugePagesKb, 0, long.MaxValue / 1024, $"{at}.anonHugePagesKb");
        Each(v.Thps, $"{at}.thps", Thp);
        Each(v.CollapseRanges, $"{at}.collapseRanges", Collapse);
        Each(v.PartialMthps, $"{at}.partialMthps", Mthp);
        var o = NotNull(v.Others, $"{at}.others");
        Range(o.FileOrShmemThps, 0, int.MaxValue, $"{at}.others.fileOrShmemThps");
        Range(o.HugeZeroPages, 0, int.MaxValue, $"{at}.others.hugeZeroPages");
        Range(o.Mthps, 0, int.MaxValue, $"{at}.others.mthps");
        Range(o.MthpBytes, 0, MaxThps * Geometry.PageSize * MaxSubpage, $"{at}.others.mthpBytes");
        foreach (var (kb, count) in o.MthpsByKb)
        {
            Range(kb, 8, Geometry.PageSize * MaxSubpage / 1024 / 2, $"{at}.others.mthpsByKb key");
            Range(count, 0, int.MaxValue, $"{at}.others.mthpsByKb.{kb}");
        }
    }

    void Thp(ThpRecord t, string at)
    {
        Count(1, at);
        if (!Enum.IsDefined(t.Mapping)) throw Bad($"{at}.mapping", $"is {(int)t.Mapping}, not Pmd, Pte or Partial");
        Range(t.MappedSubpages, 0, MaxSubpage, $"{at}.mappedSubpages");
        Range(t.ZeroSubpages, 0, MaxSubpage, $"{at}.zeroSubpages");
        if (t.CountedInPid is { } pid) Range(pid, 1, int.MaxValue, $"{at}.countedInPid");
    }

    /// <summary>An mTHP is smaller than a PMD: at most 256 subpages, of which at most all are mapped and zero.</summary>
    void Mthp(MthpRecord m, string at)
    {
        Count(1, at);
        Range(m.Pages, 2, MaxSubpage / 2, $"{at}.pages");
        Range(m.MappedSubpages, 0, m.Pages, $"{at}.mappedSubpages");
        Range(m.ZeroSubpages, 0, m.MappedSubpages, $"{at}.zeroSubpages");
    }

    void Collapse(CollapseRange r, string at)
    {
        Count(1, at);
        Range(r.EmptyOrZeroPtes, 0, MaxSubpage, $"{at}.emptyOrZeroPtes");
        Range(r.ZeroContentPages, 0, MaxSubpage, $"{at}.zeroContentPages");
        Range(r.SwapPtes, 0, MaxSubpage, $"{at}.swapPtes");
        Range(r.SharedPtes, 0, MaxSubpage, $"{at}.sharedPtes");
    }

    void Host(HostSummary h, string at)
    {
        Text(h.Host, $"{at}.host");
        Text(h.Kernel, $"{at}.kernel");
        Seconds(h.DurationSeconds, $"{at}.durationSeconds");
        Mode(h.Mode, $"{at}.mode");
        Settings(h.Settings, $"{at}.settings");
        Range(h.Processes, 0, int.MaxValue, $"{at}.processes");
        Range(h.DotnetProcesses, 0, h.Processes, $"{at}.dotnetProcesses");
        Range(h.Skipped, 0, int.MaxValue, $"{at}.skipped");
        Each(h.Thps, $"{at}.thps", (histogram, where) =>
        {
            if (!Enum.IsDefined(histogram.Class)) throw Bad($"{where}.class", $"is {(int)histogram.Class}, not Candidate, UffdArmed or Mlocked");
            if (!Enum.IsDefined(histogram.Mapping)) throw Bad($"{where}.mapping", $"is {(int)histogram.Mapping}, not Pmd, Pte or Partial");
            var counts = NotNull(histogram.Counts, $"{where}.counts");
            if (counts.Length != MaxSubpage + 1) throw Bad($"{where}.counts", $"has {counts.Length} buckets, not {MaxSubpage + 1}");
            long held = 0;
            for (int z = 0; z < counts.Length; z++)
            {
                Range(counts[z], 0, MaxThps, $"{where}.counts[{z}]");
                Count(counts[z], $"{where}.counts[{z}]");
                held += counts[z];
            }
            Range(histogram.UnmappedSubpages, 0, held * MaxSubpage, $"{where}.unmappedSubpages");
        });
        Each(h.PartialMthps, $"{at}.partialMthps", (m, where) =>
        {
            if (!Enum.IsDefined(m.Class)) throw Bad($"{where}.class", $"is {(int)m.Class}, not Candidate, UffdArmed or Mlocked");
            Range(m.Folios, 0, MaxThps, $"{where}.folios");
            Count(m.Folios, $"{where}.folios");
            Range(m.ZeroSubpages, 0, m.Folios * (MaxSubpage / 2), $"{where}.zeroSubpages");
            Range(m.UnmappedSubpages, 0, m.Folios * (MaxSubpage / 2), $"{where}.unmappedSubpages");
        });
        Each(h.Collapse, $"{at}.collapse", (c, where) =>
        {
            Range(c.EmptyOrZeroPtes, 0, MaxSubpage, $"{where}.emptyOrZeroPtes");
            Range(c.ZeroContentPages, 0, MaxSubpage, $"{where}.zeroContentPages");
            Range(c.Ranges, 0, MaxThps, $"{where}.ranges");
            Count(c.Ranges, $"{where}.ranges");
        });
    }

    void Each<T>(IReadOnlyList<T>? list, string at, Action<T, string> check) where T : class
    {
        NotNull(list, at);
        for (int i = 0; i < list!.Count; i++) check(NotNull(list[i], $"{at}[{i}]"), $"{at}[{i}]");
    }

    /// <summary>Counts THPs and ranges across the file, so that no sum of them overflows.</summary>
    void Count(long n, string at)
    {
        thps += n;
        if (thps > MaxThps) throw Bad(at, $"brings the file past {MaxThps} THPs and collapse ranges");
    }

    void Mode(DiscoveryMode mode, string at)
    {
        if (!Enum.IsDefined(mode)) throw Bad(at, $"is {(int)mode}, not Kpageflags or PagemapScan");
    }

    void Seconds(double value, string at)
    {
        if (!double.IsFinite(value) || value < 0 || value > MaxSeconds) throw Bad(at, $"is {value}, outside 0..{MaxSeconds}");
    }

    void Text(string? value, string at) => NotNull(value, at);

    T NotNull<T>(T? value, string at) where T : class => value ?? throw Bad(at, "is null");

    void Range(long value, long min, long max, string at)
    {
        if (value < min || value > max) throw Bad(at, $"is {value}, outside {min}..{max}");
    }

    UserError Bad(string at, string what) => new(ExitCode.BadScanFile, $"{source} is a damaged scan: {at} {what}");
}
