using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using ThpTool.Fleet.Dataset;
using ThpTool.Fleet.Sql;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;
using ThpTool.Tests.Fleet.Dataset;
using ThpTool.Tests.Support;

namespace ThpTool.Tests.Fleet.Sql;

/// <summary>docs/fleet-sql.md's DuckDB query, as printed there, gives thptool's sweep.</summary>
public sealed partial class FleetSqlDocTests
{
    static string DocumentedQuery()
    {
        var doc = File.ReadAllText(Path.Combine(LiveProcess.RepoRoot, "docs/fleet-sql.md"));
        return DuckdbBlock().Match(doc) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("no duckdb-sweep block in docs/fleet-sql.md");
    }

    [GeneratedRegex(@"<!-- duckdb-sweep -->\s*```sql\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex DuckdbBlock();

    [Fact]
    public void TheDocumentedDuckdbQueryGivesThptoolsRows()
    {
        using var dir = new TempDir();
        var scans = Enumerable.Range(1, 5).Select(i => SyntheticScans.Seeded(100 + i, $"h{i}")).ToArray();
        DatasetWriter.Write(dir.Path, scans.SelectMany(HostTables.From));
        var sql = DocumentedQuery().Replace("'fleet/", $"'{dir.Path}/");

        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        var rows = new List<(string Host, long[] Values)>();
        while (reader.Read())
            rows.Add((reader.GetString(columns.Length - 1), Enumerable.Range(0, columns.Length - 1).Select(i => Convert.ToInt64(reader.GetValue(i))).ToArray()));

        var thptool = DatasetSweepSet.Run(dir.Path, ThresholdSet.All, RemapPolicy.Upstream).Hosts;
        var expected = thptool.SelectMany(h => h.Result.Rows.Select(r => (h.Host, Values: new[]
        {
            r.MaxPtesNone, r.ThpsScanned, r.ThpsSplit, r.BytesFreed, r.MlockedSkipped, r.UffdThpsSplit, r.PartialThpsSplit, r.PartialBytesFreed,
            r.SubpagesZeroMapped, r.SubpagesPteNone, r.RangesCollapsed, r.BytesGrown, r.PingPongRanges, r.NetBytesFreed, r.ThpBytesBefore, r.ThpBytesAfter,
            r.PartialMthpsSplit, r.PartialMthpBytesFreed,
        }))).ToArray();
        Assert.Equal(["max_ptes_none", "thps_scanned", "thps_split", "bytes_freed", "mlocked_skipped", "uffd_thps_split", "partial_thps_split",
                      "partial_bytes_freed", "subpages_zero_mapped", "subpages_pte_none", "ranges_collapsed", "bytes_grown", "ping_pong_ranges",
                      "net_bytes_freed", "thp_bytes_before", "thp_bytes_after", "partial_mthps_split", "partial_mthp_bytes_freed", "unit"], columns);
        Assert.Equal(expected.Length, rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal(expected[i].Host, rows[i].Host);
            Assert.Equal(expected[i].Values, rows[i].Values);
        }
        // And thptool's rows are the in-memory sweep's, so the documented query is too.
        Assert.Equal(scans.Select(s => Sweep.Run(s, ThresholdSet.All).Rows), thptool.Select(h => h.Result.Rows));
    }

    [Fact]
    public void TheDocumentedQueryIsThptoolsOwn()
    {
        var own = DatasetSweep.Sql(DatasetQuery.Source("fleet", DatasetLayout.Thps), DatasetQuery.Source("fleet", DatasetLayout.Collapse), SweepUnit.Host, RemapPolicy.Upstream)
            .Split('\n', 4)[3].Replace($"'{Path.GetFullPath("fleet")}/", "'fleet/");
        Assert.Equal(own.TrimEnd(), DocumentedQuery().TrimEnd());
    }
}
