using System.Text;
using ThpTool.Report.Analysis;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Memory;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Report.Terminal;

/// <summary>A few lines that say what was scanned and what the machine is set to.</summary>
public static class ScanSummary
{
    public static string Describe(ScanFile scan)
    {
        if (scan.Hosts is not null) return DescribeFleet(scan.Hosts);
        // The same tally as the JSON summary, so the two outputs of one scan agree.
        var vmas = Sweep.Vmas(scan).Select(x => x.Vma).ToList();
        // Summed process by process: a sampled scan reads each process's THPs at its own rate (at least 30 each).
        var perProcess = scan.Processes.Select(p => Tally.Of(p.Vmas)).ToList();
        long full = perProcess.Sum(t => t.Thps), zero = perProcess.Sum(t => t.Zero), mlocked = perProcess.Sum(t => t.Mlocked);
        long partial = Tally.Partial(vmas);
        var s = scan.Settings;
        var text = new StringBuilder();
        int dotnet = scan.Processes.Count(p => p.IsDotnet);
        text.Append($"host {TerminalText.Safe(scan.Host)}, kernel {TerminalText.Safe(scan.Kernel)}: {scan.Processes.Count} process(es){(dotnet > 0 ? $" ({dotnet} .NET)" : "")}, {Units.Count(full)} THPs ({Units.Bytes(full * 2097152L)})");
        if (full > 0) text.Append($", {(scan.Sample is null ? "" : "about ")}{Units.Percent((double)zero / (full * (long)Geometry.SubpagesPerThp))} of their subpages all-zero ({Units.Bytes(zero * Geometry.PageSize)})");
        if (partial > 0) text.Append($", {partial} partially mapped");
        if (mlocked > 0) text.Append($", {mlocked} mlocked");
        text.Append('\n');
        if (Tally.Mthps(vmas) is { Count: > 0 } bySize)
            text.Append("mTHP: ").AppendJoin(", ", bySize.Select(m => $"{Units.Count(m.Folios)} of {m.Kb} KiB ({m.Partial} partially mapped)")).Append('\n');
        text.Append($"now: max_ptes_none={s.MaxPtesNone}{(s.MaxPtesNone == ShrinkerModel.RuleOff ? " (underused rule off)" : "")}, " +
                    $"shrink_underused={s.ShrinkUnderused}, THP enabled={TerminalText.Safe(s.Enabled)}, defrag={TerminalText.Safe(s.Defrag)}\n");
        if (scan.Mode == DiscoveryMode.PagemapScan)
            text.Append("mode: PAGEMAP_SCAN only (no CAP_SYS_ADMIN): PMD-mapped THPs only; mTHP, PTE-mapped and partially mapped THPs and sharing between processes are not seen\n");
        foreach (var p in scan.Processes.Where(p => p.Dotnet?.InducedGc is { Completed: false }))
            text.Append($"pid {p.Pid} ({TerminalText.Safe(p.Comm)}): no GC induced: {TerminalText.Safe(p.Dotnet!.InducedGc!.Error)}\n");
        foreach (var skipped in scan.Skipped)
            text.Append($"skipped pid {skipped.Pid}: {TerminalText.Safe(skipped.Reason)}\n");
        if (scan.Processes.Count > 1)
        {
            var note = SampleNote.Of([scan]);
            text.Append(Rollup.Table("process (top 10)", Rollup.PerProcess(scan), 10, note)).Append('\n');
            if (scan.Processes.Any(p => p.Cgroup is not null))
                text.Append(Rollup.Table("cgroup (top 10)", Rollup.PerCgroup(scan), 10, note)).Append('\n');
            if (note is not null) text.Append($"zero subpages in the tables above: {note}\n");
        }
        return text.ToString();
    }

    static string DescribeFleet(IReadOnlyList<HostSummary> hosts) =>
        $"fleet of {hosts.Count} host(s): {Units.Count(hosts.Sum(h => h.Processes))} process(es) " +
        $"({Units.Count(hosts.Sum(h => h.DotnetProcesses))} .NET), {Units.Count(hosts.Sum(h => h.Skipped))} skipped\n";
}
