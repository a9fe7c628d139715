using ThpTool.Fleet.Dataset;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Fleet.Sql;

/// <summary>The dataset's hosts table, read back as the summaries' host fields (no histograms: the SQL sweeps those).</summary>
public static class DatasetHosts
{
    public static IReadOnlyList<HostSummary> Read(DatasetQuery query) => query.Read(
        "SELECT host, kernel, scan_time, duration_seconds, mode, thp_enabled, thp_defrag, shrink_underused, max_ptes_none, " +
        $"max_ptes_swap, max_ptes_shared, processes, dotnet_processes, skipped_processes FROM {query.Table(DatasetLayout.Hosts)} ORDER BY host",
        r => DatasetQuery.ReadAll(r, x => new HostSummary
        {
            Host = x.GetString(0),
            Kernel = x.GetString(1),
            Timestamp = new DateTimeOffset(DateTime.SpecifyKind(x.GetDateTime(2), DateTimeKind.Utc)),
            DurationSeconds = x.GetDouble(3),
            Mode = Enum.Parse<DiscoveryMode>(x.GetString(4)),
            Settings = new KernelSettings
            {
                Enabled = x.GetString(5), Defrag = x.GetString(6), ShrinkUnderused = x.GetInt32(7),
                MaxPtesNone = x.GetInt32(8), MaxPtesSwap = x.GetInt32(9), MaxPtesShared = x.GetInt32(10),
            },
            Processes = x.GetInt32(11),
            DotnetProcesses = x.GetInt32(12),
            Skipped = x.GetInt32(13),
            Thps = [],
            Collapse = [],
        }));
}
