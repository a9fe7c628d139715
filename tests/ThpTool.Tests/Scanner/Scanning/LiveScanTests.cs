using ThpTool.Experiments.KernelKnobs;
using ThpTool.Experiments.Workloads;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Procfs;
using ThpTool.Scanner.ScanFiles;
using ThpTool.Scanner.Scanning;
using ThpTool.Tests.Support;
using Xunit;
using ThpTool.Scanner.Memory;

namespace ThpTool.Tests.Scanner.Scanning;

/// <summary>The scanner against live workloads whose contents are known, and against the kernel's own verdict.</summary>
[Collection(LiveKernel.Collection)]
[Live]
public class LiveScanTests(ITestOutputHelper output)
{
    static readonly int[] Fills = [0, 1, 50, 100, 255, 256, 257, 300, 511, 512];

    static void RequireLiveThp()
    {
        LiveKernel.RequireRoot();
        LiveKernel.RequireThp();
    }

    static ScanFile ScanOf(int[] pids, int threads = 1, bool pagemapScanOnly = false, int? readBufferBytes = null) =>
        ThpScanner.Scan(new ScanOptions { Pids = pids, Threads = threads, ForcePagemapScanOnly = pagemapScanOnly, ReadBufferBytes = readBufferBytes });

    internal static List<ThpRecord> ThpsIn(ScanFile scan, int pid, WorkloadProcess w) =>
        scan.Processes.Single(p => p.Pid == pid).Vmas
            .Where(v => v.Start < w.Address + w.Size && v.End > w.Address)
            .SelectMany(v => v.Thps).OrderBy(t => t.Address).ToList();

    [Fact]
    public async Task CountsExactlyTheZeroSubpagesTheWorkloadLeft()
    {
        RequireLiveThp();
        await using var w = await Workloads.StartAsync(new WorkloadSpec { Size = 40 * Geometry.ThpSize, Fills = Fills });
        var scan = ScanOf([w.Pid]);
        Assert.Equal(DiscoveryMode.Kpageflags, scan.Mode);
        var thps = ThpsIn(scan, w.Pid, w);
        Assert.Equal(w.Thps.Select(t => (t.Address, t.ZeroSubpages)), thps.Select(t => (t.Address, t.ZeroSubpages)));
        Assert.All(thps, t => Assert.Equal(ThpMapping.Pmd, t.Mapping));
        Assert.All(thps, t => Assert.True(t.Exclusive));
        Assert.All(thps, t => Assert.NotEqual(0UL, t.Pfn));
    }

    [Fact]
    public async Task PagemapScanOnlyModeSeesThePmdThpsAlike()
    {
        RequireLiveThp();
        await using var w = await Workloads.StartAsync(new WorkloadSpec { Size = 20 * Geometry.ThpSize, Fills = Fills });
        var full = ThpsIn(ScanOf([w.Pid]), w.Pid, w);
        var scan = ScanOf([w.Pid], pagemapScanOnly: true);
        Assert.Equal(DiscoveryMode.PagemapScan, scan.Mode);
        Assert.Equal(full.Select(t => (t.Address, t.ZeroSubpages)), ThpsIn(scan, w.Pid, w).Select(t => (t.Address, t.ZeroSubpages)));
    }

    [Fact]
    public async Task ThreadsDoNotChangeTheResult()
    {
        RequireLiveThp();
        await using var w = await Workloads.StartAsync(new WorkloadSpec { Size = 64 * Geometry.ThpSize, Fills = Fills });
        var one = ThpsIn(ScanOf([w.Pid], threads: 1), w.Pid, w);
        var four = ThpsIn(ScanOf([w.Pid], threads: 4), w.Pid, w);
        Assert.Equal(one, four);
    }

