using ThpTool.Experiments.Workloads;
using ThpTool.Scanner.Procfs;
using ThpTool.Scanner.Scanning;

namespace ThpTool.Benchmarks;

/// <summary>
/// What a region without THPs costs a scan: 4 KiB-page heaps (MADV_NOHUGEPAGE, every page written), large minus
/// small, with kpageflags discovery (with the folio census, and with every lookup made, as on a host where some THP is
/// mapped only by PTEs) and with PAGEMAP_SCAN only, against the floor of reading the heap's pagemap and nothing else.
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
            (string Name, Action<WorkloadProcess> Run)[] variants =
            [
                ("kpageflags", w => ThpScanner.Scan(new ScanOptions { Pids = [w.Pid] })),
                ("kpageflags, every lookup (census off)", w => ThpScanner.Scan(new ScanOptions { Pids = [w.Pid], IgnoreFolioCensus = true })),
                ("PAGEMAP_SCAN only", w => ThpScanner.Scan(new ScanOptions { Pids = [w.Pid], ForcePagemapScanOnly = true })),
                ("pagemap read alone (floor)", ReadPagemap),
            ];
            var rates = variants.Select(_ => new List<double>()).ToArray();
            var seconds = variants.Select(_ => new List<double>()).ToArray();
            Interleaved.Run(variants.Length, rounds, (i, keep) =>
            {
                double t = Interleaved.Time(() => variants[i].Run(large));
                double dt = t - Interleaved.Time(() => variants[i].Run(smallHeap));
                if (!keep) return;
                rates[i].Add((size - small) / 4096.0 / dt / 1e6);
                seconds[i].Add(t);
            });
            for (int i = 0; i < variants.Length; i++)
                Console.WriteLine($"| {HarnessArgs.Format(size)} | {variants[i].Name} | {HarnessArgs.Median(rates[i]):F1} | {HarnessArgs.Median(seconds[i]):F3} |");
        }
        Console.WriteLine($"load at the end: {HarnessArgs.LoadAverage()}");
    }

    static WorkloadSpec Heap(long size) => new() { Size = size, Stride = 4096, NoHugepage = true };

    /// <summary>The heap's pagemap, read the way the scanner reads it (64 Ki entries per call), and nothing else.</summary>
    static void ReadPagemap(WorkloadProcess w)
    {
        using var pagemap = PagemapFile.Open(w.Pid);
        var entries = new ulong[64 * 1024];
        for (ulong a = w.Address; a < w.Address + w.Size; a += (ulong)entries.Length * 4096)
            pagemap.Read(a, entries.AsSpan(0, (int)Math.Min((ulong)entries.Length, (w.Address + w.Size - a) / 4096)));
    }
}
