using System.CommandLine;
using ThpTool.Report.Advice;
using ThpTool.Report.Charts;
using ThpTool.Report.Csv;
using ThpTool.Report.Json;
using ThpTool.Report.Prometheus;
using ThpTool.Report.Terminal;
using ThpTool.Scanner.Errors;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Scans;

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
            Description = "Draw memory freed/grown and THP coverage against the threshold to this .svg or .png file, " +
                          "and the histogram of zero subpages per THP next to it (plot.svg gives plot-histogram.svg).",
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
        command.SetAction((parse, cancel) => CliApp.Guard(() => Task.FromResult(Run(new SweepRequest(
            parse.GetValue(file), live.Read(parse), parse.GetValue(thresholds), parse.GetValue(csv), parse.GetValue(prometheus),
            parse.GetValue(json), parse.GetValue(plot), parse.GetValue(policy), parse.GetValue(share), parse.GetValue(byCgroup)), cancel))));
        return command;
    }

    public sealed record SweepRequest(string? File, LiveScanRequest Live, string? Thresholds, string? Csv, string? Prometheus,
                                      bool Json, string? Plot, RemapPolicy Policy, double TargetShare, bool ByCgroup = false);

    public static int Run(SweepRequest request, CancellationToken cancel)
    {
        if (request.File is { Length: > 1 } f && f[0] == '-')
            throw new UserError(ExitCode.Usage, $"unknown option {f} (see --help)");
        if (request.File is not null && request.Live.Any)
            throw new UserError(ExitCode.Usage, "give a scan file or --pid/--all/--cgroup, not both");
        // Check options before scanning, so a typo fails at once rather than after a long scan.
        var chosen = request.Thresholds is null ? null : ThresholdSet.Parse(request.Thresholds);
        double share = CommonOptions.CheckTargetShare(request.TargetShare);
        if (request.Plot is not null && Path.GetExtension(request.Plot).ToLowerInvariant() is not (".svg" or ".png"))
            throw new UserError(ExitCode.Unsupported, $"--plot {request.Plot}: use a .svg or .png file");
        if (DatasetOutput.IsDataset(request.File))
            return DatasetOutput.Sweep(request.File!, request, chosen, share);
        if (request.ByCgroup)
            throw new UserError(ExitCode.Usage, "--by-cgroup reads a dataset directory (see 'thptool export')");
        var scan = request.File is not null ? ScanFileStore.Load(request.File) : LiveScan.Run(request.Live, cancel);
        var hosts = FleetSweep.Run(scan, chosen ?? ThresholdSet.All, request.Policy);
        var shown = hosts.Count == 1 ? hosts[0] : FleetSweep.Total(hosts);
        var advice = ThresholdAdvisor.Advise(shown.Result.Rows, shown.Settings.MaxPtesNone, share);

        if (request.Plot is not null)
        {
            ChartFiles.Write(SweepCharts.Thresholds($"{shown.Host}: memory and THP coverage by max_ptes_none", shown.Result, shown.Settings.MaxPtesNone, advice), request.Plot);
            ChartFiles.Write(SweepCharts.ZeroSubpages($"{shown.Host}: THPs by zero subpages", [scan], shown.Settings.MaxPtesNone, advice),
                SweepCharts.HistogramPath(request.Plot));
        }
        if (request.Csv is not null)
            AtomicFile.Write(request.Csv, s => SweepCsv.Write(s, hosts));
        if (request.Prometheus is not null)
            AtomicFile.WriteText(request.Prometheus, PrometheusTextfile.Render(hosts));
        if (request.Json)
            Console.Out.WriteLine(SweepDocument.ToJson(hosts, share));
        else if (request.Csv != "-" && request.Prometheus != "-")
        {
            var table = chosen is null ? FleetSweep.Run(scan, SweepTable.DefaultThresholds(scan, advice), request.Policy) : hosts;
            Console.Out.Write(SweepTable.Render(scan, table, advice));
        }
        return 0;
    }
}
