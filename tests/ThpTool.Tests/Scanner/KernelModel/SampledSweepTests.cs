using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;
using ThpTool.Scanner.Scanning;
using ThpTool.Tests.Support;

namespace ThpTool.Tests.Scanner.KernelModel;

/// <summary>
/// The sampled sweep's estimates and 95% intervals, against a known population: the same selection the scanner makes
/// (<see cref="ContentSampler"/>), the same estimator the sweep runs.
/// </summary>
public class SampledSweepTests
{
    const double Fraction = 0.05;

    /// <summary>
    /// Three processes of 2,000, 600 and 20 THPs: a large stratum sampled at 5%, one lifted to the 30-THP minimum, one
    /// read whole. Zero counts mix nearly full, nearly empty and uniform THPs, so splits are neither rare nor certain.
    /// </summary>
    internal static ScanFile Population()
    {
        var random = new Random(12);
        var processes = new List<ProcessScan>();
        ulong pfn = 0x40000;
        foreach (var (pid, count) in new[] { (100, 2000), (200, 600), (300, 20) })
        {
            var thps = Enumerable.Range(0, count).Select(i => new ThpRecord
            {
                Address = (ulong)(i + 1) << 21,
                Pfn = pfn += 512,
                Mapping = ThpMapping.Pmd,
                ZeroSubpages = random.Next(0, 10) switch { < 4 => random.Next(0, 100), < 7 => random.Next(400, 513), _ => random.Next(0, 513) },
            }).ToList();
            processes.Add(new ProcessScan
            {
                Pid = pid, Comm = $"p{pid}",
                Vmas = [new VmaScan { Start = 1UL << 21, End = (ulong)(count + 1) << 21, Perms = "rw-p", Flags = ["rd", "wr", "hg"], Thps = thps }],
            });
        }
        var scan = SyntheticScans.Seeded(1);
        return scan with { Processes = processes };
    }

    /// <summary>What a scan with this seed would have recorded: the THPs it did not pick keep no zero count.</summary>
    internal static ScanFile Sampled(ScanFile full, ulong seed)
    {
        var sample = new ContentSample { Fraction = Fraction, Seed = seed };
        var sampler = new ContentSampler(sample);
        return full with
        {
            Sample = sample,
            Processes = full.Processes.Select(p =>
            {
                var strata = sampler.ForProcess<ThpRecord>();
                var all = p.Vmas.SelectMany(v => v.Thps).ToList();
                var read = all.Where(t => strata.Reads(t, t)).ToHashSet();
                read.UnionWith(strata.TopUp());
                return p with
                {
                    Vmas = p.Vmas.Select(v => v with
                    {
                        Thps = v.Thps.Select(t => read.Contains(t) ? t : t with { Unread = true, ZeroSubpages = 0 }).ToList(),
                    }).ToList(),
                };
            }).ToList(),
        };
    }

    [Fact]
    public void TheNinetyFivePercentIntervalsHoldTheTruthNinetyThreeToNinetySevenPercentOfTheTime()
    {
        var full = Population();
        int[] thresholds = [64, 256, 448];
        var truth = Sweep.Run(full, thresholds).Rows;
        const int draws = 2000;
        var splitsHeld = new int[thresholds.Length];
        var bytesHeld = new int[thresholds.Length];
        for (ulong seed = 1; seed <= draws; seed++)
        {
            var rows = Sweep.Run(Sampled(full, seed), thresholds).Rows;
            for (int i = 0; i < thresholds.Length; i++)
            {
                if (rows[i].ThpsSplitCiLow <= truth[i].ThpsSplit && truth[i].ThpsSplit <= rows[i].ThpsSplitCiHigh) splitsHeld[i]++;
                if (rows[i].BytesFreedCiLow <= truth[i].BytesFreed && truth[i].BytesFreed <= rows[i].BytesFreedCiHigh) bytesHeld[i]++;
            }
        }
        for (int i = 0; i < thresholds.Length; i++)
        {
            Assert.InRange(splitsHeld[i] / (double)draws, 0.93, 0.97);
            Assert.InRange(bytesHeld[i] / (double)draws, 0.93, 0.97);
        }
    }

    [Fact]
    public void EveryStratumReadsItsFractionOrAtLeastThirtyAndTheSampleStaysExactWhereItMustBe()
    {
        var full = Population();
        var sampled = Sampled(full, 7);
        var read = sampled.Processes.Select(p => p.Vmas.SelectMany(v => v.Thps).Count(t => !t.Unread)).ToArray();
        Assert.InRange(read[0], 60, 140);   // 5% of 2,000, give or take the binomial spread
        Assert.Equal(30, read[1]);           // 5% of 600 is about 30: the minimum tops it up, exactly
        Assert.Equal(20, read[2]);           // read whole
        var (exact, estimate) = (Sweep.Run(full, [256]).Rows[0], Sweep.Run(sampled, [256]).Rows[0]);
        Assert.Equal(exact.ThpsScanned, estimate.ThpsScanned);
        Assert.True(estimate.ThpsSplitCiLow < estimate.ThpsSplitCiHigh);
        Assert.True(estimate.ThpsSplitCiLow <= estimate.ThpsSplit && estimate.ThpsSplit <= estimate.ThpsSplitCiHigh);
        Assert.True(estimate.BytesFreedCiLow <= estimate.BytesFreed && estimate.BytesFreed <= estimate.BytesFreedCiHigh);
    }

    [Fact]
    public void WithoutSamplingTheIntervalsAreTheExactValues()
    {
        foreach (var row in Sweep.Run(SyntheticScans.Seeded(3), [0, 100, 256, 511]).Rows)
            Assert.Equal((row.ThpsSplit, row.ThpsSplit, row.BytesFreed, row.BytesFreed),
                         (row.ThpsSplitCiLow, row.ThpsSplitCiHigh, row.BytesFreedCiLow, row.BytesFreedCiHigh));
    }

    [Fact]
    public void ASampleReadWholeGivesTheExactValuesAsItsInterval()
    {
        var full = Population();
        var whole = full with { Sample = new ContentSample { Fraction = 1, Seed = 5 } };
        Assert.Equal(Sweep.Run(full, [256]).Rows, Sweep.Run(whole, [256]).Rows);
    }

    [Fact]
    public void ASavedSampledScanLoadsWithItsSampleAndSweepsToTheSameIntervals()
    {
        var sampled = Sampled(Population(), 9);
        var loaded = ScanFileStore.Parse(System.Text.Encoding.UTF8.GetBytes(ScanFileStore.ToJson(sampled)), "test");
        Assert.Equal(sampled.Sample, loaded.Sample);
        Assert.Equal(Sweep.Run(sampled, [0, 256, 500]).Rows, Sweep.Run(loaded, [0, 256, 500]).Rows);
    }

    [Fact]
    public void AFullScanFileHasNoSampleOrUnreadFieldsAndOldFilesLoadAsFull()
    {
        var json = ScanFileStore.ToJson(Population());
        Assert.DoesNotContain("\"unread\"", json);
        Assert.DoesNotContain("\"sample\"", json);
        Assert.Null(ScanFileStore.Parse(System.Text.Encoding.UTF8.GetBytes(json), "test").Sample);
    }

    [Fact]
    public void MergeRefusesASampledScan()
    {
        var error = Assert.Throws<ThpTool.Common.Errors.UserError>(() => ScanMerge.Merge([Sampled(Population(), 4)]));
        Assert.Equal(ThpTool.Common.Errors.ExitCode.SampledScan, error.Code);
    }
}
