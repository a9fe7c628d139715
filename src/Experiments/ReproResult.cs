namespace ThpTool.Experiments;

/// <summary>One reproduction at one max_ptes_none: what the kernel did, next to what the model predicts.</summary>
public sealed record ReproResult
{
    public required int MaxPtesNone { get; init; }
    public required long LimitBytes { get; init; }
    public required long Bytes { get; init; }
    public required long Stride { get; init; }
    public required string CgroupVersion { get; init; }

    /// <summary>The cgroup's OOM killer killed the workload (its oom_kill count rose and SIGKILL ended it).</summary>
    public required bool OomKilled { get; init; }
    public required long OomKills { get; init; }
    /// <summary>The signal that ended the workload before it finished writing, if one did.</summary>
    public int? ExitSignal { get; init; }
    public required long PeakBytes { get; init; }
    public required long LimitHits { get; init; }
    /// <summary>thp_underused_split_page and thp_split_page deltas: machine-wide, so other processes can add to them.</summary>
    public required long UnderusedSplits { get; init; }
    public required long Splits { get; init; }
    /// <summary>At the end when the workload survived; otherwise the last the cgroup showed before the kill.</summary>
    public required long AnonHugePagesKb { get; init; }

    /// <summary>THPs the pattern makes, and those the model calls underused at <see cref="MaxPtesNone"/>.</summary>
    public required int Thps { get; init; }
    public required int PredictedSplits { get; init; }
    public required long PredictedBytesFreed { get; init; }
    /// <summary>Survivors only: THPs the scanner still finds in the region, and those of them underused at N (the next pass would split them).</summary>
    public int? ThpsLeft { get; init; }
    public int? UnderusedLeft { get; init; }
}
