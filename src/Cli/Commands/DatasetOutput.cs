using ThpTool.Charts;
using ThpTool.Common.Errors;
using ThpTool.Common.Output;
using ThpTool.Fleet.Sql;
using ThpTool.Report.Advice;
using ThpTool.Report.Analysis;
using ThpTool.Report.Csv;
using ThpTool.Report.Html;
using ThpTool.Report.Json;
using ThpTool.Report.Terminal;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Cli.Commands;

/// <summary>'sweep DIR' and 'report DIR': a Parquet dataset swept by DuckDB, shown as the fleet with its cgroups.</summary>
internal static class DatasetOutput
{
    public static bool IsDataset(string? path) => path is not null && Directory.Exists(path);

    public static int Sweep(string dir, SweepCommand.SweepRequest request, OutputPath? csv, IReadOnlyList<int>? chosen, double share, TextWriter stdout)
    {
        if (request.Plot is not null || request.Prometheus is not null)
            throw new UserError(ExitCode.Usage, $"{dir} is a dataset: --plot and --prometheus take a scan file (use 'report {dir} --html' for charts)");
        var thresholds = chosen ?? ThresholdSet.All;
        if (csv is not null && !request.ByCgroup && !request.Json)
        {
            // The host rows go straight from DuckDB to the file: 100,000 hosts x 512 thresholds never sit in memory.
            using var query = DatasetQuery.Open(dir);
            var summaries = DatasetHosts.Read(query);
            var fleet = DatasetSweepSet.FleetOf(query, summaries, thresholds, request.Policy);
            var metas = summaries.ToDictionary(h => h, h => DatasetSweep.Meta(h, request.Policy));
            var rows = DatasetSweep.HostRows(query, summaries, thresholds, request.Policy).Select(r => SweepCsv.ToRecord(r.Row, metas[r.Host]));
            var all = summaries.Count > 1 ? rows.Concat(fleet.Result.Rows.Select(r => SweepCsv.ToRecord(r, fleet))) : rows;
            csv.Write(s => SweepCsv.Write(s, all));
            if (csv.IsStandardOutput) return 0;
            stdout.WriteLine($"wrote {csv}: {summaries.Count} host(s){(summaries.Count > 1 ? " and the fleet (host *)" : "")}");
            return 0;
        }
        var set = DatasetSweepSet.Run(dir, thresholds, request.Policy, withHosts: request.Json);
        var cgroups = set.Cgroups.Select(c => (c.Cgroup, c.Result)).ToArray();
        csv?.Write(s =>
            {
                if (request.ByCgroup) CgroupSweepCsv.Write(s, cgroups);
                else SweepCsv.Write(s, set.Hosts, set.Fleet);
            });
        if (request.Json)
        {
            stdout.WriteLine(SweepDocument.FleetJson(set.Hosts, set.Fleet, share));
            return 0;
        }
        if (csv is { IsStandardOutput: true }) return 0;
        var advice = ThresholdAdvisor.Advise(set.Fleet.Result.Rows, set.Fleet.Settings.MaxPtesNone, share);
        var scan = set.FleetScan(withHistograms: false);
        var shown = chosen ?? SweepTable.DefaultThresholds(scan, advice);
        var fleetShown = set.Fleet with { Result = set.Fleet.Result with { Rows = set.Fleet.Result.Rows.Where(r => shown.Contains(r.MaxPtesNone)).ToArray() } };
        stdout.Write(SweepTable.Render(scan, [fleetShown], advice));
        if (cgroups.Length > 0 && thresholds.Contains(advice.Recommended))
            stdout.Write(CgroupTable.Render(cgroups, advice.Recommended));
        return 0;
    }

    public static int Report(string dir, ReportCommand.ReportRequest request, OutputPath? html, IReadOnlyList<int> thresholds, double share, TextWriter stdout)
    {
        var set = DatasetSweepSet.Run(dir, thresholds, request.Policy, withHosts: false);
        var fleet = HostAnalysis.OfSweep(dir, set.FleetScan(withHistograms: true), set.Fleet.Result, thresholds, share);
        var report = new ReportAnalysis([fleet], null, null, share);
        html?.WriteText(HtmlReport.Render(report, new ScottPlotRenderer()));
        if (request.Json)
        {
            stdout.WriteLine(ReportDocument.From(report).ToJson());
            return 0;
        }
        // The report has standard output: the summary stays off it, as for scan files.
        if (html is { IsStandardOutput: true }) return 0;
        stdout.WriteLine($"{dir}: {set.HostSummaries.Count} host(s), {set.Cgroups.Count} cgroup(s)");
        stdout.WriteLine($"all hosts: {fleet.Advice.Sentence}");
        if (set.Cgroups.Count > 0 && thresholds.Contains(fleet.Advice.Recommended))
            stdout.Write(CgroupTable.Render(set.Cgroups.Select(c => (c.Cgroup, c.Result)), fleet.Advice.Recommended));
        stdout.WriteLine($"note: {fleet.Advice.Caveat}");
        if (html is not null)
            stdout.WriteLine($"wrote {html}");
        return 0;
    }
}
