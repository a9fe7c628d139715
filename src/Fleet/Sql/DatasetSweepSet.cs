using ThpTool.Fleet.Dataset;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Memory;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Fleet.Sql;

/// <summary>A cgroup (a service) summed over every host that runs it.</summary>
public sealed record CgroupSweep(string Cgroup, SweepResult Result);

/// <summary>
/// What 'sweep DIR' and 'report DIR' show, computed by DuckDB: each host (unless left out), the fleet (its own query,
/// not the hosts added up in memory), each cgroup, and the fleet's zero-subpage histograms for the chart.
/// </summary>
/// <param name="HostSummaries">The hosts table: each host's fields, without histograms.</param>
public sealed record DatasetSweepSet(IReadOnlyList<HostSummary> HostSummaries, IReadOnlyList<HostSweep> Hosts, HostSweep Fleet,
                                     IReadOnlyList<CgroupSweep> Cgroups, HostSummary FleetSummary)
{
    /// <param name="withHosts">false leaves <see cref="Hosts"/> empty: a report of 100,000 hosts needs only the fleet and its cgroups.</param>
    public static DatasetSweepSet Run(string dir, IReadOnlyList<int> thresholds, RemapPolicy policy, bool withHosts = true)
    {
        using var query = DatasetQuery.Open(dir);
        var summaries = DatasetHosts.Read(query);
        var hosts = withHosts ? DatasetSweep.Hosts(query, summaries, thresholds, policy) : [];
        var fleet = FleetOf(query, summaries, thresholds, policy);
        var cgroups = DatasetSweep.Rows(query, SweepUnit.Cgroup, thresholds, policy)
            .Select(c => new CgroupSweep(c.Key, new SweepResult(c.Value, [], policy))).OrderBy(c => c.Cgroup, StringComparer.Ordinal).ToArray();
        var summary = new HostSummary
        {
            Host = fleet.Host, Kernel = fleet.Kernel, Timestamp = fleet.ScanTime, DurationSeconds = fleet.ScanSeconds, Mode = DiscoveryMode.Kpageflags,
            Settings = fleet.Settings, Thps = Histograms(query), Collapse = [],
        };
        return new DatasetSweepSet(summaries, hosts, fleet, cgroups, summary);
    }

    /// <summary>The fleet's rows; its scan time is the newest host's, its duration the sum, its settings the first host's (as a merge's).</summary>
    public static HostSweep FleetOf(DatasetQuery query, IReadOnlyList<HostSummary> hosts, IReadOnlyList<int> thresholds, RemapPolicy policy)
    {
        var rows = DatasetSweep.Rows(query, SweepUnit.Fleet, thresholds, policy).GetValueOrDefault(FleetSweep.FleetHost)
                   ?? thresholds.Select(n => new SweepRow { MaxPtesNone = n }).ToArray();
        return new HostSweep(FleetSweep.FleetHost, string.Join(", ", hosts.Select(h => h.Kernel).Distinct()), hosts.Max(h => h.Timestamp),
                             hosts.Sum(h => h.DurationSeconds), hosts[0].Settings, new SweepResult(rows, [], policy));
    }

    /// <summary>The fleet as a merged scan: with the hosts table (for the summary line) or with the fleet's histograms (for the chart).</summary>
    public ScanFile FleetScan(bool withHistograms) => new()
    {
        Version = ScanFile.FleetVersion, Host = Fleet.Host, Kernel = Fleet.Kernel, Timestamp = Fleet.ScanTime, DurationSeconds = Fleet.ScanSeconds,
        Mode = FleetSummary.Mode, Settings = Fleet.Settings, Processes = [], Hosts = withHistograms ? [FleetSummary] : HostSummaries,
    };

    /// <summary>The fleet's THPs by class, mapping and zero subpages: what the histogram chart draws.</summary>
    static IReadOnlyList<ThpHistogram> Histograms(DatasetQuery query)
    {
        var histograms = new Dictionary<(string, string), ThpHistogram>();
        var buckets = query.Read($"SELECT class, mapping, zero_subpages, CAST(sum(thps) AS BIGINT) FROM {query.Table(DatasetLayout.Thps)} WHERE mapping <> '{HostTables.PartialMthpMapping}' GROUP BY ALL",
            r => DatasetQuery.ReadAll(r, x => (Class: x.GetString(0), Mapping: x.GetString(1), Z: x.GetInt32(2), N: x.GetInt64(3))));
        foreach (var b in buckets)
        {
            if (!histograms.TryGetValue((b.Class, b.Mapping), out var h))
                histograms[(b.Class, b.Mapping)] = h = new ThpHistogram
                {
                    Class = Enum.GetValues<ThpClass>().First(c => HostTables.ClassName(c) == b.Class),
                    Mapping = Enum.GetValues<ThpMapping>().First(m => HostTables.MappingName(m) == b.Mapping),
                    Counts = new long[Geometry.SubpagesPerThp + 1],
                };
            h.Counts[b.Z] = b.N;
        }
        return histograms.Values.ToArray();
    }
}
