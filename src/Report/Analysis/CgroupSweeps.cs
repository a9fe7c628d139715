using ThpTool.Report.Charts;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Report.Analysis;

/// <summary>A scan's sweep cgroup by cgroup: the processes of each cgroup swept on their own.</summary>
public static class CgroupSweeps
{
    /// <summary>What a process without a recorded cgroup (an older scan, or one read without permission) is filed under.</summary>
    public const string Unknown = "(cgroup unknown)";

    /// <summary>
    /// One sweep per cgroup that holds a THP or a collapse range, by name; empty for a merged fleet file (it keeps no
    /// processes) or when no process has a cgroup recorded. A THP shared across cgroups counts in its first mapper's.
    /// </summary>
    public static IReadOnlyList<NamedSweep> Of(ScanFile scan, IReadOnlyList<int> thresholds, RemapPolicy policy)
    {
        if (scan.Processes.All(p => p.Cgroup is null))
            return [];
        return scan.Processes
            .Where(p => p.Vmas.Any(v => v.Thps.Count > 0 || v.CollapseRanges.Count > 0))
            .GroupBy(p => p.Cgroup ?? Unknown, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new NamedSweep(g.Key, Sweep.Run(scan with { Processes = g.ToArray() }, thresholds, policy)))
            .ToArray();
    }
}
