using System.Text;
using ThpTool.Scanner.KernelModel;

namespace ThpTool.Report.Terminal;

/// <summary>The cgroups (services) that gain most at one threshold, across every host that runs them.</summary>
public static class CgroupTable
{
    public const int DefaultTop = 10;

    public static string Render(IEnumerable<(string Cgroup, SweepResult Result)> cgroups, int threshold, int top = DefaultTop)
    {
        var ranked = cgroups.Select(c => (c.Cgroup, Row: c.Result.Rows.First(r => r.MaxPtesNone == threshold)))
            .OrderByDescending(c => c.Row.NetBytesFreed).ThenBy(c => c.Cgroup, StringComparer.Ordinal).ToArray();
        var table = new TextTable("cgroup", "THPs", "THPs split", $"net freed at {threshold}", "THP coverage after");
        foreach (var (cgroup, row) in ranked.Take(top))
            table.Add(cgroup.Length == 0 ? "(not recorded)" : cgroup, Units.Count(row.ThpsScanned), Units.Count(row.ThpsSplit),
                      Units.Bytes(row.NetBytesFreed), $"{Units.Bytes(row.ThpBytesAfter)} of {Units.Bytes(row.ThpBytesBefore)}");
        return new StringBuilder().Append($"cgroups that gain most at max_ptes_none={threshold} ({Math.Min(top, ranked.Length)} of {ranked.Length}):\n")
            .Append(table).ToString();
    }
}