    [Fact]
    public async Task ThreadsAndBufferSizesDoNotChangeTheResultOfALargeVariedTarget()
    {
        RequireLiveThp();
        // More than one 256 MiB chunk, every fill, and a partially mapped THP whose subpages are read one run at a time.
        await using var w = await Workloads.StartAsync(new WorkloadSpec { Size = 300 * Geometry.ThpSize, Fills = Fills, Partial = 100 });
        var one = ScanOf([w.Pid], threads: 1);
        Assert.Equal(w.Thps.Select(t => t.ZeroSubpages), ThpsIn(one, w.Pid, w).Select(t => t.ZeroSubpages));
        AssertSameRegion(one, ScanOf([w.Pid], threads: 2), w);
        AssertSameRegion(one, ScanOf([w.Pid], threads: 3, readBufferBytes: 256 * 1024), w);
    }

    static void AssertSameRegion(ScanFile expected, ScanFile actual, WorkloadProcess w) =>
        AssertSameVmas(RegionOf(expected, w), RegionOf(actual, w));

    static void AssertSameVmas(IReadOnlyList<VmaScan> a, IReadOnlyList<VmaScan> b)
    {
        Assert.Equal(a.Select(v => (v.Start, v.End)), b.Select(v => (v.Start, v.End)));
        Assert.Equal(a.SelectMany(v => v.Thps), b.SelectMany(v => v.Thps));
        Assert.Equal(a.SelectMany(v => v.CollapseRanges), b.SelectMany(v => v.CollapseRanges));
        Assert.Equal(a.Select(v => v.Others), b.Select(v => v.Others));
    }

    [Fact]
    public async Task SkippingTheLookupsTheFolioCensusRulesOutChangesNoResult()
    {
        RequireLiveThp();
        // THPs shared with a forked child, and a 4 KiB heap: the two kinds of memory whose lookups the census skips.
        await using var thps = await Workloads.StartAsync(new WorkloadSpec { Size = 16 * Geometry.ThpSize, Fills = Fills, Fork = true });
        await using var heap = await Workloads.StartAsync(new WorkloadSpec { Size = 64 * Geometry.ThpSize, Stride = 4096, NoHugepage = true });
        LiveKernel.RequireQuietFolioCensus();
        int[] pids = [thps.Pid, thps.ChildPid!.Value, heap.Pid];
        var cancel = TestContext.Current.CancellationToken;
        var skipping = ThpScanner.Scan(new ScanOptions { Pids = pids }, cancel);
        var everyLookup = ThpScanner.Scan(new ScanOptions { Pids = pids, IgnoreFolioCensus = true }, cancel);
        foreach (var pid in pids)
            AssertSameVmas(skipping.Processes.Single(p => p.Pid == pid).Vmas, everyLookup.Processes.Single(p => p.Pid == pid).Vmas);
        Assert.Equal(16, ThpsIn(skipping, thps.Pid, thps).Count);
    }

    static List<VmaScan> RegionOf(ScanFile scan, WorkloadProcess w) =>
        scan.Processes.Single(p => p.Pid == w.Pid).Vmas.Where(v => v.Start < w.Address + w.Size && v.End > w.Address).ToList();

    [Fact]
    public async Task ForkedTargetKeepsItsThpsAndSharedThpsCountOnce()
    {
        RequireLiveThp();
        await using var w = await Workloads.StartAsync(new WorkloadSpec { Size = 16 * Geometry.ThpSize, Fills = Fills, Fork = true });
        int child = w.ChildPid!.Value;
        var parentBefore = w.ReadSmaps()!;
        var childBefore = w.ReadChildSmaps()!;
        Assert.Equal(16 * 2048, parentBefore.AnonHugePagesKb);

        var scan = ScanOf([w.Pid, child], threads: 2);

        // A pinning read of a copy-on-write page would have unshared it, splitting the THP: nothing may change.
        AssertKept(parentBefore, w.ReadSmaps()!);
        AssertKept(childBefore, w.ReadChildSmaps()!);
        var parentThps = ThpsIn(scan, w.Pid, w);
        var childThps = ThpsIn(scan, child, w);
        Assert.All(parentThps, t => Assert.False(t.Exclusive));
        Assert.All(parentThps, t => Assert.Null(t.CountedInPid));
        Assert.All(childThps, t => Assert.Equal(w.Pid, t.CountedInPid));
        Assert.Equal(parentThps.Select(t => t.ZeroSubpages), childThps.Select(t => t.ZeroSubpages));
        Assert.Equal(w.Thps.Select(t => t.ZeroSubpages), parentThps.Select(t => t.ZeroSubpages));
        var row = Sweep.Run(scan, [0]).Rows[0];
        Assert.Equal(16, row.ThpsScanned);
    }

