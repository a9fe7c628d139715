using System.Diagnostics;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Benchmarks;

/// <summary>
/// A synthetic fleet: N host scans written as files, then `thptool merge`, `export`, `sweep DIR` and `report DIR` run
/// as a user runs them (separate processes), each timed with its peak RSS from GNU time.
/// </summary>
internal static class FleetHarness
{
    static readonly string[] Services = ["/system.slice/web.service", "/system.slice/db.service", "/system.slice/cache.service",
                                         "/kubepods/burstable/pod-a", "/kubepods/burstable/pod-b", "/kubepods/besteffort/pod-c", "/user.slice"];

    public static void Run(HarnessArgs args)
    {
        int hosts = args.Ints("hosts", "2000")[0];
        int thps = args.Ints("thps", "1300")[0];
        int batch = args.Ints("batch", "5000")[0];
        var merges = args.Ints("merge", "").Where(m => m <= hosts).ToArray();
        var dir = args.List("dir", Path.Combine(Path.GetTempPath(), "thptool-fleet-bench"))[0];
        Directory.CreateDirectory(Path.Combine(dir, "scans"));
        Console.WriteLine($"# fleet: {hosts} hosts, {thps} THPs each, {Environment.ProcessorCount} cores; load {HarnessArgs.LoadAverage()}");

        var clock = Stopwatch.StartNew();
        var files = new string[hosts];
        long bytes = 0;
        for (int h = 0; h < hosts; h++)
        {
            files[h] = Path.Combine(dir, "scans", $"host-{h:D6}.json");
            var json = ScanFileStore.ToJson(Host(h, thps));
            File.WriteAllText(files[h], json);
            bytes += json.Length;
        }
        Console.WriteLine($"generated {hosts} scans, {bytes / 1e6:F0} MB of JSON, in {clock.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine("| step | hosts | seconds | peak RSS MiB |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var m in merges)
            Report("merge", m, Thptool(["merge", .. files[..m], "-o", Path.Combine(dir, "fleet.json")]));

        var dataset = Path.Combine(dir, "dataset");
        if (Directory.Exists(dataset)) Directory.Delete(dataset, recursive: true);
        double seconds = 0;
        long peak = 0;
        for (int from = 0; from < hosts; from += batch)
        {
            var (s, p) = Thptool(["export", .. files[from..Math.Min(hosts, from + batch)], "--parquet", dataset]);
            seconds += s;
            peak = Math.Max(peak, p);
        }
        Report($"export (batches of {batch})", hosts, (seconds, peak));
        Report("sweep DIR --csv", hosts, Thptool(["sweep", dataset, "--csv", Path.Combine(dir, "sweep.csv")]));
        Report("sweep DIR --by-cgroup --csv", hosts, Thptool(["sweep", dataset, "--by-cgroup", "--csv", Path.Combine(dir, "cgroups.csv")]));
        Report("report DIR --html", hosts, Thptool(["report", dataset, "--html", Path.Combine(dir, "report.html")]));
    }

    static void Report(string step, int hosts, (double Seconds, long PeakKib) r) =>
        Console.WriteLine($"| {step} | {hosts} | {r.Seconds:F1} | {r.PeakKib / 1024} |");

    /// <summary>Wall seconds and peak RSS (KiB) of one thptool run; a failure stops the benchmark.</summary>
    static (double Seconds, long PeakKib) Thptool(string[] args)
    {
        var info = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-f", "%e %M", Path.Combine(AppContext.BaseDirectory, "thptool"), .. args]) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var lines = process.StandardError.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        process.WaitForExit();
        _ = stdout.Result;
        if (process.ExitCode != 0) throw new InvalidOperationException($"thptool {args[0]} failed: {string.Join('\n', lines)}");
        var fields = lines[^1].Split(' ');
        return (double.Parse(fields[0]), long.Parse(fields[1]));
    }

    /// <summary>
    /// One host: processes in a few services, each THP with a zero-subpage count from a mix that real scans show
    /// (mostly full or mostly empty, some in between), some mlocked or uffd-armed, some partially mapped, and collapse ranges.
    /// </summary>
    static ScanFile Host(int h, int thps)
    {
        var random = new Random(h);
        var processes = new List<ProcessScan>();
        int left = thps, pid = 100;
        while (left > 0)
        {
            int count = Math.Min(left, random.Next(1, Math.Max(2, thps / 3)));
            left -= count;
            string[] flags = random.Next(20) switch { 0 => ["rd", "wr", "lo"], 1 => ["rd", "wr", "um"], _ => ["rd", "wr", "hg"] };
            var records = Enumerable.Range(0, count).Select(i =>
            {
                var mapping = random.Next(50) switch { 0 => ThpMapping.Partial, 1 => ThpMapping.Pte, _ => ThpMapping.Pmd };
                int mapped = mapping == ThpMapping.Partial ? random.Next(1, 512) : 512;
                int zero = random.Next(4) switch { 0 => random.Next(0, 8), 1 => mapped - random.Next(0, Math.Min(mapped, 40)), _ => random.Next(0, mapped + 1) };
                return new ThpRecord { Address = (ulong)(i + 1) << 21, Pfn = (ulong)(h * 1_000_000 + pid * 10_000 + i) * 512, Mapping = mapping, MappedSubpages = mapped, ZeroSubpages = zero };
            }).ToArray();
            var ranges = Enumerable.Range(0, random.Next(0, 20)).Select(i =>
            {
                int empty = random.Next(0, 512);
                return new CollapseRange((ulong)(count + i + 1) << 21, empty, Math.Min(512, empty + random.Next(0, 64)));
            }).ToArray();
            var vma = new VmaScan { Start = 1UL << 21, End = (ulong)(count + 30) << 21, Perms = "rw-p", Flags = flags, Thps = records, CollapseRanges = ranges };
            processes.Add(new ProcessScan { Pid = pid, Comm = $"svc{pid}", Cgroup = Services[random.Next(Services.Length)], Vmas = [vma] });
            pid++;
        }
        return new ScanFile
        {
            Host = $"host-{h:D6}", Kernel = "6.18.0-bench", Timestamp = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero).AddSeconds(h % 86400),
            DurationSeconds = 1, Mode = DiscoveryMode.Kpageflags,
            Settings = new KernelSettings { Enabled = "madvise", Defrag = "madvise", ShrinkUnderused = 1, MaxPtesNone = 511, MaxPtesSwap = 64, MaxPtesShared = 256 },
            Processes = processes,
        };
    }
}
