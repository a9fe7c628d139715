using System.Globalization;

namespace ThpTool.Experiments.Cgroups;

/// <summary>The v2 (unified) memory controller.</summary>
public sealed class CgroupV2Memory(string root) : IMemoryController
{
    public string Version => "v2";
    public string Root { get; } = root;

    public void Limit(string cgroup, long bytes)
    {
        CgroupFiles.Write(cgroup, "memory.max", bytes.ToString(CultureInfo.InvariantCulture));
        // memory.swap.max exists only with swap accounting; without it there is nothing to forbid.
        if (File.Exists(Path.Combine(cgroup, "memory.swap.max")))
            CgroupFiles.Write(cgroup, "memory.swap.max", "0");
    }

    public CgroupMemoryStats ReadStats(string cgroup) => new(
        PeakBytes: CgroupFiles.ReadNumber(cgroup, "memory.peak"),
        OomKills: CgroupFiles.ReadKey(cgroup, "memory.events", "oom_kill"),
        LimitHits: CgroupFiles.ReadKey(cgroup, "memory.events", "max"),
        AnonThpBytes: CgroupFiles.ReadKey(cgroup, "memory.stat", "anon_thp"));
}
