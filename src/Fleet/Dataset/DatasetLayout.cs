using System.Globalization;

namespace ThpTool.Fleet.Dataset;

/// <summary>
/// Where a dataset keeps its files: TABLE/scan_date=YYYY-MM-DD/*.parquet, so engines prune whole days by directory.
/// Each export writes its own part-RANDOM.parquet per table and day; datasets of one HOST.parquet per host and table
/// (thptool before part files) read the same.
/// </summary>
public static class DatasetLayout
{
    /// <summary>Key-value metadata in every file's footer: which dataset, which table, which schema version.</summary>
    public const string FormatKey = "thptool.format";
    public const string FormatName = "thptool-fleet";
    public const string TableKey = "thptool.table";
    public const string VersionKey = "thptool.schema_version";

    /// <summary>
    /// Version 1. Readers select columns by name, so a later version may add columns (a folio size, a sampled flag)
    /// that older readers ignore; a change that older readers would misread raises the version, and they refuse it.
    /// </summary>
    public const int SchemaVersion = 1;

    public const string Thps = "thps";
    public const string Collapse = "collapse";
    public const string Hosts = "hosts";
    public static IReadOnlyList<string> Tables { get; } = [Hosts, Thps, Collapse];

    /// <summary>Each table's version-1 columns: what every file we read has, whatever a later version adds.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Columns { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        [Hosts] = ["host", "kernel", "scan_time", "duration_seconds", "mode", "thp_enabled", "thp_defrag", "shrink_underused", "max_ptes_none",
                   "max_ptes_swap", "max_ptes_shared", "processes", "dotnet_processes", "skipped_processes", "schema_version"],
        [Thps] = ["host", "cgroup", "class", "mapping", "zero_subpages", "thps", "unmapped_subpages"],
        [Collapse] = ["host", "cgroup", "empty_or_zero_ptes", "zero_content_pages", "uffd_armed", "ranges"],
    };

    public const string PartitionKey = "scan_date";

    public static string PartitionOf(DateTimeOffset scanTime) =>
        $"{PartitionKey}={scanTime.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    /// <summary>Every file of one table, as a glob that DuckDB, Spark and Trino all understand.</summary>
    public static string Glob(string dir, string table) => Path.Combine(Path.GetFullPath(dir), table, $"{PartitionKey}=*", "*.parquet");
}
