using System.CommandLine;
using System.Runtime.CompilerServices;
using ThpTool.Charts;
using ThpTool.Common.Errors;
using ThpTool.Common.Output;
using ThpTool.Report.Advice;
using ThpTool.Report.Analysis;
using ThpTool.Report.Charts;
using ThpTool.Report.Csv;
using ThpTool.Report.Json;
using ThpTool.Report.Prometheus;
using ThpTool.Report.Terminal;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Cli.Commands;

/// <summary>thptool sweep: what the shrinker and khugepaged would do at each max_ptes_none, and which to choose.</summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var file = new Argument<string?>("SCAN_FILE") { Description = "A scan saved by 'thptool scan -o' or 'thptool merge', or a dataset directory from 'thptool export'; omit to scan live.", Arity = ArgumentArity.ZeroOrOne };
        var live = new LiveScan();
        var thresholds = CommonOptions.Thresholds();
        var csv = new Option<string?>("--csv") { Description = "Write one CSV row per host and threshold to this file (- for standard output); see docs/fleet.md." };
        var prometheus = new Option<string?>("--prometheus") { Description = "Write node_exporter textfile-collector metrics to this file (atomically), e.g. /var/lib/node_exporter/thptool.prom." };
        var json = CommonOptions.Json();
        var plot = new Option<string?>("--plot")
        {
            Description = "Draw memory freed/grown and THP coverage against the threshold to this .svg or .png file, and beside it " +
                          "the histogram and cumulative distribution of zero subpages per THP (plot.svg gives plot-histogram.svg, plot-cdf.svg), " +
                          "for several hosts or cgroups a heatmap of the share freed (plot-heatmap.svg), and net freed per cgroup (plot-cgroups.svg).",
        };
        var policy = CommonOptions.RemapPolicy();
        var share = CommonOptions.TargetShare();
        var byCgroup = new Option<bool>("--by-cgroup") { Description = "With a dataset directory: CSV rows per cgroup and threshold, summed over hosts, instead of per host." };
        var command = new Command("sweep", "Predict splits, bytes freed and collapses at each max_ptes_none, and recommend one.\n" +
                                           "Examples: thptool sweep --pid 1234\n" +
                                           "          thptool sweep scan.json --thresholds 0-511 --csv sweep.csv --plot sweep.svg\n" +
                                           "          thptool sweep fleet.json --csv fleet.csv\n" +
                                           "          thptool sweep dataset/ --by-cgroup --csv services.csv\n" +
                                           "          thptool sweep --all --quiet --prometheus /var/lib/node_exporter/thptool.prom")
        {
            file, thresholds, csv, prometheus, json, plot, policy, share, byCgroup,
        };
        live.AddTo(command);
        command.SetAction((parse, cancel) => Task.FromResult(Run(new SweepRequest(
            parse.GetValue(file), live.Read(parse), parse.GetValue(thresholds), parse.GetValue(csv), parse.GetValue(prometheus),
            parse.GetValue(json), parse.GetValue(plot), parse.GetValue(policy), parse.GetValue(share), parse.GetValue(byCgroup)), StandardStreams.Of(parse), cancel)));
        return command;
    }

    public sealed record SweepRequest(string? File, LiveScanRequest Live, string? Thresholds, string? Csv, string? Prometheus,
                                      bool Json, string? Plot, RemapPolicy Policy, double TargetShare, bool ByCgroup = false);

    public static int Run(SweepRequest request, StandardStreams streams, CancellationToken cancel)
    {
        if (request.File is { Length: > 1 } f && f[0] == '-')
            throw new UserError(ExitCode.Usage, $"unknown option {f} (see --help)");
        if (request.File is not null && request.Live.Any)
            throw new UserError(ExitCode.Usage, "give a scan file or --pid/--all/--cgroup, not both");
        // Check options before scanning, so a typo fails at once rather than after a long scan.
        var chosen = request.Thresholds is null ? null : ThresholdSet.Parse(request.Thresholds);
        double share = CommonOptions.CheckTargetShare(request.TargetShare);
        if (request.Plot is not null)
            ChartFiles.FormatOf(request.Plot);
        var outputs = new CommandOutputs(streams.Out);
        var csv = outputs.File(request.Csv, "--csv");
        var prometheus = outputs.File(request.Prometheus, "--prometheus");
        foreach (var chart in request.Plot is null ? [] : PlotFile.PossiblePaths(request.Plot))
            outputs.File(chart, "--plot");
        if (request.Json)
            outputs.ClaimStandardOutput("--json");
        if (DatasetOutput.IsDataset(request.File))
            return DatasetOutput.Sweep(request.File!, request, csv, chosen, share, streams.Out);
        if (request.ByCgroup)
            throw new UserError(ExitCode.Usage, "--by-cgroup reads a dataset directory (see 'thptool export')");
        var scan = request.File is not null ? ScanFileStore.Load(request.File) : LiveScan.Run(request.Live, streams, cancel);
        var hosts = FleetSweep.Run(scan, chosen ?? ThresholdSet.All, request.Policy);
        var shown = hosts.Count == 1 ? hosts[0] : FleetSweep.Total(hosts);
        var advice = ThresholdAdvisor.Advise(shown.Result.Rows, shown.Settings.MaxPtesNone, share, shown.Sample?.Fraction);

        if (request.Plot is not null)
            Plot(request.Plot, scan, hosts, shown, advice, chosen ?? ThresholdSet.All, request.Policy);
        csv?.Write(s => SweepCsv.Write(s, hosts));
        prometheus?.WriteText(PrometheusTextfile.Render(hosts));
        if (request.Json)
            streams.Out.WriteLine(SweepDocument.ToJson(hosts, share));
        else if (!outputs.StandardOutputTaken)
        {
            var table = chosen is null ? FleetSweep.Run(scan, SweepTable.DefaultThresholds(scan, advice), request.Policy) : hosts;
            streams.Out.Write(SweepTable.Render(scan, table, advice));
        }
        return 0;
    }

    /// <summary>
    /// Every chart of the sweep, beside <paramref name="path"/>. A method of its own so that only a sweep that plots
    /// loads ScottPlot and Skia: the JIT resolves the types a method uses when it compiles that method.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    static void Plot(string path, ScanFile scan, IReadOnlyList<HostSweep> hosts, HostSweep shown, ThresholdAdvice advice, IReadOnlyList<int> thresholds, RemapPolicy policy)
    {
        var plots = SweepCharts.All(hosts.Count < 2 ? shown.Host : "All hosts", shown.Result, [scan], shown.Settings.MaxPtesNone, advice,
            hosts: hosts.Count < 2 ? [] : hosts.Select(h => new NamedSweep(h.Host, h.Result)).ToArray(),
            cgroups: scan.Hosts is null ? CgroupSweeps.Of(scan, thresholds, policy) : []);
        var renderer = new ScottPlotRenderer();
        foreach (var plot in plots)
            ChartFiles.Write(plot.Chart, plot.PathBeside(path), renderer);
    }
}
