using System.CommandLine;
using ThpTool.Charts;
using ThpTool.Common.Errors;
using ThpTool.Common.Output;
using ThpTool.Report.Analysis;
using ThpTool.Report.Html;
using ThpTool.Report.Json;
using ThpTool.Report.Terminal;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Cli.Commands;

/// <summary>thptool report: one self-contained HTML page (and/or JSON) over one or more saved scans.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("SCAN_FILE") { Description = "Scans saved by 'thptool scan -o', one per host, or one dataset directory from 'thptool export'.", Arity = ArgumentArity.OneOrMore };
        var html = new Option<string?>("--html") { Description = "Write the report to this HTML file (self-contained: inline charts and styles, no scripts)." };
        var json = CommonOptions.Json();
        var thresholds = CommonOptions.Thresholds();
        var policy = CommonOptions.RemapPolicy();
        var share = CommonOptions.TargetShare();
        var command = new Command("report", "Recommend a max_ptes_none and explain it: settings, charts, processes and VMAs.\n" +
                                            "Example: thptool report web1.json web2.json --html thp-report.html")
        {
            files, html, json, thresholds, policy, share,
        };
        command.SetAction((parse, _) => Task.FromResult(Run(new ReportRequest(
            parse.GetValue(files) ?? [], parse.GetValue(html), parse.GetValue(json), parse.GetValue(thresholds),
            parse.GetValue(policy), parse.GetValue(share)), StandardStreams.Of(parse).Out)));
        return command;
    }

    public sealed record ReportRequest(string[] Files, string? Html, bool Json, string? Thresholds, RemapPolicy Policy, double TargetShare);

    public static int Run(ReportRequest request, TextWriter stdout)
    {
        if (request.Files.FirstOrDefault(f => f is { Length: > 1 } && f[0] == '-') is { } unknown)
            throw new UserError(ExitCode.Usage, $"unknown option {unknown} (see --help)");
        var thresholds = request.Thresholds is null ? ThresholdSet.All : ThresholdSet.Parse(request.Thresholds);
        double share = CommonOptions.CheckTargetShare(request.TargetShare);
        var outputs = new CommandOutputs(stdout);
        var html = outputs.File(request.Html, "--html", Readers.OwnerOnly);
        if (request.Json)
            outputs.ClaimStandardOutput("--json");
        if (request.Files.FirstOrDefault(DatasetOutput.IsDataset) is { } dir)
            return request.Files.Length == 1 ? DatasetOutput.Report(dir, request, html, thresholds, share, stdout)
                : throw new UserError(ExitCode.Usage, $"{dir} is a dataset: report it alone (export the scans into it instead)");
        var scans = request.Files.Select(f => (f, ScanFileStore.Load(f))).ToArray();
        var report = ReportAnalysis.Of(scans, thresholds, request.Policy, share);

        html?.WriteText(HtmlReport.Render(report, new ScottPlotRenderer()));
        if (request.Json)
        {
            stdout.WriteLine(ReportDocument.From(report).ToJson());
            return 0;
        }
        if (outputs.StandardOutputTaken)
            return 0;
        foreach (var host in report.Hosts)
            stdout.WriteLine($"{TerminalText.Safe(host.Scan.Host)}: {host.Advice.Sentence}");
        if (report.TotalAdvice is { } total)
            stdout.WriteLine($"all hosts: {total.Sentence}");
        stdout.WriteLine($"note: {report.Hosts[0].Advice.Caveat}");
        if (request.Html is not null)
            stdout.WriteLine($"wrote {request.Html}");
        return 0;
    }
}
