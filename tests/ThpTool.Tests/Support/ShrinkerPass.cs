using ThpTool.Experiments.KernelKnobs;
using ThpTool.Experiments.Workloads;
using ThpTool.Scanner.Procfs;

namespace ThpTool.Tests.Support;

/// <summary>One shrinker pass over the machine, seen from one workload's region and from /proc/vmstat.</summary>
public sealed record ShrinkerPass(SmapsRegion Before, SmapsRegion After, long UnderusedSplits)
{
    public long RssFreedKb => Before.RssKb - After.RssKb;
    public long AnonHugePagesLostKb => Before.AnonHugePagesKb - After.AnonHugePagesKb;

    /// <summary>One pass, seen from the workload's region in the workload or, with <paramref name="child"/>, in its forked child.</summary>
    public static ShrinkerPass Run(WorkloadProcess workload, bool child = false)
    {
        SmapsRegion Read() => (child ? workload.ReadChildSmaps() : workload.ReadSmaps())!;
        var before = Read();
        var vmstatBefore = Vmstat.Read();
        ShrinkerTrigger.Run();
        var vmstatAfter = Vmstat.Read();
        return new ShrinkerPass(before, Read(),
            vmstatAfter[Vmstat.UnderusedSplits] - vmstatBefore[Vmstat.UnderusedSplits]);
    }

    public override string ToString() =>
        $"thp_underused_split_page +{UnderusedSplits}; AnonHugePages {Before.AnonHugePagesKb} -> {After.AnonHugePagesKb} kB; " +
        $"Rss {Before.RssKb} -> {After.RssKb} kB";
}
