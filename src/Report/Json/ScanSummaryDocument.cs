using System.Text.Json;
using System.Text.Json.Serialization;
using ThpTool.Report.Analysis;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Memory;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Report.Json;

/// <summary>A process's THPs as <c>scan --json</c> reports them; shared THPs count in the first process mapping them.</summary>
public sealed record ProcessSummary(int Pid, string Comm, string Cmdline, bool IsDotnet, long Thps, long PartialThps, long MlockedThps, long ZeroSubpages, long ThpBytes, long ZeroBytes,
                                    IReadOnlyList<MthpSize> Mthps);

/// <summary>
/// What <c>scan --json</c> prints: the machine and each process's THPs, not the full scan (that is <c>scan -o</c>). With
/// <see cref="Sample"/> (a sampled scan only) the zero subpages are estimates: each THP read stands for its process's.
/// </summary>
public sealed record ScanSummaryDocument(
    string Host, string Kernel, DateTimeOffset ScanTime, DiscoveryMode Mode, KernelSettings Settings,
    IReadOnlyDictionary<string, long> Vmstat, IReadOnlyList<ProcessSummary> Processes, IReadOnlyList<SkippedProcess> Skipped,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ContentSample? Sample)
{
    public static ScanSummaryDocument From(ScanFile scan) => new(
        scan.Host, scan.Kernel, scan.Timestamp, scan.Mode, scan.Settings, scan.Vmstat,
        scan.Processes.Select(Summarise).ToArray(), scan.Skipped, scan.Sample);

    static ProcessSummary Summarise(ProcessScan p)
    {
        var (thps, zero, locked) = Tally.Of(p.Vmas);
        long partial = Tally.Partial(p.Vmas);
        return new ProcessSummary(p.Pid, p.Comm, p.Cmdline, p.IsDotnet, thps, partial, locked, zero,
            thps * Geometry.SubpagesPerThp * Geometry.PageSize, zero * Geometry.PageSize, Tally.Mthps(p.Vmas));
    }

    public string ToJson() => JsonSerializer.Serialize(this, ReportJsonContext.Default.ScanSummaryDocument);
}
