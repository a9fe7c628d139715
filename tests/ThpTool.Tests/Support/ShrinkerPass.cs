using ThpTool.Lab;
using ThpTool.Lab.KernelKnobs;
using ThpTool.Scanner.Procfs;

namespace ThpTool.Tests.Support;

/// <summary>One shrinker pass over the machine, seen from one workload's region and from /proc/vmstat.</summary>
public sealed record ShrinkerPass(SmapsRegion Before, SmapsRegion After, long UnderusedSplits)
{
    public long RssFreedKb => Before.RssKb - After.RssKb;
    public long AnonHugePagesLostKb => Before.AnonHugePagesKb - After.AnonHugePagesKb;

    public static ShrinkerPass Run(WorkloadProcess workload)
    {
        var before = workload.ReadSmaps()!;
        var vmstatBefore = Vmstat.Read();
        ShrinkerTrigger.Run();
        var vmstatAfter = Vmstat.Read();
        return new ShrinkerPass(before, workload.ReadSmaps()!,
            vmstatAfter[Vmstat.UnderusedSplits] - vmstatBefore[Vmstat.UnderusedSplits]);
    }

    public override string ToString() =>
        $"thp_underused_split_page +{UnderusedSplits}; AnonHugePages {Before.AnonHugePagesKb} -> {After.AnonHugePagesKb} kB; " +
        $"Rss {Before.RssKb} -> {After.RssKb} kB";
}
