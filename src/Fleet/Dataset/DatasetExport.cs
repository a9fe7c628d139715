using Parquet;
using ThpTool.Common.Errors;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Fleet.Dataset;

/// <summary>
/// thptool export: scan files into a dataset, one scan at a time, so memory holds one scan (and the compressed part
/// files, written at the end) however many are given. A host already in the dataset, or given twice, is refused: the
/// fleet would count it twice.
/// </summary>
public static class DatasetExport
{
    public sealed record Result(int Hosts, int Files);

    public static Result Export(IEnumerable<string> scanFiles, string dir)
    {
        var existing = ExistingHosts(dir);
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var writer = new DatasetWriter(dir);
        int hosts = 0;
        foreach (var file in scanFiles)
        {
            foreach (var host in HostTables.From(Exportable(ScanFileStore.Load(file), file)))
            {
                var name = host.Host.Host;
                if (seen.TryGetValue(name, out var earlier))
                    throw new UserError(ExitCode.Usage, $"export: host {name} is in both {earlier} and {file}; give one scan per host");
                seen[name] = file;
                if (existing.TryGetValue(name, out var other))
                    throw new UserError(ExitCode.Usage, $"export: {dir} already holds host {name} under {Path.GetFileName(Path.GetDirectoryName(other))}, in {other}; the fleet would count it twice (to replace it, remove that file and export its hosts again)");
                writer.Add(host);
                hosts++;
            }
        }
        return new Result(hosts, writer.Commit().Count);
    }

    /// <summary>
    /// A dataset holds histograms of zero subpages, which a sampled scan knows only for the THPs it read; estimated bins
    /// would pass for exact counts in the SQL sweep, which has no intervals.
    /// </summary>
    static ScanFile Exportable(ScanFile scan, string file)
    {
        if (scan.Sample is not null)
            throw new UserError(ExitCode.SampledScan, $"export: {file} read only a sample of THPs (--sample); a dataset takes full scans");
        return scan;
    }

    /// <summary>The hosts already in the dataset's hosts table, with the file that holds each.</summary>
    static Dictionary<string, string> ExistingHosts(string dir)
    {
        var hosts = new Dictionary<string, string>(StringComparer.Ordinal);
        var table = Path.Combine(dir, DatasetLayout.Hosts);
        if (!Directory.Exists(table)) return hosts;
        foreach (var partition in Directory.EnumerateDirectories(table, $"{DatasetLayout.PartitionKey}=*"))
            foreach (var file in Directory.EnumerateFiles(partition, "*.parquet"))
                foreach (var host in HostsIn(file))
                    hosts.TryAdd(host, file);
        return hosts;
    }

    static string[] HostsIn(string file)
    {
        try
        {
            return HostsInAsync(file).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or NotSupportedException or InvalidOperationException)
        {
            throw new UserError(ExitCode.BadScanFile, $"export: {file} is not a readable thptool dataset file: {Sql.DatasetQuery.FirstLine(e.Message)}");
        }
    }

    static async Task<string[]> HostsInAsync(string file)
    {
        await using var reader = await ParquetReader.CreateAsync(file);
        var field = reader.Schema.DataFields.FirstOrDefault(f => f.Name == "host")
                    ?? throw new InvalidDataException("it has no host column");
        var hosts = new List<string>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var values = new string?[group.RowCount];
            await group.ReadAsync(field, values.AsMemory());
            hosts.AddRange(values.OfType<string>());
        }
        return [.. hosts];
    }
}
