using System.Globalization;
using CsvHelper;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Scans;

namespace ThpTool.Report.Csv;

/// <summary>Writes sweep rows as RFC 4180 CSV with one header, invariant culture and LF line ends.</summary>
public static class SweepCsv
{
    public static void Write(Stream stream, ScanFile scan, SweepResult sweep)
    {
        var options = CsvWriterOptions.Default with { NewLine = "\n", FormatProvider = CultureInfo.InvariantCulture };
        using var writer = CsvWriter.Create(stream, options, leaveOpen: true);
        writer.WriteRecords(sweep.Rows.Select(r => ToRecord(r, scan, sweep.Policy)));
    }

    public static SweepCsvRecord ToRecord(SweepRow r, ScanFile scan, RemapPolicy policy) => new()
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
        RemapPolicy = policy.ToString().ToLowerInvariant(),
        Host = scan.Host,
        ScanTime = scan.Timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
    };
}
