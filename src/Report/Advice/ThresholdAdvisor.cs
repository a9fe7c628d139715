using ThpTool.Report.Terminal;
using ThpTool.Scanner.KernelModel;

namespace ThpTool.Report.Advice;

/// <summary>
/// Picks a max_ptes_none from a sweep. Lowering the threshold frees more memory and keeps fewer THPs; the
/// advisor offers (a) the largest threshold that still recovers a target share of what threshold 0 recovers,
/// and (b) the knee of recovered bytes against THP bytes lost, and recommends (a): it meets a goal the
/// engineer chose, while a knee moves with the shape of the curve from one scan to the next.
/// </summary>
public static class ThresholdAdvisor
{
    public const double DefaultTargetShare = 0.8;

    /// <summary>Choices this close (as a share of the largest recovery and of the largest coverage loss) count as equal.</summary>
    public const double NearEqual = 0.05;

    /// <param name="sampleFraction">A sampled scan's --sample fraction, so the advice says it rests on estimates; null for a full scan.</param>
    public static ThresholdAdvice Advise(IReadOnlyList<SweepRow> rows, int currentSetting, double targetShare = DefaultTargetShare,
                                         double? sampleFraction = null)
    {
        var advice = Choose(rows, currentSetting, targetShare);
        return SampleNote.Of(sampleFraction) is { } note
            ? advice with { Estimate = Estimate(rows.First(r => r.MaxPtesNone == advice.Recommended), note) }
            : advice;
    }

    /// <summary>The choice is made from the central estimates; the interval says how far the memory it frees may be off.</summary>
    static string Estimate(SweepRow recommended, string note) =>
        $"Chosen from figures {note}: the underused rule would free {Units.Bytes(recommended.BytesFreed)} at {recommended.MaxPtesNone} " +
        $"(95% interval {Units.Bytes(recommended.BytesFreedCiLow)} to {Units.Bytes(recommended.BytesFreedCiHigh)}).";

    static ThresholdAdvice Choose(IReadOnlyList<SweepRow> rows, int currentSetting, double targetShare)
    {
        if (rows.Count == 0) throw new ArgumentException("a sweep with no thresholds", nameof(rows));
        if (!(targetShare > 0 && targetShare <= 1)) throw new ArgumentOutOfRangeException(nameof(targetShare), targetShare, "must be in (0, 1]");
        var sorted = rows.OrderBy(r => r.MaxPtesNone).ToArray();
        var off = sorted[^1];
        long max = Recovered(sorted[0], off);
        if (max <= 0)
            return new ThresholdAdvice(off.MaxPtesNone, currentSetting, targetShare, null, null,
                $"No threshold frees more than {off.MaxPtesNone} does here " +
                "(too few zero subpages to pay for the THPs a split gives up).", SweepTable.OneLookCaveat);

        var options = sorted.Select(r => new ThresholdOption(r.MaxPtesNone, Recovered(r, off), (double)Recovered(r, off) / max,
            off.ThpBytesAfter - r.ThpBytesAfter, r.PingPongRanges)).ToArray();
        long maxLost = Math.Max(0, options.Max(o => o.CoverageLostBytes));

        var byShare = options.Last(o => o.ShareOfMaximum >= targetShare);
        var share = AvoidPingPong(byShare, options, max, maxLost, o => o.ShareOfMaximum >= targetShare);
        var knee = AvoidPingPong(Knee(options, maxLost), options, max, maxLost, _ => true);
        return new ThresholdAdvice(share.Threshold, currentSetting, targetShare, share, knee,
            Explain(share, byShare, knee, max, targetShare, currentSetting), SweepTable.OneLookCaveat);
    }

    static long Recovered(SweepRow row, SweepRow off) => row.NetBytesFreed - off.NetBytesFreed;

    /// <summary>
    /// Kneedle: with both axes scaled to 0..1, the point furthest above the line from "nothing lost, nothing
    /// recovered" to "all lost, all recovered"; past it each THP given up buys less than average.
    /// </summary>
    static ThresholdOption Knee(ThresholdOption[] options, long maxLost)
    {
        double Score(ThresholdOption o) => o.ShareOfMaximum - (maxLost == 0 ? 0 : (double)o.CoverageLostBytes / maxLost);
        // Ties go to the larger threshold: the same gain for fewer THPs lost.
        return options.Aggregate((best, o) => Score(o) >= Score(best) ? o : best);
    }

    /// <summary>
    /// A threshold where ranges ping-pong (collapsed, then split again) costs khugepaged and the shrinker work and
    /// churns memory; trade it for the nearest threshold without ping-pong that is near-equal in gain and cost.
    /// </summary>
    static ThresholdOption AvoidPingPong(ThresholdOption choice, ThresholdOption[] options, long max, long maxLost, Func<ThresholdOption, bool> acceptable)
    {
        if (choice.PingPongRanges == 0) return choice;
        return options
            .Where(o => o.PingPongRanges == 0 && acceptable(o) &&
                        Math.Abs(o.BytesRecovered - choice.BytesRecovered) <= NearEqual * max &&
                        Math.Abs(o.CoverageLostBytes - choice.CoverageLostBytes) <= NearEqual * maxLost)
            .OrderBy(o => Math.Abs(o.Threshold - choice.Threshold))
            .ThenByDescending(o => o.Threshold)
            .FirstOrDefault() ?? choice;
    }

    static string Explain(ThresholdOption share, ThresholdOption byShare, ThresholdOption knee, long max, double target, int current)
    {
        var text = $"The largest threshold (least THP coverage lost, " +
                   $"{Units.Bytes(share.CoverageLostBytes)}) that still recovers at least {Units.Percent(target)} of the " +
                   $"{Units.Bytes(max)} that threshold 0 would ({Units.Bytes(share.BytesRecovered)}, {Units.Percent(share.ShareOfMaximum)}).";
        if (knee.Threshold == share.Threshold)
            text += " It is also the knee of memory recovered against THPs lost.";
        else if (knee.Threshold > share.Threshold)
            text += $" The knee at {knee.Threshold} keeps more THPs but recovers only {Units.Percent(knee.ShareOfMaximum)}.";
        else
            text += $" The knee at {knee.Threshold} recovers {Units.Percent(knee.ShareOfMaximum)} for " +
                    $"{Units.Bytes(knee.CoverageLostBytes - share.CoverageLostBytes)} more THP coverage lost: take it if memory matters more than TLB reach.";
        if (byShare.Threshold != share.Threshold)
            text += $" {byShare.Threshold} was passed over: {Units.Count(byShare.PingPongRanges)} range(s) would be collapsed and split again there.";
        else if (share.PingPongRanges > 0)
            text += $" Beware: {Units.Count(share.PingPongRanges)} range(s) would be collapsed and split again at {share.Threshold}.";
        if (share.Threshold == current)
            text += " That is the current setting.";
        return text;
    }
}
