using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Fleet.Dataset;

/// <summary>One non-empty histogram bucket: <see cref="Thps"/> THPs of a host's cgroup with this many zero subpages.</summary>
/// <param name="UnmappedSubpages">
/// For partially mapped THPs, the subpages they no longer map, summed over the whole (host, cgroup, class) histogram and
/// kept on its lowest bucket (every partially mapped THP splits, so only the sum matters); 0 elsewhere.
/// </param>
public sealed record ThpBucket(string Host, string Cgroup, string Class, string Mapping, int ZeroSubpages, long Thps, long UnmappedSubpages);

public sealed record CollapseBucket(string Host, string Cgroup, int EmptyOrZeroPtes, int ZeroContentPages, bool UffdArmed, long Ranges);

/// <summary>Everything the dataset holds about one host: its hosts row, THP buckets and collapse ranges.</summary>
public sealed record HostTables(HostSummary Host, IReadOnlyList<ThpBucket> Thps, IReadOnlyList<CollapseBucket> Collapse)
{
    /// <summary>Cgroup of processes whose cgroup was not recorded, and of hosts exported from a merged fleet file.</summary>
    public const string UnknownCgroup = "";

    /// <summary>
    /// A single-host scan gives one host, its buckets per cgroup (a THP shared by processes of two cgroups counts in the
    /// first process's, as it does for the host); a merged fleet file gives each of its hosts, without cgroups.
    /// </summary>
    public static IEnumerable<HostTables> From(ScanFile scan)
    {
        if (scan.Hosts is { } hosts)
        {
            foreach (var host in hosts) yield return Of(host, [(UnknownCgroup, host)]);
            yield break;
        }
        var cgroups = scan.Processes.GroupBy(p => p.Cgroup ?? UnknownCgroup)
            .Select(g => (g.Key, HostSummary.From(scan with { Processes = g.ToArray() }))).ToArray();
        yield return Of(HostSummary.From(scan), cgroups);
    }

    static HostTables Of(HostSummary host, IReadOnlyList<(string Cgroup, HostSummary Summary)> cgroups)
    {
        var thps = new List<ThpBucket>();
        var collapse = new List<CollapseBucket>();
        foreach (var (cgroup, summary) in cgroups.OrderBy(c => c.Cgroup, StringComparer.Ordinal))
        {
            foreach (var h in summary.Thps)
            {
                bool first = true;
                for (int z = 0; z < h.Counts.Length; z++)
                {
                    if (h.Counts[z] == 0) continue;
                    thps.Add(new ThpBucket(host.Host, cgroup, ClassName(h.Class), MappingName(h.Mapping), z, h.Counts[z], first ? h.UnmappedSubpages : 0));
                    first = false;
                }
            }
            foreach (var m in summary.PartialMthps.Where(m => m.Folios > 0))
                thps.AddRange(PartialMthpBuckets(host.Host, cgroup, m));
            collapse.AddRange(summary.Collapse.Select(c => new CollapseBucket(host.Host, cgroup, c.EmptyOrZeroPtes, c.ZeroContentPages, c.UffdArmed, c.Ranges)));
        }
        return new HostTables(host, thps, collapse);
    }

    /// <summary>The mapping of rows that hold partially mapped mTHPs (folios smaller than a PMD).</summary>
    public const string PartialMthpMapping = "partial-mthp";

    /// <summary>
    /// Every partially mapped mTHP splits at every pass, so the sweep needs only the sums of folios, zero and unmapped
    /// subpages, which is all a merged fleet file keeps. Two buckets carry them exactly: the zero subpages spread as
    /// evenly as whole numbers allow (q or q + 1 per folio).
    /// </summary>
    static IEnumerable<ThpBucket> PartialMthpBuckets(string host, string cgroup, PartialMthpCount m)
    {
        long q = m.ZeroSubpages / m.Folios, r = m.ZeroSubpages % m.Folios;
        if (m.Folios - r > 0)
            yield return new ThpBucket(host, cgroup, ClassName(m.Class), PartialMthpMapping, (int)q, m.Folios - r, m.UnmappedSubpages);
        if (r > 0)
            yield return new ThpBucket(host, cgroup, ClassName(m.Class), PartialMthpMapping, (int)q + 1, r, m.Folios - r > 0 ? 0 : m.UnmappedSubpages);
    }

    public static string ClassName(ThpClass c) => c switch
    {
        ThpClass.Candidate => "candidate",
        ThpClass.UffdArmed => "uffd-armed",
        ThpClass.Mlocked => "mlocked",
        _ => throw new ArgumentOutOfRangeException(nameof(c), c, null),
    };

    public static string MappingName(ThpMapping m) => m.ToString().ToLowerInvariant();
}
