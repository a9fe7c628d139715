using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Scanner.KernelModel;

/// <summary>One host's sweep, or the fleet total under the host name <see cref="FleetSweep.FleetHost"/>.</summary>
/// <param name="Sample">How a sampled scan chose the THPs it read, which makes splits and bytes freed estimates; null for a full scan.</param>
public sealed record HostSweep(string Host, string Kernel, DateTimeOffset ScanTime, double ScanSeconds, KernelSettings Settings, SweepResult Result,
                               ContentSample? Sample = null);

/// <summary>Sweeps a single-host scan or every host of a merged file, and adds hosts up into the fleet.</summary>
public static class FleetSweep
{
    /// <summary>The host name of the fleet total rows.</summary>
    public const string FleetHost = "*";

    public static IReadOnlyList<HostSweep> Run(ScanFile scan, IReadOnlyList<int> thresholds, RemapPolicy policy)
    {
        if (scan.Hosts is null)
            return [new HostSweep(scan.Host, scan.Kernel, scan.Timestamp, scan.DurationSeconds, scan.Settings, Sweep.Run(scan, thresholds, policy), scan.Sample)];
        return scan.Hosts.Select(h => new HostSweep(h.Host, h.Kernel, h.Timestamp, h.DurationSeconds, h.Settings, HistogramSweep.Run(h, thresholds, policy))).ToArray();
    }

    /// <summary>
    /// The hosts added up; its scan time is the newest host's, its duration the sum, its settings the first host's,
    /// its sample the smallest fraction of any sampled host's (an estimate as soon as one host is).
    /// </summary>
    public static HostSweep Total(IReadOnlyList<HostSweep> hosts)
    {
        var rows = hosts[0].Result.Rows.ToArray();
        foreach (var host in hosts.Skip(1))
            for (int i = 0; i < rows.Length; i++) rows[i] = rows[i].Plus(host.Result.Rows[i]);
        var first = hosts[0];
        return new HostSweep(FleetHost, string.Join(", ", hosts.Select(h => h.Kernel).Distinct()), hosts.Max(h => h.ScanTime), hosts.Sum(h => h.ScanSeconds), first.Settings,
                             new SweepResult(rows, hosts.SelectMany(h => h.Result.UffdVmas).ToArray(), first.Result.Policy),
                             hosts.Select(h => h.Sample).OfType<ContentSample>().MinBy(s => s.Fraction));
    }
}
