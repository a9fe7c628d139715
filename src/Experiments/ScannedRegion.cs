using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Experiments;

/// <summary>The part of a scan that is one workload's region, so the runtime's own memory never counts.</summary>
public static class ScannedRegion
{
    public static IEnumerable<(ThpRecord Thp, VmaScan Vma)> Thps(ScanFile scan, int pid, ulong address, ulong size) =>
        Vmas(scan, pid, address, size).SelectMany(v => v.Thps.Select(t => (t, v)));

    public static IEnumerable<(MthpRecord Mthp, VmaScan Vma)> PartialMthps(ScanFile scan, int pid, ulong address, ulong size) =>
        Vmas(scan, pid, address, size).SelectMany(v => v.PartialMthps.Select(m => (m, v)));

    static IEnumerable<VmaScan> Vmas(ScanFile scan, int pid, ulong address, ulong size) =>
        scan.Processes.Where(p => p.Pid == pid)
            .SelectMany(p => p.Vmas)
            .Where(v => v.Start < address + size && v.End > address);
}