    static void AssertKept(SmapsRegion before, SmapsRegion after) =>
        Assert.Equal((before.AnonHugePagesKb, before.RssKb), (after.AnonHugePagesKb, after.RssKb));

    [Fact]
    public async Task ThpsAForkedChildSplitCopyOnWriteArePteMappedPartsOfWholeFoliosThere()
    {
        RequireLiveThp();
        // Every first subpage already holds a non-zero byte, so the child's written copy leaves its counts the parent's.
        await using var w = await Workloads.StartAsync(new WorkloadSpec { Size = 8 * Geometry.ThpSize, Fills = [1, 64, 300, 512], ForkWrite = true });
        int child = w.ChildPid!.Value;
        var heads = CopyOnWriteSplitHeads(w);
        var (parentBefore, childBefore, childPagemap) = (w.ReadSmaps()!, w.ReadChildSmaps()!, PagemapOf(child, w));

        var scan = ScanOf([child]);

        Assert.Equal(DiscoveryMode.Kpageflags, scan.Mode);
        var thps = ThpsIn(scan, child, w);
        output.WriteLine(string.Join("\n", thps));
        // One record per parent THP, from its second subpage: the 511 the child still shares, never exclusive. The
        // parent still maps the first subpage, so no subpage is unmapped everywhere: to the kernel the folio is not
        // partially mapped, and the record is a PTE-mapped part judged by the underused rule.
        Assert.Equal(w.Thps.Select((t, i) => (t.Address + Geometry.PageSize, heads[i], t.ZeroSubpages)),
                     thps.Select(t => (t.Address, t.Pfn, t.ZeroSubpages)));
        Assert.All(thps, t => Assert.Equal((ThpMapping.Pte, Geometry.SubpagesPerThp - 1, false, (int?)null),
                                           (t.Mapping, t.MappedSubpages, t.Exclusive, t.CountedInPid)));
        // Read without pinning: nothing unshared or split in either process.
        AssertKept(parentBefore, w.ReadSmaps()!);
        AssertKept(childBefore, w.ReadChildSmaps()!);
        Assert.Equal(childPagemap, PagemapOf(child, w));

        // The kernel agrees: these folios are not partially mapped.
        AssertTheKernelSplitsOnlyByTheRule(scan, w);
    }

