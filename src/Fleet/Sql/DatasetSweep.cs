using System.Data.Common;
using System.Reflection;
using ThpTool.Common.Errors;
using ThpTool.Fleet.Dataset;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Fleet.Sql;

/// <summary>What a sweep of the dataset is taken over: each host, the fleet as one, or each cgroup across hosts.</summary>
public enum SweepUnit { Host, Fleet, Cgroup }

/// <summary>
/// The sweep computed by DuckDB from a dataset (Sql/sweep.sql, the query docs/fleet-sql.md gives): the same rows as
/// <see cref="FleetSweep"/> over the same scans merged in memory.
/// </summary>
public static class DatasetSweep
{
    /// <summary>The query text with its placeholders {thps}, {collapse}, {unit} and {v1}.</summary>
    public static string SweepSql { get; } = ReadSql();

    public static string Sql(string thps, string collapse, SweepUnit unit, RemapPolicy policy) => SweepSql
        .Replace("{thps}", thps)
        .Replace("{collapse}", collapse)
        .Replace("{unit}", unit switch { SweepUnit.Host => "host", SweepUnit.Cgroup => "cgroup", _ => DatasetQuery.Literal(FleetSweep.FleetHost) })
        .Replace("{v1}", policy == RemapPolicy.V1 ? "TRUE" : "FALSE");

