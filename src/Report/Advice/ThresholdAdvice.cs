using System.Text.Json.Serialization;

namespace ThpTool.Report.Advice;

/// <summary>
/// One candidate max_ptes_none with what it buys and costs, both measured against leaving the underused rule
/// off (the sweep's highest threshold, normally 511), so partial splits, which happen anyway, cancel out.
/// </summary>
/// <param name="BytesRecovered">Net bytes freed (splits minus khugepaged growth) beyond what the highest threshold frees.</param>
/// <param name="ShareOfMaximum"><paramref name="BytesRecovered"/> as a share (0..1) of what the lowest threshold recovers.</param>
/// <param name="CoverageLostBytes">THP-mapped bytes given up compared with the highest threshold: the TLB reach lost.</param>
/// <param name="PingPongRanges">Ranges khugepaged would collapse and the shrinker then split again.</param>
public sealed record ThresholdOption(int Threshold, long BytesRecovered, double ShareOfMaximum, long CoverageLostBytes, long PingPongRanges);

/// <summary>The recommended max_ptes_none and the sentence that justifies it.</summary>
/// <param name="ShareChoice">The largest threshold recovering at least <paramref name="TargetShare"/>; null when nothing can be recovered.</param>
/// <param name="KneeChoice">Where memory recovered per THP byte lost falls off; null when nothing can be recovered.</param>
/// <param name="Reason">Why <paramref name="Recommended"/>, for every output that shows it.</param>
/// <param name="Estimate">
/// For a sampled scan only: that the choice rests on estimates, and the 95% interval of bytes freed at <paramref name="Recommended"/>.
/// </param>
public sealed record ThresholdAdvice(
    int Recommended, int CurrentSetting, double TargetShare,
    ThresholdOption? ShareChoice, ThresholdOption? KneeChoice, string Reason, string Caveat,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Estimate = null)
{
    /// <summary>The recommendation, whether it is an estimate, and its reason as one line for the terminal.</summary>
    public string Sentence => Estimate is null
        ? $"Recommended max_ptes_none {Recommended}. {Reason}"
        : $"Recommended max_ptes_none {Recommended}. {Estimate} {Reason}";
}
