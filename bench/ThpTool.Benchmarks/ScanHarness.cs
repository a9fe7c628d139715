using ThpTool.Common.Text;
using ThpTool.Experiments.Workloads;
using ThpTool.Scanner.Scanning;

namespace ThpTool.Benchmarks;

/// <summary>
/// Whole scans of live THP targets against the raw process_vm_readv rate of the same memory. Marginal throughput
/// (large target minus small target) cancels start-up, smaps and the workload's own small VMAs. Every variant
/// runs once per round in rotating order, so the neighbours' load falls on all of them alike.
/// </summary>
internal static class ScanHarness
{
    // mlocked, because the shrinker skips locked THPs: other users of a shared box lower max_ptes_none and drop
    // caches, which would otherwise split the zero-heavy targets mid-run. Locking changes nothing the scan does.
    static readonly Dictionary<string, Func<long, WorkloadSpec>> Fills = new()
    {
        ["zero"] = size => new WorkloadSpec { Size = size, Fills = [0], Mlock = true },
        ["sparse"] = size => new WorkloadSpec { Size = size, Stride = 50 * 1024, Mlock = true },
        ["full"] = size => new WorkloadSpec { Size = size, Fills = [512], Mlock = true },
    };

    public static async Task Run(HarnessArgs args)
    {
        var sizes = args.Sizes("sizes", "2G,4G,8G");
        long small = args.Sizes("small", "256M")[0];
        var threads = args.Ints("threads", $"1,{Environment.ProcessorCount}").Distinct().ToArray();
        var batches = args.List("batches", "default").Select(b => b == "default" ? 0 : (int)ByteSize.Parse(b, "--batches")).ToArray();
        int rounds = args.Ints("rounds", "7")[0];
        Console.WriteLine($"# scan: small target {HarnessArgs.Format(small)}, {rounds} rounds, {Environment.ProcessorCount} cores; load {HarnessArgs.LoadAverage()}");
        Console.WriteLine("GiB/s are medians over rounds of marginal rates: (large - small bytes) / (large - small seconds); batch 0 = the probe's default.");
        Console.WriteLine("| Fill | Size | Threads | Batch | raw GiB/s | read+count GiB/s | scan GiB/s | scan/raw | scan/(read+count) | scan s (large) | peak RSS MiB |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var fill in args.List("fills", "zero,sparse,full"))
        {
            await using var smallTarget = await Start(Fills[fill](small));
            foreach (var size in sizes)
            {
                await using var large = await Start(Fills[fill](size));
                var variants = threads.SelectMany(t => batches.Select(b => new Variant(t, b))).ToArray();
                Measure(smallTarget, large, variants, rounds);
                foreach (var v in variants)
                {
                    long? rss = v.Batch == 0 ? PeakRss.OfScan(large.Pid, v.Threads) : null;
                    Console.WriteLine($"| {fill} | {HarnessArgs.Format(size)} | {v.Threads} | {HarnessArgs.Format(v.Batch == 0 ? DefaultBatch(v.Threads) : v.Batch)} | " +
                                      $"{HarnessArgs.Median(v.Raw):F2} | {HarnessArgs.Median(v.ReadCount):F2} | {HarnessArgs.Median(v.Scan):F2} | " +
                                      $"{HarnessArgs.Median(v.Ratio):P0} | {HarnessArgs.Median(v.FloorRatio):P0} | " +
                                      $"{HarnessArgs.Median(v.ScanSeconds):F3} | {(rss is { } kib ? $"{kib / 1024.0:F1}" : "")} |");
                }
                Console.Error.WriteLine($"  {fill} {HarnessArgs.Format(size)} done; load {HarnessArgs.LoadAverage()}; " +
                                        $"scan result retains {RetainedBytesPerThp(smallTarget, large):F0} bytes per THP");
            }
        }
        Console.WriteLine($"load at the end: {HarnessArgs.LoadAverage()}");
    }

    sealed record Variant(int Threads, int Batch)
    {
        public List<double> Raw { get; } = [];
        public List<double> Scan { get; } = [];
        public List<double> ReadCount { get; } = [];
        public List<double> Ratio { get; } = [];
        public List<double> FloorRatio { get; } = [];
        public List<double> ScanSeconds { get; } = [];
    }

    static int DefaultBatch(int threads)
    {
        using var probe = new ThpTool.Scanner.Memory.ZeroPageProbe(Environment.ProcessId, threads);
        return probe.WorkerBufferBytes;
    }

    static void Measure(WorkloadProcess small, WorkloadProcess large, Variant[] variants, int rounds)
    {
        double gib = (large.Size - small.Size) / (double)(1L << 30);
        var raws = variants.Select(v => (Small: RawOf(small, v), Large: RawOf(large, v))).ToArray();
        Interleaved.Run(variants.Length, rounds, (i, keep) =>
        {
            var v = variants[i];
            double rawSeconds = Interleaved.Time(() => raws[i].Large.Run()) - Interleaved.Time(() => raws[i].Small.Run());
            double countSeconds = Interleaved.Time(() => raws[i].Large.Run(countZeroPages: true)) -
                                  Interleaved.Time(() => raws[i].Small.Run(countZeroPages: true));
            double scanLarge = Interleaved.Time(() => Scan(large, v));
            double scanSeconds = scanLarge - Interleaved.Time(() => Scan(small, v));
            if (!keep) return; // the first round warms up the JIT, the thread pool and the caches
            v.Raw.Add(gib / rawSeconds);
            v.Scan.Add(gib / scanSeconds);
            v.ReadCount.Add(gib / countSeconds);
            v.Ratio.Add(rawSeconds / scanSeconds);
            v.FloorRatio.Add(countSeconds / scanSeconds);
            v.ScanSeconds.Add(scanLarge);
        });
        foreach (var (s, l) in raws) { s.Dispose(); l.Dispose(); }
    }

    /// <summary>What the scan's result holds per THP: the one thing in the scanner that grows with the target.</summary>
    static double RetainedBytesPerThp(WorkloadProcess small, WorkloadProcess large)
    {
        long Retained(WorkloadProcess w)
        {
            long before = GC.GetTotalMemory(forceFullCollection: true);
            var scan = ThpScanner.Scan(new ScanOptions { Pids = [w.Pid] });
            long after = GC.GetTotalMemory(forceFullCollection: true);
            GC.KeepAlive(scan);
            return after - before;
        }
        return (Retained(large) - Retained(small)) / (double)(large.Thps.Count - small.Thps.Count);
    }

    static RawRead RawOf(WorkloadProcess w, Variant v) =>
        new(w.Pid, w.Address, (long)w.Size, v.Threads, v.Batch == 0 ? DefaultBatch(v.Threads) : v.Batch);

    static void Scan(WorkloadProcess w, Variant v)
    {
        var scan = ThpScanner.Scan(new ScanOptions { Pids = [w.Pid], Threads = v.Threads, ReadBufferBytes = v.Batch == 0 ? null : v.Batch });
        int thps = scan.Processes[0].Vmas.Where(m => m.Start < w.Address + w.Size && m.End > w.Address).Sum(m => m.Thps.Count);
        if (thps != w.Thps.Count) throw new InvalidOperationException($"scan found {thps} THPs, the workload has {w.Thps.Count}");
    }

    /// <summary>A target that got every THP it asked for: on a busy box compaction sometimes fails, so try again.</summary>
    public static async Task<WorkloadProcess> Start(WorkloadSpec spec)
    {
        for (int attempt = 1; ; attempt++)
        {
            var w = await WorkloadProcess.StartAsync(spec, TimeSpan.FromMinutes(3));
            if (spec.NoHugepage || w.AnonHugePagesKb * 1024 == spec.Size || attempt == 3) return w;
            Console.Error.WriteLine($"  target got {w.AnonHugePagesKb / 1024} of {spec.Size >> 20} MiB as THPs; starting it again");
            await w.DisposeAsync();
        }
    }
}
