using ThpTool.Scanner.Memory;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Scanner.KernelModel;

/// <summary>
/// What each THP record stands for in counts built from zero subpages: in a sampled scan a read THP stands for
/// population/read of its stratum (its process's fully or partially mapped own THPs), as in the sweep's estimates, and
/// an unread one for nothing; in a full scan every THP stands for itself. A THP counted in an earlier process takes
/// that process's weight, since it was read (or not) there.
/// </summary>
public sealed class SampleWeights
{
    readonly bool sampled;
    readonly Dictionary<(int Pid, bool Partial), (long Population, long Read)> strata = [];
    readonly Dictionary<ulong, double> byPfn = [];

    SampleWeights(ScanFile scan)
    {
        sampled = scan.Sample is not null;
        foreach (var (process, vma) in Sweep.Vmas(scan))
            foreach (var thp in Sweep.Own(vma))
            {
                var key = (process.Pid, thp.Mapping == ThpMapping.Partial);
                var (population, read) = strata.GetValueOrDefault(key);
                strata[key] = (population + 1, read + (thp.Unread ? 0 : 1));
            }
        if (!sampled) return;
        foreach (var (process, vma) in Sweep.Vmas(scan))
            foreach (var thp in Sweep.Own(vma))
                if (thp.Pfn != 0 && !thp.Unread) byPfn[thp.Pfn] = Weight(process.Pid, thp.Mapping == ThpMapping.Partial);
    }

    public static SampleWeights Of(ScanFile scan) => new(scan);

    /// <summary>0 for a THP not read; 1 for every THP of a full scan.</summary>
    public double Of(ProcessScan process, ThpRecord thp)
    {
        if (!sampled) return 1;
        if (thp.Unread) return 0;
        return thp.CountedInPid is not null && byPfn.TryGetValue(thp.Pfn, out double owner) ? owner
            : Weight(process.Pid, thp.Mapping == ThpMapping.Partial);
    }

    /// <summary>What each read own THP of a process's stratum stands for: population/read (1 in a full scan; 0 if none was read).</summary>
    public double Weight(int pid, bool partial)
    {
        if (!sampled) return 1;
        var (population, read) = Stratum(pid, partial);
        return read == 0 ? 0 : (double)population / read;
    }

    /// <summary>A process's own fully (or partially) mapped THPs: how many, and how many of them were read.</summary>
    public (long Population, long Read) Stratum(int pid, bool partial) => strata.GetValueOrDefault((pid, partial));
}
