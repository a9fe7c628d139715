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

/// <summary>
/// THPs with subpages given back page by page, as allocators do: every mapped subpage of every folio must be counted,
/// whatever the shape of the holes, and the prediction must be what one real shrinker pass does.
/// </summary>
[Collection(LiveKernel.Collection)]
[Live]
public class PartiallyMappedFolioTests(ITestOutputHelper output)
{
    const int PmdKb = 2048;

    /// <summary>The issue's table: eight THPs, every 7th subpage written, then these subpages dropped.</summary>
    [Fact]
    public async Task EveryShapeOfHoleInTheIssuesTableIsCountedExactly()
    {
        RequireLive();
        string even = string.Join(',', Enumerable.Range(0, 256).Select(i => i * 2));
        var drops = SubpageDrops.Parse($"10,12/1,3,5,7,9/{even}/100-110/0/511/255,256/");
        await CompareWithTheKernel(new WorkloadSpec { Size = 8 * Geometry.ThpSize, Stride = 7 * Geometry.PageSize, Drops = drops }, "issue table");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task RandomHolesAndContentsAreCountedExactlyAndPredictOneShrinkerPass(int seed)
    {
        RequireLive();
        const int thps = 48;
        await CompareWithTheKernel(new WorkloadSpec { Size = thps * Geometry.ThpSize, ContentSeed = seed, Drops = RandomDrops(seed, thps) }, $"seed {seed}");
    }

    /// <summary>
    /// MADV_FREE instead of MADV_DONTNEED: lazily freed subpages stay mapped, with their contents, until reclaim. Measured
    /// here (6.18): MADV_FREE of part of a THP splits the folio at once (madvise_free_pte_range splits a large folio the
    /// range covers only in part), so no partially mapped THP is left for the shrinker: only THPs with no subpage freed
    /// stay. The scan must count what is there and predict what one pass does (nothing, at 511).
    /// </summary>
    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(23)]
    public async Task LazilyFreedSubpagesSplitTheirThpAtOnceAndTheScanSeesWhatIsLeft(int seed)
    {
        RequireLive();
        const int thps = 32;
        var drops = RandomDrops(seed, thps);
        int untouched = Enumerable.Range(0, thps).Count(t => drops.Of(t).Count == 0);
        var spec = new WorkloadSpec { Size = thps * Geometry.ThpSize, ContentSeed = seed, Drops = drops, LazyFree = true };
        var truth = await CompareWithTheKernel(spec, $"seed {seed}, MADV_FREE");
        Assert.Equal(untouched, truth.Values.Count(f => f.Pages == Geometry.SubpagesPerThp));
        Assert.DoesNotContain(truth.Values, f => f.PartiallyMapped);
    }

    /// <summary>THPs moved off 2 MiB alignment (PTE-mapped, each across two blocks), then holes of every shape.</summary>
    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    public async Task MisalignedThpsWithHolesAreCountedExactly(int seed)
    {
        RequireLive();
        const int thps = 32;
        await CompareWithTheKernel(new WorkloadSpec { Size = thps * Geometry.ThpSize, ContentSeed = seed, Drops = RandomDrops(seed, thps), Misalign = true },
                                   $"seed {seed}, misaligned");
    }

    /// <summary>Holes made before a fork: parent and child map the same partially mapped folios; the parent is scanned.</summary>
    [Theory]
    [InlineData(41)]
    [InlineData(42)]
    public async Task PartiallyMappedThpsSharedWithAForkedChildAreCountedExactly(int seed)
    {
        RequireLive();
        const int thps = 32;
        await CompareWithTheKernel(new WorkloadSpec { Size = thps * Geometry.ThpSize, ContentSeed = seed, Drops = RandomDrops(seed, thps), Fork = true },
                                   $"seed {seed}, forked");
    }

    /// <summary>
    /// A forked child that wrote the first subpage of every THP maps the other 511 of its parent's folio by PTEs: whole
    /// folios to the kernel, not partially mapped. Scanned in the child, with holes in the parent's THPs too.
    /// </summary>
    [Theory]
    [InlineData(51)]
    [InlineData(52)]
    public async Task ForkWrittenChildsPartsOfWholeFoliosAreCountedExactly(int seed)
    {
        RequireLive();
        const int thps = 16;
        await CompareWithTheKernel(new WorkloadSpec { Size = thps * Geometry.ThpSize, ContentSeed = seed, ForkWrite = true },
                                   $"seed {seed}, fork-written child", scanChild: true);
    }

    /// <summary>Every mTHP size the kernel offers, one at a time, with random holes and contents.</summary>
    [Theory]
    [InlineData(16, 61)]
    [InlineData(32, 62)]
    [InlineData(128, 63)]
    [InlineData(256, 64)]
    [InlineData(512, 65)]
    [InlineData(1024, 66)]
    public async Task PartiallyMappedMthpsOfEverySizeAreCountedExactly(int mthpKb, int seed)
    {
        RequireLive();
        await WithOnlyMthp(mthpKb, () => CompareWithTheKernel(
            new WorkloadSpec { Size = 8 * Geometry.ThpSize, ContentSeed = seed, Drops = RandomDrops(seed, 8) }, $"seed {seed}, {mthpKb} KiB mTHP", mthpKb));
    }

