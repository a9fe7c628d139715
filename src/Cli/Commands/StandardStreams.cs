using System.CommandLine;

namespace ThpTool.Cli.Commands;

/// <summary>
/// A command run's standard output and error: the writers its invocation carries, the process's own or a test's.
/// Commands write only here, never to Console, so a test can run them in its own process.
/// </summary>
internal sealed record StandardStreams(TextWriter Out, TextWriter Error)
{
    public static StandardStreams Of(ParseResult parse) =>
        new(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);

    /// <summary>True when error is the process's own stderr and that is a terminal: a live progress bar can go there.</summary>
    public bool ErrorIsTerminal => ReferenceEquals(Error, Console.Error) && !Console.IsErrorRedirected;
}
