using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Tests.Support;

/// <summary>
/// The one builder of scan files without a kernel, shared by the tests and the benchmarks (linked into
/// bench/ThpTool.Benchmarks): pieces by hand (<see cref="Thp"/>, <see cref="Vma"/>, <see cref="Scan(VmaScan[])"/>),
/// <see cref="Seeded"/> random scans that hit every class the sweep distinguishes, <see cref="Host"/> shaped like a real
/// host, and <see cref="FleetHost"/> for fleets of thousands.
/// </summary>
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

    // Random but reproducible scans that exercise every class the sweep distinguishes.
    static readonly string[][] FlagSets = [["rd", "wr", "hg"], ["rd", "wr", "lo"], ["rd", "wr", "um"], ["rd", "wr", "uw", "hg"], ["rd", "wr", "zz"]];

    public static ScanFile Seeded(int seed, string host = "host-a", int processes = 4)
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
                    thps.Add(SeededThp(random, pid, pfns, (ulong)(p * 100_000 + v * 1000 + t)));
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
                    PartialMthps = Enumerable.Range(0, mthpRandom.Next(0, 6)).Select(i => SeededMthp(mthpRandom, (ulong)v << 32 | (ulong)i << 16)).ToArray(),
                });
            }
            list.Add(new ProcessScan { Pid = pid, Comm = $"proc{p}", Cgroup = $"/app/{p % 2}", Vmas = vmas });
        }
        return new ScanFile
        {
            Host = host, Kernel = "6.18.0-test", Timestamp = new DateTimeOffset(2026, 1, 2, 3, 4, 5 + seed % 50, TimeSpan.Zero),
            DurationSeconds = 1.5, Mode = DiscoveryMode.Kpageflags,
            Settings = Settings(),
            Processes = list,
        };
    }

    static MthpRecord SeededMthp(Random random, ulong address)
    {
        int pages = 1 << random.Next(2, 9);
        int mapped = random.Next(1, pages);
        return new MthpRecord
        {
            Address = address, Pfn = 0x9000000 + address / 4096, Pages = pages, MappedSubpages = mapped,
            ZeroSubpages = random.Next(0, mapped + 1), FolioMlocked = random.Next(0, 8) == 0,
        };
    }

    static ThpRecord SeededThp(Random random, int pid, List<(ulong Pfn, int Pid, int Zero)> pfns, ulong address)
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

    // Scans shaped like a real host: most THPs full, a tail of mostly-zero ones, and every special case the report calls out.
    public const string HostileComm = "<script>alert(1)</script>";
    public const string HostileCgroup = "/user.slice/<svg onload=alert(3)>.scope";

    /// <summary>Zero-subpage counts with a long tail, the same for every run.</summary>
    public static IEnumerable<ThpRecord> LongTailThps(int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            double u = random.NextDouble();
            int zero = u < 0.55 ? 0 : u < 0.8 ? random.Next(1, 64) : u < 0.93 ? random.Next(64, 448) : random.Next(448, 513);
            yield return Thp(zero) with { Address = 0x7f0000000000UL + (ulong)i * 0x200000 };
        }
    }

    public static VmaScan At(VmaScan vma, ulong start, string path = "") => vma with { Start = start, End = start + 0x40000000, Path = path };

    public static ScanFile Host(string name = "web1", int seed = 1) => Scan(Settings(), []) with
    {
        Host = name,
        Vmstat = new Dictionary<string, long> { ["thp_fault_alloc"] = 12345, ["thp_split_page"] = 17, ["thp_underused_split_page"] = 0 },
        Processes =
        [
            new ProcessScan
            {
                Pid = 1001, Comm = "dotnet", Cmdline = "dotnet /srv/api/Api.dll", IsDotnet = true, Cgroup = "/system.slice/api.service",
                Vmas = [At(Vma(LongTailThps(300, seed), ranges: [new CollapseRange(0x7f4000000000, 40, 300), new CollapseRange(0x7f4000200000, 0, 0)]), 0x7f0000000000)],
            },
            new ProcessScan
            {
                Pid = 1002, Comm = "qemu-system-x86", Cmdline = "qemu-system-x86_64 -incoming defer", Cgroup = "/machine.slice/machine-qemu\\x2d1\\x2dguest.scope",
                Vmas = [At(Vma(LongTailThps(120, seed + 1), flags: "rd wr hg um"), 0x7f1000000000, "[anon:guest-ram]")],
            },
            new ProcessScan
            {
                Pid = 1003, Comm = HostileComm, Cmdline = "\"quoted\" & <b>bold</b> 'single'", Cgroup = HostileCgroup,
                Vmas =
                [
                    At(Vma(LongTailThps(60, seed + 2), flags: "rd wr lo"), 0x7f2000000000, "/tmp/<img src=x onerror=alert(2)>"),
                    At(Vma([Thp(500, ThpMapping.Partial, mapped: 200), Thp(512, countedIn: 1001)]), 0x7f3000000000),
                ],
            },
        ],
    };

    static readonly string[] FleetServices = ["/system.slice/web.service", "/system.slice/db.service", "/system.slice/cache.service",
                                              "/kubepods/burstable/pod-a", "/kubepods/burstable/pod-b", "/kubepods/besteffort/pod-c", "/user.slice"];

    /// <summary>
    /// One host: processes in a few services, each THP with a zero-subpage count from a mix that real scans show
    /// (mostly full or mostly empty, some in between), some mlocked or uffd-armed, some partially mapped, and collapse ranges.
    /// </summary>
    public static ScanFile FleetHost(int h, int thps)
    {
        var random = new Random(h);
        var processes = new List<ProcessScan>();
        int left = thps, pid = 100;
        while (left > 0)
        {
            int count = Math.Min(left, random.Next(1, Math.Max(2, thps / 3)));
            left -= count;
            string[] flags = random.Next(20) switch { 0 => ["rd", "wr", "lo"], 1 => ["rd", "wr", "um"], _ => ["rd", "wr", "hg"] };
            var records = Enumerable.Range(0, count).Select(i =>
            {
                var mapping = random.Next(50) switch { 0 => ThpMapping.Partial, 1 => ThpMapping.Pte, _ => ThpMapping.Pmd };
                int mapped = mapping == ThpMapping.Partial ? random.Next(1, 512) : 512;
                int zero = random.Next(4) switch { 0 => random.Next(0, 8), 1 => mapped - random.Next(0, Math.Min(mapped, 40)), _ => random.Next(0, mapped + 1) };
                return new ThpRecord { Address = (ulong)(i + 1) << 21, Pfn = (ulong)(h * 1_000_000 + pid * 10_000 + i) * 512, Mapping = mapping, MappedSubpages = mapped, ZeroSubpages = zero };
            }).ToArray();
            var ranges = Enumerable.Range(0, random.Next(0, 20)).Select(i =>
            {
                int empty = random.Next(0, 512);
                return new CollapseRange((ulong)(count + i + 1) << 21, empty, Math.Min(512, empty + random.Next(0, 64)));
            }).ToArray();
            var vma = new VmaScan { Start = 1UL << 21, End = (ulong)(count + 30) << 21, Perms = "rw-p", Flags = flags, Thps = records, CollapseRanges = ranges };
            processes.Add(new ProcessScan { Pid = pid, Comm = $"svc{pid}", Cgroup = FleetServices[random.Next(FleetServices.Length)], Vmas = [vma] });
            pid++;
        }
        return new ScanFile
        {
            Host = $"host-{h:D6}", Kernel = "6.18.0-bench", Timestamp = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero).AddSeconds(h % 86400),
            DurationSeconds = 1, Mode = DiscoveryMode.Kpageflags,
            Settings = Settings(),
            Processes = processes,
        };
    }
}
