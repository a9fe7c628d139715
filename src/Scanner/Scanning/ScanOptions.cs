namespace ThpTool.Scanner.Scanning;

public sealed record ScanOptions
{
    public required IReadOnlyList<int> Pids { get; init; }
    /// <summary>Threads reading memory; results are identical whatever the number.</summary>
    public int Threads { get; init; } = 1;
    /// <summary>Use PAGEMAP_SCAN only even when kpageflags is readable (what a non-root user gets).</summary>
    public bool ForcePagemapScanOnly { get; init; }
    public IProgress<ScanProgress>? Progress { get; init; }
    /// <summary>Read buffer per thread when not the default: lets the benchmarks compare batch sizes in one run.</summary>
    internal int? ReadBufferBytes { get; init; }
}

public readonly record struct ScanProgress(int ProcessesDone, int ProcessesTotal, long BytesRead, int CurrentPid);
