using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Scanner.Scanning;

public sealed record ScanOptions
{
    public required IReadOnlyList<int> Pids { get; init; }
    /// <summary>
    /// The pids came from a host or cgroup listing rather than from the user: kernel threads are dropped without a
    /// word, and any pid that vanishes or refuses is listed as skipped instead of failing the scan.
    /// </summary>
    public bool Discovered { get; init; }
    /// <summary>Threads reading memory; results are identical whatever the number.</summary>
    public int Threads { get; init; } = 1;
    /// <summary>Use PAGEMAP_SCAN only even when kpageflags is readable (what a non-root user gets).</summary>
    public bool ForcePagemapScanOnly { get; init; }
    /// <summary>Before scanning a .NET process, make it run a full blocking GC so its heap holds only live objects.</summary>
    public bool InduceDotnetGc { get; init; }
    public TimeSpan DotnetGcTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Read the contents of only a sample of THPs per process (see <see cref="ContentSampler"/>); null: all.</summary>
    public ContentSample? Sample { get; init; }
    /// <summary>Bytes of target memory read per second at most, across all threads and processes; null: no cap.</summary>
    public long? MaxReadRate { get; init; }
    /// <summary>Reported after each process and at most every <see cref="ProgressReporter.Interval"/> within one.</summary>
    public IProgress<ScanProgress>? Progress { get; init; }
    /// <summary>Read buffer per thread when not the default: lets the benchmarks compare batch sizes in one run.</summary>
    internal int? ReadBufferBytes { get; init; }
    /// <summary>
    /// Make every kpageflags lookup, as on a host where some THP is mapped only by PTEs: lets the benchmarks measure
    /// that case and the tests check that skipping lookups the census rules out changes no result.
    /// </summary>
    internal bool IgnoreFolioCensus { get; init; }
}

public readonly record struct ScanProgress(int ProcessesDone, int ProcessesTotal, long BytesRead, int CurrentPid);
