using ThpTool.Common.Text;
using ThpTool.Experiments.Workloads;

namespace ThpTool.Benchmarks;

/// <summary>Options of the live-target modes: `--name a,b,c` lists, sizes with K/M/G suffixes.</summary>
internal sealed class HarnessArgs
{
    readonly Dictionary<string, string> values = [];

    public HarnessArgs(IEnumerable<string> args)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            string name = e.Current;
            if (!name.StartsWith("--", StringComparison.Ordinal) || !e.MoveNext())
                throw new ArgumentException($"expected --name value pairs, got '{name}'");
            values[name[2..]] = e.Current;
        }
    }

    public string[] List(string name, string fallback) =>
        (values.GetValueOrDefault(name) ?? fallback).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    public long[] Sizes(string name, string fallback) => List(name, fallback).Select(s => ByteSize.Parse(s, "--" + name)).ToArray();

    public int[] Ints(string name, string fallback) => List(name, fallback).Select(int.Parse).ToArray();

    /// <summary>Sizes printed back the way they are typed.</summary>
    public static string Format(long bytes) =>
        bytes % (1L << 30) == 0 ? $"{bytes >> 30}G" : bytes % (1L << 20) == 0 ? $"{bytes >> 20}M" : $"{bytes >> 10}K";

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Trim();
}
