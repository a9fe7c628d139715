using System.CommandLine;
using System.CommandLine.Invocation;
using ThpTool.Common.Errors;
using ThpTool.Report.Terminal;

namespace ThpTool.Cli;

/// <summary>
/// The one exception boundary, put around every command's action as the tree is built: a failure a user can cause
/// becomes one line on stderr and its exit code, and Ctrl-C becomes "cancelled" and 130.
/// </summary>
sealed class UserErrorBoundary(AsynchronousCommandLineAction action) : AsynchronousCommandLineAction
{
    public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
    {
        try
        {
            return await action.InvokeAsync(parseResult, cancellationToken);
        }
        catch (UserError e)
        {
            parseResult.InvocationConfiguration.Error.WriteLine($"thptool: {TerminalText.Safe(e.Message)}");
            return (int)e.Code;
        }
        catch (OperationCanceledException)
        {
            parseResult.InvocationConfiguration.Error.WriteLine("thptool: cancelled");
            return (int)ExitCode.Cancelled;
        }
    }
}