    // Seen on 6.18 (CONFIG_PAGE_MAPCOUNT=y): pagemap sets bit 56 on all 512 entries of a PMD exactly when its head subpage
    // is mapped once, whatever the other 511 are. A child that copied a THP's first subpage leaves the parent's PMD
    // looking exclusive though the child still maps the rest; a pinning read of the parent would then unshare (split)
    // its THPs. The scanner asks kpagecount instead where smaps shows shared pages.
    [Fact]
    public async Task ScanningAParentWithAForkWrittenChildKeepsItsThpsAndCountsThePartialMappingAgain()
    {
        RequireLiveThp();
        await using var w = await Workloads.StartAsync(new WorkloadSpec { Size = 8 * Geometry.ThpSize, Fills = [1, 64, 300, 512], ForkWrite = true });
        int child = w.ChildPid!.Value;
        var heads = CopyOnWriteSplitHeads(w);
        var parentBefore = w.ReadSmaps()!;

        var scan = ScanOf([w.Pid, child]);

        AssertKept(parentBefore, w.ReadSmaps()!);
        // Without root there is no kpagecount to ask: the shared VMA's THPs must be read without pinning.
        Assert.All(ThpsIn(ScanOf([w.Pid], pagemapScanOnly: true), w.Pid, w), t => Assert.False(t.Exclusive));
        AssertKept(parentBefore, w.ReadSmaps()!);
        var parentThps = ThpsIn(scan, w.Pid, w);
        Assert.Equal(w.Thps.Select((t, i) => (t.Address, heads[i], t.ZeroSubpages)), parentThps.Select(t => (t.Address, t.Pfn, t.ZeroSubpages)));
        Assert.All(parentThps, t => Assert.Equal((ThpMapping.Pmd, false, (int?)null), (t.Mapping, t.Exclusive, t.CountedInPid)));
        // The parent maps each folio whole, so to the kernel it is not partially mapped: the child's part of it is
        // counted in the parent, with the whole folio's zero count, and only the underused rule can split it.
        var childThps = ThpsIn(scan, child, w);
        Assert.Equal(heads, childThps.Select(t => t.Pfn));
        Assert.Equal(parentThps.Select(t => t.ZeroSubpages), childThps.Select(t => t.ZeroSubpages));
        Assert.All(childThps, t => Assert.Equal((ThpMapping.Pte, (int?)w.Pid), (t.Mapping, t.CountedInPid)));

        // Met in the other order, the child's part is counted in the parent all the same.
        var reversed = ScanOf([child, w.Pid]);
        Assert.All(ThpsIn(reversed, child, w), t => Assert.Equal((ThpMapping.Pte, (int?)w.Pid), (t.Mapping, t.CountedInPid)));
        Assert.All(ThpsIn(reversed, w.Pid, w), t => Assert.Null(t.CountedInPid));

        // So no partial split is predicted, and the kernel agrees.
        AssertTheKernelSplitsOnlyByTheRule(scan, w);
    }

    /// <summary>
    /// A shrinker pass splits the fork-written workload's folios only by the underused rule at the live max_ptes_none
    /// (none at 511), as predicted with no partial split: a split folio leaves the parent's PMDs. The global split
    /// counters also move for other processes' THPs, so they prove nothing here.
    /// </summary>
    void AssertTheKernelSplitsOnlyByTheRule(ScanFile scan, WorkloadProcess w)
    {
        var predicted = Sweep.Run(scan, [ThpSysfs.Read().MaxPtesNone]).Rows[0];
        var pass = ShrinkerPass.Run(w);
        output.WriteLine($"predicted {predicted.ThpsSplit} splits ({predicted.PartialThpsSplit} partial); kernel: {pass}");
        Assert.Equal(0L, predicted.PartialThpsSplit);
        Assert.Equal(predicted.ThpsSplit * 2048, pass.AnonHugePagesLostKb);
    }

