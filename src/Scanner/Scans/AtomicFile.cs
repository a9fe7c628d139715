using ThpTool.Scanner.Errors;

namespace ThpTool.Scanner.Scans;

/// <summary>Writes a file under a temporary name and renames it, so a reader never sees half of it.</summary>
public static class AtomicFile
{
    /// <summary>"-" writes to standard output instead.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        if (path == "-")
        {
            using var stdout = Console.OpenStandardOutput();
            write(stdout);
            return;
        }
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new UserError(ExitCode.IoError, $"cannot write {path}: {e.Message}");
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public static void WriteText(string path, string text) =>
        Write(path, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(text); });

    static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
