using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Memory;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Report.Analysis;

/// <summary>What one threshold does to a process or a VMA: a sweep row restricted to it.</summary>
public sealed record ThresholdFigures(int Threshold, long ThpsSplit, long NetBytesFreed)
{
    public static IReadOnlyList<ThresholdFigures> Of(SweepResult sweep) =>
        sweep.Rows.Select(r => new ThresholdFigures(r.MaxPtesNone, r.ThpsSplit + r.PartialThpsSplit, r.NetBytesFreed)).ToArray();
}

/// <summary>A process's own THPs (shared ones counted in the first process that maps them) and its savings.</summary>
public sealed record ProcessFigures(int Pid, string Comm, string Cmdline, bool IsDotnet, long Thps, long ZeroSubpages,
                                    long MlockedThps, IReadOnlyList<ThresholdFigures> AtThreshold);

/// <summary>One VMA with THPs or collapse candidates, and its savings.</summary>
public sealed record VmaFigures(int Pid, string Comm, bool IsDotnet, ulong Start, ulong End, string Path, IReadOnlyList<string> Flags,
                                long Thps, long ZeroSubpages, long MlockedThps, IReadOnlyList<ThresholdFigures> AtThreshold)
{
    public bool Mlocked => Flags.Contains(VmFlagCodes.Locked) || MlockedThps > 0;
    /// <summary>A sampled scan read none of its THPs: its zero subpages and what splits free here are unknown, not 0.</summary>
    public bool ContentsUnread { get; init; }
    public bool UffdArmed => Flags.Any(VmFlagCodes.IsUffd);
}

internal static class Tally
{
    /// <summary>
    /// Fully mapped own THPs, their zero subpages, and how many of them the shrinker may not touch. In a sampled scan the
    /// zero subpages of the THPs read stand for all of them (a ratio estimate; the sweep's intervals are the careful ones).
    /// </summary>
    public static (long Thps, long Zero, long Mlocked) Of(IEnumerable<VmaScan> vmas)
    {
        long thps = 0, read = 0, zero = 0, locked = 0;
        foreach (var vma in vmas)
            foreach (var thp in Sweep.Own(vma))
            {
                if (thp.Mapping == ThpMapping.Partial) continue;
                thps++;
                if (!thp.Unread)
                {
                    read++;
                    zero += thp.ZeroSubpages;
                }
                if (vma.Mlocked || thp.FolioMlocked) locked++;
            }
        return (thps, read == thps || read == 0 ? zero : (long)Math.Round((double)zero * thps / read), locked);
    }

    /// <summary>
    /// Anonymous mTHP by folio size, smallest first: how many were seen and how many of them are partially mapped.
    /// A folio another process also maps counts in each (only partially mapped ones are kept by address).
    /// </summary>
    public static List<MthpSize> Mthps(IEnumerable<VmaScan> vmas)
    {
        var seen = new SortedDictionary<int, (long Folios, long Partial)>();
        foreach (var vma in vmas)
        {
            foreach (var (kb, count) in vma.Others.MthpsByKb)
                seen[kb] = (seen.GetValueOrDefault(kb).Folios + count, seen.GetValueOrDefault(kb).Partial);
            foreach (var m in vma.PartialMthps)
            {
                int kb = m.Pages * Geometry.PageSize / 1024;
                seen[kb] = (seen.GetValueOrDefault(kb).Folios, seen.GetValueOrDefault(kb).Partial + 1);
            }
        }
        return seen.Select(s => new MthpSize(s.Key, s.Value.Folios, s.Value.Partial)).ToList();
    }

    /// <summary>Own partially mapped THPs: split at every pass, so counted apart from the rest.</summary>
    public static long Partial(IEnumerable<VmaScan> vmas) =>
        vmas.Sum(v => Sweep.Own(v).LongCount(t => t.Mapping == ThpMapping.Partial));
}

/// <summary>The anonymous mTHP of one folio size a scan saw.</summary>
public sealed record MthpSize(int Kb, long Folios, long Partial);
