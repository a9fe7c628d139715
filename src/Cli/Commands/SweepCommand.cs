using System.CommandLine;
using ThpTool.Report.Csv;
using ThpTool.Report.Json;
using ThpTool.Report.Prometheus;
using ThpTool.Report.Terminal;
using ThpTool.Scanner.Errors;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Scans;

namespace ThpTool.Cli.Commands;

/// <summary>thptool sweep: what the shrinker and khugepaged would do at each max_ptes_none.</summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var file = new Argument<string?>("SCAN_FILE") { Description = "A scan saved by 'thptool scan -o' or 'thptool merge'; omit to scan live.", Arity = ArgumentArity.ZeroOrOne };
        var live = new LiveScan();
        var thresholds = CommonOptions.Thresholds();
        var csv = new Option<string?>("--csv") { Description = "Write one CSV row per host and threshold to this file (- for standard output); see docs/fleet.md." };
        var prometheus = new Option<string?>("--prometheus") { Description = "Write node_exporter textfile-collector metrics to this file (atomically), e.g. /var/lib/node_exporter/thptool.prom." };
        var json = CommonOptions.Json();
        var policy = CommonOptions.RemapPolicy();
        var command = new Command("sweep", "Predict splits, bytes freed and collapses at each max_ptes_none.\n" +
                                           "Examples: thptool sweep --pid 1234\n" +
                                           "          thptool sweep scan.json --thresholds 0-511 --csv sweep.csv\n" +
                                           "          thptool sweep fleet.json --csv fleet.csv\n" +
                                           "          thptool sweep --all --quiet --prometheus /var/lib/node_exporter/thptool.prom")
        {
            file, thresholds, csv, prometheus, json, policy,
        };
        live.AddTo(command);
        command.SetAction((parse, cancel) => CliApp.Guard(() => Task.FromResult(Run(new SweepRequest(
            parse.GetValue(file), live.Read(parse), parse.GetValue(thresholds), parse.GetValue(csv), parse.GetValue(prometheus),
            parse.GetValue(json), parse.GetValue(policy)), cancel))));
        return command;
    }

    public sealed record SweepRequest(string? File, LiveScanRequest Live, string? Thresholds, string? Csv, string? Prometheus, bool Json, RemapPolicy Policy);

    public static int Run(SweepRequest request, CancellationToken cancel)
    {
        if (request.File is not null && request.Live.Any)
            throw new UserError(ExitCode.Usage, "give a scan file or --pid/--all/--cgroup, not both");
        // Parse thresholds before scanning, so a typo fails at once rather than after a long scan.
        var chosen = request.Thresholds is null ? null : ThresholdSet.Parse(request.Thresholds);
        var scan = request.File is not null ? ScanFileStore.Load(request.File) : LiveScan.Run(request.Live, cancel);
        var full = FleetSweep.Run(scan, chosen ?? ThresholdSet.All, request.Policy);

        if (request.Csv is not null)
            AtomicFile.Write(request.Csv, s => SweepCsv.Write(s, full));
        if (request.Prometheus is not null)
            AtomicFile.WriteText(request.Prometheus, PrometheusTextfile.Render(full));
        if (request.Json)
            Console.Out.WriteLine(SweepDocument.ToJson(full));
        else if (request.Csv != "-" && request.Prometheus != "-")
            Console.Out.Write(SweepTable.Render(scan, chosen is null ? FleetSweep.Run(scan, SweepTable.DefaultThresholds(scan), request.Policy) : full));
        return 0;
    }
}
