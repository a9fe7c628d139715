using CsvHelper;

namespace ThpTool.Report.Csv;

/// <summary>
/// One sweep row as CSV. Column names are a contract (scripts and SQL loads depend on them): the first four are
/// fixed, new columns only ever go at the end.
/// </summary>
[CsvRecord]
public sealed partial record SweepCsvRecord
{
    [CsvColumn("max_ptes_none")] public int MaxPtesNone { get; init; }
    [CsvColumn("thps_scanned")] public long ThpsScanned { get; init; }
    [CsvColumn("thps_split")] public long ThpsSplit { get; init; }
    [CsvColumn("bytes_freed")] public long BytesFreed { get; init; }
    [CsvColumn("mlocked_skipped")] public long MlockedSkipped { get; init; }
    [CsvColumn("uffd_thps_split")] public long UffdThpsSplit { get; init; }
    [CsvColumn("partial_thps_split")] public long PartialThpsSplit { get; init; }
    [CsvColumn("partial_bytes_freed")] public long PartialBytesFreed { get; init; }
    [CsvColumn("subpages_zero_mapped")] public long SubpagesZeroMapped { get; init; }
    [CsvColumn("subpages_pte_none")] public long SubpagesPteNone { get; init; }
    [CsvColumn("ranges_collapsed")] public long RangesCollapsed { get; init; }
    [CsvColumn("bytes_grown")] public long BytesGrown { get; init; }
    [CsvColumn("ping_pong_ranges")] public long PingPongRanges { get; init; }
    [CsvColumn("net_bytes_freed")] public long NetBytesFreed { get; init; }
    [CsvColumn("thp_bytes_before")] public long ThpBytesBefore { get; init; }
    [CsvColumn("thp_bytes_after")] public long ThpBytesAfter { get; init; }
    [CsvColumn("remap_policy")] public string RemapPolicy { get; init; } = "";
    [CsvColumn("host")] public string Host { get; init; } = "";
    [CsvColumn("scan_time")] public string ScanTime { get; init; } = "";
    [CsvColumn("partial_mthps_split")] public long PartialMthpsSplit { get; init; }
    [CsvColumn("partial_mthp_bytes_freed")] public long PartialMthpBytesFreed { get; init; }
}
