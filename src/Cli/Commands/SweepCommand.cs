using System.CommandLine;
using ThpTool.Report.Advice;
using ThpTool.Report.Charts;
using ThpTool.Report.Csv;
using ThpTool.Report.Json;
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
        var file = new Argument<string?>("SCAN_FILE") { Description = "A scan saved by 'thptool scan -o'; omit to scan --pid live.", Arity = ArgumentArity.ZeroOrOne };
        var pids = CommonOptions.Pids();
        var thresholds = CommonOptions.Thresholds();
        var csv = new Option<string?>("--csv") { Description = "Write one CSV row per threshold to this file (- for standard output)." };
        var json = CommonOptions.Json();
        var plot = new Option<string?>("--plot")
        {
            Description = "Draw memory freed/grown and THP coverage against the threshold to this .svg or .png file, " +
                          "and the histogram of zero subpages per THP next to it (plot.svg gives plot-histogram.svg).",
        };
        var policy = CommonOptions.RemapPolicy();
        var share = CommonOptions.TargetShare();
        var threads = CommonOptions.Threads();
        var command = new Command("sweep", "Predict splits, bytes freed and collapses at each max_ptes_none, and recommend one.\n" +
                                           "Examples: thptool sweep --pid 1234\n" +
                                           "          thptool sweep scan.json --thresholds 0-511 --csv sweep.csv --plot sweep.svg")
        {
            file, pids, thresholds, csv, json, plot, policy, share, threads,
        };
        command.SetAction((parse, cancel) => CliApp.Guard(() => Task.FromResult(Run(new SweepRequest(
            parse.GetValue(file), parse.GetValue(pids) ?? [], parse.GetValue(thresholds), parse.GetValue(csv),
            parse.GetValue(json), parse.GetValue(plot), parse.GetValue(policy), parse.GetValue(share), parse.GetValue(threads)), cancel))));
        return command;
    }

    public sealed record SweepRequest(string? File, int[] Pids, string? Thresholds, string? Csv, bool Json, string? Plot,
                                      RemapPolicy Policy, double TargetShare, int Threads);

    public static int Run(SweepRequest request, CancellationToken cancel)
    {
        if (request.File is { Length: > 1 } f && f[0] == '-')
            throw new UserError(ExitCode.Usage, $"unknown option {f} (see --help)");
        if (request.File is not null && request.Pids.Length > 0)
            throw new UserError(ExitCode.Usage, "give a scan file or --pid, not both");
        // Check options before scanning, so a typo fails at once rather than after a long scan.
        var chosen = request.Thresholds is null ? null : ThresholdSet.Parse(request.Thresholds);
        double share = CommonOptions.CheckTargetShare(request.TargetShare);
        if (request.Plot is not null && Path.GetExtension(request.Plot).ToLowerInvariant() is not (".svg" or ".png"))
            throw new UserError(ExitCode.Unsupported, $"--plot {request.Plot}: use a .svg or .png file");
        var scan = request.File is not null ? ScanFileStore.Load(request.File) : LiveScan.Run(request.Pids, request.Threads, cancel);
        var full = Sweep.Run(scan, chosen ?? ThresholdSet.All, request.Policy);
        var advice = ThresholdAdvisor.Advise(full.Rows, scan.Settings.MaxPtesNone, share);

        if (request.Plot is not null)
        {
            ChartFiles.Write(SweepCharts.Thresholds($"{scan.Host}: memory and THP coverage by max_ptes_none", full, scan.Settings.MaxPtesNone, advice), request.Plot);
            ChartFiles.Write(SweepCharts.ZeroSubpages($"{scan.Host}: THPs by zero subpages", [scan], scan.Settings.MaxPtesNone, advice),
                SweepCharts.HistogramPath(request.Plot));
        }
        if (request.Csv is not null)
            AtomicFile.Write(request.Csv, s => SweepCsv.Write(s, scan, full));
        if (request.Json)
            Console.Out.WriteLine(SweepDocument.From(scan, full, advice).ToJson());
        else if (request.Csv != "-")
            Console.Out.Write(SweepTable.Render(scan, chosen is null ? Sweep.Run(scan, SweepTable.DefaultThresholds(scan, advice), request.Policy) : full, advice));
        return 0;
    }
}
