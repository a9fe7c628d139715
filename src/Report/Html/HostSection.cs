using System.Globalization;
using System.Text;
using ThpTool.Report.Analysis;
using ThpTool.Report.Charts;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Memory;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Report.Html;

/// <summary>One scan file's part of the report: settings, advice, charts, and the processes and VMAs behind the numbers.</summary>
internal static class HostSection
{
    /// <summary>Past this many rows a VMA table stops helping anyone decide; the JSON output has no such limit on processes.</summary>
    public const int MaxVmaRows = 40;

    public static void Write(StringBuilder html, HostAnalysis host, int index, IChartRenderer renderer)
    {
        var scan = host.Scan;
        html.Append($"<section id=\"host-{index}\"><h2>{Html.Text(scan.Host)} <span class=\"muted\">— kernel {Html.Text(scan.Kernel)}</span></h2>\n");
        html.Append($"<p class=\"muted\">Scan file <code>{Html.Text(host.Source)}</code>, taken {scan.Timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)} " +
                    $"in {scan.DurationSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s ({(scan.Mode == DiscoveryMode.Kpageflags ? "PFNs and /proc/kpageflags" : "PAGEMAP_SCAN only: PMD-mapped THPs only")}); " +
                    $"splits modelled with the {host.Sweep.Policy.ToString().ToLowerInvariant()} remap policy.</p>\n");
        if (scan.Sample is { } sample)
            html.Append($"<p class=\"warn\">Sampled scan: contents read for {Html.Text(Units.Percent(sample.Fraction))} of each process's THPs " +
                        $"(at least {sample.MinimumPerStratum}; seed {sample.Seed}). THPs split, bytes freed, zero subpages and the histograms are " +
                        "estimates, each THP read standing for its process's THPs not read; the thresholds table gives 95% intervals in brackets. " +
                        "A VMA none of whose THPs were read shows \"not read\".</p>\n");
        AdviceBlock.Write(html, host.Advice);
        Cards(html, host);
        Settings(html, scan);
        html.Append("<h3>Charts</h3>\n");
        var thresholds = host.Sweep.Rows.Select(r => r.MaxPtesNone).ToArray();
        Html.Charts(html, renderer, SweepCharts.All(scan.Host, host.Sweep, [scan], scan.Settings.MaxPtesNone, host.Advice,
            hosts: [], cgroups: CgroupSweeps.Of(scan, thresholds, host.Sweep.Policy)));
        Thresholds(html, host);
        Processes(html, host);
        Vmas(html, host);
        Uffd(html, host);
        Mlocked(html, host);
        html.Append("</section>\n");
    }

    static void Cards(StringBuilder html, HostAnalysis host)
    {
        var rec = host.Sweep.Rows.First(r => r.MaxPtesNone == host.Advice.Recommended);
        long thps = host.Processes.Sum(p => p.Thps), zero = host.Processes.Sum(p => p.ZeroSubpages);
        html.Append("<div class=\"cards\">");
        Card(html, "THPs scanned", $"{Units.Count(thps)} ({Units.Bytes(thps * Geometry.SubpagesPerThp * Geometry.PageSize)})");
        Card(html, ZeroSubpages(host), thps == 0 ? "—" : Units.Percent((double)zero / (thps * Geometry.SubpagesPerThp)));
        Card(html, $"Net freed at {rec.MaxPtesNone}", Units.Bytes(rec.NetBytesFreed));
        Card(html, $"THP memory after at {rec.MaxPtesNone}", $"{Units.Bytes(rec.ThpBytesAfter)} of {Units.Bytes(rec.ThpBytesBefore)}");
        html.Append("</div>\n");
    }

    static void Card(StringBuilder html, string label, string value) =>
        html.Append($"<div class=\"card\"><div class=\"label\">{Html.Text(label)}</div><div class=\"value\">{Html.Text(value)}</div></div>");

