namespace ThpTool.Scanner.Procfs;

/// <summary>/proc/vmstat counters, for what the kernel actually did (splits, collapses).</summary>
public static class Vmstat
{
    public const string UnderusedSplits = "thp_underused_split_page";
    public const string Splits = "thp_split_page";
    public const string SplitsFailed = "thp_split_page_failed";
    public const string DeferredSplits = "thp_deferred_split_page";

    public static IReadOnlyDictionary<string, long> Read(string path = "/proc/vmstat") =>
        Parse(File.ReadAllText(path));

    /// <summary>Only the thp_* counters: the rest of vmstat says nothing about this tool's question.</summary>
    public static IReadOnlyDictionary<string, long> ReadThp(string path = "/proc/vmstat") =>
        Read(path).Where(kv => kv.Key.StartsWith("thp_", StringComparison.Ordinal))
                  .ToDictionary(kv => kv.Key, kv => kv.Value);

    public static Dictionary<string, long> Parse(string text)
    {
        var counters = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            int space = line.IndexOf(' ');
            if (space > 0 && long.TryParse(line[(space + 1)..], out var value))
                counters[line[..space].ToString()] = value;
        }
        return counters;
    }
}
