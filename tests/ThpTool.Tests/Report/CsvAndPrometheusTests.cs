using System.Globalization;
using CsvHelper;
using ThpTool.Report.Csv;
using ThpTool.Report.Prometheus;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;
using ThpTool.Tests.Support;

namespace ThpTool.Tests.Report;

public sealed class CsvAndPrometheusTests
{
    /// <summary>The documented contract (docs/fleet.md); changing it breaks users' loaders.</summary>
    static readonly string[] Columns =
    [
        "max_ptes_none", "thps_scanned", "thps_split", "bytes_freed", "mlocked_skipped", "uffd_thps_split", "partial_thps_split",
        "partial_bytes_freed", "subpages_zero_mapped", "subpages_pte_none", "ranges_collapsed", "bytes_grown", "ping_pong_ranges",
        "net_bytes_freed", "thp_bytes_before", "thp_bytes_after", "remap_policy", "host", "scan_time", "partial_mthps_split", "partial_mthp_bytes_freed",
        "thps_split_ci_low", "thps_split_ci_high", "bytes_freed_ci_low", "bytes_freed_ci_high",
    ];

    static IReadOnlyList<HostSweep> Fleet() =>
        FleetSweep.Run(ScanMerge.Merge([SyntheticScans.Seeded(1, "a"), SyntheticScans.Seeded(2, "b")]), ThresholdSet.All, RemapPolicy.Upstream);

    [Fact]
    public void FleetCsvReadsBackWithOneHeaderEveryHostAndTheTotal()
    {
        var hosts = Fleet();
        var text = Csv(hosts);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', Columns), lines[0]);
        Assert.Equal(1, lines.Count(l => l.StartsWith("max_ptes_none", StringComparison.Ordinal)));
        Assert.DoesNotContain('\r', text);

        using var reader = CsvReader.FromText(text, CsvReaderOptions.Default with { FormatProvider = CultureInfo.InvariantCulture });
        var records = reader.GetRecords<SweepCsvRecord>().ToList();
        Assert.Equal(3 * 512, records.Count);
        var total = records.Where(r => r.Host == "*").ToList();
        Assert.Equal(512, total.Count);
        var fleet = FleetSweep.Total(hosts).Result.Rows;
        Assert.Equal(fleet.Select(r => r.NetBytesFreed), total.Select(r => r.NetBytesFreed));
        Assert.All(records, r => Assert.True(DateTimeOffset.TryParseExact(r.ScanTime, SweepCsv.TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _)));
        Assert.Equal(["a", "b", "*"], records.Select(r => r.Host).Distinct());
    }

    [Fact]
    public void PrometheusHasGaugesPerHostAndThreshold()
    {
        var text = PrometheusTextfile.Render(Fleet());
        var samples = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToList();
        Assert.Equal(2 * 512, samples.Count(l => l.StartsWith("thptool_underused_bytes_freed{", StringComparison.Ordinal)));
        Assert.Contains("thptool_max_ptes_none{host=\"a\"} 511", samples);
        Assert.Contains("# TYPE thptool_scan_timestamp_seconds gauge", text);
        Assert.Single(samples, l => l.StartsWith("thptool_underused_thps_split{host=\"b\",max_ptes_none=\"409\"} ", StringComparison.Ordinal));
        // Every sample line is: name{labels} number.
        Assert.All(samples, l => Assert.Matches(@"^thptool_[a-z_]+\{host=""[^""]+""(,max_ptes_none=""\d+"")?\} -?[0-9.eE+]+$", l));
    }

    static string Csv(IReadOnlyList<HostSweep> hosts)
    {
        using var stream = new MemoryStream();
        SweepCsv.Write(stream, hosts);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
