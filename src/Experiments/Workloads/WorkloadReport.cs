using System.Text.Json.Serialization;

namespace ThpTool.Experiments.Workloads;

/// <summary>The one JSON line a workload prints once it is set up.</summary>
public sealed record WorkloadReport(
    int Pid,
    int? ChildPid,
    ulong Address,
    ulong Size,
    IReadOnlyList<WorkloadThp> Thps,
    long AnonHugePagesKb);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(WorkloadReport))]
internal sealed partial class WorkloadJson : JsonSerializerContext;
