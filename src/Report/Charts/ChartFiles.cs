using ThpTool.Scanner.Errors;

namespace ThpTool.Report.Charts;

/// <summary>Writes charts to disk atomically (temp file in the same folder, then rename), as .svg or .png by the name.</summary>
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
        WriteAtomically(path, temp => File.WriteAllBytes(temp, renderer.Render(chart, format)));
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
}
