using System.Text.Json.Serialization;

namespace ThpTool.Experiments.Workloads;

/// <summary>One THP of a workload as written: the ground truth a scan and the kernel are checked against.</summary>
public sealed record WorkloadThp(ulong Address, int NonZeroSubpages, int MappedSubpages)
{
    /// <summary>Mapped subpages whose 4096 bytes are all zero: what a split frees.</summary>
    [JsonIgnore]
    public int ZeroSubpages => MappedSubpages - NonZeroSubpages;
}
