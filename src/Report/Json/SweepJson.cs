using System.Text.Json;
using System.Text.Json.Serialization;
using ThpTool.Report.Advice;
using ThpTool.Report.Terminal;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Report.Json;

/// <summary>
/// The sweep for scripts: the same numbers as the CSV, with the machine's settings, the recommendation and the caveat.
/// With <see cref="Sample"/> (a sampled scan only, as in <c>report --json</c>) splits and bytes freed are estimates.
/// </summary>
public sealed record SweepDocument(
    string Host, string Kernel, DateTimeOffset ScanTime, KernelSettings Settings, string RemapPolicy,
    IReadOnlyList<SweepRow> Rows, IReadOnlyList<UffdVma> UffdVmas, ThresholdAdvice Recommendation, string Caveat,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ContentSample? Sample)
{
    public static SweepDocument From(HostSweep host, double targetShare) => new(
        host.Host, host.Kernel, host.ScanTime, host.Settings, host.Result.Policy.ToString().ToLowerInvariant(),
        host.Result.Rows, host.Result.UffdVmas,
        ThresholdAdvisor.Advise(host.Result.Rows, host.Settings.MaxPtesNone, targetShare, host.Sample?.Fraction), SweepTable.OneLookCaveat, host.Sample);

    /// <summary>One host: its document. Several: each host's, then the fleet total under host "*".</summary>
    public static string ToJson(IReadOnlyList<HostSweep> hosts, double targetShare) => hosts.Count == 1
        ? JsonSerializer.Serialize(From(hosts[0], targetShare), ReportJsonContext.Default.SweepDocument)
        : FleetJson(hosts, FleetSweep.Total(hosts), targetShare);

    /// <summary>Each host's document and the fleet's, with the fleet's rows computed elsewhere (by SQL over a dataset).</summary>
    public static string FleetJson(IReadOnlyList<HostSweep> hosts, HostSweep fleet, double targetShare) =>
        JsonSerializer.Serialize(new FleetDocument(hosts.Select(h => From(h, targetShare)).ToArray(), From(fleet, targetShare)), ReportJsonContext.Default.FleetDocument);
}

public sealed record FleetDocument(IReadOnlyList<SweepDocument> Hosts, SweepDocument Fleet);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(SweepDocument))]
[JsonSerializable(typeof(FleetDocument))]
[JsonSerializable(typeof(ScanSummaryDocument))]
[JsonSerializable(typeof(ReportDocument))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
