using System.Diagnostics;
using ThpTool.Common.Errors;
using ThpTool.Scanner.Cgroups;
using ThpTool.Scanner.Dotnet;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Memory;
using ThpTool.Scanner.Procfs;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Scanner.Scanning;

/// <summary>Scans live processes into a <see cref="ScanFile"/>. Reads only; never writes to a target.</summary>
public static class ThpScanner
{
    public static ScanFile Scan(ScanOptions options, CancellationToken cancel = default)
    {
        if (options.Pids.Count == 0) throw new UserError(ExitCode.Usage, "no process to scan: give --pid, --all or --cgroup");
        var clock = Stopwatch.StartNew();
        var settings = ThpSysfs.Read();
        using var kpageflags = options.ForcePagemapScanOnly ? null : KpageflagsFile.TryOpen();
        using var kpagecount = options.ForcePagemapScanOnly ? null : KpagecountFile.TryOpen();
        var shared = new SharedThpRegistry();
        var processes = new List<ProcessScan>();
        var skipped = new List<SkippedProcess>();
        var pids = options.Pids.Distinct().ToArray();
        bool tolerant = options.Discovered || pids.Length > 1;
        var published = DotnetGc.PublishedProcesses();
        var progress = new ProgressReporter(options.Progress, pids.Length);
        var limiter = options.MaxReadRate is { } rate ? new ReadRateLimiter(rate) : null;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        long bytesRead = 0;
        var longestRead = TimeSpan.Zero;

        foreach (var pid in pids)
        {
            cancel.ThrowIfCancellationRequested();
            using var probe = new ZeroPageProbe(pid, options.Threads, options.ReadBufferBytes, limiter);
            try
            {
                var gc = options.InduceDotnetGc && published.Contains(pid) ? DotnetGc.Induce(pid, options.DotnetGcTimeout, cancel) : null;
                var sampling = options.Sample is { } sample ? new ContentSampler(sample).ForProcess<DeferredThp>() : null;
                var scan = ScanProcess(pid, kpageflags, kpagecount, shared, settings, probe, options.IgnoreFolioCensus,
                                       () => progress.Chunk(pid, probe.BytesRead), sampling, cancel);
                processes.Add(WithDotnet(scan, published.Contains(pid), options.InduceDotnetGc ? gc ?? NoPort : null));
            }
            catch (UserError e) when (options.Discovered && e.Code == ExitCode.KernelThread)
            {
                // A host or cgroup listing includes kernel threads; they have no user memory and are no news.
            }
            catch (UserError e) when (tolerant && e.Code is ExitCode.NoSuchProcess or ExitCode.PermissionDenied or ExitCode.KernelThread)
            {
                // On a whole host processes come and go; one that vanishes or refuses is listed, not fatal.
                skipped.Add(new SkippedProcess(pid, e.Message));
            }
            progress.ProcessDone(pid, probe.BytesRead);
            bytesRead += probe.BytesRead;
            if (probe.LongestRead > longestRead) longestRead = probe.LongestRead;
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
            Processes = CountPartsWhereWhole(processes, shared),
            Skipped = skipped,
            Sample = options.Sample,
            Cost = new ScanCost
            {
                CpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds,
                BytesRead = bytesRead,
                LongestReadSeconds = longestRead.TotalSeconds,
                MaxReadRate = options.MaxReadRate,
            },
        };
    }

    /// <summary>
    /// A part mapped here of a folio another process maps whole (a shrinker pass splits none such at max_ptes_none
    /// 511, tested) is counted where the folio is whole: when the scan met the whole one first, ChunkWork already did
    /// that through the registry; otherwise it is done here, once every shared whole folio is in the registry.
    /// </summary>
    static List<ProcessScan> CountPartsWhereWhole(List<ProcessScan> processes, SharedThpRegistry shared)
    {
        return processes.ConvertAll(p => !p.Vmas.Any(v => v.Thps.Any(t => shared.TryWholeElsewhere(t, p.Pid, out _, out _))) ? p : p with
        {
            Vmas = p.Vmas.Select(v => v with
            {
                Thps = v.Thps.Select(t => !shared.TryWholeElsewhere(t, p.Pid, out int wholeIn, out int zero) ? t
                    : zero == SharedThpRegistry.Unread ? t with { CountedInPid = wholeIn, Unread = true, ZeroSubpages = 0 }
                    : t with { CountedInPid = wholeIn, Unread = false, ZeroSubpages = zero }).ToList(),
            }).ToList(),
        });
    }

