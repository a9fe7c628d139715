using System.Data.Common;
using DuckDB.NET.Data;
using ThpTool.Common.Errors;
using ThpTool.Fleet.Dataset;

namespace ThpTool.Fleet.Sql;

/// <summary>
/// An in-process DuckDB over one dataset directory. Opening it checks that the directory is a dataset this thptool
/// reads: every file of every table carries our format, its own table's name and a schema version we know, and no
/// host is there twice.
/// </summary>
public sealed class DatasetQuery : IDisposable
{
    readonly DuckDBConnection connection;

    public string Dir { get; }

    DatasetQuery(string dir, DuckDBConnection connection)
    {
        Dir = dir;
        this.connection = connection;
    }

    public static DatasetQuery Open(string dir)
    {
        var full = Path.GetFullPath(dir);
        if (!Directory.Exists(Path.Combine(full, DatasetLayout.Hosts)) || !Directory.EnumerateFiles(Path.Combine(full, DatasetLayout.Hosts), "*.parquet", SearchOption.AllDirectories).Any())
            throw new UserError(ExitCode.BadScanFile, $"{dir} holds no thptool dataset (no {DatasetLayout.Hosts}/{DatasetLayout.PartitionKey}=*/*.parquet; see 'thptool export')");
        var connection = new DuckDBConnection("Data Source=:memory:");
        var query = new DatasetQuery(full, connection);
        try
        {
            connection.Open();
            query.Limit();
            query.CheckFiles();
            query.Load();
            query.CheckHostsOnce();
            return query;
        }
        catch
        {
            query.Dispose();
            throw;
        }
    }

    /// <summary>
    /// DuckDB would take 80% of the machine's memory by default; a fleet's sweep spills to a private temporary
    /// directory past <see cref="MemoryLimit"/> instead, and need not keep rows in insertion order.
    /// </summary>
    public const string MemoryLimit = "1GB";

    readonly string spill = Path.Combine(Path.GetTempPath(), $"thptool-duckdb-{Environment.ProcessId}-{Guid.NewGuid():N}");

    /// <remarks>
    /// The metadata cache keeps each footer parsed by the metadata check for the load: every file's footer is read once.
    /// </remarks>
    void Limit() =>
        Read($"SET memory_limit = '{MemoryLimit}'; SET temp_directory = {Literal(spill)}; SET preserve_insertion_order = false; SET parquet_metadata_cache = true",
            r => r.RecordsAffected);

