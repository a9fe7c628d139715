using ThpTool.Experiments.Workloads;
using ThpTool.Scanner.ScanFiles;
using ThpTool.Scanner.Scanning;

namespace ThpTool.Benchmarks;

/// <summary>
/// What a scan costs the host, by how it is bounded: a full scan, --sample fractions, and a --max-rate cap, of one
/// live target. Per variant: wall seconds, CPU seconds, bytes read and the longest single read call (which bounds
/// how long the target's mmap lock is held at a time), as the scan file records them; medians over rounds.
/// </summary>
internal static class CostHarness
{
    public static async Task Run(HarnessArgs args)
    {
        long size = args.Sizes("size", "6G")[0];
        int rounds = args.Ints("rounds", "3")[0];
        var samples = args.List("samples", "0.01,0.05").Select(double.Parse).ToArray();
        var rates = args.Sizes("rates", "1G");
        Console.WriteLine($"# cost: {HarnessArgs.Format(size)} target, a non-zero byte every 50K, mlocked; {rounds} rounds (1 for rate caps), " +
                          $"{Environment.ProcessorCount} cores, default threads; load {HarnessArgs.LoadAverage()}");
        Console.WriteLine("| Variant | wall s | CPU s | bytes read | longest read ms | wall vs full |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        await using var target = await ScanHarness.Start(new WorkloadSpec { Size = size, Stride = 50 * 1024, Mlock = true });
        int threads = Math.Min(Environment.ProcessorCount, 4);
        var variants = new List<(string Name, ScanOptions Options, int Rounds)> { ("full scan", new ScanOptions { Pids = [target.Pid], Threads = threads }, rounds) };
        variants.AddRange(samples.Select(f => ($"--sample {f}", new ScanOptions { Pids = [target.Pid], Threads = threads, Sample = new ContentSample { Fraction = f, Seed = 1 } }, rounds)));
        variants.AddRange(rates.Select(r => ($"--max-rate {HarnessArgs.Format(r)}", new ScanOptions { Pids = [target.Pid], Threads = threads, MaxReadRate = r }, 1)));
        double full = 0;
        foreach (var (name, options, n) in variants)
        {
            ThpScanner.Scan(options);  // warm-up
            var runs = Enumerable.Range(0, n).Select(_ =>
            {
                ScanFile? scan = null;
                double wall = Interleaved.Time(() => scan = ThpScanner.Scan(options));
                return (Wall: wall, Cost: scan!.Cost!);
            }).ToList();
            double median = HarnessArgs.Median(runs.Select(r => r.Wall));
            if (full == 0) full = median;
            Console.WriteLine($"| {name} | {median:F3} | {HarnessArgs.Median(runs.Select(r => r.Cost.CpuSeconds)):F3} | " +
                              $"{runs[0].Cost.BytesRead / 1048576.0:F0} MiB | {runs.Max(r => r.Cost.LongestReadSeconds) * 1000:F2} | {median / full:F2}x |");
        }
        Console.WriteLine($"load at the end: {HarnessArgs.LoadAverage()}");
    }
}