    static ProcessScan ScanProcess(int pid, KpageflagsFile? kpageflags, KpagecountFile? kpagecount, SharedThpRegistry shared,
                                   KernelSettings settings, ZeroPageProbe probe, bool ignoreCensus, Action chunkDone,
                                   ContentSampler.Stratified<DeferredThp>? sampling, CancellationToken cancel)
    {
        var info = ProcessInfo.Read(pid);
        using var smaps = OpenSmaps(pid);
        using var pagemap = PagemapFile.Open(pid);
        var folios = kpageflags is null ? null
            : new FolioLookup(kpageflags, kpagecount, ignoreCensus ? LargeFolioCensus.Unknown : LargeFolioCensus.Read());
        var scanner = new VmaScanner(pagemap, folios, probe, shared, settings.Enabled, chunkDone, sampling);
        var scans = new List<VmaScan>();
        int others = 0;
        long otherRssKb = 0;
        bool coreclr = false;
        // VMAs are scanned as smaps yields them, and only those holding something THP-related are kept: the scan's
        // memory follows the THPs, not the number of mappings.
        foreach (var vma in ReadSmaps(pid, smaps))
        {
            coreclr |= vma.Path.EndsWith("/libcoreclr.so", StringComparison.Ordinal);
            if (vma.Scannable && scanner.Scan(vma, cancel) is { } scan)
            {
                scans.Add(scan);
                continue;
            }
            others++;
            otherRssKb += vma.RssKb;
        }
        return new ProcessScan
        {
            Pid = pid,
            Comm = info.Comm,
            Cmdline = info.Cmdline,
            IsDotnet = coreclr,
            Cgroup = CgroupTree.PathOf(pid),
            Vmas = sampling is null ? scans : TopUp(pid, scans, sampling, probe, shared, cancel),
            OtherVmas = new VmaTotals { Count = others, RssKb = otherRssKb },
        };
    }

    /// <summary>Reads the THPs a stratum still needs for its minimum sample, and puts their counts into the records.</summary>
    static List<VmaScan> TopUp(int pid, List<VmaScan> scans, ContentSampler.Stratified<DeferredThp> sampling, ZeroPageProbe probe,
                               SharedThpRegistry shared, CancellationToken cancel)
    {
        var picks = sampling.TopUp();
        if (picks.Count == 0) return scans;
        var requests = picks.SelectMany(p => p.Reads).ToList();
        var zeros = new int[requests.Count];
        probe.Count(requests, zeros, cancel);
        var counted = new Dictionary<ulong, int>();
        int k = 0;
        foreach (var pick in picks)
        {
            var own = zeros.AsSpan(k, pick.Reads.Length);
            k += pick.Reads.Length;
            if (!own.Contains(ZeroPageProbe.Unreadable)) counted[pick.Address] = own.ToArray().Sum();  // vanished: stays unread
        }
        return scans.ConvertAll(v => !v.Thps.Any(t => t.Unread && counted.ContainsKey(t.Address)) ? v : v with
        {
            Thps = v.Thps.Select(t => t.Unread && t.CountedInPid is null && counted.TryGetValue(t.Address, out int zero)
                ? ReadLater(t, zero) : t).ToList(),
        });

        // Registered unread by the walk; processes scanned after this one that share it take the count.
        ThpRecord ReadLater(ThpRecord thp, int zero)
        {
            shared.ReadLater(thp, pid, zero);
            return thp with { Unread = false, ZeroSubpages = zero };
        }
    }

    static readonly GcInduction NoPort = new(false, 0,
        "no diagnostics port visible (another mount namespace or TMPDIR, or DOTNET_EnableDiagnostics=0)");

    static ProcessScan WithDotnet(ProcessScan scan, bool diagnosticsPort, GcInduction? gc)
    {
        if (!diagnosticsPort && !scan.IsDotnet) return scan;
        return scan with
        {
            IsDotnet = true,
            Dotnet = new DotnetRuntime
            {
                DiagnosticsPort = diagnosticsPort,
                CoreclrMapped = scan.IsDotnet,
                GcSettings = GcEnvironment.Read(scan.Pid),
                InducedGc = gc,
            },
        };
    }

    static FileStream OpenSmaps(int pid)
    {
        try
        {
            // Unbuffered: the parser reads into its own buffer.
            return new FileStream($"/proc/{pid}/smaps", new FileStreamOptions { BufferSize = 0 });
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
    }

    static IEnumerable<SmapsVma> ReadSmaps(int pid, FileStream smaps)
    {
        using var vmas = SmapsParser.Parse(smaps).GetEnumerator();
        bool any = false;
        while (true)
        {
            try
            {
                if (!vmas.MoveNext()) break;
            }
            catch (IOException e)
            {
                throw ProcfsFiles.ReadFailure(pid, "smaps", e);
            }
            any = true;
            yield return vmas.Current;
        }
        // A process that exits between the checks leaves an empty smaps.
        if (!any && !ProcessInfo.Exists(pid)) throw new ProcessGoneError(pid);
    }

    static string KernelRelease()
    {
        try { return File.ReadAllText("/proc/sys/kernel/osrelease").Trim(); }
        catch (IOException) { return Environment.OSVersion.VersionString; }
    }
}
