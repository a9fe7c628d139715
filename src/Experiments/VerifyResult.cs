namespace ThpTool.Experiments;

/// <summary>One process's share of one verify workload: the model's prediction next to what the kernel did.</summary>
public sealed record VerifyRow
{
    public required string Workload { get; init; }
    public required int Pid { get; init; }
    public required int Thps { get; init; }
    /// <summary>THPs the model says the pass splits here: underused ones and partially mapped ones.</summary>
    public required int PredictedSplits { get; init; }
    /// <summary>Of those, underused THPs not already counted for another process (a forked child shares its parent's).</summary>
    public required int PredictedUnderusedSplits { get; init; }
    public required long PredictedAnonHugePagesLostKb { get; init; }
    public required long PredictedRssFreedKb { get; init; }
    public required long ObservedAnonHugePagesLostKb { get; init; }
    public required long ObservedRssFreedKb { get; init; }

    public bool Agrees => PredictedAnonHugePagesLostKb == ObservedAnonHugePagesLostKb && PredictedRssFreedKb == ObservedRssFreedKb;
}

public sealed record OtherThpUser(int Pid, string Comm, long AnonHugePagesKb);

public sealed record VerifyResult
{
    public required int MaxPtesNone { get; init; }
    public IReadOnlyList<OtherThpUser> OtherThpUsers { get; init; } = [];
    public required IReadOnlyList<VerifyRow> Rows { get; init; }
    public required long PredictedUnderusedSplits { get; init; }
    /// <summary>The thp_underused_split_page delta: machine-wide, so other processes' splits add to it.</summary>
    public required long ObservedUnderusedSplits { get; init; }

    public bool SplitsFromOtherProcesses => ObservedUnderusedSplits > PredictedUnderusedSplits;
    public bool Agrees => Rows.All(r => r.Agrees) && ObservedUnderusedSplits >= PredictedUnderusedSplits;
}