    /// <summary>Only <paramref name="mthpKb"/> folios for MADV_HUGEPAGE memory while <paramref name="run"/> runs; both knobs restored on every path.</summary>
    static async Task WithOnlyMthp(int mthpKb, Func<Task> run)
    {
        string pmdKnob = ThpSysfs.SizeEnabled(PmdKb), mthpKnob = ThpSysfs.SizeEnabled(mthpKb);
        if (!File.Exists(pmdKnob) || !File.Exists(mthpKnob) || !File.Exists(SizeStat(mthpKb, "nr_anon_partially_mapped")))
            Assert.Skip($"this kernel has no per-size THP knobs or counters ({mthpKnob}: Linux 6.8+, stats 6.11+)");
        using (KnobOverride.Set(pmdKnob, "never"))
        using (KnobOverride.Set(mthpKnob, "madvise"))
            await run();
    }

    static void RequireLive()
    {
        LiveKernel.RequireRoot();
        LiveKernel.RequireThp();
        LiveKernel.RequireShrinker();
    }

    /// <summary>
    /// Holes of every shape: none, a few scattered, many scattered, every other subpage, a block plus singles, nearly
    /// all; the head and the last subpage now and then.
    /// </summary>
    internal static SubpageDrops RandomDrops(int seed, int thps)
    {
        var random = new Random(seed * 7919);
        var perThp = new List<IReadOnlyList<int>>();
        for (int t = 0; t < thps; t++)
        {
            var drops = new SortedSet<int>();
            void Scatter(int count) { for (int i = 0; i < count; i++) drops.Add(random.Next(Geometry.SubpagesPerThp)); }
            switch (random.Next(7))
            {
                case 0: break;
                case 1: Scatter(random.Next(1, 9)); break;
                case 2: Scatter(random.Next(1, 65)); break;
                case 3:
                    for (int s = random.Next(2); s < Geometry.SubpagesPerThp; s += 2) drops.Add(s);
                    break;
                case 4:
                    int first = random.Next(Geometry.SubpagesPerThp - 64), length = random.Next(1, 64);
                    for (int s = first; s < first + length; s++) drops.Add(s);
                    Scatter(random.Next(1, 16));
                    break;
                case 5: Scatter(random.Next(200, 500)); break;
                default: Scatter(random.Next(1, 4)); drops.Add(random.Next(2) == 0 ? 0 : Geometry.SubpagesPerThp - 1); break;
            }
            if (random.Next(5) == 0) drops.Add(0);
            if (random.Next(5) == 0) drops.Add(Geometry.SubpagesPerThp - 1);
            // A THP with every subpage dropped is no folio any more.
            if (drops.Count == Geometry.SubpagesPerThp) drops.Remove(random.Next(Geometry.SubpagesPerThp));
            perThp.Add([.. drops]);
        }
        return new SubpageDrops(perThp);
    }

