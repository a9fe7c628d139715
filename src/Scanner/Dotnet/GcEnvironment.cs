namespace ThpTool.Scanner.Dotnet;

/// <summary>The GC settings a .NET process took from its environment (runtimeconfig.json settings are not visible here).</summary>
public static class GcEnvironment
{
    static readonly string[] Prefixes = ["DOTNET_", "COMPlus_"];

    static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "gcServer", "gcConcurrent", "GCHeapHardLimit", "GCHeapHardLimitPercent", "GCgen0size", "GCHeapAffinitizeMask",
        "GCHeapCount", "GCConserveMemory", "GCLargePages", "GCDynamicAdaptationMode",
    };

    /// <summary>Picks the GC variables out of NUL-separated environ text.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string environ)
    {
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in environ.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = entry.IndexOf('=');
            if (eq <= 0) continue;
            var name = entry[..eq];
            // The runtime matches the prefix case-sensitively and the setting name case-insensitively.
            var prefix = Prefixes.FirstOrDefault(p => name.StartsWith(p, StringComparison.Ordinal));
            if (prefix is not null && Names.Contains(name[prefix.Length..])) settings[name] = entry[(eq + 1)..];
        }
        return settings;
    }

    public static IReadOnlyDictionary<string, string> Read(int pid)
    {
        try { return Parse(File.ReadAllText($"/proc/{pid}/environ")); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return new Dictionary<string, string>(); }
    }
}
