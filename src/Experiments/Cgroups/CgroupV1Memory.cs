using System.Globalization;

namespace ThpTool.Experiments.Cgroups;

/// <summary>The v1 memory controller, mounted on its own hierarchy (here /sys/fs/cgroup/memory).</summary>
public sealed class CgroupV1Memory(string root) : IMemoryController
{
    public string Version => "v1";
    public string Root { get; } = root;

    public void Limit(string cgroup, long bytes)
    {
        var value = bytes.ToString(CultureInfo.InvariantCulture);
        // memsw counts memory plus swap and may not be set below the memory limit, so it comes second.
        CgroupFiles.Write(cgroup, "memory.limit_in_bytes", value);
        if (File.Exists(Path.Combine(cgroup, "memory.memsw.limit_in_bytes")))
            CgroupFiles.Write(cgroup, "memory.memsw.limit_in_bytes", value);
        else
            // Without swap accounting there is no swap limit; swappiness 0 keeps the cgroup's anonymous memory out of swap.
            CgroupFiles.Write(cgroup, "memory.swappiness", "0");
    }

    public CgroupMemoryStats ReadStats(string cgroup) => new(
        PeakBytes: CgroupFiles.ReadNumber(cgroup, "memory.max_usage_in_bytes"),
        OomKills: CgroupFiles.ReadKey(cgroup, "memory.oom_control", "oom_kill"),
        LimitHits: CgroupFiles.ReadNumber(cgroup, "memory.failcnt"),
        AnonThpBytes: CgroupFiles.ReadKey(cgroup, "memory.stat", "rss_huge"));
}
