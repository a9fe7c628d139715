using System.Text.Json;
using ThpTool.Common.Errors;
using ThpTool.Report;
using ThpTool.Report.Analysis;
using ThpTool.Report.Charts;
using ThpTool.Report.Json;
using ThpTool.Report.Prometheus;
using ThpTool.Report.Terminal;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Memory;
using ThpTool.Scanner.ScanFiles;
using ThpTool.Tests.Fleet.Dataset;
using ThpTool.Tests.Support;
using static ThpTool.Tests.Scanner.KernelModel.SampledSweepTests;

namespace ThpTool.Tests.Report;

/// <summary>
/// What reads zero-subpage counts besides the sweep: each estimates from a sampled scan's read THPs, never takes an
/// unread THP's recorded 0 for a count, and says it is an estimate; or refuses (merge, export).
/// </summary>
public class SampledConsumerTests
{
    static readonly ScanFile Full = Population();
    static readonly ScanFile SampledScan = Sampled(Full, 7);

    static double[] Bins(ScanFile scan) => SweepCharts.ZeroSubpages("h", [scan], null, null).Bins.Select(b => b.Count).ToArray();

    /// <summary>THPs with more than <paramref name="n"/> zero subpages, as a histogram says.</summary>
    static double Above(double[] bins, int n) => bins.Skip(n + 1).Sum();

    [Fact]
    public void TheHistogramOfASampledScanPutsNoUnreadThpInBinZero()
    {
        var (truth, estimate) = (Bins(Full), Bins(SampledScan));
        Assert.Equal(truth.Sum(), estimate.Sum(), 6);          // every THP found, each read one standing for its stratum
        Assert.InRange(truth[0], 1, 20);                        // few THPs are really without zero subpages...
        Assert.InRange(estimate[0], 0, 100);                    // ...and the 2,500 unread ones are not put there
        foreach (int n in new[] { 64, 256, 448 })
            Assert.InRange(Above(estimate, n), 0.8 * Above(truth, n), 1.2 * Above(truth, n));
    }

    [Fact]
    public void TheHistogramAboveEachThresholdIsTheSweepsEstimateOfThpsSplit()
    {
        // No mlocked, uffd-armed or partially mapped THP in the population: every THP above N splits.
        var estimate = Bins(SampledScan);
        foreach (var row in Sweep.Run(SampledScan, [0, 64, 256, 448, 510]).Rows)
            Assert.Equal(row.ThpsSplit, (long)Math.Round(Above(estimate, row.MaxPtesNone)));
    }

    [Fact]
    public void TheCumulativeChartOfASampledScanStartsNearTheTruth()
    {
        var truth = SweepCharts.Cumulative("c", [Full], null, null).Series[0].Points;
        var estimate = SweepCharts.Cumulative("c", [SampledScan], null, null).Series[0].Points;
        Assert.InRange(estimate[0].Y, 0, truth[0].Y + 3);      // today's bug put ~95% at N = 0
        Assert.InRange(estimate[256].Y, truth[256].Y - 8, truth[256].Y + 8);
        Assert.Equal(100, estimate[^1].Y, 6);
    }

    [Fact]
    public void ChartsOfASampledScanSayTheyAreEstimatesAndFullScansKeepTheirTitles()
    {
        var histogram = SweepCharts.ZeroSubpages("h", [SampledScan], null, null);
        Assert.Equal("h (estimated from a 5% sample)", histogram.Title);
        Assert.Equal("THPs (estimated)", histogram.Y.Label);
        var cumulative = SweepCharts.Cumulative("c", [SampledScan], null, null);
        Assert.Equal("c (estimated from a 5% sample)", cumulative.Title);
        Assert.EndsWith("(estimated)", cumulative.Y.Label);
        Assert.Equal(("h", "THPs"), (SweepCharts.ZeroSubpages("h", [Full], null, null).Title, SweepCharts.ZeroSubpages("h", [Full], null, null).Y.Label));
        Assert.Equal("c", SweepCharts.Cumulative("c", [Full], null, null).Title);
    }

    [Fact]
    public void ASampleReadWholeDrawsTheFullScansHistogram()
    {
        var whole = Full with { Sample = new ContentSample { Fraction = 1, Seed = 3 } };
        Assert.Equal(Bins(Full), Bins(whole));
    }

