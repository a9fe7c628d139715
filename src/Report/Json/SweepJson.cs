using System.Text.Json;
using System.Text.Json.Serialization;
using ThpTool.Report.Advice;
using ThpTool.Report.Terminal;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Scans;

namespace ThpTool.Report.Json;

/// <summary>The sweep for scripts: the same numbers as the CSV, with the machine's settings and the caveats.</summary>
public sealed record SweepDocument(
    string Host, string Kernel, DateTimeOffset ScanTime, KernelSettings Settings, string RemapPolicy,
    IReadOnlyList<SweepRow> Rows, IReadOnlyList<UffdVma> UffdVmas, ThresholdAdvice Recommendation, string Caveat)
{
    public static SweepDocument From(ScanFile scan, SweepResult sweep, ThresholdAdvice advice) => new(
        scan.Host, scan.Kernel, scan.Timestamp, scan.Settings, sweep.Policy.ToString().ToLowerInvariant(),
        sweep.Rows, sweep.UffdVmas, advice, SweepTable.OneLookCaveat);

    public string ToJson() => JsonSerializer.Serialize(this, ReportJsonContext.Default.SweepDocument);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(SweepDocument))]
[JsonSerializable(typeof(ScanSummaryDocument))]
[JsonSerializable(typeof(ReportDocument))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