    static void Settings(StringBuilder html, ScanFile scan)
    {
        var s = scan.Settings;
        html.Append("<h3>Machine settings at scan time</h3><div class=\"pair\"><div>");
        Html.Table(html, [new("/sys/kernel/mm/transparent_hugepage", Numeric: false), new("Value", Numeric: false)],
            new (string, string)[]
            {
                ("enabled", s.Enabled), ("defrag", s.Defrag),
                ("shrink_underused", s.ShrinkUnderused < 0 ? "absent (kernel before 6.12)" : s.ShrinkUnderused.ToString()),
                ("khugepaged/max_ptes_none", s.MaxPtesNone + (s.MaxPtesNone == ShrinkerModel.RuleOff ? " (underused rule off)" : "")),
                ("khugepaged/max_ptes_swap", s.MaxPtesSwap.ToString()), ("khugepaged/max_ptes_shared", s.MaxPtesShared.ToString()),
            }.Select(kv => (IReadOnlyList<string>)[Html.Text(kv.Item1), Html.Text(kv.Item2)]));
        html.Append("</div><div>");
        Html.Table(html, [new("/proc/vmstat", Numeric: false), new("Count")],
            scan.Vmstat.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (IReadOnlyList<string>)[Html.Text(kv.Key), Units.Count(kv.Value)]),
            scan.Vmstat.Count == 0 ? "No thp_* counters in this scan." : null);
        html.Append("</div></div>\n");
    }

    static void Thresholds(StringBuilder html, HostAnalysis host)
    {
        html.Append("<h3>At the thresholds compared</h3>\n");
        Html.Table(html,
            [new("max_ptes_none", Numeric: false), new("THPs split"), new("Freed"), new("Partial splits"), new("Partial mTHP splits"), new("Collapsed"), new("Grown"), new("Net freed"), new("Ping-pong"), new("THP memory after")],
            host.Sweep.Rows.Where(r => host.Shown.Contains(r.MaxPtesNone)).Select(r => (IReadOnlyList<string>)
            [
                Html.Text(AdviceBlock.Label(r.MaxPtesNone, host.Advice, host.Scan.Settings.MaxPtesNone)),
                Units.Splits(r), Units.Freed(r), Units.Count(r.PartialThpsSplit), Units.Count(r.PartialMthpsSplit),
                Units.Count(r.RangesCollapsed), Units.Bytes(r.BytesGrown), Units.Bytes(r.NetBytesFreed), Units.Count(r.PingPongRanges), Units.Bytes(r.ThpBytesAfter),
            ]));
    }

    /// <summary>One "net freed" column per threshold shown, the recommended one highlighted.</summary>
    static IEnumerable<Column> SavingsColumns(HostAnalysis host) =>
        host.Shown.Select(n => new Column($"Net freed at {AdviceBlock.Label(n, host.Advice, host.Scan.Settings.MaxPtesNone)}", Highlight: n == host.Advice.Recommended));

    static IEnumerable<string> Savings(HostAnalysis host, IReadOnlyList<ThresholdFigures> figures) =>
        host.Shown.Select(n => Units.Bytes(HostAnalysis.Savings(figures, n)));

    /// <summary>The heading of zero-subpage figures: a sampled scan's are estimates.</summary>
    static string ZeroSubpages(HostAnalysis host) => host.Scan.Sample is null ? "Zero subpages" : "Zero subpages (est.)";

    /// <summary>What a sampled scan shows for a VMA none of whose THPs it read.</summary>
    const string NotRead = "not read";

    static string Zero(VmaFigures v) => v.ContentsUnread ? NotRead : Zero(v.ZeroSubpages, v.Thps);

    static string Zero(long zero, long thps) => thps == 0 ? "—" : Units.Percent((double)zero / (thps * Geometry.SubpagesPerThp));

    static string Mapping(string path) => Html.Text(path.Length == 0 ? "[anon]" : path);

    static string Who(int pid, string comm, bool dotnet) =>
        $"{pid} <b>{Html.Text(comm)}</b>{(dotnet ? Html.Badge("dotnet", ".NET") : "")}";

    static void Processes(StringBuilder html, HostAnalysis host)
    {
        html.Append("<h3>Processes, largest savings first</h3>\n");
        Html.Table(html,
            new Column[] { new("Process", Numeric: false), new("Command line", Numeric: false), new("THPs"), new(ZeroSubpages(host)), new("mlocked THPs") }.Concat(SavingsColumns(host)).ToArray(),
            host.Processes.Select(p => (IReadOnlyList<string>)new[]
            {
                Who(p.Pid, p.Comm, p.IsDotnet), $"<span class=\"cmd\">{Html.Text(p.Cmdline)}</span>",
                Units.Count(p.Thps), Zero(p.ZeroSubpages, p.Thps), Units.Count(p.MlockedThps),
            }.Concat(Savings(host, p.AtThreshold)).ToArray()),
            "THPs shared between processes are counted in the first process that maps them.");
    }

    static void Vmas(StringBuilder html, HostAnalysis host)
    {
        html.Append("<h3>VMAs, largest savings first</h3>\n");
        Html.Table(html,
            new Column[] { new("Process", Numeric: false), new("Range", Numeric: false), new("Mapping", Numeric: false), new("THPs"), new(ZeroSubpages(host)) }.Concat(SavingsColumns(host)).ToArray(),
            host.Vmas.Take(MaxVmaRows).Select(v => (IReadOnlyList<string>)new[]
            {
                Who(v.Pid, v.Comm, v.IsDotnet), Html.Range(v.Start, v.End),
                Mapping(v.Path) + (v.UffdArmed ? Html.Badge("uffd", "uffd") : "") + (v.Mlocked ? Html.Badge("mlock", "mlocked") : ""),
                Units.Count(v.Thps), Zero(v),
            }.Concat(v.ContentsUnread ? host.Shown.Select(_ => NotRead) : Savings(host, v.AtThreshold)).ToArray()),
            host.Vmas.Count > MaxVmaRows ? $"The {MaxVmaRows} largest of {Units.Count(host.Vmas.Count)} VMAs with THPs or collapse candidates." : null);
    }

    static void Uffd(StringBuilder html, HostAnalysis host)
    {
        if (host.Sweep.UffdVmas.Count == 0) return;
        html.Append("<h3>userfaultfd-armed VMAs</h3>\n<div class=\"warn\">These VMAs are registered with userfaultfd (VmFlags um/uw/ui). When the shrinker splits a THP here, " +
                    "its zero subpages must map the shared zero page, never pte_none, or the uffd user (QEMU postcopy, say) sees spurious missing faults. " +
                    "khugepaged collapses nothing here while a single PTE is empty or maps the zero page.</div>\n");
        Html.Table(html,
            new Column[] { new("Process", Numeric: false), new("Range", Numeric: false), new("Mapping", Numeric: false), new("uffd flags", Numeric: false), new("THPs") }
                .Concat(host.Shown.Select(n => new Column($"Split at {AdviceBlock.Label(n, host.Advice, host.Scan.Settings.MaxPtesNone)}", Highlight: n == host.Advice.Recommended))).ToArray(),
            host.Sweep.UffdVmas.Select(u => (IReadOnlyList<string>)new[]
            {
                Who(u.Pid, u.Comm, false), Html.Range(u.Start, u.End), Mapping(u.Path),
                Html.Text(string.Join(' ', u.Flags.Where(VmFlagCodes.IsUffd))), Units.Count(u.Thps),
            }.Concat(host.Shown.Select(n => Units.Count(HostAnalysis.SplitsAt(u, n)))).ToArray()));
    }

    static void Mlocked(StringBuilder html, HostAnalysis host)
    {
        var locked = host.Vmas.Where(v => v.Mlocked).ToArray();
        if (locked.Length == 0) return;
        html.Append("<h3>mlocked VMAs</h3>\n<p>The shrinker never splits mlocked THPs, whatever the threshold: their zero subpages stay allocated.</p>\n");
        Html.Table(html,
            [new("Process", Numeric: false), new("Range", Numeric: false), new("Mapping", Numeric: false), new("THPs"), new("mlocked THPs"), new(ZeroSubpages(host))],
            locked.Select(v => (IReadOnlyList<string>)
            [
                Who(v.Pid, v.Comm, v.IsDotnet), Html.Range(v.Start, v.End), Mapping(v.Path),
                Units.Count(v.Thps), Units.Count(v.MlockedThps), Zero(v),
            ]));
    }
}
