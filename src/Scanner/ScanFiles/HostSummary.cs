using System.Text.Json.Serialization;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Memory;

namespace ThpTool.Scanner.ScanFiles;

/// <summary>
/// One host's scan reduced to what the shrinker and khugepaged models need at every threshold: zero-subpage
/// histograms per THP class and a table of collapse ranges. Sweeping it gives the same rows as sweeping the raw
/// scan, so fleets merge without shipping every THP record.
/// </summary>
public sealed record HostSummary
{
    public required string Host { get; init; }
    public required string Kernel { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public double DurationSeconds { get; init; }
    public required DiscoveryMode Mode { get; init; }
    public required KernelSettings Settings { get; init; }
    public int Processes { get; init; }
    public int DotnetProcesses { get; init; }
    public int Skipped { get; init; }
    /// <summary>One per (class, mapping) that holds any THP; a shared THP is in the histogram once.</summary>
    public required IReadOnlyList<ThpHistogram> Thps { get; init; }
    /// <summary>
    /// Collapse ranges grouped by their counts. Ranges that the scan-time max_ptes_swap or max_ptes_shared already
    /// keep from collapsing are left out: they collapse at no max_ptes_none.
    /// </summary>
    public required IReadOnlyList<CollapseCount> Collapse { get; init; }
    /// <summary>Partially mapped mTHP by class, summed: split at every pass, so no histogram is needed (absent from older files).</summary>
    public IReadOnlyList<PartialMthpCount> PartialMthps { get => partialMthps; init => partialMthps = value ?? []; }
    readonly IReadOnlyList<PartialMthpCount> partialMthps = [];

    public static HostSummary From(ScanFile scan)
    {
        var histograms = new Dictionary<(ThpClass, ThpMapping), ThpHistogram>();
        var collapse = new Dictionary<(int, int, bool), long>();
        var mthps = new Dictionary<ThpClass, PartialMthpCount>();
        foreach (var (_, vma) in Sweep.Vmas(scan))
        {
            foreach (var thp in Sweep.Own(vma))
            {
                var key = (ClassOf(thp, vma), thp.Mapping);
                if (!histograms.TryGetValue(key, out var h))
                    histograms[key] = h = new ThpHistogram { Class = key.Item1, Mapping = key.Mapping, Counts = new long[Geometry.SubpagesPerThp + 1] };
                h.Counts[thp.ZeroSubpages]++;
                if (thp.Mapping == ThpMapping.Partial) h.UnmappedSubpages += Geometry.SubpagesPerThp - thp.MappedSubpages;
            }
            foreach (var mthp in vma.PartialMthps)
            {
                var c = ClassOf(mthp.FolioMlocked, vma);
                var sum = mthps.GetValueOrDefault(c) ?? new PartialMthpCount(c, 0, 0, 0);
                mthps[c] = sum with
                {
                    Folios = sum.Folios + 1, ZeroSubpages = sum.ZeroSubpages + mthp.ZeroSubpages,
                    UnmappedSubpages = sum.UnmappedSubpages + mthp.Pages - mthp.MappedSubpages,
                };
            }
            foreach (var range in vma.CollapseRanges)
            {
                if (!KhugepagedModel.WithinSwapAndSharedLimits(range, scan.Settings)) continue;
                var key = (range.EmptyOrZeroPtes, range.ZeroContentPages, vma.UffdArmed);
                collapse[key] = collapse.GetValueOrDefault(key) + 1;
            }
        }
        return new HostSummary
        {
            Host = scan.Host,
            Kernel = scan.Kernel,
            Timestamp = scan.Timestamp,
            DurationSeconds = scan.DurationSeconds,
            Mode = scan.Mode,
            Settings = scan.Settings,
            Processes = scan.Processes.Count,
            DotnetProcesses = scan.Processes.Count(p => p.IsDotnet),
            Skipped = scan.Skipped.Count,
            Thps = histograms.OrderBy(h => h.Key).Select(h => h.Value).ToArray(),
            Collapse = collapse.OrderBy(c => c.Key).Select(c => new CollapseCount(c.Key.Item1, c.Key.Item2, c.Key.Item3, c.Value)).ToArray(),
            PartialMthps = mthps.OrderBy(m => m.Key).Select(m => m.Value).ToArray(),
        };
    }

    /// <summary>The shrinker's view: mlock wins over uffd (neither path splits a locked folio).</summary>
    public static ThpClass ClassOf(ThpRecord thp, VmaScan vma) => ClassOf(thp.FolioMlocked, vma);

    static ThpClass ClassOf(bool folioMlocked, VmaScan vma) =>
        vma.Mlocked || folioMlocked ? ThpClass.Mlocked : vma.UffdArmed ? ThpClass.UffdArmed : ThpClass.Candidate;
}

[JsonConverter(typeof(JsonStringEnumConverter<ThpClass>))]
public enum ThpClass
{
    /// <summary>Neither mlocked nor in a uffd-armed VMA.</summary>
    Candidate,
    /// <summary>In a VMA with userfaultfd armed (VmFlags um, uw or ui).</summary>
    UffdArmed,
    /// <summary>Folio or VMA mlocked: the shrinker never splits it.</summary>
    Mlocked,
}

/// <summary>THPs of one class and mapping, counted by how many of their mapped subpages are all zero (0..512).</summary>
public sealed record ThpHistogram
{
    public required ThpClass Class { get; init; }
    public required ThpMapping Mapping { get; init; }
    /// <summary>Counts[z] = THPs with z zero subpages; always 513 buckets.</summary>
    public required long[] Counts { get; init; }
    /// <summary>Subpages the partially mapped THPs no longer map, summed (0 for fully mapped ones): a split frees them too.</summary>
    public long UnmappedSubpages { get; set; }
}

/// <summary>Partially mapped mTHP of one class: how many, their all-zero mapped subpages and the subpages no one maps.</summary>
public sealed record PartialMthpCount(ThpClass Class, long Folios, long ZeroSubpages, long UnmappedSubpages);

/// <summary><see cref="Ranges"/> collapse ranges with these counts (see <see cref="CollapseRange"/>).</summary>
public sealed record CollapseCount(int EmptyOrZeroPtes, int ZeroContentPages, bool UffdArmed, long Ranges);
