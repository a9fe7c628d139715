using System.CommandLine;
using ThpTool.Report.Json;
using ThpTool.Report.Terminal;
using ThpTool.Scanner.Errors;
using ThpTool.Scanner.Scanning;
using ThpTool.Scanner.Scans;

namespace ThpTool.Cli.Commands;

/// <summary>thptool scan: find every THP of the given processes and count its zero subpages.</summary>
internal static class ScanCommand
{
    public static Command Create()
    {
        var pids = CommonOptions.Pids();
        var output = new Option<string?>("--output", "-o") { Description = "Write the scan as JSON to this file (- for standard output)." };
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("scan", "Scan processes' THPs and save what sweep and report need.\n" +
                                          "Example: thptool scan --pid 1234 --pid 5678 -o scan.json")
        {
            pids, output, threads, json,
        };
        command.SetAction((parse, cancel) => CliApp.Guard(() =>
            Task.FromResult(Run(parse.GetValue(pids) ?? [], parse.GetValue(output), parse.GetValue(threads), parse.GetValue(json), cancel))));
        return command;
    }

    public static int Run(int[] pids, string? output, int threads, bool json, CancellationToken cancel)
    {
        if (json && output == "-")
            throw new UserError(ExitCode.Usage, "--json and -o - both write to standard output; save the scan to a file instead");
        var scan = LiveScan.Run(pids, threads, cancel);
        if (output is not null)
            ScanFileStore.Save(scan, output);
        if (json)
            Console.Out.WriteLine(ScanSummaryDocument.From(scan).ToJson());
        else if (output != "-")
            Console.Out.Write(ScanSummary.Describe(scan));
        return 0;
    }
}
