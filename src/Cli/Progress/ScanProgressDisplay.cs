using System.Diagnostics;
using Spectre.Console;
using ThpTool.Cli.Commands;
using ThpTool.Report;
using ThpTool.Scanner.ScanFiles;
using ThpTool.Scanner.Scanning;

namespace ThpTool.Cli.Progress;

/// <summary>
/// Shows scan progress on stderr: a live Spectre.Console bar on a terminal, a plain line now and then when stderr
/// is redirected (logs, CI) or a writer (a test's), nothing when quiet. Stdout stays clean for JSON and CSV.
/// </summary>
internal static class ScanProgressDisplay
{
    /// <summary>Short scans print nothing to a log; long ones say they are alive this often.</summary>
    static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(5);

    public static ScanFile Run(ScanOptions options, bool quiet, StandardStreams streams, CancellationToken cancel)
    {
        if (quiet) return ThpScanner.Scan(options, cancel);
        if (!streams.ErrorIsTerminal) return ThpScanner.Scan(options with { Progress = new LogLines(streams.Error) }, cancel);

        // Spectre judges interactivity by stdout, which is often a file here (-o -, --csv -) while stderr is a terminal.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(streams.Error), Ansi = AnsiSupport.Yes, Interactive = InteractionSupport.Yes,
        });
        return console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("scanning", maxValue: options.Pids.Count);
                return ThpScanner.Scan(options with { Progress = new Bar(task) }, cancel);
            });
    }

    static string Describe(ScanProgress p, TimeSpan elapsed)
    {
        double rate = p.BytesRead / Math.Max(elapsed.TotalSeconds, 0.001);
        return $"{p.ProcessesDone}/{p.ProcessesTotal} processes, {Units.Bytes(p.BytesRead)} read, {Units.Bytes(rate)}/s";
    }

    /// <summary>Updates the bar in place: the scanner calls it on its own thread a few times a second at most.</summary>
    sealed class Bar(ProgressTask task) : IProgress<ScanProgress>
    {
        readonly Stopwatch clock = Stopwatch.StartNew();

        public void Report(ScanProgress value)
        {
            task.Value = value.ProcessesDone;
            task.Description = Markup.Escape($"pid {value.CurrentPid}: {Describe(value, clock.Elapsed)}");
        }
    }

    sealed class LogLines(TextWriter error) : IProgress<ScanProgress>
    {
        readonly Stopwatch clock = Stopwatch.StartNew();
        TimeSpan next = LogInterval;

        public void Report(ScanProgress value)
        {
            var elapsed = clock.Elapsed;
            if (elapsed < next) return;
            next = elapsed + LogInterval;
            var left = value.ProcessesDone == 0 ? "" : $", about {Left(elapsed, value):0}s left";
            error.WriteLine($"thptool: {Describe(value, elapsed)}{left}");
        }

        static double Left(TimeSpan elapsed, ScanProgress p) =>
            elapsed.TotalSeconds * (p.ProcessesTotal - p.ProcessesDone) / p.ProcessesDone;
    }
}
