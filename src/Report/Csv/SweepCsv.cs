using System.Globalization;
using CsvHelper;
using ThpTool.Scanner.KernelModel;

namespace ThpTool.Report.Csv;

/// <summary>
/// Writes sweep rows as RFC 4180 CSV with one header, invariant culture and LF line ends: every host's rows, then,
/// when there are several hosts, the fleet total under host "*".
/// </summary>
public static class SweepCsv
{
    public const string TimeFormat = "yyyy-MM-ddTHH:mm:ssZ";

    public static void Write(Stream stream, IReadOnlyList<HostSweep> hosts)
    {
        // A host name such as "=cmd|..." would run as a formula in a spreadsheet: text cells get the leading quote, numbers stay numbers.
        var options = CsvWriterOptions.Default with { NewLine = "\n", FormatProvider = CultureInfo.InvariantCulture, Injection = CsvInjection.Escape };
        using var writer = CsvWriter.Create(stream, options, leaveOpen: true);
        var all = hosts.Count > 1 ? hosts.Append(FleetSweep.Total(hosts)) : hosts;
        writer.WriteRecords(all.SelectMany(h => h.Result.Rows.Select(r => ToRecord(r, h))));
    }

    public static SweepCsvRecord ToRecord(SweepRow r, HostSweep host) => new()
    {
        MaxPtesNone = r.MaxPtesNone,
        ThpsScanned = r.ThpsScanned,
        ThpsSplit = r.ThpsSplit,
        BytesFreed = r.BytesFreed,
        MlockedSkipped = r.MlockedSkipped,
        UffdThpsSplit = r.UffdThpsSplit,
        PartialThpsSplit = r.PartialThpsSplit,
        PartialBytesFreed = r.PartialBytesFreed,
        SubpagesZeroMapped = r.SubpagesZeroMapped,
        SubpagesPteNone = r.SubpagesPteNone,
        RangesCollapsed = r.RangesCollapsed,
        BytesGrown = r.BytesGrown,
        PingPongRanges = r.PingPongRanges,
        NetBytesFreed = r.NetBytesFreed,
        ThpBytesBefore = r.ThpBytesBefore,
        ThpBytesAfter = r.ThpBytesAfter,
        RemapPolicy = host.Result.Policy.ToString().ToLowerInvariant(),
        Host = host.Host,
        ScanTime = host.ScanTime.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture),
        PartialMthpsSplit = r.PartialMthpsSplit,
        PartialMthpBytesFreed = r.PartialMthpBytesFreed,
    };
}
