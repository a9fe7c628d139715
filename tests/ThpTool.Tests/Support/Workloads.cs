using ThpTool.Experiments.Workloads;
using Xunit;

namespace ThpTool.Tests.Support;

public static class Workloads
{
    /// <summary>Starts a workload that gives up when the test is cancelled.</summary>
    public static Task<WorkloadProcess> StartAsync(WorkloadSpec spec) =>
        WorkloadProcess.StartAsync(spec, ct: TestContext.Current.CancellationToken);
}
