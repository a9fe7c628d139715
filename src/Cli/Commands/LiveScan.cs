using ThpTool.Scanner.Errors;
using ThpTool.Scanner.Scanning;
using ThpTool.Scanner.Scans;

namespace ThpTool.Cli.Commands;

/// <summary>The one way commands scan live processes, so they validate input alike.</summary>
internal static class LiveScan
{
    public static ScanFile Run(IReadOnlyList<int> pids, int threads, CancellationToken cancel)
    {
        if (pids.Count == 0) throw new UserError(ExitCode.Usage, "give at least one --pid (or a scan file)");
        if (threads < 1) throw new UserError(ExitCode.Usage, "--threads must be at least 1");
        return ThpScanner.Scan(new ScanOptions { Pids = pids, Threads = threads }, cancel);
    }
}