    /// <summary>
    /// The head PFN of each of the parent's THPs, once pagemap and smaps show what a copy-on-write write of the child
    /// into each THP's first subpage should leave: the parent's PMDs intact, and the child mapping a copy of that subpage
    /// and the other 511 of the parent's folio by PTEs, not exclusively. Anything else skips the test.
    /// </summary>
    ulong[] CopyOnWriteSplitHeads(WorkloadProcess w)
    {
        int child = w.ChildPid!.Value;
        var (parent, children) = (PagemapOf(w.Pid, w), PagemapOf(child, w));
        var (parentSmaps, childSmaps) = (w.ReadSmaps()!, w.ReadChildSmaps()!);
        var heads = new ulong[w.Thps.Count];
        var problems = new List<string>();
        if (parentSmaps.AnonHugePagesKb != (long)w.Size / 1024 || childSmaps.AnonHugePagesKb != 0)
            problems.Add($"AnonHugePages parent {parentSmaps.AnonHugePagesKb} kB, child {childSmaps.AnonHugePagesKb} kB");
        for (int t = 0; t < heads.Length; t++)
        {
            var p = parent.AsSpan(t * Geometry.SubpagesPerThp, Geometry.SubpagesPerThp);
            var c = children.AsSpan(t * Geometry.SubpagesPerThp, Geometry.SubpagesPerThp);
            heads[t] = p[0].Pfn;
            for (int i = 0; i < p.Length; i++)
            {
                bool parentOk = p[i].Present && p[i].Pfn == heads[t] + (ulong)i;
                bool childOk = c[i].Present && (i == 0 ? c[i].Pfn != heads[t] && c[i].Exclusive : c[i].Pfn == p[i].Pfn && !c[i].Exclusive);
                if (!parentOk || !childOk)
                    problems.Add($"THP {t} subpage {i}: parent {p[i]}, child {c[i]}");
            }
        }
        output.WriteLine($"parent AnonHugePages {parentSmaps.AnonHugePagesKb} kB, pagemap bit 56 set on {parent.Count(e => e.Exclusive)} of " +
                         $"{parent.Length} pages; child AnonHugePages {childSmaps.AnonHugePagesKb} kB, bit 56 set on {children.Count(e => e.Exclusive)}");
        if (problems.Count > 0)
            Assert.Skip($"the kernel did not split the child's PMDs copy-on-write as expected ({problems.Count} problems): " +
                        string.Join("; ", problems.Take(5)));
        return heads;
    }

    [Fact]
    public async Task MlockedThpsAreSeenAsLockedAndNeverPredictedToSplit()
    {
        RequireLiveThp();
        await using var w = await Workloads.StartAsync(new WorkloadSpec { Size = 4 * Geometry.ThpSize, Fills = [0], Mlock = true });
        var scan = ScanOf([w.Pid]);
        var vma = scan.Processes[0].Vmas.Single(v => v.Start <= w.Address && w.Address < v.End);
        Assert.True(vma.Mlocked);
        Assert.All(vma.Thps, t => Assert.True(t.FolioMlocked));
        var row = Sweep.Run(scan, [0]).Rows[0];
        Assert.Equal(0, row.ThpsSplit);
        Assert.True(row.MlockedSkipped >= 4);
    }

    [Fact]
    public async Task UffdArmedVmaIsFlaggedWithItsSplits()
    {
        RequireLiveThp();
        await using var w = await Workloads.StartAsync(new WorkloadSpec { Size = 10 * Geometry.ThpSize, Fills = Fills, Uffd = UffdMode.Missing });
        var sweep = Sweep.Run(ScanOf([w.Pid]), [256, 511]);
        var flagged = Assert.Single(sweep.UffdVmas, v => v.Start <= w.Address && w.Address < v.End);
        Assert.Contains("um", flagged.Flags);
        Assert.Equal([w.Thps.Count(t => t.ZeroSubpages > 256), 0], flagged.SplitsAtThreshold);
    }

    [Fact]
    public async Task PartiallyMappedThpIsFoundAndTheKernelSplitsItAt511()
    {
        RequireLiveThp();
        LiveKernel.RequireShrinker();
        await using var w = await Workloads.StartAsync(new WorkloadSpec { Size = 4 * Geometry.ThpSize, Fills = [64], Partial = 64 });
        var thps = ThpsIn(ScanOf([w.Pid]), w.Pid, w);
        var partial = Assert.Single(thps, t => t.Mapping == ThpMapping.Partial);
        Assert.Equal(512 - 64, partial.MappedSubpages);
        Assert.Equal(w.Thps[0].ZeroSubpages, partial.ZeroSubpages);
        Assert.Equal(3, thps.Count(t => t.Mapping == ThpMapping.Pmd));

        var pass = ShrinkerPass.Run(w);
        output.WriteLine(pass.ToString());
        Assert.Equal((long)partial.ZeroSubpages * 4, pass.RssFreedKb);
    }

