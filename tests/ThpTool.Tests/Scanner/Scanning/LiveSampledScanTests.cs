using ThpTool.Experiments.Workloads;
using ThpTool.Report.Charts;
using ThpTool.Report.Terminal;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Memory;
using ThpTool.Scanner.ScanFiles;
using ThpTool.Scanner.Scanning;
using ThpTool.Tests.Support;

namespace ThpTool.Tests.Scanner.Scanning;

/// <summary>Sparse address spaces, many VMAs and sampled reads, against live workloads with known contents.</summary>
[Collection(LiveKernel.Collection)]
[Live]
public class LiveSampledScanTests
{
    static readonly int[] Fills = [0, 1, 50, 100, 255, 256, 257, 300, 511, 512];

    static List<ThpRecord> ThpsIn(ScanFile scan, int pid, WorkloadProcess w) => Scanning.LiveScanTests.ThpsIn(scan, pid, w);

    [Fact]
    public async Task ThpsSpreadOverATerabyteReservationAreAllFoundWithTheirZeroCounts()
    {
        LiveKernel.RequireRoot();
        LiveKernel.RequireThp();
        await using var w = await Workloads.StartAsync(new WorkloadSpec { Size = 10 * Geometry.ThpSize, Fills = Fills, Spread = 100L << 30 });
        Assert.Equal(1000UL << 30, w.Size);
        var thps = ThpsIn(ThpScanner.Scan(new ScanOptions { Pids = [w.Pid] }, TestContext.Current.CancellationToken), w.Pid, w);
        Assert.Equal(w.Thps.Select(t => (t.Address, t.ZeroSubpages)), thps.Select(t => (t.Address, t.ZeroSubpages)));
        Assert.All(thps, t => Assert.Equal(ThpMapping.Pmd, t.Mapping));
        var unprivileged = ThpsIn(ThpScanner.Scan(new ScanOptions { Pids = [w.Pid], ForcePagemapScanOnly = true }, TestContext.Current.CancellationToken), w.Pid, w);
        Assert.Equal(thps.Select(t => (t.Address, t.ZeroSubpages)), unprivileged.Select(t => (t.Address, t.ZeroSubpages)));
    }

    [Fact]
    public async Task VmasWithoutThpsAreKeptAsTotalsAndChangeNothingElse()
    {
        LiveKernel.RequireRoot();
        LiveKernel.RequireThp();
        await using var plain = await Workloads.StartAsync(new WorkloadSpec { Size = 4 * Geometry.ThpSize, Fills = Fills });
        await using var many = await Workloads.StartAsync(new WorkloadSpec { Size = 4 * Geometry.ThpSize, Fills = Fills, ExtraVmas = 3000 });
        var scan = ThpScanner.Scan(new ScanOptions { Pids = [many.Pid] }, TestContext.Current.CancellationToken);
        var process = scan.Processes.Single();
        Assert.InRange(process.OtherVmas.Count, 3000, 3000 + 1000);
        Assert.True(process.OtherVmas.RssKb >= 3000 * 4);
        Assert.Equal(ThpsIn(ThpScanner.Scan(new ScanOptions { Pids = [plain.Pid] }, TestContext.Current.CancellationToken), plain.Pid, plain).Select(t => t.ZeroSubpages),
                     ThpsIn(scan, many.Pid, many).Select(t => t.ZeroSubpages));
    }

    [Fact]
    public async Task ASampledScanFindsEveryThpAndReadsOnlyItsSampleExactly()
    {
        LiveKernel.RequireRoot();
        LiveKernel.RequireThp();
        await using var w = await Workloads.StartAsync(new WorkloadSpec { Size = 200 * Geometry.ThpSize, Fills = Fills });
        var full = ThpScanner.Scan(new ScanOptions { Pids = [w.Pid] }, TestContext.Current.CancellationToken);
        var sample = new ContentSample { Fraction = 0.1, Seed = 42 };
        var sampled = ThpScanner.Scan(new ScanOptions { Pids = [w.Pid], Sample = sample }, TestContext.Current.CancellationToken);
        Assert.Equal(sample, sampled.Sample);
        var exact = ThpsIn(full, w.Pid, w);
        var some = ThpsIn(sampled, w.Pid, w);
        Assert.Equal(exact.Select(t => (t.Address, t.Pfn, t.Mapping)), some.Select(t => (t.Address, t.Pfn, t.Mapping)));
        var read = some.Where(t => !t.Unread).ToList();
        Assert.InRange(read.Count, 30, 60);
        var truth = exact.ToDictionary(t => t.Address, t => t.ZeroSubpages);
        Assert.All(read, t => Assert.Equal(truth[t.Address], t.ZeroSubpages));
        Assert.True(sampled.Cost!.BytesRead < full.Cost!.BytesRead / 2);
        var (exactRow, estimate) = (Sweep.Run(full, [256]).Rows[0], Sweep.Run(sampled, [256]).Rows[0]);
        Assert.Equal(exactRow.ThpsScanned, estimate.ThpsScanned);
        Assert.True(estimate.ThpsSplitCiLow <= estimate.ThpsSplit && estimate.ThpsSplit <= estimate.ThpsSplitCiHigh);
        // The same seed draws the same THPs: the PFNs are the same, so is the hash.
        var again = ThpsIn(ThpScanner.Scan(new ScanOptions { Pids = [w.Pid], Sample = sample }, TestContext.Current.CancellationToken), w.Pid, w);
        Assert.Equal(some, again);
    }

