using ThpTool.Scanner.Scans;

namespace ThpTool.Scanner.Procfs;

/// <summary>The THP knobs under /sys/kernel/mm/transparent_hugepage, read in one place.</summary>
public static class ThpSysfs
{
    public const string Root = "/sys/kernel/mm/transparent_hugepage";
    public const string Enabled = Root + "/enabled";
    public const string Defrag = Root + "/defrag";
    public const string ShrinkUnderused = Root + "/shrink_underused";
    /// <summary>Whether shmem, MAP_SHARED anonymous memory included, gets THPs: "always within_size advise [never] deny force".</summary>
    public const string ShmemEnabled = Root + "/shmem_enabled";
    public const string MaxPtesNone = Root + "/khugepaged/max_ptes_none";
    public const string MaxPtesSwap = Root + "/khugepaged/max_ptes_swap";
    public const string MaxPtesShared = Root + "/khugepaged/max_ptes_shared";

    /// <summary>The value 511 (HPAGE_PMD_NR - 1) switches the underused rule off.</summary>
    public const int RuleDisabled = 511;

    public static KernelSettings Read() => new()
    {
        Enabled = Selected(ReadText(Enabled) ?? "unavailable"),
        Defrag = Selected(ReadText(Defrag) ?? "unavailable"),
        ShrinkUnderused = ReadInt(ShrinkUnderused) ?? -1,
        MaxPtesNone = ReadInt(MaxPtesNone) ?? RuleDisabled,
        MaxPtesSwap = ReadInt(MaxPtesSwap) ?? -1,
        MaxPtesShared = ReadInt(MaxPtesShared) ?? -1,
    };

    public static bool ThpAvailable => File.Exists(Enabled);

    /// <summary>"always [madvise] never" -> "madvise".</summary>
    public static string Selected(string choices)
    {
        int open = choices.IndexOf('['), close = choices.IndexOf(']');
        return open >= 0 && close > open ? choices[(open + 1)..close] : choices.Trim();
    }

    public static int? ReadInt(string path) =>
        int.TryParse(ReadText(path), out var value) ? value : null;

    static string? ReadText(string path)
    {
        try { return File.ReadAllText(path).Trim(); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