    [Fact]
    public void RollupsEstimateEachProcessAndCgroupFromItsOwnSample()
    {
        // Two cgroups: the 2,000-THP process sampled at 5% with the 20-THP one read whole, and the 600-THP one.
        ScanFile WithCgroups(ScanFile s) => s with { Processes = s.Processes.Select(p => p with { Cgroup = p.Pid == 200 ? "/b" : "/a" }).ToList() };
        var (truth, estimate) = (WithCgroups(Full), WithCgroups(SampledScan));
        var exact = Rollup.PerProcess(truth).ToDictionary(l => l.Name, l => l.ZeroSubpages);
        var estimated = Rollup.PerProcess(estimate).ToDictionary(l => l.Name, l => l.ZeroSubpages);
        Assert.Equal(exact["300 p300"], estimated["300 p300"]);  // read whole: exact
        foreach (var name in new[] { "100 p100", "200 p200" })
            Assert.InRange(estimated[name], 0.8 * exact[name], 1.2 * exact[name]);
        var cgroups = Rollup.PerCgroup(estimate).ToDictionary(l => l.Name, l => l.ZeroSubpages);
        // A cgroup adds its processes' estimates: the whole-read small process is not scaled up with the sampled one.
        long added = estimated["100 p100"] + estimated["300 p300"];
        Assert.InRange(cgroups["/a"], added - 1, added + 1);  // each line rounded
        Assert.Equal(estimated["200 p200"], cgroups["/b"]);
    }

    [Fact]
    public void TheScanSummarySaysTheRollupsAreEstimatesAndWeighsEachProcessByItsOwnSample()
    {
        // 2,000 THPs without a zero subpage sampled at 5%, and 20 wholly zero THPs read whole: 20 of 2,020 THPs are zero.
        static ProcessScan Process(int pid, int count, int zero, ulong pfn) => new()
        {
            Pid = pid, Comm = $"p{pid}",
            Vmas = [new VmaScan
            {
                Start = 1UL << 21, End = (ulong)(count + 1) << 21, Perms = "rw-p", Flags = ["rd", "wr"],
                Thps = Enumerable.Range(0, count).Select(i => new ThpRecord { Address = (ulong)(i + 1) << 21, Pfn = pfn + (ulong)i * 512, Mapping = ThpMapping.Pmd, ZeroSubpages = zero }).ToList(),
            }],
        };
        var full = Full with { Processes = [Process(1, 2000, 0, 0x100000), Process(2, 20, 512, 0x900000)] };
        var text = ScanSummary.Describe(Sampled(full, 11));
        // Pooling the 120 THPs read would let the 20 zero ones stand for 17 each: "about 17%".
        Assert.Contains("2,020 THPs (3.95 GiB), about 1% of their subpages all-zero (40 MiB)", text);
        Assert.Contains("zero subpages (est.)", text);
        Assert.Contains("zero subpages in the tables above: estimated from a 5% sample", text);
        Assert.DoesNotContain("(est.)", ScanSummary.Describe(full));
    }

    [Fact]
    public void TheUffdArmedVmaTableEstimatesItsSplitsFromTheThpsRead()
    {
        ScanFile Armed(ScanFile s) => s with { Processes = s.Processes.Select(p => p with { Vmas = p.Vmas.Select(v => v with { Flags = ["rd", "wr", "um"] }).ToList() }).ToList() };
        int[] thresholds = [64, 256, 448];
        var truth = Sweep.Run(Armed(Full), thresholds);
        var estimate = Sweep.Run(Armed(SampledScan), thresholds);
        var big = (Truth: truth.UffdVmas.Single(u => u.Pid == 100), Estimate: estimate.UffdVmas.Single(u => u.Pid == 100));
        for (int i = 0; i < thresholds.Length; i++)
        {
            Assert.InRange(big.Estimate.SplitsAtThreshold[i], 0.8 * big.Truth.SplitsAtThreshold[i], 1.2 * big.Truth.SplitsAtThreshold[i]);
            // The table and the sweep's uffd column are one estimate.
            long table = estimate.UffdVmas.Sum(u => (long)u.SplitsAtThreshold[i]);
            Assert.InRange(estimate.Rows[i].UffdThpsSplit, table - 2, table + 2);  // each VMA's count rounded
        }
    }

