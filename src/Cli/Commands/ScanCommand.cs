using System.CommandLine;
using ThpTool.Report.Terminal;
using ThpTool.Scanner.Scans;

namespace ThpTool.Cli.Commands;

/// <summary>thptool scan: find every THP of the given processes and count its zero subpages.</summary>
internal static class ScanCommand
{
    public static Command Create()
    {
        var live = new LiveScan();
        var output = new Option<string?>("--output", "-o") { Description = "Write the scan as JSON to this file (- for standard output)." };
        var command = new Command("scan", "Scan processes' THPs and save what sweep and report need.\n" +
                                          "Examples: thptool scan --pid 1234 --pid 5678 -o scan.json\n" +
                                          "          thptool scan --all -o $(hostname).json\n" +
                                          "          thptool scan --cgroup /system.slice/app.service --dotnet-gc")
        {
            output,
        };
        live.AddTo(command);
        command.SetAction((parse, cancel) => CliApp.Guard(() =>
            Task.FromResult(Run(live.Read(parse), parse.GetValue(output), cancel))));
        return command;
    }

    public static int Run(LiveScanRequest request, string? output, CancellationToken cancel)
    {
        var scan = LiveScan.Run(request, cancel);
        if (output is not null)
            ScanFileStore.Save(scan, output);
        if (output != "-")
            Console.Out.Write(ScanSummary.Describe(scan));
        return 0;
    }
}
