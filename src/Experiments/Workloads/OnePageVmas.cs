using ThpTool.Experiments.Interop;
using ThpTool.Scanner.Memory;

namespace ThpTool.Experiments.Workloads;

/// <summary>
/// Many one-page anonymous VMAs, each written once: every other page of a reservation, the pages between unmapped
/// so that the kernel cannot merge neighbours. What a process with many small mappings (thread stacks, JIT code,
/// allocator arenas) shows a scanner.
/// </summary>
internal sealed unsafe class OnePageVmas : IDisposable
{
    readonly nint address;
    readonly nuint length;

    OnePageVmas(nint address, nuint length) => (this.address, this.length) = (address, length);

    public static OnePageVmas Map(int count)
    {
        var length = (nuint)count * 2 * Geometry.PageSize;
        nint start = Libc.Mmap(0, length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        var vmas = new OnePageVmas(start, length);
        try
        {
            for (int i = 0; i < count; i++)
            {
                nint page = start + (nint)i * 2 * Geometry.PageSize;
                *(byte*)page = 1;
                Libc.Munmap(page + Geometry.PageSize, Geometry.PageSize);
            }
        }
        catch
        {
            vmas.Dispose();
            throw;
        }
        return vmas;
    }

    public void Dispose() => Libc.Munmap(address, length);
}
