using System.CommandLine;
using ThpTool.Common.Output;
using ThpTool.Report.Terminal;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Cli.Commands;

/// <summary>thptool merge: one fleet file from many hosts' scans, reduced to per-host histograms.</summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("SCAN_FILES") { Description = "Full scans from 'thptool scan -o' (one per host; not --sample) or earlier merges.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "The fleet file to write (- for standard output).", Required = true };
        var command = new Command("merge", "Combine scans of different hosts into one fleet file that sweep and report read, per host and for the fleet.\n" +
                                           "Example: thptool merge host1.json host2.json -o fleet.json && thptool sweep fleet.json --csv fleet.csv")
        {
            files, output,
        };
        command.SetAction((parse, _) => Task.FromResult(Run(parse.GetValue(files)!, parse.GetValue(output)!, StandardStreams.Of(parse).Out)));
        return command;
    }

    public static int Run(string[] files, string output, TextWriter stdout)
    {
        var outputs = new CommandOutputs(stdout);
        var file = outputs.File(output, "--output", Readers.OwnerOnly)!;
        // Lazily: each scan is loaded, reduced to its summary and let go before the next.
        var fleet = ScanMerge.Merge(files.Select(ScanFileStore.Load));
        ScanFileStore.Save(fleet, file);
        if (!outputs.StandardOutputTaken) stdout.Write(ScanSummary.Describe(fleet));
        return 0;
    }
}