    /// <summary>Rows by unit (host, cgroup or "*"), at the given thresholds; a unit with no THP and no range has none.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<SweepRow>> Rows(DatasetQuery query, SweepUnit unit, IReadOnlyList<int> thresholds, RemapPolicy policy) =>
        Stream(query, unit, thresholds, policy).GroupBy(r => r.Unit, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<SweepRow>)g.Select(r => r.Row).ToArray(), StringComparer.Ordinal);

    /// <summary>The query's rows as DuckDB gives them, by unit then threshold.</summary>
    public static IEnumerable<(string Unit, SweepRow Row)> Stream(DatasetQuery query, SweepUnit unit, IReadOnlyList<int> thresholds, RemapPolicy policy) =>
        Stream(query, query.Table(DatasetLayout.Thps), query.Table(DatasetLayout.Collapse), unit, thresholds, policy);

    static IEnumerable<(string Unit, SweepRow Row)> Stream(DatasetQuery query, string thps, string collapse, SweepUnit unit, IReadOnlyList<int> thresholds, RemapPolicy policy)
    {
        var wanted = new bool[ShrinkerModel.MaxThreshold + 1];
        foreach (var n in thresholds) wanted[n] = true;
        return query.Stream(Sql(thps, collapse, unit, policy), r => (Unit: r.GetString(18), Row: ToRow(r))).Where(r => wanted[r.Row.MaxPtesNone]);
    }

    /// <summary>
    /// Hosts per query of <see cref="HostRows"/>. The query ends by sorting its rows (512 per host): in slices of this
    /// many hosts the sort stays in memory (a few hundred MiB) however large the fleet, where one query over 100,000
    /// hosts sorts 51 million rows through DuckDB's spill files.
    /// </summary>
    public const int HostsPerQuery = 2000;

    /// <summary>
    /// The host sweep over consecutive slices of the hosts (by name, as DuckDB orders them): every unit's rows depend on
    /// its own rows only, so the slices' rows, one after the other, are the whole query's. The first slice is open
    /// below and the last open above, so a host missing from the hosts table still shows up in some slice.
    /// </summary>
    static IEnumerable<(string Unit, SweepRow Row)> HostSlices(DatasetQuery query, IReadOnlyList<HostSummary> hosts, IReadOnlyList<int> thresholds,
                                                               RemapPolicy policy, int hostsPerQuery)
    {
        for (int from = 0; from < Math.Max(1, hosts.Count); from += hostsPerQuery)
        {
            var conditions = new List<string>();
            if (from > 0) conditions.Add($"host > {DatasetQuery.Literal(hosts[from - 1].Host)}");
            if (from + hostsPerQuery < hosts.Count) conditions.Add($"host <= {DatasetQuery.Literal(hosts[from + hostsPerQuery - 1].Host)}");
            string Slice(string table) => conditions.Count == 0 ? query.Table(table) : $"(SELECT * FROM {query.Table(table)} WHERE {string.Join(" AND ", conditions)})";
            foreach (var row in Stream(query, Slice(DatasetLayout.Thps), Slice(DatasetLayout.Collapse), SweepUnit.Host, thresholds, policy))
                yield return row;
        }
    }

    /// <summary>
    /// Each host's rows in the hosts table's order (both sorted by DuckDB), streamed; a host with nothing to sweep gets
    /// rows of zeros, as its scan would.
    /// </summary>
    public static IEnumerable<(HostSummary Host, SweepRow Row)> HostRows(DatasetQuery query, IReadOnlyList<HostSummary> hosts, IReadOnlyList<int> thresholds,
                                                                      RemapPolicy policy, int hostsPerQuery = HostsPerQuery)
    {
        using var rows = HostSlices(query, hosts, thresholds, policy, hostsPerQuery).GetEnumerator();
        bool more = rows.MoveNext();
        foreach (var host in hosts)
        {
            if (more && rows.Current.Unit == host.Host)
            {
                while (more && rows.Current.Unit == host.Host)
                {
                    yield return (host, rows.Current.Row);
                    more = rows.MoveNext();
                }
            }
            else
                foreach (var n in thresholds) yield return (host, new SweepRow { MaxPtesNone = n });
        }
        if (more)
            throw new UserError(ExitCode.BadScanFile, $"{query.Dir} is a damaged thptool dataset: host {rows.Current.Unit} has THPs or ranges but no row in {DatasetLayout.Hosts}");
    }

    /// <summary>Each host's sweep, hosts by name (all in memory: for a few thousand hosts, or use <see cref="HostRows"/>).</summary>
    public static IReadOnlyList<HostSweep> Hosts(DatasetQuery query, IReadOnlyList<HostSummary> hosts, IReadOnlyList<int> thresholds, RemapPolicy policy) =>
        HostRows(query, hosts, thresholds, policy).GroupBy(r => r.Host)
            .Select(g => Meta(g.Key, policy) with { Result = new SweepResult(g.Select(r => r.Row).ToArray(), [], policy) }).ToArray();

    /// <summary>A host's fields as a sweep without rows: what a CSV row says besides the numbers.</summary>
    public static HostSweep Meta(HostSummary h, RemapPolicy policy) =>
        new(h.Host, h.Kernel, h.Timestamp, h.DurationSeconds, h.Settings, new SweepResult([], [], policy));

    /// <summary>A dataset holds full scans only, so its intervals are the values themselves.</summary>
    static SweepRow ToRow(DbDataReader r) => new()
    {
        MaxPtesNone = r.GetInt32(0),
        ThpsScanned = r.GetInt64(1),
        ThpsSplit = r.GetInt64(2),
        BytesFreed = r.GetInt64(3),
        ThpsSplitCiLow = r.GetInt64(2),
        ThpsSplitCiHigh = r.GetInt64(2),
        BytesFreedCiLow = r.GetInt64(3),
        BytesFreedCiHigh = r.GetInt64(3),
        MlockedSkipped = r.GetInt64(4),
        UffdThpsSplit = r.GetInt64(5),
        PartialThpsSplit = r.GetInt64(6),
        PartialBytesFreed = r.GetInt64(7),
        SubpagesZeroMapped = r.GetInt64(8),
        SubpagesPteNone = r.GetInt64(9),
        RangesCollapsed = r.GetInt64(10),
        BytesGrown = r.GetInt64(11),
        PingPongRanges = r.GetInt64(12),
        ThpBytesBefore = r.GetInt64(14),
        ThpBytesAfter = r.GetInt64(15),
        PartialMthpsSplit = r.GetInt64(16),
        PartialMthpBytesFreed = r.GetInt64(17),
    };

    static string ReadSql()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("sweep.sql")!;
        return new StreamReader(stream).ReadToEnd();
    }
}
