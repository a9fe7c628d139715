using System.Diagnostics;
using ThpTool.Scanner.Errors;
using ThpTool.Scanner.Output;

namespace ThpTool.Report.Charts;

/// <summary>
/// Writes charts through <see cref="OutputPath"/>: .svg as is, .png through rsvg-convert (Debian package librsvg2-bin).
/// </summary>
public static class ChartFiles
{
    public const string PngConverter = "rsvg-convert";

    private static readonly TimeSpan ConvertTimeout = TimeSpan.FromSeconds(60);

    public static void Write(LineChart chart, string path, IChartRenderer? renderer = null) =>
        WriteSvg((renderer ?? new SvgChartRenderer()).Render(chart), path);

    public static void Write(HistogramChart chart, string path, IChartRenderer? renderer = null) =>
        WriteSvg((renderer ?? new SvgChartRenderer()).Render(chart), path);

    /// <summary>
    /// Writes an SVG document to <paramref name="path"/>: as SVG when it ends in .svg, as PNG when it ends
    /// in .png. Throws <see cref="UserError"/>: Unsupported for another extension or a missing rsvg-convert,
    /// IoError when the file cannot be written or the conversion fails.
    /// </summary>
    public static void WriteSvg(string svg, string path) =>
        WriteSvg(svg, path, Environment.GetEnvironmentVariable("PATH"));

    internal static void WriteSvg(string svg, string path, string? searchPath)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        switch (extension)
        {
            case ".svg":
                new OutputPath(path, "--plot").WriteText(svg);
                break;
            case ".png":
                string converter = FindProgram(PngConverter, searchPath)
                    ?? throw new UserError(ExitCode.Unsupported,
                        $"cannot write {path}: PNG output needs '{PngConverter}' on PATH (Debian package librsvg2-bin; scripts/setup.sh installs it), or write .svg instead");
                new OutputPath(path, "--plot").WriteBytes(ConvertToPng(converter, svg, path));
                break;
            default:
                throw new UserError(ExitCode.Unsupported,
                    $"cannot write chart {path}: unknown format '{extension}', use .svg or .png");
        }
    }

    /// <summary>The full path of an executable <paramref name="program"/> in the ':'-separated <paramref name="searchPath"/>, or null.</summary>
    public static string? FindProgram(string program, string? searchPath)
    {
        foreach (var dir in (searchPath ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, program);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
                return candidate;
        }
        return null;
    }

    private static byte[] ConvertToPng(string converter, string svg, string shownPath)
    {
        var start = new ProcessStartInfo(converter)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--format=png", "--background-color=white" })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new UserError(ExitCode.IoError, $"cannot start {converter}");
        var stderr = process.StandardError.ReadToEndAsync();
        var png = new MemoryStream();
        var stdout = process.StandardOutput.BaseStream.CopyToAsync(png);
        process.StandardInput.Write(svg);
        process.StandardInput.Close();
        if (!process.WaitForExit(ConvertTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new UserError(ExitCode.IoError, $"cannot write {shownPath}: {PngConverter} did not finish within {ConvertTimeout.TotalSeconds:0} s");
        }
        process.WaitForExit();
        stdout.Wait();
        if (process.ExitCode != 0 || png.Length == 0)
            throw new UserError(ExitCode.IoError,
                $"cannot write {shownPath}: {PngConverter} failed (exit code {process.ExitCode}): {stderr.Result.Trim()}");
        return png.ToArray();
    }
}