    [Fact]
    public async Task MisalignedThpsArePteMappedWholeAndTheKernelJudgesThemByTheRule()
    {
        RequireLiveThp();
        LiveKernel.RequireShrinker();
        const int n = 256;
        using var knob = KnobOverride.Set(ThpSysfs.MaxPtesNone, n.ToString());
        await using var w = await Workloads.StartAsync(new WorkloadSpec { Size = 10 * Geometry.ThpSize, Fills = Fills, Misalign = true });
        Assert.NotEqual(0UL, w.Address % Geometry.ThpSize);
        var scan = ScanOf([w.Pid]);
        var thps = ThpsIn(scan, w.Pid, w);
        // Each folio straddles two 2 MiB blocks, yet is one whole THP to the kernel: not "partially mapped".
        Assert.Equal(w.Thps.Select(t => (t.Address, t.ZeroSubpages)), thps.Select(t => (t.Address, t.ZeroSubpages)));
        Assert.All(thps, t => Assert.Equal(ThpMapping.Pte, t.Mapping));

        var predicted = Sweep.Run(scan, [n]).Rows[0];
        var pass = ShrinkerPass.Run(w);
        output.WriteLine($"predicted {predicted.ThpsSplit} splits, {predicted.BytesFreed / 1024} kB; kernel: {pass}");
        Assert.True(pass.UnderusedSplits >= predicted.ThpsSplit);
        Assert.Equal(predicted.BytesFreed / 1024, pass.RssFreedKb);
    }

    [Fact]
    public async Task PredictionMatchesTheKernelAndSplitRangesBecomeCollapseCandidates()
    {
        RequireLiveThp();
        LiveKernel.RequireShrinker();
        const int n = 256;
        // The knob is set before the THPs exist, so no pass at 511 takes them off the queue first.
        using var knob = KnobOverride.Set(ThpSysfs.MaxPtesNone, n.ToString());
        await using var w = await Workloads.StartAsync(new WorkloadSpec { Size = 50 * Geometry.ThpSize, Fills = Fills });
        var before = ScanOf([w.Pid]);
        var predicted = Sweep.Run(before, [n]).Rows[0];
        var underused = ThpsIn(before, w.Pid, w).Where(t => t.ZeroSubpages > n).ToList();

        var pass = ShrinkerPass.Run(w);
        output.WriteLine($"predicted {predicted.ThpsSplit} splits, {predicted.BytesFreed / 1024} kB; kernel: {pass}");
        Assert.True(pass.UnderusedSplits >= predicted.ThpsSplit, "vmstat counts splits machine-wide, so at least ours");
        Assert.Equal(predicted.ThpsSplit * 2048, pass.AnonHugePagesLostKb);
        Assert.Equal(predicted.BytesFreed / 1024, pass.RssFreedKb);

        // After the split, each range maps its zero subpages to the shared zero page: a khugepaged candidate whose
        // empty-or-zero count is exactly the zero subpages the scan found before.
        var after = ScanOf([w.Pid]);
        var ranges = after.Processes[0].Vmas.SelectMany(v => v.CollapseRanges).ToDictionary(r => r.Address);
        foreach (var thp in underused)
        {
            var range = ranges[thp.Address];
            Assert.Equal(thp.ZeroSubpages, range.EmptyOrZeroPtes);
            Assert.Equal(thp.ZeroSubpages, range.ZeroContentPages);
        }
        Assert.Equal(50 - underused.Count, ThpsIn(after, w.Pid, w).Count);
    }

