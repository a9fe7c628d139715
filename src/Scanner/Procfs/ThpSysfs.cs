using System.Globalization;
using ThpTool.Scanner.ScanFiles;

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

    /// <summary>One folio size's THP knob (Linux 6.8+), <c>hugepages-64kB/enabled</c>: "always inherit madvise [never]".</summary>
    public static string SizeEnabled(int kb) => SizeFolder(kb) + "/enabled";

    /// <summary>How many anonymous folios of one size exist system-wide (Linux 6.13+).</summary>
    public static string SizeAnonFolios(int kb) => SizeFolder(kb) + "/stats/nr_anon";

    static string SizeFolder(int kb) => $"{Root}/hugepages-{kb}kB";

    /// <summary>The size of a PMD-mapped THP, in KiB (2048 on x86-64).</summary>
    public static int PmdSizeKb => (ReadInt(Root + "/hpage_pmd_size") ?? 0) / 1024;

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

    /// <summary>
    /// Whether every anonymous large folio in the system is PMD-sized right now: each mTHP size's stats/nr_anon
    /// (Linux 6.13+) counts the anonymous folios of that size that exist. False when any is non-zero or unreadable.
    /// </summary>
    public static bool AnonFoliosOnlyPmdSized()
    {
        int pmdKb = PmdSizeKb;
        try
        {
            // A size without an enabled knob (8kB) is one anonymous memory cannot use; a missing counter is a kernel
            // that cannot tell, so it counts as "maybe".
            foreach (var dir in Directory.EnumerateDirectories(Root, "hugepages-*kB"))
            {
                if (!int.TryParse(System.IO.Path.GetFileName(dir)["hugepages-".Length..^"kB".Length], NumberStyles.None,
                                  CultureInfo.InvariantCulture, out int kb))
                    return false;
                if (kb != pmdKb && File.Exists(SizeEnabled(kb)) && ReadInt(SizeAnonFolios(kb)) != 0)
                    return false;
            }
            return true;
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

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
