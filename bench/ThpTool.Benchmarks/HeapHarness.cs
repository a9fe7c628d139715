using ThpTool.Lab.Workloads;
using ThpTool.Scanner.Scanning;

namespace ThpTool.Benchmarks;

/// <summary>
/// What a region without THPs costs a scan: 4 KiB-page heaps (MADV_NOHUGEPAGE, every page written), large minus
/// small, with kpageflags discovery and with PAGEMAP_SCAN only.
/// </summary>
internal static class HeapHarness
{
    public static async Task Run(HarnessArgs args)
    {
        var sizes = args.Sizes("sizes", "1G,4G");
        long small = args.Sizes("small", "64M")[0];
        int rounds = args.Ints("rounds", "7")[0];
        Console.WriteLine($"# heap: 4 KiB-page heaps, small target {HarnessArgs.Format(small)}, {rounds} rounds; load {HarnessArgs.LoadAverage()}");
        Console.WriteLine("| Size | Discovery | Mpages/s (marginal) | scan s (large) |");
        Console.WriteLine("|---:|---|---:|---:|");
        await using var smallHeap = await ScanHarness.Start(Heap(small));
        foreach (var size in sizes)
        {
            await using var large = await ScanHarness.Start(Heap(size));
            bool[] pagemapScanOnly = [false, true];
            var rates = pagemapScanOnly.Select(_ => new List<double>()).ToArray();
            var seconds = pagemapScanOnly.Select(_ => new List<double>()).ToArray();
            Interleaved.Run(pagemapScanOnly.Length, rounds, (i, keep) =>
            {
                double t = Interleaved.Time(() => Scan(large.Pid, pagemapScanOnly[i]));
                double dt = t - Interleaved.Time(() => Scan(smallHeap.Pid, pagemapScanOnly[i]));
                if (!keep) return;
                rates[i].Add((size - small) / 4096.0 / dt / 1e6);
                seconds[i].Add(t);
            });
            for (int i = 0; i < pagemapScanOnly.Length; i++)
                Console.WriteLine($"| {HarnessArgs.Format(size)} | {(pagemapScanOnly[i] ? "PAGEMAP_SCAN only" : "kpageflags")} | " +
                                  $"{HarnessArgs.Median(rates[i]):F1} | {HarnessArgs.Median(seconds[i]):F3} |");
        }
        Console.WriteLine($"load at the end: {HarnessArgs.LoadAverage()}");
    }

    static WorkloadSpec Heap(long size) => new() { Size = size, Stride = 4096, NoHugepage = true };

    static void Scan(int pid, bool pagemapScanOnly) =>
        ThpScanner.Scan(new ScanOptions { Pids = [pid], ForcePagemapScanOnly = pagemapScanOnly });
}
