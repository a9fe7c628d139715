using System.Diagnostics;

namespace ThpTool.Scanner.Scanning;

/// <summary>Turns per-chunk ticks into a few progress reports a second, so a display never slows the scan.</summary>
internal sealed class ProgressReporter(IProgress<ScanProgress>? progress, int total)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    readonly Stopwatch sinceLast = Stopwatch.StartNew();
    long bytesBefore;

    public int Done { get; private set; }

    /// <summary>Bytes read so far in the process being scanned.</summary>
    public void Chunk(int pid, long bytesInProcess)
    {
        if (progress is null || sinceLast.Elapsed < Interval) return;
        sinceLast.Restart();
        progress.Report(new ScanProgress(Done, total, bytesBefore + bytesInProcess, pid));
    }

    public void ProcessDone(int pid, long bytesInProcess)
    {
        Done++;
        bytesBefore += bytesInProcess;
        sinceLast.Restart();
        progress?.Report(new ScanProgress(Done, total, bytesBefore, pid));
    }
}