    [Fact]
    public async Task MergeRefusesASampledScanWithItsOwnExitCodeAndWritesNothing()
    {
        using var dir = new TempDir();
        var sampled = Path.Combine(dir.Path, "sampled.json");
        ScanFileStore.Save(SampledScan, sampled);
        var output = Path.Combine(dir.Path, "fleet.json");
        var r = await Thptool.RunAsync("merge", sampled, "-o", output);
        Assert.Equal((int)ExitCode.SampledScan, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("read only a sample of THPs (--sample); merge takes full scans", line);
        Assert.False(File.Exists(output));
    }
}

/// <summary>The report's HTML, JSON and charts of a sampled scan: each zero-subpage figure says it is an estimate.</summary>
public class SampledReportTests
{
    static ScanFile WithCgroups(ScanFile s) => s with { Processes = s.Processes.Select(p => p with { Cgroup = $"/c{p.Pid % 3}" }).ToList() };

    [Fact]
    public void TheHtmlReportSaysWhichFiguresAreEstimates()
    {
        var html = Html.HtmlReportTests.Render(WithCgroups(Sampled(Population(), 2)));
        string text = Html.HtmlReportTests.Parse(html).Root!.Value;
        Assert.Contains("Sampled scan: contents read for 5% of each process's THPs (at least 30; seed 2)", text);
        Assert.Contains("Zero subpages (est.)", text);
        var full = Html.HtmlReportTests.Parse(Html.HtmlReportTests.Render(WithCgroups(Population()))).Root!.Value;
        Assert.DoesNotContain("(est.)", full);
        Assert.DoesNotContain("Sampled scan", full);
        Assert.DoesNotContain("not read", full);
    }

    [Fact]
    public void AVmaNoneOfWhoseThpsWereReadShowsNotReadRatherThanNoZeroSubpages()
    {
        var sampled = Sampled(Population(), 2);
        var unread = new VmaScan
        {
            Start = 0x7f0000000000, End = 0x7f0000600000, Perms = "rw-p", Flags = ["rd", "wr"],
            Thps = Enumerable.Range(0, 3).Select(i => new ThpRecord { Address = 0x7f0000000000 + ((ulong)i << 21), Pfn = 0x9000000 + (ulong)i * 512, Mapping = ThpMapping.Pmd, ZeroSubpages = 0, Unread = true }).ToList(),
        };
        var scan = sampled with { Processes = sampled.Processes.Select(p => p.Pid == 100 ? p with { Vmas = [.. p.Vmas, unread] } : p).ToList() };
        var vma = ThpTool.Report.Analysis.ReportAnalysis.Of([("a.json", scan)], ThresholdSet.All, RemapPolicy.Upstream).Hosts[0].Vmas.Single(v => v.Start == unread.Start);
        Assert.True(vma.ContentsUnread);
        var row = Html.HtmlReportTests.Parse(Html.HtmlReportTests.Render(scan)).Descendants("tr")
            .Single(tr => tr.Value.Contains("7f0000000000") && !tr.Value.Contains("mlocked"));
        Assert.Contains("not read", row.Value);
        Assert.DoesNotContain("0%", row.Value);
    }

    [Fact]
    public void EveryChartOfASampledScanIsTitledAnEstimate()
    {
        var scan = WithCgroups(Sampled(Population(), 2));
        var sweep = Sweep.Run(scan, ThresholdSet.All);
        var advice = ThpTool.Report.Advice.ThresholdAdvisor.Advise(sweep.Rows, 511);
        var cgroups = ThpTool.Report.Analysis.CgroupSweeps.Of(scan, ThresholdSet.All, RemapPolicy.Upstream);
        var plots = SweepCharts.All("h", sweep, [scan], 511, advice, [], cgroups);
        Assert.Equal(5, plots.Count);
        Assert.All(plots, p => Assert.EndsWith("(estimated from a 5% sample)", p.Chart.Title));
    }

