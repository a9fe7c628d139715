using ThpTool.Common.Errors;

namespace ThpTool.Scanner.ScanFiles;

/// <summary>Combines scans of different hosts (or earlier merges) into one fleet file of host summaries.</summary>
public static class ScanMerge
{
    /// <summary>
    /// Takes the scans one at a time and keeps only their summaries, so a lazy sequence of loads (as 'thptool merge'
    /// gives) holds one scan in memory, however many hosts there are.
    /// </summary>
    public static ScanFile Merge(IEnumerable<ScanFile> scans)
    {
        var hosts = new List<HostSummary>();
        foreach (var scan in scans)
        {
            // A host summary is a histogram of zero counts, which a sampled scan knows only for the THPs it read. Weighted
            // bins would be estimates that the fleet sweep (no intervals) and later merges would take as exact counts.
            if (scan.Sample is not null)
                throw new UserError(ExitCode.SampledScan, $"merge: the scan of {scan.Host} read only a sample of THPs (--sample); merge takes full scans");
            hosts.AddRange(scan.Hosts ?? [HostSummary.From(scan)]);
        }
        if (hosts.Count == 0) throw new UserError(ExitCode.Usage, "merge: give at least one scan file");
        // Two scans of one host would count its memory twice in the fleet.
        var twice = hosts.GroupBy(h => h.Host).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
            throw new UserError(ExitCode.Usage, $"merge: host {twice.Key} appears {twice.Count()} times (scans at {string.Join(", ", twice.Select(h => h.Timestamp.ToString("u")))}); give one scan per host");
        var first = hosts[0];
        return new ScanFile
        {
            Version = ScanFile.FleetVersion,
            Host = "*",
            Kernel = string.Join(", ", hosts.Select(h => h.Kernel).Distinct()),
            Timestamp = hosts.Max(h => h.Timestamp),
            DurationSeconds = hosts.Sum(h => h.DurationSeconds),
            Mode = first.Mode,
            Settings = first.Settings,
            Processes = [],
            Hosts = hosts,
        };
    }
}
