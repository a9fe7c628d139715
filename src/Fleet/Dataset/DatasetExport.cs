using ThpTool.Common.Errors;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Fleet.Dataset;

/// <summary>
/// thptool export: scan files into a dataset, one scan at a time, so memory holds one scan however many are given.
/// A host already in the dataset under another scan date, or given twice, is refused: the fleet would count it twice.
/// </summary>
public static class DatasetExport
{
    public sealed record Result(int Hosts, int Files);

    public static Result Export(IEnumerable<string> scanFiles, string dir)
    {
        var existing = ExistingHosts(dir);
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        int hosts = 0, files = 0;
        foreach (var file in scanFiles)
        {
            var tables = HostTables.From(Exportable(ScanFileStore.Load(file), file)).ToArray();
            foreach (var host in tables)
            {
                var name = host.Host.Host;
                if (seen.TryGetValue(name, out var earlier))
                    throw new UserError(ExitCode.Usage, $"export: host {name} is in both {earlier} and {file}; give one scan per host");
                seen[name] = file;
                var partition = DatasetLayout.PartitionOf(host.Host.Timestamp);
                if (existing.TryGetValue(DatasetLayout.FileName(name), out var other) && other != partition)
                    throw new UserError(ExitCode.Usage, $"export: {dir} already holds host {name} under {other}; remove {Path.Combine(dir, "*", other, DatasetLayout.FileName(name))} first, or the fleet would count it twice");
            }
            files += DatasetWriter.Write(dir, tables).Count;
            hosts += tables.Length;
        }
        return new Result(hosts, files);
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

    /// <summary>Host file names already in the dataset's hosts table, with their partition.</summary>
    static Dictionary<string, string> ExistingHosts(string dir)
    {
        var hosts = new Dictionary<string, string>(StringComparer.Ordinal);
        var table = Path.Combine(dir, DatasetLayout.Hosts);
        if (!Directory.Exists(table)) return hosts;
        foreach (var partition in Directory.EnumerateDirectories(table, $"{DatasetLayout.PartitionKey}=*"))
            foreach (var file in Directory.EnumerateFiles(partition, "*.parquet"))
                hosts[Path.GetFileName(file)] = Path.GetFileName(partition);
        return hosts;
    }
}
