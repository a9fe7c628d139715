using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Tests.Support;

/// <summary>Random but reproducible scans that exercise every class the sweep distinguishes.</summary>
internal static class SyntheticScan
{
    static readonly string[][] FlagSets = [["rd", "wr", "hg"], ["rd", "wr", "lo"], ["rd", "wr", "um"], ["rd", "wr", "uw", "hg"], ["rd", "wr", "zz"]];

    public static ScanFile Make(int seed, string host = "host-a", int processes = 4)
    {
        var random = new Random(seed);
        // Its own generator, so the THPs and ranges stay what they were before mTHP were added.
        var mthpRandom = new Random(seed + 1);
        var pfns = new List<(ulong Pfn, int Pid, int Zero)>();
        var list = new List<ProcessScan>();
        for (int p = 0; p < processes; p++)
        {
            int pid = 1000 + p;
            var vmas = new List<VmaScan>();
            for (int v = 0; v < 5; v++)
            {
                var thps = new List<ThpRecord>();
                for (int t = 0; t < random.Next(0, 60); t++)
                    thps.Add(Thp(random, pid, pfns, (ulong)(p * 100_000 + v * 1000 + t)));
                var ranges = Enumerable.Range(0, random.Next(0, 12)).Select(i =>
                {
                    int empty = random.Next(0, 512);
                    return new CollapseRange((ulong)i << 21, empty, Math.Min(512, empty + random.Next(0, 100)),
                                             random.Next(0, 3) == 0 ? random.Next(0, 200) : 0, random.Next(0, 4) == 0 ? random.Next(0, 300) : 0);
                }).ToArray();
                vmas.Add(new VmaScan
                {
                    Start = (ulong)v << 32, End = ((ulong)v << 32) + (1UL << 30), Perms = "rw-p",
                    Flags = FlagSets[random.Next(FlagSets.Length)], Thps = thps, CollapseRanges = ranges,
                    PartialMthps = Enumerable.Range(0, mthpRandom.Next(0, 6)).Select(i => Mthp(mthpRandom, (ulong)v << 32 | (ulong)i << 16)).ToArray(),
                });
            }
            list.Add(new ProcessScan { Pid = pid, Comm = $"proc{p}", Cgroup = $"/app/{p % 2}", Vmas = vmas });
        }
        return new ScanFile
        {
            Host = host, Kernel = "6.18.0-test", Timestamp = new DateTimeOffset(2026, 1, 2, 3, 4, 5 + seed % 50, TimeSpan.Zero),
            DurationSeconds = 1.5, Mode = DiscoveryMode.Kpageflags,
            Settings = new KernelSettings { Enabled = "madvise", Defrag = "madvise", ShrinkUnderused = 1, MaxPtesNone = 511, MaxPtesSwap = 64, MaxPtesShared = 256 },
            Processes = list,
        };
    }

    static MthpRecord Mthp(Random random, ulong address)
    {
        int pages = 1 << random.Next(2, 9);
        int mapped = random.Next(1, pages);
        return new MthpRecord
        {
            Address = address, Pfn = 0x9000000 + address / 4096, Pages = pages, MappedSubpages = mapped,
            ZeroSubpages = random.Next(0, mapped + 1), FolioMlocked = random.Next(0, 8) == 0,
        };
    }

    static ThpRecord Thp(Random random, int pid, List<(ulong Pfn, int Pid, int Zero)> pfns, ulong address)
    {
        // Some THPs are shared with an earlier process, as after fork: same PFN, counted there.
        if (pfns.Count > 0 && random.Next(0, 6) == 0)
        {
            var (pfn, owner, zero) = pfns[random.Next(pfns.Count)];
            if (owner != pid)
                return new ThpRecord { Address = address << 21, Pfn = pfn, Mapping = ThpMapping.Pmd, ZeroSubpages = zero, Exclusive = false, CountedInPid = owner };
        }
        var mapping = (ThpMapping)random.Next(0, 3);
        int mapped = mapping == ThpMapping.Partial ? random.Next(1, 512) : 512;
        // Edges matter most: 0, 511 and 512 zero subpages sit on the rule's boundaries.
        int zeros = random.Next(0, 4) switch { 0 => 0, 1 => mapped, 2 => Math.Min(mapped, 511), _ => random.Next(0, mapped + 1) };
        ulong head = 0x100000 + address * 512;
        if (mapping != ThpMapping.Partial) pfns.Add((head, pid, zeros));
        return new ThpRecord
        {
            Address = address << 21, Pfn = head, Mapping = mapping, MappedSubpages = mapped, ZeroSubpages = zeros,
            FolioMlocked = random.Next(0, 10) == 0,
        };
    }
}
