using System.Diagnostics;

namespace ThpTool.Benchmarks;

/// <summary>The scanner's memory: `thptool scan`'s peak RSS as a separate process, as a user runs it.</summary>
internal static class PeakRss
{
    /// <summary>Peak RSS in KiB of `thptool scan --pid PID --threads N`, from GNU time's %M.</summary>
    public static long OfScan(int pid, int threads)
    {
        var info = new ProcessStartInfo("/usr/bin/time")
        {
            ArgumentList = { "-f", "%M", Path.Combine(AppContext.BaseDirectory, "thptool"), "scan", "--pid", $"{pid}", "--threads", $"{threads}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        process.StandardOutput.ReadToEnd();
        var lines = process.StandardError.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"thptool scan failed: {string.Join('\n', lines)}");
        return long.Parse(lines[^1]);
    }
}