    [Fact]
    public async Task PmdMappedShmemThpsAreCountedAsFileOrShmemAndNeverJudged()
    {
        RequireLiveThp();
        static string ShmemEnabled() => File.ReadAllText(ThpSysfs.ShmemEnabled).Trim();
        var before = ShmemEnabled();
        SmapsRegion smaps, smapsAfter;
        List<VmaScan> full, pagemapOnly;
        DiscoveryMode pagemapOnlyMode;
        using (KnobOverride.Set(ThpSysfs.ShmemEnabled, "advise"))
        {
            await using var w = await Workloads.StartAsync(new WorkloadSpec { Size = 8 * Geometry.ThpSize, Fills = Fills, Shmem = true });
            smaps = w.ReadSmaps()!;
            full = RegionOf(ScanOf([w.Pid]), w);
            var scan = ScanOf([w.Pid], pagemapScanOnly: true);
            (pagemapOnly, pagemapOnlyMode) = (RegionOf(scan, w), scan.Mode);
            smapsAfter = w.ReadSmaps()!;
        }
        // Checked before any skip: the knob must be back whatever the kernel made of the workload.
        Assert.Equal(before, ShmemEnabled());
        output.WriteLine($"ShmemPmdMapped {smaps.ShmemPmdMappedKb} kB; FileOrShmemThps: kpageflags " +
                         $"{full.Sum(v => v.Others.FileOrShmemThps)}, PAGEMAP_SCAN only {pagemapOnly.Sum(v => v.Others.FileOrShmemThps)}");
        if (smaps.ShmemPmdMappedKb == 0)
            Assert.Skip($"shmem_enabled=advise gave the MADV_HUGEPAGE shared region no PMD-mapped THP (ShmemPmdMapped 0 kB, Rss {smaps.RssKb} kB)");

        Assert.Equal(0, smaps.AnonHugePagesKb);
        Assert.Equal(DiscoveryMode.PagemapScan, pagemapOnlyMode);
        foreach (var region in new[] { full, pagemapOnly })
        {
            var vma = Assert.Single(region);
            Assert.Equal(smaps.ShmemPmdMappedKb / (Geometry.ThpSize / 1024), vma.Others.FileOrShmemThps);
            Assert.Empty(vma.Thps);
        }
        // Never read, so never split or copied by the scan.
        Assert.Equal((smaps.RssKb, smaps.ShmemPmdMappedKb), (smapsAfter.RssKb, smapsAfter.ShmemPmdMappedKb));
    }

    [Fact]
    public async Task MthpFoliosAreCountedAsMthpBytesNeverAsThps()
    {
        RequireLiveThp();
        const int mthpKb = 64;
        const int mthpPages = mthpKb * 1024 / Geometry.PageSize;
        string pmdKnob = ThpSysfs.SizeEnabled((int)(Geometry.ThpSize / 1024)), mthpKnob = ThpSysfs.SizeEnabled(mthpKb);
        string nrAnon = ThpSysfs.SizeAnonFolios(mthpKb);
        if (!File.Exists(pmdKnob) || !File.Exists(mthpKnob) || !File.Exists(nrAnon))
            Assert.Skip($"this kernel has no per-size THP knobs or counters ({mthpKnob}, {nrAnon}: Linux 6.8+, 6.13+)");
        static string Read(string path) => File.ReadAllText(path).Trim();
        var before = (Read(pmdKnob), Read(mthpKnob));
        int nrBefore, nrDuring;
        bool onlyPmdSized;
        (int Folios, int Pages) mapped;
        SmapsRegion smaps;
        List<VmaScan> region;
        // PMD-sized THPs off and 64 KiB ones on for MADV_HUGEPAGE memory, for as long as the workload lives: once it
        // is back on, khugepaged could collapse the filled 64 KiB folios into PMD THPs under the scan.
        using (KnobOverride.Set(pmdKnob, "never"))
        using (KnobOverride.Set(mthpKnob, "madvise"))
        {
            nrBefore = ThpSysfs.ReadInt(nrAnon)!.Value;
            await using var w = await Workloads.StartAsync(new WorkloadSpec { Size = 8 * Geometry.ThpSize, Fills = [Geometry.SubpagesPerThp] });
            nrDuring = ThpSysfs.ReadInt(nrAnon)!.Value;
            onlyPmdSized = ThpSysfs.AnonFoliosOnlyPmdSized();
            smaps = w.ReadSmaps()!;
            mapped = AnonLargeFolios(w);
            region = RegionOf(ScanOf([w.Pid]), w);
        }
        Assert.Equal(before, (Read(pmdKnob), Read(mthpKnob)));
        output.WriteLine($"{mthpKnob}: nr_anon {nrBefore} -> {nrDuring}; region: {mapped.Folios} anonymous large folios, " +
                         $"{mapped.Pages} pages (pagemap + kpageflags); AnonFoliosOnlyPmdSized {onlyPmdSized}; scan: Mthps " +
                         $"{region.Sum(v => v.Others.Mthps)}, MthpBytes {region.Sum(v => v.Others.MthpBytes)}");
        if (mapped.Folios == 0)
            Assert.Skip($"{mthpKnob}=madvise gave the filled MADV_HUGEPAGE region no {mthpKb} KiB folio " +
                        $"(nr_anon {nrBefore} -> {nrDuring}, Rss {smaps.RssKb} kB): the kernel fell back to 4 KiB pages");

        // Only 64 KiB anonymous folios could be made while the knobs were set, each wholly inside the region.
        Assert.Equal(mapped.Folios * mthpPages, mapped.Pages);
        Assert.True(nrDuring - nrBefore >= mapped.Folios, $"nr_anon rose by {nrDuring - nrBefore}, fewer than the region's {mapped.Folios} folios");
        Assert.False(onlyPmdSized);
        Assert.Equal(0, smaps.AnonHugePagesKb);
        var vma = Assert.Single(region);
        Assert.Equal(mapped.Folios, vma.Others.Mthps);
        Assert.Equal((long)mapped.Pages * Geometry.PageSize, vma.Others.MthpBytes);
        Assert.Empty(vma.Thps);
    }

