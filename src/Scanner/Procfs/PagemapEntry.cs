namespace ThpTool.Scanner.Procfs;

/// <summary>One 64-bit /proc/PID/pagemap entry (Documentation/admin-guide/mm/pagemap.rst).</summary>
public readonly record struct PagemapEntry(ulong Raw)
{
    public bool Present => (Raw & (1UL << 63)) != 0;
    public bool Swapped => (Raw & (1UL << 62)) != 0;
    public bool FileOrSharedAnon => (Raw & (1UL << 61)) != 0;
    public bool UffdWp => (Raw & (1UL << 57)) != 0;
    /// <summary>Mapped by this process only: safe to read with a pinning read.</summary>
    public bool Exclusive => (Raw & (1UL << 56)) != 0;
    /// <summary>Zero when the reader lacks CAP_SYS_ADMIN.</summary>
    public ulong Pfn => Present ? Raw & ((1UL << 55) - 1) : 0;
}
