using ThpTool.Common.Errors;
using ThpTool.Common.Output;

namespace ThpTool.Report.Charts;

/// <summary>Writes charts through <see cref="OutputPath"/>, as .svg or .png by the name.</summary>
public static class ChartFiles
{
    /// <summary>The format a chart file's name asks for; throws <see cref="UserError"/> Unsupported for another extension.</summary>
    public static ChartFormat FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".svg" => ChartFormat.Svg,
        ".png" => ChartFormat.Png,
        var other => throw new UserError(ExitCode.Unsupported, $"cannot write chart {path}: unknown format '{other}', use .svg or .png"),
    };

    /// <summary>
    /// Draws <paramref name="chart"/> into <paramref name="path"/>. Every chart file is written here. Throws
    /// <see cref="UserError"/>: Unsupported for an unknown extension, IoError when the file cannot be written.
    /// </summary>
    public static void Write(Chart chart, string path, IChartRenderer renderer)
    {
        var format = FormatOf(path);
        new OutputPath(path, "--plot").WriteBytes(renderer.Render(chart, format));
    }
}
