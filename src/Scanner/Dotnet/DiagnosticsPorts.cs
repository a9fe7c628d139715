using System.Globalization;
using ThpTool.Common.Output;

namespace ThpTool.Scanner.Dotnet;

/// <summary>
/// The diagnostics sockets .NET processes publish in the shared temp directory, dotnet-diagnostic-PID-KEY-socket.
/// Anyone can create a file of that name there, so one counts only when it is a socket (not a link) owned by the
/// user the process runs as: the runtime creates it as that user, and a socket planted by another must not mark
/// root's target as .NET, nor have root connect to it.
/// </summary>
internal static class DiagnosticsPorts
{
    /// <summary>Each pid's trusted socket; the newest when a process left several.</summary>
    public static IReadOnlyDictionary<int, string> Find(string? directory = null)
    {
        var found = new Dictionary<int, (string Path, DateTime Written)>();
        IEnumerable<string> files;
        try { files = Directory.EnumerateFiles(directory ?? Path.GetTempPath(), "dotnet-diagnostic-*-socket").ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return new Dictionary<int, string>(); }
        foreach (var path in files)
        {
            var parts = Path.GetFileName(path).Split('-');
            if (parts.Length != 5 || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) continue;
            if (FileStatus.Of(path, followLink: false, out _) is not { IsSocket: true } socket || EffectiveUid(pid) != socket.Uid) continue;
            var written = File.GetLastWriteTimeUtc(path);
            if (!found.TryGetValue(pid, out var best) || written > best.Written) found[pid] = (path, written);
        }
        return found.ToDictionary(f => f.Key, f => f.Value.Path);
    }

    /// <summary>The second of the Uid line's real, effective, saved and file-system ids; null when the process is gone.</summary>
    static uint? EffectiveUid(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    var ids = line.Split('\t', StringSplitOptions.RemoveEmptyEntries);
                    return ids.Length > 2 && uint.TryParse(ids[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid) ? uid : null;
                }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return null;
    }
}
