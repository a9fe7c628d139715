using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Tests.Support;

/// <summary>Scan files built by hand, for testing the model without a kernel.</summary>
internal static class SyntheticScans
{
    public static KernelSettings Settings(int maxPtesNone = 511) => new()
    {
        Enabled = "madvise", Defrag = "madvise", ShrinkUnderused = 1,
        MaxPtesNone = maxPtesNone, MaxPtesSwap = 64, MaxPtesShared = 256,
    };

    public static ThpRecord Thp(int zero, ThpMapping mapping = ThpMapping.Pmd, int mapped = 512, bool mlocked = false, int? countedIn = null) => new()
    {
        Address = 0x7f0000000000, Pfn = 0, Mapping = mapping, MappedSubpages = mapped,
        ZeroSubpages = zero, FolioMlocked = mlocked, CountedInPid = countedIn,
    };

    public static VmaScan Vma(IEnumerable<ThpRecord> thps, string flags = "rd wr hg", IEnumerable<CollapseRange>? ranges = null) => new()
    {
        Start = 0x7f0000000000, End = 0x7f0040000000, Perms = "rw-p",
        Flags = flags.Split(' '), Thps = thps.ToList(), CollapseRanges = (ranges ?? []).ToList(),
    };

    public static ScanFile Scan(params VmaScan[] vmas) => Scan(Settings(), vmas);

    public static ScanFile Scan(KernelSettings settings, params VmaScan[] vmas) => new()
    {
        Host = "test", Kernel = "6.18", Timestamp = DateTimeOffset.UnixEpoch, Mode = DiscoveryMode.Kpageflags,
        Settings = settings,
        Processes = [new ProcessScan { Pid = 42, Comm = "synthetic", Vmas = vmas }],
    };
}