    /// <summary>Runs SQL; a failure of DuckDB's (a damaged file, a missing column) is the dataset's fault.</summary>
    public T Read<T>(string sql, Func<DbDataReader, T> read)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = Guard(command.ExecuteReader);
        return Guard(() => read(reader));
    }

    /// <summary>Rows one at a time, as DuckDB produces them: a fleet's host rows need not fit in memory.</summary>
    public IEnumerable<T> Stream<T>(string sql, Func<DbDataReader, T> row)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        // Without streaming mode DuckDB.NET materialises the whole result before the first row.
        command.UseStreamingMode = true;
        using var reader = Guard(command.ExecuteReader);
        while (Guard(reader.Read))
            yield return row(reader);
    }

    T Guard<T>(Func<T> run)
    {
        try
        {
            return run();
        }
        catch (DuckDBException e)
        {
            throw new UserError(ExitCode.BadScanFile, $"{Dir} is a damaged thptool dataset: {FirstLine(e.Message)}");
        }
    }

    /// <summary>A string literal for SQL text.</summary>
    public static string Literal(string s) => $"'{s.Replace("'", "''")}'";

    void CheckFiles()
    {
        foreach (var table in DatasetLayout.Tables)
        {
            var glob = Literal(DatasetLayout.Glob(Dir, table));
            var files = Read($"SELECT file FROM glob({glob})", r => ReadAll(r, x => x.GetString(0)));
            if (files.Count == 0)
                throw new UserError(ExitCode.BadScanFile, $"{Dir} is not a complete thptool dataset: no {table}/{DatasetLayout.PartitionKey}=*/*.parquet");
            var keys = Read($"SELECT file_name, decode(key), decode(value) FROM parquet_kv_metadata({glob}) WHERE decode(key) LIKE 'thptool.%'",
                r => ReadAll(r, x => (File: x.GetString(0), Key: x.GetString(1), Value: x.GetString(2))))
                .GroupBy(k => k.File).ToDictionary(g => g.Key, g => g.ToDictionary(k => k.Key, k => k.Value));
            foreach (var file in files)
                CheckFile(file, table, keys.GetValueOrDefault(file));
        }
    }

    static void CheckFile(string file, string table, Dictionary<string, string>? keys)
    {
        if (keys is null || keys.GetValueOrDefault(DatasetLayout.FormatKey) != DatasetLayout.FormatName)
            throw new UserError(ExitCode.BadScanFile, $"{file} is not a thptool dataset file (no {DatasetLayout.FormatKey}={DatasetLayout.FormatName} in its metadata)");
        if (keys.GetValueOrDefault(DatasetLayout.TableKey) is var t && t != table)
            throw new UserError(ExitCode.BadScanFile, $"{file} belongs to table {t}, not {table}");
        if (!int.TryParse(keys.GetValueOrDefault(DatasetLayout.VersionKey), out var version) || version < 1 || version > DatasetLayout.SchemaVersion)
            throw new UserError(ExitCode.BadScanFile, $"{file} is dataset schema version {keys.GetValueOrDefault(DatasetLayout.VersionKey)}; this thptool reads 1 to {DatasetLayout.SchemaVersion}");
    }

    void CheckHostsOnce()
    {
        var twice = Read($"SELECT host, string_agg(CAST({DatasetLayout.PartitionKey} AS VARCHAR), ', ' ORDER BY {DatasetLayout.PartitionKey}) FROM {Table(DatasetLayout.Hosts)} GROUP BY host HAVING count(*) > 1 ORDER BY host LIMIT 1",
            r => r.Read() ? (Host: r.GetString(0), Dates: r.GetString(1)) : default);
        if (twice.Host is not null)
            throw new UserError(ExitCode.BadScanFile, $"{Dir} holds host {twice.Host} more than once ({DatasetLayout.PartitionKey} {twice.Dates}); keep one scan per host");
    }

    /// <summary>A table of the dataset, loaded (partition column included) once for the several queries a command runs.</summary>
    public string Table(string table) => $"dataset_{table}";

    /// <summary>
    /// Reads each table's files once: every query then reads memory, not thousands of footers again. The version-1
    /// columns are selected by name, so files of a later version with more columns load beside older ones; without
    /// union_by_name, which opens every file at once to unify their schemas (a gigabyte and minutes for 10,000 hosts).
    /// </summary>
    void Load()
    {
        foreach (var table in DatasetLayout.Tables)
        {
            var columns = string.Join(", ", DatasetLayout.Columns[table].Append(DatasetLayout.PartitionKey));
            Read($"CREATE TEMP TABLE {Table(table)} AS SELECT {columns} FROM read_parquet({Literal(DatasetLayout.Glob(Dir, table))}, hive_partitioning = true)",
                r => r.RecordsAffected);
        }
    }

    /// <summary>A table as the documented query reads it: straight from the Parquet files.</summary>
    public static string Source(string dir, string table) =>
        $"read_parquet({Literal(DatasetLayout.Glob(dir, table))}, hive_partitioning = true, union_by_name = true)";

    public static List<T> ReadAll<T>(DbDataReader reader, Func<DbDataReader, T> row)
    {
        var list = new List<T>();
        while (reader.Read()) list.Add(row(reader));
        return list;
    }

    /// <summary>An engine's message cut to its first line: one line on stderr.</summary>
    internal static string FirstLine(string s) => s.Split('\n', 2)[0].Trim();

    public void Dispose()
    {
        connection.Dispose();
        try
        {
            if (Directory.Exists(spill)) Directory.Delete(spill, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover spill directory in /tmp is not worth failing a finished sweep for.
        }
    }
}
