using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;
using ThpTool.Scanner.Memory;

namespace ThpTool.Report.Terminal;

/// <summary>THPs and their zero subpages per process and per cgroup (the host total is the scan summary's first line).</summary>
public sealed record RollupLine(string Name, int Processes, long Thps, long ZeroSubpages);

public static class Rollup
{
    /// <summary>Each process counts every THP it maps, shared or not.</summary>
    public static IReadOnlyList<RollupLine> PerProcess(ScanFile scan) =>
        scan.Processes.Select(p => Line($"{p.Pid} {p.Comm}{(p.IsDotnet ? " [.NET]" : "")}", [p])).ToArray();

    /// <summary>A THP that processes of one cgroup share counts once there.</summary>
    public static IReadOnlyList<RollupLine> PerCgroup(ScanFile scan) =>
        scan.Processes.GroupBy(p => p.Cgroup ?? "?").Select(g => Line(g.Key, g.ToArray())).ToArray();

    static RollupLine Line(string name, IReadOnlyList<ProcessScan> processes)
    {
        var seen = new HashSet<ulong>();
        long thps = 0, zero = 0;
        foreach (var thp in processes.SelectMany(p => p.Vmas).SelectMany(v => v.Thps))
        {
            // Without PFNs (PAGEMAP_SCAN mode) sharing is invisible and every mapping counts.
            if (thp.Mapping == ThpMapping.Partial || (thp.Pfn != 0 && !seen.Add(thp.Pfn))) continue;
            thps++;
            zero += thp.ZeroSubpages;
        }
        return new RollupLine(name, processes.Count, thps, zero);
    }

    /// <summary>The lines with the most zero subpages, as a table.</summary>
    public static string Table(string title, IEnumerable<RollupLine> lines, int top)
    {
        var table = new TextTable(title, "processes", "THPs", "zero subpages", "zero bytes");
        foreach (var l in lines.OrderByDescending(l => l.ZeroSubpages).ThenBy(l => l.Name, StringComparer.Ordinal).Take(top))
            table.Add(l.Name, Units.Count(l.Processes), Units.Count(l.Thps), Units.Count(l.ZeroSubpages), Units.Bytes(l.ZeroSubpages * Geometry.PageSize));
        return table.ToString();
    }
}
