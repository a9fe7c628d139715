using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Report;

/// <summary>How a figure built from zero subpages says it is an estimate, when a sampled scan read only some THPs.</summary>
public static class SampleNote
{
    /// <summary>"estimated from a 5% sample" (the smallest fraction when scans differ); null when every scan read every THP.</summary>
    public static string? Of(IEnumerable<ScanFile> scans) => Of(scans.Min(s => s.Sample?.Fraction));

    /// <summary>"estimated from a 5% sample"; null for a full scan (no fraction).</summary>
    public static string? Of(double? sampleFraction) =>
        sampleFraction is double fraction ? $"estimated from a {Units.Percent(fraction)} sample" : null;
}
