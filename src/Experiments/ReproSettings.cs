using ThpTool.Common.Errors;
using ThpTool.Experiments.Workloads;
using ThpTool.Scanner.Memory;

namespace ThpTool.Experiments;

/// <summary>One reproduction: BYTES of MADV_HUGEPAGE memory, one byte written every STRIDE, under a cgroup LIMIT.</summary>
public sealed record ReproSettings(long LimitBytes, long Bytes, long Stride)
{
    public const long MinLimit = 4L << 20;
    public const int MaxOvercommit = 4;

    public WorkloadSpec Workload(string cgroupProcs) => new() { Size = Bytes, Stride = Stride, CgroupProcs = cgroupProcs };

    /// <summary>Refuses sizes that could not show the shrinker or could hurt the machine, before anything is changed.</summary>
    public void Validate(long physicalBytes)
    {
        if (LimitBytes < MinLimit)
            throw Refuse($"--limit {LimitBytes} is below {MinLimit >> 20} MiB: the workload's own runtime would not fit");
        if (LimitBytes > physicalBytes)
            throw Refuse($"--limit {LimitBytes} is above this machine's {physicalBytes} bytes of memory: it would never press");
        if (Bytes % Geometry.ThpSize != 0)
            throw Refuse($"--bytes {Bytes} must be a multiple of 2 MiB: the experiment is counted in whole THPs");
        if (Bytes > MaxOvercommit * LimitBytes)
            throw Refuse($"--bytes {Bytes} is more than {MaxOvercommit}x the limit: the experiment would only measure the OOM killer");
        if (Stride < Geometry.PageSize)
            throw Refuse($"--stride {Stride} is below {Geometry.PageSize}: every subpage would be written, none could be freed");
        if (Stride > Bytes)
            throw Refuse($"--stride {Stride} is larger than --bytes {Bytes}");
    }

    static UserError Refuse(string message) => new(ExitCode.Usage, message);
}
