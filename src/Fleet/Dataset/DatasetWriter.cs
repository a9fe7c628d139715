using Parquet;
using Parquet.Schema;
using ThpTool.Common.Errors;
using ThpTool.Common.Output;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Fleet.Dataset;

/// <summary>
/// Writes hosts into a dataset directory (docs/fleet-sql.md describes the tables). Each file goes through
/// <see cref="OutputPath"/>, so a reader sees a host's file whole or not at all.
/// </summary>
public static class DatasetWriter
{
    static readonly DataField<string> Host = new("host"), Cgroup = new("cgroup"), Class = new("class"), Mapping = new("mapping");
    static readonly DataField<int> ZeroSubpages = new("zero_subpages");
    static readonly DataField<long> Thps = new("thps"), Unmapped = new("unmapped_subpages");
    static readonly DataField<int> EmptyOrZeroPtes = new("empty_or_zero_ptes"), ZeroContentPages = new("zero_content_pages");
    static readonly DataField<bool> UffdArmed = new("uffd_armed");
    static readonly DataField<long> Ranges = new("ranges");
    static readonly DataField<string> Kernel = new("kernel"), Mode = new("mode"), Enabled = new("thp_enabled"), Defrag = new("thp_defrag");
    static readonly DateTimeDataField ScanTime = new("scan_time", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: false);
    static readonly DataField<double> Duration = new("duration_seconds");
    static readonly DataField<int> ShrinkUnderused = new("shrink_underused"), MaxPtesNone = new("max_ptes_none"),
        MaxPtesSwap = new("max_ptes_swap"), MaxPtesShared = new("max_ptes_shared"), Processes = new("processes"),
        DotnetProcesses = new("dotnet_processes"), Skipped = new("skipped_processes"), Version = new("schema_version");

    /// <summary>Writes every host of <paramref name="hosts"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Write(string dir, IEnumerable<HostTables> hosts)
    {
        var written = new List<string>();
        foreach (var host in hosts)
        {
            written.Add(WriteTable(dir, DatasetLayout.Hosts, host.Host, HostColumns(host.Host)));
            written.Add(WriteTable(dir, DatasetLayout.Thps, host.Host, ThpColumns(host.Thps)));
            written.Add(WriteTable(dir, DatasetLayout.Collapse, host.Host, CollapseColumns(host.Collapse)));
        }
        return written;
    }

    /// <summary>One column: its field and a writer that appends its values to the row group.</summary>
    sealed record Column(Field Field, Func<ParquetRowGroupWriter, Task> Write);

    static Column Of<T>(DataField<T> field, IEnumerable<T> values) where T : struct => new(field, rg => rg.WriteAsync(field, new ReadOnlyMemory<T>(values.ToArray())));
    static Column Of(DataField<string> field, IEnumerable<string> values) => new(field, rg => rg.WriteAsync(field, values.ToArray()));

    static string WriteTable(string dir, string table, HostSummary host, IReadOnlyList<Column> columns)
    {
        var path = DatasetLayout.FileOf(dir, table, host.Host, host.Timestamp);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError(ExitCode.IoError, $"cannot write {path}: {e.Message}");
        }
        // Parquet.Net seeks back over what it wrote: the file is made in memory (one host's table is small), then written.
        using var parquet = new MemoryStream();
        WriteParquet(parquet, table, columns).GetAwaiter().GetResult();
        new OutputPath(path, "--parquet").WriteBytes(parquet.ToArray());
        return path;
    }

    static async Task WriteParquet(Stream stream, string table, IReadOnlyList<Column> columns)
    {
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(columns.Select(c => c.Field).ToArray()), stream);
        writer.CustomMetadata = new Dictionary<string, string>
        {
            [DatasetLayout.FormatKey] = DatasetLayout.FormatName,
            [DatasetLayout.TableKey] = table,
            [DatasetLayout.VersionKey] = $"{DatasetLayout.SchemaVersion}",
        };
        using var rowGroup = writer.CreateRowGroup();
        foreach (var column in columns) await column.Write(rowGroup);
    }

    static IReadOnlyList<Column> HostColumns(HostSummary h) =>
    [
        Of(Host, [h.Host]), Of(Kernel, [h.Kernel]),
        new(ScanTime, rg => rg.WriteAsync(ScanTime, new ReadOnlyMemory<DateTime>([h.Timestamp.UtcDateTime]))),
        Of(Duration, [h.DurationSeconds]), Of(Mode, [h.Mode.ToString()]),
        Of(Enabled, [h.Settings.Enabled]), Of(Defrag, [h.Settings.Defrag]), Of(ShrinkUnderused, [h.Settings.ShrinkUnderused]),
        Of(MaxPtesNone, [h.Settings.MaxPtesNone]), Of(MaxPtesSwap, [h.Settings.MaxPtesSwap]), Of(MaxPtesShared, [h.Settings.MaxPtesShared]),
        Of(Processes, [h.Processes]), Of(DotnetProcesses, [h.DotnetProcesses]), Of(Skipped, [h.Skipped]), Of(Version, [DatasetLayout.SchemaVersion]),
    ];

    static IReadOnlyList<Column> ThpColumns(IReadOnlyList<ThpBucket> b) =>
    [
        Of(Host, b.Select(r => r.Host)), Of(Cgroup, b.Select(r => r.Cgroup)), Of(Class, b.Select(r => r.Class)), Of(Mapping, b.Select(r => r.Mapping)),
        Of(ZeroSubpages, b.Select(r => r.ZeroSubpages)), Of(Thps, b.Select(r => r.Thps)), Of(Unmapped, b.Select(r => r.UnmappedSubpages)),
    ];

    static IReadOnlyList<Column> CollapseColumns(IReadOnlyList<CollapseBucket> b) =>
    [
        Of(Host, b.Select(r => r.Host)), Of(Cgroup, b.Select(r => r.Cgroup)), Of(EmptyOrZeroPtes, b.Select(r => r.EmptyOrZeroPtes)),
        Of(ZeroContentPages, b.Select(r => r.ZeroContentPages)), Of(UffdArmed, b.Select(r => r.UffdArmed)), Of(Ranges, b.Select(r => r.Ranges)),
    ];
}
