using ThpTool.Lab.Interop;

namespace ThpTool.Lab.Workloads;

/// <summary>
/// Anonymous private memory starting on a 2 MiB boundary and advised MADV_HUGEPAGE, so every 2 MiB of it can be one THP;
/// or MADV_NOHUGEPAGE, for a heap of 4 KiB pages whatever the system's THP setting. Or shared (shmem), whose THPs follow
/// shmem_enabled instead.
/// </summary>
internal sealed unsafe class AlignedRegion : IDisposable
{
    public nint Address { get; private set; }
    public long Size { get; }
    bool _unmapped;

    AlignedRegion(nint address, long size) => (Address, Size) = (address, size);

    public static AlignedRegion Map(long size, bool hugePages, bool shared = false)
    {
        // Over-map by one THP and trim both ends: mmap only promises page alignment.
        nuint padded = (nuint)(size + Geometry.ThpSize);
        nint raw = Libc.Mmap(0, padded, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        nint aligned = (nint)(((long)raw + Geometry.ThpSize - 1) & ~(Geometry.ThpSize - 1));
        nuint head = (nuint)(aligned - raw);
        nuint tail = padded - head - (nuint)size;
        if (head > 0)
            Libc.Munmap(raw, head);
        if (tail > 0)
            Libc.Munmap(aligned + (nint)size, tail);
        var region = new AlignedRegion(aligned, size);
        try
        {
            // A PMD maps a shmem THP only where the page's offset in the object is 2 MiB aligned as well. A new object
            // mapped over the aligned middle starts there; a trimmed one would keep offsets from the unaligned start.
            if (shared)
                Libc.Mmap(aligned, (nuint)size, Libc.PROT_READ | Libc.PROT_WRITE,
                          Libc.MAP_SHARED | Libc.MAP_ANONYMOUS | Libc.MAP_FIXED, -1, 0);
            Libc.Madvise(aligned, (nuint)size, hugePages ? Libc.MADV_HUGEPAGE : Libc.MADV_NOHUGEPAGE);
        }
        catch
        {
            region.Dispose();
            throw;
        }
        return region;
    }

    public void Write(long offset, byte value) => ((byte*)Address)[offset] = value;

    public void Discard(long offset, long length) => Libc.Madvise(Address + (nint)offset, (nuint)length, Libc.MADV_DONTNEED);

    public void FreeLazily(long offset, long length) => Libc.Madvise(Address + (nint)offset, (nuint)length, Libc.MADV_FREE);

    /// <summary>
    /// Moves the region to 4 KiB past a 2 MiB boundary. The kernel then maps each THP with PTEs across two PMD
    /// ranges; the folios stay whole and fully mapped, so the shrinker still judges them as THPs.
    /// </summary>
    public void MoveOffAlignment()
    {
        nuint padded = (nuint)(Size + 2 * Geometry.ThpSize);
        nint raw = Libc.Mmap(0, padded, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        nint target = (nint)((((long)raw + Geometry.ThpSize - 1) & ~(Geometry.ThpSize - 1)) + Geometry.PageSize);
        Address = Libc.Mremap(Address, (nuint)Size, (nuint)Size, Libc.MREMAP_MAYMOVE | Libc.MREMAP_FIXED, target);
        // MREMAP_FIXED replaced the middle of the reservation; release what is left on either side.
        Libc.Munmap(raw, (nuint)(target - raw));
        nint end = target + (nint)Size;
        Libc.Munmap(end, (nuint)(raw + (nint)padded - end));
    }


    public void Lock() => Libc.Mlock(Address, (nuint)Size);

    public void Dispose()
    {
        if (_unmapped)
            return;
        _unmapped = true;
        Libc.Munmap(Address, (nuint)Size);
    }
}
