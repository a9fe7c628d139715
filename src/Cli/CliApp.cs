using System.CommandLine;
using System.CommandLine.Invocation;
using ThpTool.Cli.Commands;
using ThpTool.Common.Errors;

namespace ThpTool.Cli;

/// <summary>Builds the command tree and turns every user error into one stderr line and an exit code.</summary>
public static class CliApp
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("thptool: how much memory transparent huge pages waste, and what the kernel's underused-THP shrinker would free at each max_ptes_none.");
        foreach (var command in Commands())
        {
            command.Action = new UserErrorBoundary(command.Action as AsynchronousCommandLineAction
                ?? throw new InvalidOperationException($"{command.Name} has no asynchronous action"));
            root.Subcommands.Add(command);
        }
        return root;
    }

    static IEnumerable<Command> Commands() =>
    [
        ScanCommand.Create(),
        SweepCommand.Create(),
        ReportCommand.Create(),
        MergeCommand.Create(),
        ExportCommand.Create(),
        DemoCommand.Create(),
        ReproCommand.Create(),
        VerifyCommand.Create(),
        WorkloadCommand.Create(),
    ];

    /// <summary>
    /// Runs one command line, writing to <paramref name="output"/> and <paramref name="error"/> (the process's own, or a
    /// test's), until <paramref name="cancel"/> says stop. Signals are the caller's: this registers none.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        var parse = BuildRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line, like every other user error, instead of the parser's help dump.
            error.WriteLine($"thptool: {parse.Errors[0].Message} (see --help)");
            return (int)ExitCode.Usage;
        }
        var config = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null };
        return await parse.InvokeAsync(config, cancel);
    }
}
