using System.Text.Json;
using System.Text.Json.Serialization;
using ThpTool.Report.Advice;
using ThpTool.Report.Analysis;
using ThpTool.Report.Terminal;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Report.Json;

/// <summary>
/// One scan file in <c>report --json</c>: the advice, the sweep at the thresholds compared, and every process. With
/// <see cref="Sample"/> (a sampled scan only) splits, bytes freed and zero subpages are estimates.
/// </summary>
public sealed record HostReport(
    string Source, string Host, string Kernel, DateTimeOffset ScanTime, KernelSettings Settings, ThresholdAdvice Recommendation,
    IReadOnlyList<int> Thresholds, IReadOnlyList<SweepRow> Rows, IReadOnlyList<ProcessFigures> Processes, IReadOnlyList<UffdVma> UffdVmas,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ContentSample? Sample);

/// <summary>With several scan files: the fleet-wide advice and the summed sweep row at that threshold.</summary>
public sealed record TotalReport(ThresholdAdvice Recommendation, SweepRow Row);

/// <summary>What <c>report --json</c> prints: the figures of the HTML report, for scripts.</summary>
public sealed record ReportDocument(string RemapPolicy, double TargetShare, IReadOnlyList<HostReport> Hosts, TotalReport? Total, string Caveat)
{
    public static ReportDocument From(ReportAnalysis report) => new(
        (report.Hosts.FirstOrDefault()?.Sweep.Policy ?? Scanner.KernelModel.RemapPolicy.Upstream).ToString().ToLowerInvariant(),
        report.TargetShare,
        report.Hosts.Select(h => new HostReport(h.Source, h.Scan.Host, h.Scan.Kernel, h.Scan.Timestamp, h.Scan.Settings, h.Advice, h.Shown,
            h.Sweep.Rows.Where(r => h.Shown.Contains(r.MaxPtesNone)).ToArray(), h.Processes, h.Sweep.UffdVmas, h.Scan.Sample)).ToArray(),
        report.TotalAdvice is { } advice ? new TotalReport(advice, report.Total!.Rows.First(r => r.MaxPtesNone == advice.Recommended)) : null,
        SweepTable.OneLookCaveat);

    public string ToJson() => JsonSerializer.Serialize(this, ReportJsonContext.Default.ReportDocument);
}
