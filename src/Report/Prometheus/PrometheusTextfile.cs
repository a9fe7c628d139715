using System.Globalization;
using System.Text;
using ThpTool.Scanner.KernelModel;

namespace ThpTool.Report.Prometheus;

/// <summary>
/// The node_exporter textfile-collector format: gauges labelled by host (and max_ptes_none for the sweep), so a
/// fleet's files sum in PromQL. The fleet total is left to PromQL rather than written as a fake host.
/// </summary>
public static class PrometheusTextfile
{
    public static string Render(IReadOnlyList<HostSweep> hosts)
    {
        var text = new StringBuilder();
        PerThreshold(text, hosts, "thptool_underused_thps_split", "THPs the underused-THP shrinker would split at this max_ptes_none.", r => r.ThpsSplit);
        PerThreshold(text, hosts, "thptool_underused_bytes_freed", "Bytes the underused-THP shrinker would free at this max_ptes_none.", r => r.BytesFreed);
        const string interval = " (a sampled scan's 95% interval; the value itself when every THP was read)";
        PerThreshold(text, hosts, "thptool_underused_thps_split_ci_low", "Lower bound of thptool_underused_thps_split" + interval + ".", r => r.ThpsSplitCiLow);
        PerThreshold(text, hosts, "thptool_underused_thps_split_ci_high", "Upper bound of thptool_underused_thps_split" + interval + ".", r => r.ThpsSplitCiHigh);
        PerThreshold(text, hosts, "thptool_underused_bytes_freed_ci_low", "Lower bound of thptool_underused_bytes_freed" + interval + ".", r => r.BytesFreedCiLow);
        PerThreshold(text, hosts, "thptool_underused_bytes_freed_ci_high", "Upper bound of thptool_underused_bytes_freed" + interval + ".", r => r.BytesFreedCiHigh);
        PerThreshold(text, hosts, "thptool_net_bytes_freed", "Bytes freed by splits minus bytes grown by khugepaged collapses at this max_ptes_none.", r => r.NetBytesFreed);
        PerHost(text, hosts, "thptool_sample_fraction", "The scan's --sample fraction: at least this share of each process's THPs had their contents read (1: every THP, so nothing is estimated).", h => h.Sample?.Fraction ?? 1);
        PerHost(text, hosts, "thptool_thps_scanned", "Fully mapped anonymous THPs found by the scan.", h => h.Result.Rows.Count > 0 ? h.Result.Rows[0].ThpsScanned : 0);
        PerHost(text, hosts, "thptool_max_ptes_none", "/sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_none at scan time.", h => h.Settings.MaxPtesNone);
        PerHost(text, hosts, "thptool_shrink_underused", "/sys/kernel/mm/transparent_hugepage/shrink_underused at scan time (-1: kernel without it).", h => h.Settings.ShrinkUnderused);
        PerHost(text, hosts, "thptool_scan_duration_seconds", "How long the scan took.", h => h.ScanSeconds);
        PerHost(text, hosts, "thptool_scan_timestamp_seconds", "When the scan was taken, in Unix seconds.", h => h.ScanTime.ToUnixTimeMilliseconds() / 1000.0);
        return text.ToString();
    }

    static void PerThreshold(StringBuilder text, IReadOnlyList<HostSweep> hosts, string name, string help, Func<SweepRow, long> value)
    {
        Header(text, name, help);
        foreach (var host in hosts)
            foreach (var row in host.Result.Rows)
                text.Append(name).Append("{host=\"").Append(Escape(host.Host)).Append("\",max_ptes_none=\"")
                    .Append(row.MaxPtesNone.ToString(CultureInfo.InvariantCulture)).Append("\"} ")
                    .Append(value(row).ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    static void PerHost(StringBuilder text, IReadOnlyList<HostSweep> hosts, string name, string help, Func<HostSweep, double> value)
    {
        Header(text, name, help);
        foreach (var host in hosts)
            text.Append(name).Append("{host=\"").Append(Escape(host.Host)).Append("\"} ")
                .Append(value(host).ToString("R", CultureInfo.InvariantCulture)).Append('\n');
    }

    static void Header(StringBuilder text, string name, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(" gauge\n");

    static string Escape(string label) => label.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
