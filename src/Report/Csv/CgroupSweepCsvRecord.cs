using CsvHelper;

namespace ThpTool.Report.Csv;

/// <summary>One cgroup (a service) at one threshold, summed over every host of a dataset. New columns go at the end.</summary>
[CsvRecord]
public sealed partial record CgroupSweepCsvRecord
{
    [CsvColumn("max_ptes_none")] public int MaxPtesNone { get; init; }
    [CsvColumn("cgroup")] public string Cgroup { get; init; } = "";
    [CsvColumn("thps_scanned")] public long ThpsScanned { get; init; }
    [CsvColumn("thps_split")] public long ThpsSplit { get; init; }
    [CsvColumn("bytes_freed")] public long BytesFreed { get; init; }
    [CsvColumn("partial_bytes_freed")] public long PartialBytesFreed { get; init; }
    [CsvColumn("ranges_collapsed")] public long RangesCollapsed { get; init; }
    [CsvColumn("bytes_grown")] public long BytesGrown { get; init; }
    [CsvColumn("net_bytes_freed")] public long NetBytesFreed { get; init; }
    [CsvColumn("thp_bytes_before")] public long ThpBytesBefore { get; init; }
    [CsvColumn("thp_bytes_after")] public long ThpBytesAfter { get; init; }
    [CsvColumn("remap_policy")] public string RemapPolicy { get; init; } = "";
}
