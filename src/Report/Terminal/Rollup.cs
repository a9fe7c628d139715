using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Memory;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Report.Terminal;

/// <summary>THPs and their zero subpages per process and per cgroup (the host total is the scan summary's first line).</summary>
public sealed record RollupLine(string Name, int Processes, long Thps, long ZeroSubpages);

public static class Rollup
{
    /// <summary>Each process counts every THP it maps, shared or not.</summary>
    public static IReadOnlyList<RollupLine> PerProcess(ScanFile scan)
    {
        var weights = SampleWeights.Of(scan);
        return scan.Processes.Select(p => Line($"{p.Pid} {p.Comm}{(p.IsDotnet ? " [.NET]" : "")}", [p], weights)).ToArray();
    }

    /// <summary>A THP that processes of one cgroup share counts once there.</summary>
    public static IReadOnlyList<RollupLine> PerCgroup(ScanFile scan)
    {
        var weights = SampleWeights.Of(scan);
        return scan.Processes.GroupBy(p => p.Cgroup ?? "?").Select(g => Line(g.Key, g.ToArray(), weights)).ToArray();
    }

    /// <summary>In a sampled scan the zero subpages are an estimate: each THP read stands for its stratum's THPs/read.</summary>
    static RollupLine Line(string name, IReadOnlyList<ProcessScan> processes, SampleWeights weights)
    {
        var seen = new HashSet<ulong>();
        long thps = 0;
        double zero = 0;
        foreach (var p in processes)
            foreach (var thp in p.Vmas.SelectMany(v => v.Thps))
            {
                // Without PFNs (PAGEMAP_SCAN mode) sharing is invisible and every mapping counts.
                if (thp.Mapping == ThpMapping.Partial || (thp.Pfn != 0 && !seen.Add(thp.Pfn))) continue;
                thps++;
                zero += weights.Of(p, thp) * thp.ZeroSubpages;
            }
        return new RollupLine(name, processes.Count, thps, (long)Math.Round(zero));
    }

    /// <summary>The lines with the most zero subpages, as a table.</summary>
    /// <param name="sampleNote">Set when the zero subpages are estimates from a sampled scan: the zero columns say so.</param>
    public static string Table(string title, IEnumerable<RollupLine> lines, int top, string? sampleNote = null)
    {
        var table = new TextTable(title, "processes", "THPs", sampleNote is null ? "zero subpages" : "zero subpages (est.)",
                                  sampleNote is null ? "zero bytes" : "zero bytes (est.)");
        foreach (var l in lines.OrderByDescending(l => l.ZeroSubpages).ThenBy(l => l.Name, StringComparer.Ordinal).Take(top))
            table.Add(l.Name, Units.Count(l.Processes), Units.Count(l.Thps), Units.Count(l.ZeroSubpages), Units.Bytes(l.ZeroSubpages * Geometry.PageSize));
        return table.ToString();
    }
}
