namespace ThpTool.Scanner.Memory;

/// <summary>
/// A run of present pages to read and test for zero. <see cref="Exclusive"/> decides the read path:
/// pinning a page another process also maps would make the kernel unshare (copy) it.
/// </summary>
public readonly record struct ContentRequest(ulong Address, int Pages, bool Exclusive)
{
    public int Bytes => Pages * Geometry.PageSize;
}
