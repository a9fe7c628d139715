using System.Diagnostics;
using ThpTool.Scanner.Errors;
using ThpTool.Scanner.Memory;
using ThpTool.Scanner.Procfs;
using ThpTool.Scanner.Scans;

namespace ThpTool.Scanner.Scanning;

/// <summary>Scans live processes into a <see cref="ScanFile"/>. Reads only; never writes to a target.</summary>
public static class ThpScanner
{
    public static ScanFile Scan(ScanOptions options, CancellationToken cancel = default)
    {
        if (options.Pids.Count == 0) throw new UserError(ExitCode.Usage, "no process to scan: give --pid");
        var clock = Stopwatch.StartNew();
        var settings = ThpSysfs.Read();
        using var kpageflags = options.ForcePagemapScanOnly ? null : KpageflagsFile.TryOpen();
        var shared = new SharedThpRegistry();
        var processes = new List<ProcessScan>();
        var skipped = new List<SkippedProcess>();
        bool single = options.Pids.Count == 1;

        foreach (var pid in options.Pids.Distinct())
        {
            cancel.ThrowIfCancellationRequested();
            try
            {
                processes.Add(ScanProcess(pid, kpageflags, shared, settings, options, cancel));
            }
            catch (UserError e) when (!single && e.Code is ExitCode.NoSuchProcess or ExitCode.PermissionDenied or ExitCode.KernelThread)
            {
                // On a whole host processes come and go; one that vanishes or refuses is listed, not fatal.
                skipped.Add(new SkippedProcess(pid, e.Message));
            }
            options.Progress?.Report(new ScanProgress(processes.Count + skipped.Count, options.Pids.Count, 0, pid));
        }
        if (processes.Count == 0 && skipped.Count > 0)
            throw new UserError(ExitCode.NoSuchProcess, $"no process could be scanned; first: {skipped[0].Reason}");

        return new ScanFile
        {
            Host = Environment.MachineName,
            Kernel = KernelRelease(),
            Timestamp = DateTimeOffset.UtcNow,
            DurationSeconds = clock.Elapsed.TotalSeconds,
            Mode = kpageflags is null ? DiscoveryMode.PagemapScan : DiscoveryMode.Kpageflags,
            Settings = settings,
            Vmstat = Vmstat.ReadThp(),
            Processes = processes,
            Skipped = skipped,
        };
    }

    static ProcessScan ScanProcess(int pid, KpageflagsFile? kpageflags, SharedThpRegistry shared,
                                   KernelSettings settings, ScanOptions options, CancellationToken cancel)
    {
        var info = ProcessInfo.Read(pid);
        var vmas = ReadSmaps(pid);
        using var pagemap = PagemapFile.Open(pid);
        using var probe = new ZeroPageProbe(pid, options.Threads, options.ReadBufferBytes);
        var scanner = new VmaScanner(pagemap, kpageflags, probe, shared, settings.Enabled);
        var scans = new List<VmaScan>();
        foreach (var vma in vmas)
        {
            if (!vma.Scannable) continue;
            if (scanner.Scan(vma, cancel) is { } scan) scans.Add(scan);
        }
        return new ProcessScan
        {
            Pid = pid,
            Comm = info.Comm,
            Cmdline = info.Cmdline,
            IsDotnet = vmas.Any(v => v.Path.EndsWith("/libcoreclr.so", StringComparison.Ordinal)),
            Vmas = scans,
        };
    }

    static List<SmapsVma> ReadSmaps(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/smaps");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ProcessGoneError(pid);
        }
        catch (UnauthorizedAccessException)
        {
            throw ProcfsFiles.NoPtraceAccess(pid);
        }
        catch (IOException e)
        {
            throw ProcfsFiles.ReadFailure(pid, "smaps", e);
        }
        // A process that exits between the checks leaves an empty smaps.
        if (text.Length == 0 && !ProcessInfo.Exists(pid)) throw new ProcessGoneError(pid);
        return SmapsParser.Parse(text);
    }

    static string KernelRelease()
    {
        try { return File.ReadAllText("/proc/sys/kernel/osrelease").Trim(); }
        catch (IOException) { return Environment.OSVersion.VersionString; }
    }
}
