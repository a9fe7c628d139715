using ThpTool.Common.Errors;

namespace ThpTool.Experiments.Workloads;

/// <summary>The workload ended before it reported: a setup failure, or a kill (the OOM killer's, say).</summary>
public sealed class WorkloadExited(ExitCode code, string message, int exitStatus) : UserError(code, message)
{
    /// <summary>As .NET reports it: the exit code, or 128 + the signal that killed the process.</summary>
    public int ExitStatus { get; } = exitStatus;

    public int? Signal => ExitStatus > 128 ? ExitStatus - 128 : null;
}
