using ThpTool.Scanner.Errors;

namespace ThpTool.Scanner.Scans;

/// <summary>Combines scans of different hosts (or earlier merges) into one fleet file of host summaries.</summary>
public static class ScanMerge
{
    public static ScanFile Merge(IReadOnlyList<ScanFile> scans)
    {
        if (scans.Count == 0) throw new UserError(ExitCode.Usage, "merge: give at least one scan file");
        // A host summary is a histogram of zero counts, which a sampled scan knows only for the THPs it read.
        if (scans.FirstOrDefault(s => s.Sample is not null) is { } sampled)
            throw new UserError(ExitCode.Usage, $"merge: the scan of {sampled.Host} read only a sample of THPs (--sample); merge takes full scans");
        var hosts = scans.SelectMany(s => s.Hosts ?? [HostSummary.From(s)]).ToArray();
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
