using CsvHelper;
using ThpTool.Scanner.KernelModel;

namespace ThpTool.Report.Csv;

/// <summary>Per-cgroup sweep rows as CSV, in the same dialect as <see cref="SweepCsv"/>: which services gain most at each threshold.</summary>
public static class CgroupSweepCsv
{
    public static void Write(Stream stream, IEnumerable<(string Cgroup, SweepResult Result)> cgroups)
    {
        using var writer = CsvWriter.Create(stream, SweepCsv.Options, leaveOpen: true);
        writer.WriteRecords(cgroups.SelectMany(c => c.Result.Rows.Select(r => new CgroupSweepCsvRecord
        {
            MaxPtesNone = r.MaxPtesNone,
            Cgroup = c.Cgroup,
            ThpsScanned = r.ThpsScanned,
            ThpsSplit = r.ThpsSplit,
            BytesFreed = r.BytesFreed,
            PartialBytesFreed = r.PartialBytesFreed,
            RangesCollapsed = r.RangesCollapsed,
            BytesGrown = r.BytesGrown,
            NetBytesFreed = r.NetBytesFreed,
            ThpBytesBefore = r.ThpBytesBefore,
            ThpBytesAfter = r.ThpBytesAfter,
            RemapPolicy = c.Result.Policy.ToString().ToLowerInvariant(),
        })));
    }
}