    /// <summary>
    /// The scan against the truth, folio by folio; the sweep at 511 (underused rule off) against one real shrinker pass:
    /// every partially mapped folio of <paramref name="folioKb"/> split (by that size's counter), and Rss down by their
    /// all-zero mapped subpages.
    /// </summary>
    async Task<Dictionary<ulong, TrueFolio>> CompareWithTheKernel(WorkloadSpec spec, string what, int folioKb = PmdKb, bool scanChild = false)
    {
        using var rule = KnobOverride.Set(ThpSysfs.MaxPtesNone, ShrinkerModel.RuleOff.ToString());
        await using var w = await Workloads.StartAsync(spec);
        int pid = scanChild ? w.ChildPid!.Value : w.Pid;
        var truth = FolioTruth.Read(pid, w.Address, w.Size);
        var scan = ThpScanner.Scan(new ScanOptions { Pids = [pid] });
        var vmas = scan.Processes.Single().Vmas.Where(v => v.Start < w.Address + w.Size && v.End > w.Address).ToList();
        var thps = vmas.SelectMany(v => v.Thps).ToDictionary(t => t.Pfn);
        var mthps = vmas.SelectMany(v => v.PartialMthps).ToDictionary(m => m.Pfn);
        int folioPages = folioKb * 1024 / Geometry.PageSize;
        if (!truth.Values.Any(f => f.Pages == folioPages))
            Assert.Skip($"{what}: the kernel gave the region no {folioKb} KiB folio (fell back to smaller pages)");

        var wrong = new List<string>();
        foreach (var folio in truth.Values)
        {
            if (folio.Pages == Geometry.SubpagesPerThp)
            {
                if (!thps.TryGetValue(folio.HeadPfn, out var thp)) { wrong.Add($"missing from the scan: {folio}"); continue; }
                if (thp.MappedSubpages != folio.Mapped.Count || thp.ZeroSubpages != folio.ZeroMapped.Count ||
                    (thp.Mapping == ThpMapping.Partial) != folio.PartiallyMapped)
                    wrong.Add($"scan says {thp.Mapping}, {thp.MappedSubpages} mapped, {thp.ZeroSubpages} zero; truth: {folio}");
            }
            else if (mthps.TryGetValue(folio.HeadPfn, out var mthp) != folio.PartiallyMapped)
                wrong.Add($"scan {(folio.PartiallyMapped ? "misses" : "calls partially mapped")} {folio}");
            else if (mthp is not null && (mthp.Pages, mthp.MappedSubpages, mthp.ZeroSubpages) != (folio.Pages, folio.Mapped.Count, folio.ZeroMapped.Count))
                wrong.Add($"scan says {mthp.MappedSubpages} of {mthp.Pages} mapped, {mthp.ZeroSubpages} zero; truth: {folio}");
        }
        wrong.AddRange(thps.Keys.Concat(mthps.Keys).Where(p => !truth.ContainsKey(p)).Select(p => $"scan has a folio at PFN {p:x} that the truth does not"));
        Assert.True(wrong.Count == 0, $"{what}: {wrong.Count} of {truth.Count} folios miscounted:\n{string.Join('\n', wrong)}");
        var mthpSizes = truth.Values.Where(f => f.Pages < Geometry.SubpagesPerThp).CountBy(f => f.Pages * Geometry.PageSize / 1024).OrderBy(c => c.Key);
        Assert.Equal(mthpSizes, vmas.SelectMany(v => v.Others.MthpsByKb).GroupBy(kv => kv.Key, kv => kv.Value)
            .Select(g => new KeyValuePair<int, int>(g.Key, g.Sum())).OrderBy(c => c.Key));

        var partial = truth.Values.Where(f => f.PartiallyMapped).ToList();
        var row = Sweep.Run(scan, [ShrinkerModel.RuleOff]).Rows[0];
        Assert.Equal(partial.Count(f => f.Pages == Geometry.SubpagesPerThp), row.PartialThpsSplit);
        Assert.Equal(partial.Count(f => f.Pages < Geometry.SubpagesPerThp), row.PartialMthpsSplit);
        Assert.Equal(partial.Sum(f => f.ZeroMapped.Count), row.SubpagesZeroMapped);

        // Every partially mapped folio on the machine is split by the pass, ours and any other process's.
        string splits = SizeStat(folioKb, "split"), queued = SizeStat(folioKb, "nr_anon_partially_mapped");
        int ours = partial.Count(f => f.Pages == folioPages);
        long othersPartial = ThpSysfs.ReadInt(queued)!.Value - ours;
        long splitsBefore = ThpSysfs.ReadInt(splits)!.Value;
        var pass = ShrinkerPass.Run(w, scanChild);
        long split = ThpSysfs.ReadInt(splits)!.Value - splitsBefore;
        output.WriteLine($"{what}: {truth.Count} folios, {ours} of {folioKb} KiB partially mapped ({othersPartial} elsewhere); predicted " +
                         $"{row.PartialThpsSplit} THP + {row.PartialMthpsSplit} mTHP splits, Rss -{row.SubpagesZeroMapped * 4} kB; " +
                         $"kernel: {split} splits of {folioKb} KiB, {pass}");
        Assert.Equal(ours + othersPartial, split);
        Assert.Equal(row.SubpagesZeroMapped * Geometry.PageSize / 1024, pass.RssFreedKb);
        var after = FolioTruth.Read(pid, w.Address, w.Size);
        Assert.DoesNotContain(after.Values, f => f.PartiallyMapped);
        return truth;
    }

    /// <summary>
    /// The issue's mTHP case: 64 KiB folios (PMD-sized THPs off), random contents, a 4 KiB hole in every other folio,
    /// and random holes; then the same comparison with a real pass, by the 64 KiB split counter.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public async Task PartiallyMappedMthpsAreSplitAtEveryPassAndFreeWhatTheModelSays(int seed)
    {
        RequireLive();
        const int mthpKb = 64, slots = 16;
        // One hole in every other 16-page folio, at a different place in each; or random holes of every shape.
        var drops = seed == 0
            ? new SubpageDrops([[.. Enumerable.Range(0, Geometry.SubpagesPerThp / 32).Select(k => k * 32 + k % 16)]])
            : RandomDrops(seed, slots);
        await WithOnlyMthp(mthpKb, () => CompareWithTheKernel(
            new WorkloadSpec { Size = slots * Geometry.ThpSize, ContentSeed = seed + 100, Drops = drops }, $"seed {seed}, {mthpKb} KiB mTHP", mthpKb));
    }

    static string SizeStat(int kb, string name) => $"{ThpSysfs.Root}/hugepages-{kb}kB/stats/{name}";
}
