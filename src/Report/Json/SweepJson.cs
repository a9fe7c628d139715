using System.Text.Json;
using System.Text.Json.Serialization;
using ThpTool.Report.Terminal;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Scans;

namespace ThpTool.Report.Json;

/// <summary>The sweep for scripts: the same numbers as the CSV, with the machine's settings and the caveats.</summary>
public sealed record SweepDocument(
    string Host, string Kernel, DateTimeOffset ScanTime, KernelSettings Settings, string RemapPolicy,
    IReadOnlyList<SweepRow> Rows, IReadOnlyList<UffdVma> UffdVmas, string Caveat)
{
    public static SweepDocument From(HostSweep host) => new(
        host.Host, host.Kernel, host.ScanTime, host.Settings, host.Result.Policy.ToString().ToLowerInvariant(),
        host.Result.Rows, host.Result.UffdVmas, SweepTable.OneLookCaveat);

    /// <summary>One host: its document. Several: each host's, then the fleet total under host "*".</summary>
    public static string ToJson(IReadOnlyList<HostSweep> hosts) => hosts.Count == 1
        ? JsonSerializer.Serialize(From(hosts[0]), ReportJsonContext.Default.SweepDocument)
        : JsonSerializer.Serialize(new FleetDocument(hosts.Select(From).ToArray(), From(FleetSweep.Total(hosts))), ReportJsonContext.Default.FleetDocument);
}

public sealed record FleetDocument(IReadOnlyList<SweepDocument> Hosts, SweepDocument Fleet);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(SweepDocument))]
[JsonSerializable(typeof(FleetDocument))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
