using Microsoft.Win32.SafeHandles;
using ThpTool.Common.Errors;
using ThpTool.Common.Interop;
using ThpTool.Scanner.Interop;
using ThpTool.Scanner.Memory;
using Libc = ThpTool.Scanner.Interop.Libc;

namespace ThpTool.Scanner.Procfs;

/// <summary>
/// /proc/PID/pagemap, read in large batches, and its PAGEMAP_SCAN ioctl, which finds PMD-mapped THPs and
/// zero-page mappings without reading an entry per page and without CAP_SYS_ADMIN.
/// </summary>
public sealed class PagemapFile : IDisposable
{
    const int PageShift = Geometry.PageShift;
    readonly SafeFileHandle handle;
    readonly PageCategory zeroCategory;

    public int Pid { get; }

    /// <summary>False on kernels whose PAGEMAP_SCAN rejects PAGE_IS_PFNZERO: zero-page PTEs then look present.</summary>
    public bool SeesZeroPage => zeroCategory != 0;

    PagemapFile(int pid, SafeFileHandle handle)
    {
        Pid = pid;
        this.handle = handle;
        zeroCategory = ProbeZeroCategory();
    }

    public static PagemapFile Open(int pid) => new(pid, ProcfsFiles.OpenForPid(pid, "pagemap"));

    /// <summary>Fills <paramref name="entries"/> with the entries from <paramref name="address"/> on; returns how many were read.</summary>
    public int Read(ulong address, Span<ulong> entries)
    {
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(entries);
        long offset = (long)(address >> PageShift) * sizeof(ulong);
        int total = 0;
        try
        {
            while (total < bytes.Length)
            {
                int n = RandomAccess.Read(handle, bytes[total..], offset + total);
                if (n <= 0) break;
                total += n;
            }
        }
        catch (IOException e)
        {
            throw ProcfsFiles.ReadFailure(Pid, "pagemap", e);
        }
        if (total == 0 && !ProcessInfo.Exists(Pid))
            throw new ProcessGoneError(Pid);
        return total / sizeof(ulong);
    }

    /// <summary>
    /// Hands <paramref name="each"/> the ranges in [start, end) that hold present or swapped pages, in address order,
    /// split where a PMD mapping (THP, huge zero page) or a zero-page PTE begins or ends. The kernel skips unpopulated
    /// page tables whole, so a sparse reservation costs what is mapped in it, not its size. File and anonymous memory
    /// are told apart by the head's pagemap entry instead: asking PAGEMAP_SCAN for PAGE_IS_FILE makes the kernel look
    /// up every present PTE's page, which slows the walk over a 4 KiB heap by a third.
    /// </summary>
    public unsafe void WalkPopulated(ulong start, ulong end, Action<PageRange> each)
    {
        const int vecLength = 512;
        var returned = PageCategory.Present | PageCategory.Swapped | PageCategory.Huge | zeroCategory;
        var regions = stackalloc PageRegion[vecLength];
        while (start < end)
        {
            var arg = new PmScanArg
            {
                Size = (ulong)sizeof(PmScanArg),
                Start = start,
                End = end,
                Vec = (ulong)regions,
                VecLen = vecLength,
                CategoryAnyofMask = (ulong)(PageCategory.Present | PageCategory.Swapped),
                ReturnMask = (ulong)returned,
            };
            int count = Libc.ioctl(handle, PagemapScanIoctl.Request, &arg);
            if (count < 0)
                throw ScanFailure(System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
            for (int i = 0; i < count; i++)
                each(new PageRange(regions[i].Start, regions[i].End, (PageCategory)regions[i].Categories));
            // The walk may stop early (full vector, contention); it tells where to resume.
            if (arg.WalkEnd <= start) break;
            start = arg.WalkEnd;
        }
    }

    Exception ScanFailure(int errno) => errno switch
    {
        Errno.ENOTTY or Errno.EINVAL => new UserError(ExitCode.Unsupported,
            "this kernel has no PAGEMAP_SCAN ioctl (Linux 6.7+); the underused-THP shrinker itself needs 6.12+"),
        Errno.ESRCH or Errno.ENOENT => new ProcessGoneError(Pid),
        Errno.EPERM or Errno.EACCES => ProcfsFiles.NoPtraceAccess(Pid),
        _ => new UserError(ExitCode.IoError, $"PAGEMAP_SCAN on pid {Pid} failed with errno {errno}"),
    };

    /// <summary>Older kernels reject category bits they do not know with EINVAL, so ask before relying on one.</summary>
    unsafe PageCategory ProbeZeroCategory()
    {
        var region = default(PageRegion);
        var arg = new PmScanArg
        {
            Size = (ulong)sizeof(PmScanArg),
            Start = 0,
            End = 4096,
            Vec = (ulong)&region,
            VecLen = 1,
            CategoryAnyofMask = (ulong)(PageCategory.Huge | PageCategory.PfnZero),
            ReturnMask = (ulong)(PageCategory.Huge | PageCategory.PfnZero),
        };
        if (Libc.ioctl(handle, PagemapScanIoctl.Request, &arg) >= 0)
            return PageCategory.PfnZero;
        int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        if (errno != Errno.EINVAL)
            throw ScanFailure(errno);
        return 0;
    }

    public void Dispose() => handle.Dispose();
}

/// <summary>A run of pages sharing PAGEMAP_SCAN categories.</summary>
public readonly record struct PageRange(ulong Start, ulong End, PageCategory Categories)
{
    public bool Huge => Categories.HasFlag(PageCategory.Huge);
    public bool ZeroPfn => Categories.HasFlag(PageCategory.PfnZero);
}