    /// <summary>
    /// The anonymous large folios the workload's region maps, page by page from its pagemap and /proc/kpageflags,
    /// without the scanner's run and window logic: the heads, and every page of such a folio.
    /// </summary>
    static (int Folios, int Pages) AnonLargeFolios(WorkloadProcess w)
    {
        using var kpageflags = KpageflagsFile.TryOpen() ?? throw new InvalidOperationException($"cannot read {KpageflagsFile.Path} as root");
        var flags = new ulong[1];
        int folios = 0, pages = 0;
        foreach (var entry in PagemapOf(w.Pid, w))
        {
            if (!entry.Present) continue;
            kpageflags.ReadRange(entry.Pfn, flags);
            var page = (KpageFlags)flags[0];
            if (!page.HasFlag(KpageFlags.Anon) || !page.HasFlag(KpageFlags.Thp) ||
                (page & (KpageFlags.CompoundHead | KpageFlags.CompoundTail)) == 0)
                continue;
            pages++;
            if (page.HasFlag(KpageFlags.CompoundHead)) folios++;
        }
        return (folios, pages);
    }

    /// <summary>The pagemap entries of the workload's region as process <paramref name="pid"/> maps it.</summary>
    static PagemapEntry[] PagemapOf(int pid, WorkloadProcess w)
    {
        var entries = new ulong[w.Size / Geometry.PageSize];
        using (var pagemap = PagemapFile.Open(pid))
            Assert.Equal(entries.Length, pagemap.Read(w.Address, entries));
        return Array.ConvertAll(entries, raw => new PagemapEntry(raw));
    }

    [Fact]
    public async Task SavedScanSweepsExactlyLikeTheLiveOne()
    {
        RequireLiveThp();
        await using var w = await Workloads.StartAsync(new WorkloadSpec { Size = 8 * Geometry.ThpSize, Stride = 50 * 1024 });
        var scan = ScanOf([w.Pid]);
        var path = Path.Combine(Path.GetTempPath(), $"thptool-live-{Guid.NewGuid():N}.json");
        try
        {
            ScanFileStore.Save(scan, path);
            Assert.Equal(Sweep.Run(scan, ThresholdSet.All).Rows, Sweep.Run(ScanFileStore.Load(path), ThresholdSet.All).Rows);
        }
        finally { File.Delete(path); }
    }
}
