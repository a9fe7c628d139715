using System.Diagnostics;
using ThpTool.Experiments.Workloads;
using ThpTool.Scanner.Memory;
using ThpTool.Scanner.Scanning;

namespace ThpTool.Benchmarks;

/// <summary>
/// What the layout of a process costs a scan, against the same THPs laid out plainly, in the same rounds:
/// `sparse` spreads the THPs one every --spread bytes of a MAP_NORESERVE reservation; `vmas` adds --vmas one-page
/// VMAs beside them. Besides time: CPU seconds, read system calls (/proc/self/io syscr) and, per target, the peak
/// RSS of `thptool scan` as a separate process.
/// </summary>
internal static class LayoutHarness
{
    public static async Task Run(string mode, HarnessArgs args)
    {
        int thps = args.Ints("thps", mode == "sparse" ? "1024" : "16")[0];
        int rounds = args.Ints("rounds", "5")[0];
        // Full THPs, not mlocked: mlock would split a reservation into a VMA per THP. The shrinker never splits a THP
        // without zero subpages, so others lowering max_ptes_none cannot change the targets mid-run.
        var plain = new WorkloadSpec { Size = thps * Geometry.ThpSize, Fills = [Geometry.SubpagesPerThp] };
        var layouts = mode switch
        {
            "sparse" => args.Sizes("spread", "1G").Select(s => (Name: $"spread {HarnessArgs.Format(s)}", Spec: plain with { Spread = s })),
            _ => args.Ints("vmas", "60000").Select(n => (Name: $"+{n} one-page VMAs", Spec: plain with { ExtraVmas = n })),
        };
        Console.WriteLine($"# {mode}: {thps} full THPs, {rounds} rounds, {Environment.ProcessorCount} cores; load {HarnessArgs.LoadAverage()}");
        Console.WriteLine("| Layout | scan s | CPU s | read calls | smaps read s | peak RSS MiB | vs packed |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        await using var packed = await ScanHarness.Start(plain);
        var baseline = Measure(packed, rounds, thps);
        Print("packed", baseline, packed, baseline);
        foreach (var (name, spec) in layouts)
        {
            await using var target = await ScanHarness.Start(spec);
            var cost = Measure(target, rounds, thps);
            Print(name, cost, target, baseline);
            // Where the census cannot rule out large folios (mTHP enabled, a partially mapped THP anywhere), every
            // small VMA's page is looked up: the same target, with every lookup made.
            if (mode == "vmas") Print(name + ", census off", Measure(target, rounds, thps, ignoreCensus: true), target, baseline);
        }
        Console.WriteLine($"load at the end: {HarnessArgs.LoadAverage()}");
    }

    sealed record Cost(double Seconds, double CpuSeconds, double ReadCalls, double SmapsSeconds);

    static void Print(string name, Cost c, WorkloadProcess w, Cost baseline) =>
        Console.WriteLine($"| {name} | {c.Seconds:F3} | {c.CpuSeconds:F3} | {c.ReadCalls:F0} | {c.SmapsSeconds:F3} | " +
                          $"{PeakRss.OfScan(w.Pid, 1) / 1024.0:F1} | {c.Seconds / baseline.Seconds:F2}x |");

    /// <summary>Medians over rounds after one warm-up scan.</summary>
    static Cost Measure(WorkloadProcess w, int rounds, int thps, bool ignoreCensus = false)
    {
        var seconds = new List<double>();
        var cpu = new List<double>();
        var calls = new List<double>();
        var smaps = new List<double>();
        for (int round = -1; round < rounds; round++)
        {
            long syscr = ReadCalls();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            double t = Interleaved.Time(() => Scan(w, thps, ignoreCensus));
            var cpuAfter = Process.GetCurrentProcess().TotalProcessorTime;
            long after = ReadCalls();
            double s = Interleaved.Time(() => File.ReadAllText($"/proc/{w.Pid}/smaps"));
            if (round < 0) continue;
            seconds.Add(t);
            cpu.Add((cpuAfter - cpuBefore).TotalSeconds);
            calls.Add(after - syscr);
            smaps.Add(s);
        }
        return new Cost(HarnessArgs.Median(seconds), HarnessArgs.Median(cpu), HarnessArgs.Median(calls), HarnessArgs.Median(smaps));
    }

    static void Scan(WorkloadProcess w, int thps, bool ignoreCensus)
    {
        var scan = ThpScanner.Scan(new ScanOptions { Pids = [w.Pid], IgnoreFolioCensus = ignoreCensus });
        int found = scan.Processes[0].Vmas.Where(m => m.Start < w.Address + w.Size && m.End > w.Address).Sum(m => m.Thps.Count);
        if (found != thps) throw new InvalidOperationException($"scan found {found} THPs, the workload has {thps}");
    }

    /// <summary>read, pread and readv calls this process made so far (pagemap, kpageflags, smaps); ioctl and process_vm_readv are not counted.</summary>
    static long ReadCalls()
    {
        foreach (var line in File.ReadLines("/proc/self/io"))
            if (line.StartsWith("syscr:", StringComparison.Ordinal))
                return long.Parse(line.AsSpan(6).Trim());
        return 0;
    }
}
