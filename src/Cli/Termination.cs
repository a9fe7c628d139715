using System.Runtime.InteropServices;
using ThpTool.Common.Errors;

namespace ThpTool.Cli;

/// <summary>
/// SIGINT and SIGTERM cancel the running command. One that has not ended a second later (blocked writing to a FIFO
/// nobody reads, or in a long synchronous section) is ended by exiting: the exit runs ExitGuard, which undoes the
/// command's machine changes, and removes its temporary files. A second signal changes nothing.
/// </summary>
internal sealed class Termination : IDisposable
{
    // Half a second: with the exit itself, the process is gone within a second of the signal.
    public static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(500);

    readonly CancellationTokenSource cancel = new();
    readonly CancellationTokenSource ended = new();
    readonly PosixSignalRegistration interrupt, terminate;
    int signalled;

    public Termination()
    {
        interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public CancellationToken Token => cancel.Token;

    void OnSignal(PosixSignalContext context)
    {
        // The process ends here, on our terms, rather than by the signal's default action.
        context.Cancel = true;
        if (Interlocked.Exchange(ref signalled, 1) == 1)
            return;
        // A thread of its own rather than the pool, which a busy command may be holding.
        new Thread(() =>
        {
            if (ended.Token.WaitHandle.WaitOne(Grace))
                return;
            Console.Error.WriteLine("thptool: cancelled");
            Environment.Exit((int)ExitCode.Cancelled);
        }) { IsBackground = true, Name = "termination" }.Start();
        cancel.Cancel();
    }

    public void Dispose()
    {
        ended.Cancel();
        interrupt.Dispose();
        terminate.Dispose();
    }
}
