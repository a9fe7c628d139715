using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Scanner.Procfs;

/// <summary>One mapping as /proc/PID/smaps describes it; ShmemPmdMappedKb counts shmem THPs mapped by a PMD.</summary>
public sealed record SmapsVma(
    ulong Start, ulong End, string Perms, ulong Offset, string Path,
    IReadOnlyList<string> Flags, long RssKb, long AnonHugePagesKb, long ShmemPmdMappedKb = 0)
{
    /// <summary>Resident anonymous memory ("Anonymous").</summary>
    public long AnonymousKb { get; init; }

    /// <summary>Resident memory mapped more than once ("Shared_Clean" + "Shared_Dirty").</summary>
    public long SharedKb { get; init; }

    /// <summary>Every resident page is anonymous and mapped by this VMA alone, as pagemap's exclusive bit would say.</summary>
    public bool OnlyExclusiveAnonymous => SharedKb == 0 && AnonymousKb == RssKb;

    public bool Has(string flag) => Flags.Contains(flag);

    /// <summary>hugetlbfs, VM_IO and VM_PFNMAP mappings hold no THPs and must not be read.</summary>
    public bool Scannable => !Has("ht") && !Has("io") && !Has("pf") && Path != "[vsyscall]";

    /// <summary>Private anonymous memory (heap, stack, anonymous mmap): where the shrinker's candidates live.</summary>
    public bool Anonymous => Path is "" or "[heap]" or "[stack]" || Path.StartsWith("[anon:", StringComparison.Ordinal);

    /// <summary>
    /// Whether khugepaged may collapse here: anonymous, not MADV_NOHUGEPAGE, and either THP "always" or
    /// MADV_HUGEPAGE under "madvise".
    /// </summary>
    public bool CollapseEligible(string enabled) =>
        Anonymous && !Has(VmFlagCodes.NoHugePage) && Perms.Length > 0 && Perms[0] == 'r' &&
        (enabled == "always" || (enabled == "madvise" && Has(VmFlagCodes.HugePage)));
}