    [Fact]
    public void JsonSummariesCarryTheSampleOnlyWhenThereIsOne()
    {
        var sampled = ThpTool.Report.Json.ScanSummaryDocument.From(Sampled(Population(), 2)).ToJson();
        Assert.Contains("\"sample\": {", sampled);
        Assert.Contains("\"fraction\": 0.05", sampled);
        Assert.DoesNotContain("\"sample\"", ThpTool.Report.Json.ScanSummaryDocument.From(Population()).ToJson());
        var report = ThpTool.Report.Json.ReportDocument.From(ThpTool.Report.Analysis.ReportAnalysis.Of([("a.json", Sampled(Population(), 2))], [0, 256], RemapPolicy.Upstream)).ToJson();
        Assert.Contains("\"seed\": 2", report);
    }

    static IReadOnlyList<HostSweep> Hosts(ScanFile scan) => FleetSweep.Run(scan, ThresholdSet.All, RemapPolicy.Upstream);

    [Fact]
    public void SweepJsonCarriesTheSampleAsReportJsonDoesOnlyWhenThereIsOne()
    {
        var scan = Sampled(Population(), 2);
        using var sweep = JsonDocument.Parse(SweepDocument.ToJson(Hosts(scan), ThpTool.Report.Advice.ThresholdAdvisor.DefaultTargetShare));
        using var report = JsonDocument.Parse(ReportDocument.From(ReportAnalysis.Of([("a.json", scan)], [0, 256], RemapPolicy.Upstream)).ToJson());
        var sample = sweep.RootElement.GetProperty("sample");
        Assert.Equal(0.05, sample.GetProperty("fraction").GetDouble());
        Assert.Equal(2UL, sample.GetProperty("seed").GetUInt64());
        Assert.Equal(30, sample.GetProperty("minimumPerStratum").GetInt32());
        Assert.Equal(JsonSerializer.Serialize(report.RootElement.GetProperty("hosts")[0].GetProperty("sample")), JsonSerializer.Serialize(sample));
        var full = SweepDocument.ToJson(Hosts(Population()), ThpTool.Report.Advice.ThresholdAdvisor.DefaultTargetShare);
        Assert.DoesNotContain("\"sample\"", full);
        Assert.DoesNotContain("\"estimate\"", full);
    }

    [Fact]
    public void PrometheusGivesTheSampleFractionAndOneForAFullScan()
    {
        string host = Population().Host;
        var sampled = PrometheusTextfile.Render(Hosts(Sampled(Population(), 2)));
        Assert.Contains("# HELP thptool_sample_fraction The scan's --sample fraction", sampled);
        Assert.Contains("# TYPE thptool_sample_fraction gauge\n", sampled);
        Assert.Contains($"\nthptool_sample_fraction{{host=\"{host}\"}} 0.05\n", sampled);
        Assert.Contains($"\nthptool_sample_fraction{{host=\"{host}\"}} 1\n", PrometheusTextfile.Render(Hosts(Population())));
    }

    [Fact]
    public void TheRecommendationOfASampledScanSaysItIsAnEstimateWithTheIntervalOfBytesFreedThere()
    {
        var scan = Sampled(Population(), 2);
        var host = ReportAnalysis.Of([("a.json", scan)], ThresholdSet.All, RemapPolicy.Upstream).Hosts[0];
        var row = host.Sweep.Rows.Single(r => r.MaxPtesNone == host.Advice.Recommended);
        Assert.True(row.BytesFreedCiLow < row.BytesFreed && row.BytesFreed < row.BytesFreedCiHigh);
        string estimate = $"Chosen from figures estimated from a 5% sample: the underused rule would free {Units.Bytes(row.BytesFreed)} at {row.MaxPtesNone} " +
                          $"(95% interval {Units.Bytes(row.BytesFreedCiLow)} to {Units.Bytes(row.BytesFreedCiHigh)}).";
        Assert.Equal(estimate, host.Advice.Estimate);
        Assert.Equal($"Recommended max_ptes_none {row.MaxPtesNone}. {estimate} {host.Advice.Reason}", host.Advice.Sentence);
        Assert.Contains(estimate, Html.HtmlReportTests.Parse(Html.HtmlReportTests.Render(scan)).Root!.Value);

        var full = ReportAnalysis.Of([("a.json", Population())], ThresholdSet.All, RemapPolicy.Upstream).Hosts[0].Advice;
        Assert.Null(full.Estimate);
        Assert.Equal($"Recommended max_ptes_none {full.Recommended}. {full.Reason}", full.Sentence);
    }
}
