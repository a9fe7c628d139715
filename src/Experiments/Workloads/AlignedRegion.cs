using ThpTool.Experiments.Interop;
using ThpTool.Scanner.Memory;

namespace ThpTool.Experiments.Workloads;

/// <summary>
/// Anonymous private memory starting on a 2 MiB boundary and advised MADV_HUGEPAGE, so every 2 MiB of it can be one THP;
/// or MADV_NOHUGEPAGE, for a heap of 4 KiB pages whatever the system's THP setting. Or shared (shmem), whose THPs follow
/// shmem_enabled instead. Spread, its THPs lie one every <see cref="Spacing"/> bytes of a MAP_NORESERVE reservation, as in
/// a sanitizer's shadow or a managed heap committed piecemeal: offsets then count THP bytes, not reservation bytes.
/// </summary>
internal sealed unsafe class AlignedRegion : IDisposable
{
    public nint Address { get; private set; }
    /// <summary>The THP bytes the offsets of <see cref="Write"/> and <see cref="Discard"/> run over.</summary>
    public long Size { get; }
    /// <summary>From one THP's start to the next one's: <see cref="Geometry.ThpSize"/> unless spread.</summary>
    public long Spacing { get; }
    /// <summary>The bytes mapped: <see cref="Size"/> unless spread.</summary>
    public long Extent => Size / Geometry.ThpSize * Spacing;
    bool unmapped;

    AlignedRegion(nint address, long size, long spacing) => (Address, Size, Spacing) = (address, size, spacing);

    public static AlignedRegion Map(long size, bool hugePages, bool shared = false, long? spread = null)
    {
        long spacing = spread ?? Geometry.ThpSize;
        long extent = size / Geometry.ThpSize * spacing;
        // Over-map by one THP and trim both ends: mmap only promises page alignment.
        nuint padded = (nuint)(extent + Geometry.ThpSize);
        nint raw = Libc.Mmap(0, padded, Libc.PROT_READ | Libc.PROT_WRITE,
                             Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | (spread is null ? 0 : Libc.MAP_NORESERVE), -1, 0);
        nint aligned = (nint)(((long)raw + Geometry.ThpSize - 1) & ~(Geometry.ThpSize - 1));
        nuint head = (nuint)(aligned - raw);
        nuint tail = padded - head - (nuint)extent;
        if (head > 0)
            Libc.Munmap(raw, head);
        if (tail > 0)
            Libc.Munmap(aligned + (nint)extent, tail);
        var region = new AlignedRegion(aligned, size, spacing);
        try
        {
            // A PMD maps a shmem THP only where the page's offset in the object is 2 MiB aligned as well. A new object
            // mapped over the aligned middle starts there; a trimmed one would keep offsets from the unaligned start.
            if (shared)
                Libc.Mmap(aligned, (nuint)extent, Libc.PROT_READ | Libc.PROT_WRITE,
                          Libc.MAP_SHARED | Libc.MAP_ANONYMOUS | Libc.MAP_FIXED, -1, 0);
            Libc.Madvise(aligned, (nuint)extent, hugePages ? Libc.MADV_HUGEPAGE : Libc.MADV_NOHUGEPAGE);
        }
        catch
        {
            region.Dispose();
            throw;
        }
        return region;
    }

    public void Write(long offset, byte value) => ((byte*)Address)[Place(offset)] = value;

    /// <summary>Within one THP.</summary>
    public void Discard(long offset, long length) => Libc.Madvise(Address + (nint)Place(offset), (nuint)length, Libc.MADV_DONTNEED);

    /// <summary>Where THP byte <paramref name="offset"/> lies in the mapping.</summary>
    long Place(long offset) => offset / Geometry.ThpSize * Spacing + offset % Geometry.ThpSize;

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


    /// <summary>The THPs only: locking a whole reservation would fault every page of it.</summary>
    public void Lock()
    {
        long step = Spacing == Geometry.ThpSize ? Size : Geometry.ThpSize;
        for (long offset = 0; offset < Size; offset += step)
            Libc.Mlock(Address + (nint)Place(offset), (nuint)step);
    }

    public void Dispose()
    {
        if (unmapped)
            return;
        unmapped = true;
        Libc.Munmap(Address, (nuint)Extent);
    }
}
