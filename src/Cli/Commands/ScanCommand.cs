using System.CommandLine;
using ThpTool.Common.Errors;
using ThpTool.Common.Output;
using ThpTool.Report.Json;
using ThpTool.Report.Terminal;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Cli.Commands;

/// <summary>thptool scan: find every THP of the given processes and count its zero subpages.</summary>
internal static class ScanCommand
{
    public static Command Create()
    {
        var live = new LiveScan();
        var output = new Option<string?>("--output", "-o") { Description = "Write the scan as JSON to this file (- for standard output)." };
        var json = CommonOptions.Json();
        var command = new Command("scan", "Scan processes' THPs and save what sweep and report need.\n" +
                                          "Examples: thptool scan --pid 1234 --pid 5678 -o scan.json\n" +
                                          "          thptool scan --all -o $(hostname).json\n" +
                                          "          thptool scan --cgroup /system.slice/app.service --dotnet-gc\n" +
                                          "          thptool scan --all --sample 0.05 --max-rate 1G -o scan.json   (read 5% of THPs, at most 1 GiB/s)")
        {
            output, json,
        };
        live.AddTo(command);
        command.SetAction((parse, cancel) =>
            Task.FromResult(Run(live.Read(parse), parse.GetValue(output), parse.GetValue(json), StandardStreams.Of(parse), cancel)));
        return command;
    }

    public static int Run(LiveScanRequest request, string? output, bool json, StandardStreams streams, CancellationToken cancel)
    {
        var outputs = new CommandOutputs(streams.Out);
        var file = outputs.File(output, "--output", Readers.OwnerOnly);
        if (json)
            outputs.ClaimStandardOutput("--json");
        var scan = LiveScan.Run(request, streams, cancel);
        if (file is not null)
            ScanFileStore.Save(scan, file);
        if (json)
            streams.Out.WriteLine(ScanSummaryDocument.From(scan).ToJson());
        else if (!outputs.StandardOutputTaken)
            streams.Out.Write(ScanSummary.Describe(scan));
        return 0;
    }
}
