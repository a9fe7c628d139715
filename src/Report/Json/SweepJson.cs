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
    public static SweepDocument From(ScanFile scan, SweepResult sweep) => new(
        scan.Host, scan.Kernel, scan.Timestamp, scan.Settings, sweep.Policy.ToString().ToLowerInvariant(),
        sweep.Rows, sweep.UffdVmas, SweepTable.OneLookCaveat);

    public string ToJson() => JsonSerializer.Serialize(this, ReportJsonContext.Default.SweepDocument);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(SweepDocument))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