    [Fact]
    public async Task AForkedTargetSampledCountsEachSharedThpOnce()
    {
        LiveKernel.RequireRoot();
        LiveKernel.RequireThp();
        await using var w = await Workloads.StartAsync(new WorkloadSpec { Size = 64 * Geometry.ThpSize, Fills = Fills, Fork = true });
        int child = w.ChildPid!.Value;
        var before = w.ReadSmaps()!;
        var scan = ThpScanner.Scan(new ScanOptions { Pids = [w.Pid, child], Sample = new ContentSample { Fraction = 0.2, Seed = 3 } },
                                    TestContext.Current.CancellationToken);
        Assert.Equal((before.AnonHugePagesKb, before.RssKb), (w.ReadSmaps()!.AnonHugePagesKb, w.ReadSmaps()!.RssKb));
        Assert.All(ThpsIn(scan, child, w), t => Assert.Equal(w.Pid, t.CountedInPid));
        Assert.Equal(64, Sweep.Run(scan, [0]).Rows[0].ThpsScanned);
    }

    [Fact]
    public async Task ASampledScansHistogramAndRollupsEstimateTheLiveContentsWithoutCountingUnreadThpsAsFull()
    {
        LiveKernel.RequireRoot();
        LiveKernel.RequireThp();
        // A forked child's THPs are counted in the parent, read or not there: the child's rollup takes the parent's weights.
        await using var w = await Workloads.StartAsync(new WorkloadSpec { Size = 200 * Geometry.ThpSize, Fills = Fills, Fork = true });
        int child = w.ChildPid!.Value;
        var full = ThpScanner.Scan(new ScanOptions { Pids = [w.Pid, child] }, TestContext.Current.CancellationToken);
        var sampled = ThpScanner.Scan(new ScanOptions { Pids = [w.Pid, child], Sample = new ContentSample { Fraction = 0.1, Seed = 5 } },
                                      TestContext.Current.CancellationToken);
        Assert.InRange(ThpsIn(sampled, w.Pid, w).Count(t => !t.Unread), 30, 60);
        var truth = SweepCharts.ZeroSubpages("w", [full], null, null).Bins.Select(b => b.Count).ToArray();
        var estimate = SweepCharts.ZeroSubpages("w", [sampled], null, null).Bins.Select(b => b.Count).ToArray();
        Assert.Equal(200, truth.Sum());
        Assert.Equal(200, estimate.Sum(), 6);
        // A tenth of the THPs (fill 512) have no zero subpage; the ~150 unread ones must not join them.
        Assert.InRange(estimate[0], 0, 3 * truth[0]);
        // Every estimated bin is one the workload filled: weights move no THP to a zero count it does not have.
        Assert.All(Enumerable.Range(0, estimate.Length).Where(z => estimate[z] > 0), z => Assert.True(truth[z] > 0, $"bin {z}"));
        // The child shares every THP: it takes the parent's counts, top-up reads included, so the two rollups agree.
        var exact = Rollup.PerProcess(full).ToDictionary(l => int.Parse(l.Name.Split(' ')[0]), l => l.ZeroSubpages);
        var estimated = Rollup.PerProcess(sampled).ToDictionary(l => int.Parse(l.Name.Split(' ')[0]), l => l.ZeroSubpages);
        Assert.Equal(exact[w.Pid], exact[child]);
        Assert.Equal(estimated[w.Pid], estimated[child]);
        // Given n read of N, the read THPs are a simple random sample: 5 standard errors of the expansion estimator
        // (finite-population corrected) bound a miss that happens by chance about once in 3 million runs.
        var population = ThpsIn(full, w.Pid, w).Select(t => (double)t.ZeroSubpages).ToArray();
        int n = ThpsIn(sampled, w.Pid, w).Count(t => !t.Unread), big = population.Length;
        double mean = population.Average(), variance = population.Sum(z => (z - mean) * (z - mean)) / (big - 1);
        double standardError = big * Math.Sqrt((1 - (double)n / big) * variance / n);
        Assert.InRange(estimated[w.Pid], exact[w.Pid] - 5 * standardError, exact[w.Pid] + 5 * standardError);
    }
}
