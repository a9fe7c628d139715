using System.Diagnostics;
using ThpTool.Scanner.ZeroDetection;

namespace ThpTool.Benchmarks;

/// <summary>
/// Picks the default width on a shared, noisy box: BenchmarkDotNet measures one method after
/// another, so load from other processes lands on whichever ran at the time. Here the widths take
/// turns within each round, so every width sees the same disturbances, and the fastest round shows
/// what each loop does undisturbed.
/// </summary>
internal static class WidthShootout
{
    private const int Rounds = 60;

    public static void Run()
    {
        var widths = Enum.GetValues<ZeroDetectorWidth>().Where(ZeroPageCounter.IsAccelerated).ToArray();
        Console.WriteLine($"Default: {ZeroPageCounter.DefaultWidth}. GiB/s as best / median of {Rounds} interleaved rounds.");
        Console.WriteLine($"| BufferKiB | Data | {string.Join(" | ", widths)} |");
        Console.WriteLine($"|---|---|{string.Concat(widths.Select(_ => "---:|"))}");
        foreach (int kib in new[] { 256, 256 * 1024 })
        foreach (var data in Enum.GetValues<PageData>())
        {
            using var pages = new PageBuffer(kib, data);
            var cells = Measure(pages, widths).Select(t => $"{Gib(kib, t.Min()):F1} / {Gib(kib, Median(t)):F1}");
            Console.WriteLine($"| {kib} | {data} | {string.Join(" | ", cells)} |");
        }
    }

    private static List<double>[] Measure(PageBuffer pages, ZeroDetectorWidth[] widths)
    {
        // Enough repetitions that one sample takes milliseconds, far above timer resolution.
        int reps = Math.Max(1, (512 << 20) / pages.Length);
        var seconds = widths.Select(_ => new List<double>()).ToArray();
        for (int round = -3; round < Rounds; round++)
        {
            for (int k = 0; k < widths.Length; k++)
            {
                int w = (k + Math.Max(round, 0)) % widths.Length; // rotate who goes first
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < reps; i++)
                    ZeroPageCounter.CountZeroPages(pages.Span, widths[w]);
                if (round >= 0) // the first rounds only warm up the JIT and caches
                    seconds[w].Add(Stopwatch.GetElapsedTime(start).TotalSeconds / reps);
            }
        }
        return seconds;
    }

    private static double Gib(int kib, double seconds) => kib / (1024.0 * 1024) / seconds;

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
