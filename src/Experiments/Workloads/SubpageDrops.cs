using System.Globalization;
using ThpTool.Common.Errors;
using ThpTool.Scanner.Memory;

namespace ThpTool.Experiments.Workloads;

/// <summary>
/// Which subpages of each THP a workload gives back after filling it, as allocators return memory page by page inside
/// THP-backed arenas: THP i loses <see cref="PerThp"/>[i % n]. Written "10,12/1-9/" on the command line: one group per
/// THP, '/' between groups, ',' between subpages, a-b for a range, an empty group for none.
/// </summary>
public sealed record SubpageDrops(IReadOnlyList<IReadOnlyList<int>> PerThp)
{
    public IReadOnlyList<int> Of(int thp) => PerThp[thp % PerThp.Count];

    public static SubpageDrops Parse(string text)
    {
        var groups = text.Split('/');
        var perThp = new List<IReadOnlyList<int>>(groups.Length);
        foreach (var group in groups)
        {
            var subpages = new SortedSet<int>();
            foreach (var item in group.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var bounds = item.Split('-');
                if (bounds.Length > 2 || !TryParse(bounds[0], out int first) || !TryParse(bounds[^1], out int last) || last < first)
                    throw new UserError(ExitCode.Usage, $"--drops '{text}': '{item}' is not a subpage or a range a-b of subpages from 0 to {Geometry.SubpagesPerThp - 1}");
                for (int s = first; s <= last; s++) subpages.Add(s);
            }
            perThp.Add([.. subpages]);
        }
        return new SubpageDrops(perThp);
    }

    static bool TryParse(string text, out int subpage) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out subpage) && subpage < Geometry.SubpagesPerThp;

    public override string ToString() =>
        string.Join('/', PerThp.Select(g => string.Join(',', g.Select(s => s.ToString(CultureInfo.InvariantCulture)))));
}
