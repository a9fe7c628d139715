using System.CommandLine;
using System.Text.Json;
using ThpTool.Cli.Experiments;
using ThpTool.Common.Errors;
using ThpTool.Experiments;
using ThpTool.Scanner.Procfs;

namespace ThpTool.Cli.Commands;

/// <summary>thptool verify: the model's predictions checked against one real shrinker pass on this kernel.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var maxPtesNone = CommonOptions.MaxPtesNone(256);
        var json = CommonOptions.Json();
        var command = new Command("verify", "Check the model on this kernel: known workloads, predicted splits against one real shrinker pass.\n" +
                                            "Exits 1 when they disagree.\n" +
                                            "Example: thptool verify --max-ptes-none 256")
        {
            maxPtesNone, json,
        };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(maxPtesNone), parse.GetValue(json), StandardStreams.Of(parse), ct));
        return command;
    }

    static async Task<int> RunAsync(int maxPtesNone, bool json, StandardStreams streams, CancellationToken ct)
    {
        KernelSupport.Require("thptool verify");
        // The table's reader sees these on the terminal; with --json they must stay out of the document.
        var notes = json ? streams.Error : streams.Out;
        notes.WriteLine(VerifyTable.Notice(maxPtesNone, ThpSysfs.Read().MaxPtesNone.ToString()));
        var others = OtherThpUsers.Find();
        if (others.Count > 0)
            streams.Error.WriteLine(VerifyTable.OthersWarning(others, maxPtesNone));
        notes.WriteLine();

        var result = await Verify.RunAsync(maxPtesNone, ct) with { OtherThpUsers = others };
        streams.Out.Write(json ? JsonSerializer.Serialize(result, ExperimentJson.Default.VerifyResult) + "\n" : VerifyTable.Render(result));
        return (int)(result.Agrees ? ExitCode.Success : ExitCode.Disagreement);
    }
}
