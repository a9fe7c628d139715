using System.Diagnostics;

namespace ThpTool.Benchmarks;

/// <summary>Rounds in which every variant runs once, in rotating order, so load from neighbours falls on all alike.</summary>
internal static class Interleaved
{
    /// <summary>Calls <paramref name="measure"/>(variant, keep) for each variant and round; keep is false in the warm-up round.</summary>
    public static void Run(int variants, int rounds, Action<int, bool> measure)
    {
        for (int round = -1; round < rounds; round++)
            for (int k = 0; k < variants; k++)
                measure((k + Math.Max(round, 0)) % variants, round >= 0);
    }

    public static double Time(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}
