using Parquet;
using Parquet.Schema;
using ThpTool.Common.Errors;
using ThpTool.Common.Output;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Fleet.Dataset;

/// <summary>
/// Writes hosts into a dataset directory (docs/fleet-sql.md describes the tables): one part file per table and scan
/// date for the whole writer, whatever the number of hosts, each with its own random name so that any number of writers
/// (many machines, into object storage) add to one dataset independently. Rows are kept as row groups of compressed
/// Parquet in memory and written by <see cref="Commit"/>, each file through <see cref="OutputPath"/>: a reader sees a
/// part file whole or not at all, and a writer that fails before committing leaves nothing behind.
/// </summary>
public sealed class DatasetWriter
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

    /// <summary>
    /// Rows per row group: large enough that an engine reads few groups (a 100,000-host fleet's thps table in a few
    /// hundred), small enough that the rows waiting for their group stay a few megabytes.
    /// </summary>
    public const int RowGroupRows = 1 << 16;

    readonly string dir;
    readonly int rowGroupRows;
    readonly string part = $"part-{Guid.NewGuid():N}.parquet";
    readonly Dictionary<(string Table, string Partition), IPartFile> files = [];

    public DatasetWriter(string dir, int rowGroupRows = RowGroupRows) => (this.dir, this.rowGroupRows) = (dir, rowGroupRows);

    /// <summary>Writes every host of <paramref name="hosts"/> as one writer; returns the files written.</summary>
    public static IReadOnlyList<string> Write(string dir, IEnumerable<HostTables> hosts)
    {
        var writer = new DatasetWriter(dir);
        foreach (var host in hosts) writer.Add(host);
        return writer.Commit();
    }

    public void Add(HostTables host)
    {
        var partition = DatasetLayout.PartitionOf(host.Host.Timestamp);
        // The hosts row without its histograms (tens of KiB a host), which its THP rows already hold.
        File<HostSummary>(DatasetLayout.Hosts, partition, HostColumns).Add([host.Host with { Thps = [], Collapse = [], PartialMthps = [] }]);
        File<ThpBucket>(DatasetLayout.Thps, partition, ThpColumns).Add(host.Thps);
        File<CollapseBucket>(DatasetLayout.Collapse, partition, CollapseColumns).Add(host.Collapse);
    }

    /// <summary>Writes the part files, hosts first (a host whose THPs are not there yet sweeps as empty, never as unknown).</summary>
    public IReadOnlyList<string> Commit()
    {
        var written = new List<string>();
        foreach (var table in DatasetLayout.Tables)
            foreach (var ((t, partition), file) in files.Where(f => f.Key.Table == table).OrderBy(f => f.Key.Partition, StringComparer.Ordinal))
            {
                var path = Path.Combine(dir, t, partition, part);
                CreateDirectory(path);
                new OutputPath(path, "--parquet").WriteBytes(file.Finish());
                written.Add(path);
            }
        files.Clear();
        return written;
    }

    static void CreateDirectory(string path)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError(ExitCode.IoError, $"cannot write {path}: {e.Message}");
        }
    }

    PartFile<T> File<T>(string table, string partition, Func<IReadOnlyList<T>, IReadOnlyList<Column>> columns)
    {
        if (!files.TryGetValue((table, partition), out var file))
            files[(table, partition)] = file = new PartFile<T>(table, columns, rowGroupRows);
        return (PartFile<T>)file;
    }

    /// <summary>One column: its field and a writer that appends its values to the row group.</summary>
    sealed record Column(Field Field, Func<ParquetRowGroupWriter, Task> Write);

    static Column Of<T>(DataField<T> field, IEnumerable<T> values) where T : struct => new(field, rg => rg.WriteAsync(field, new ReadOnlyMemory<T>(values.ToArray())));
    static Column Of(DataField<string> field, IEnumerable<string> values) => new(field, rg => rg.WriteAsync(field, values.ToArray()));

    /// <summary>One table's part file for one scan date, made in memory: Parquet.Net seeks back over what it wrote.</summary>
    interface IPartFile
    {
        byte[] Finish();
    }

    sealed class PartFile<T>(string table, Func<IReadOnlyList<T>, IReadOnlyList<Column>> columns, int rowGroupRows) : IPartFile
    {
        readonly MemoryStream stream = new();
        readonly List<T> pending = [];
        ParquetWriter? writer;

        public void Add(IEnumerable<T> rows)
        {
            pending.AddRange(rows);
            if (pending.Count >= rowGroupRows) Flush();
        }

        public byte[] Finish()
        {
            if (pending.Count > 0 || writer is null) Flush();
            // Disposing writes the footer.
            writer!.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return stream.ToArray();
        }

        void Flush() => FlushAsync().GetAwaiter().GetResult();

        async Task FlushAsync()
        {
            var group = columns(pending);
            if (writer is null)
            {
                writer = await ParquetWriter.CreateAsync(new ParquetSchema(group.Select(c => c.Field).ToArray()), stream);
                writer.CustomMetadata = new Dictionary<string, string>
                {
                    [DatasetLayout.FormatKey] = DatasetLayout.FormatName,
                    [DatasetLayout.TableKey] = table,
                    [DatasetLayout.VersionKey] = $"{DatasetLayout.SchemaVersion}",
                };
            }
            using var rowGroup = writer.CreateRowGroup();
            foreach (var column in group) await column.Write(rowGroup);
            pending.Clear();
        }
    }

    static IReadOnlyList<Column> HostColumns(IReadOnlyList<HostSummary> h) =>
    [
        Of(Host, h.Select(r => r.Host)), Of(Kernel, h.Select(r => r.Kernel)),
        new(ScanTime, rg => rg.WriteAsync(ScanTime, new ReadOnlyMemory<DateTime>(h.Select(r => r.Timestamp.UtcDateTime).ToArray()))),
        Of(Duration, h.Select(r => r.DurationSeconds)), Of(Mode, h.Select(r => r.Mode.ToString())),
        Of(Enabled, h.Select(r => r.Settings.Enabled)), Of(Defrag, h.Select(r => r.Settings.Defrag)), Of(ShrinkUnderused, h.Select(r => r.Settings.ShrinkUnderused)),
        Of(MaxPtesNone, h.Select(r => r.Settings.MaxPtesNone)), Of(MaxPtesSwap, h.Select(r => r.Settings.MaxPtesSwap)), Of(MaxPtesShared, h.Select(r => r.Settings.MaxPtesShared)),
        Of(Processes, h.Select(r => r.Processes)), Of(DotnetProcesses, h.Select(r => r.DotnetProcesses)), Of(Skipped, h.Select(r => r.Skipped)),
        Of(Version, h.Select(_ => DatasetLayout.SchemaVersion)),
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
