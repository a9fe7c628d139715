using System.Diagnostics;
using System.Text;
using ThpTool.Scanner.Errors;

namespace ThpTool.Report.Charts;

/// <summary>
/// Writes charts to disk atomically (temp file in the same folder, then rename): .svg as is, .png through
/// rsvg-convert (Debian package librsvg2-bin).
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
                WriteAtomically(path, temp => File.WriteAllText(temp, svg, new UTF8Encoding(false)));
                break;
            case ".png":
                string converter = FindProgram(PngConverter, searchPath)
                    ?? throw new UserError(ExitCode.Unsupported,
                        $"cannot write {path}: PNG output needs '{PngConverter}' on PATH (Debian package librsvg2-bin; scripts/setup.sh installs it), or write .svg instead");
                WriteAtomically(path, temp => ConvertToPng(converter, svg, temp, path));
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

    private static void WriteAtomically(string path, Action<string> write)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            write(temp);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError(ExitCode.IoError, $"cannot write chart {path}: {e.Message}");
        }
        finally
        {
            try
            {
                if (File.Exists(temp))
                    File.Delete(temp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Leave the temp file; the real error (if any) is already on its way.
            }
        }
    }

    private static void ConvertToPng(string converter, string svg, string pngPath, string shownPath)
    {
        var start = new ProcessStartInfo(converter)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--format=png", "--background-color=white", "--output", pngPath })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new UserError(ExitCode.IoError, $"cannot start {converter}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        process.StandardInput.Write(svg);
        process.StandardInput.Close();
        if (!process.WaitForExit(ConvertTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new UserError(ExitCode.IoError, $"cannot write {shownPath}: {PngConverter} did not finish within {ConvertTimeout.TotalSeconds:0} s");
        }
        process.WaitForExit();
        if (process.ExitCode != 0 || !File.Exists(pngPath))
            throw new UserError(ExitCode.IoError,
                $"cannot write {shownPath}: {PngConverter} failed (exit code {process.ExitCode}): {stderr.Result.Trim()}{stdout.Result.Trim()}");
    }
}
