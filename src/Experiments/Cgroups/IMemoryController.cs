namespace ThpTool.Experiments.Cgroups;

/// <summary>
/// The memory controller of one cgroup version. The two differ only in file names and formats; what an
/// experiment does with a cgroup (make it, fill it, read it, remove it) is the same, in <see cref="MemoryCgroup"/>.
/// </summary>
public interface IMemoryController
{
    /// <summary>"v1" or "v2".</summary>
    string Version { get; }

    /// <summary>The directory new cgroups are made in.</summary>
    string Root { get; }

    /// <summary>Caps the cgroup's memory at <paramref name="bytes"/> and forbids it swap.</summary>
    void Limit(string cgroup, long bytes);

    CgroupMemoryStats ReadStats(string cgroup);
}

/// <param name="PeakBytes">Highest usage since the cgroup was made.</param>
/// <param name="OomKills">Processes the OOM killer killed in it.</param>
/// <param name="LimitHits">Times usage hit the limit (v1 memory.failcnt, v2 memory.events max).</param>
/// <param name="AnonThpBytes">Anonymous THP memory charged to it now.</param>
public sealed record CgroupMemoryStats(long PeakBytes, long OomKills, long LimitHits, long AnonThpBytes);
