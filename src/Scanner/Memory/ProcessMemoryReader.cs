using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using ThpTool.Common.Errors;
using ThpTool.Common.Interop;
using ThpTool.Scanner.Interop;
using ThpTool.Scanner.Procfs;
using Libc = ThpTool.Scanner.Interop.Libc;

namespace ThpTool.Scanner.Memory;

/// <summary>
/// Reads a target's memory without changing it: process_vm_readv (about twice as fast) for pages only the
/// target maps, /proc/PID/mem (no pin, so no copy-on-write unsharing) for pages it shares.
/// </summary>
public sealed class ProcessMemoryReader(int pid) : IDisposable
{
    /// <summary>IOV_MAX on Linux.</summary>
    public const int MaxIovecs = 1024;

    SafeFileHandle? mem;

    public int Pid { get; } = pid;

    /// <summary>
    /// Reads the requests back to back into <paramref name="destination"/> with one system call (a pinning read, so
    /// exclusive pages only). Returns the bytes read: fewer than asked when a page went away mid-read.
    /// </summary>
    public unsafe int ReadPinned(ReadOnlySpan<ContentRequest> requests, Span<byte> destination)
    {
        if (requests.Length > MaxIovecs) throw new ArgumentOutOfRangeException(nameof(requests));
        var remote = stackalloc Libc.Iovec[requests.Length];
        nuint total = 0;
        for (int i = 0; i < requests.Length; i++)
        {
            remote[i] = new Libc.Iovec { Base = (nuint)requests[i].Address, Length = (nuint)requests[i].Bytes };
            total += remote[i].Length;
        }
        if ((int)total > destination.Length) throw new ArgumentException("destination too small", nameof(destination));
        fixed (byte* buffer = destination)
        {
            var local = new Libc.Iovec { Base = (nuint)buffer, Length = total };
            nint n = Libc.process_vm_readv(Pid, &local, 1, remote, (nuint)requests.Length, 0);
            if (n >= 0) return (int)n;
            int errno = Marshal.GetLastPInvokeError();
            return errno switch
            {
                // The first page is no longer mapped: the target changed under us, nothing read.
                Errno.EFAULT => 0,
                Errno.ESRCH => throw new ProcessGoneError(Pid),
                Errno.EPERM or Errno.EACCES => throw ProcfsFiles.NoPtraceAccess(Pid),
                Errno.ENOMEM => 0,
                _ => throw new UserError(ExitCode.IoError, $"process_vm_readv on pid {Pid} failed with errno {errno}"),
            };
        }
    }

    /// <summary>Reads through /proc/PID/mem, which does not pin: safe for copy-on-write shared pages. Returns bytes read.</summary>
    public int ReadUnpinned(ContentRequest request, Span<byte> destination)
    {
        mem ??= ProcfsFiles.OpenForPid(Pid, "mem");
        var target = destination[..request.Bytes];
        int total = 0;
        try
        {
            while (total < target.Length)
            {
                int n = RandomAccess.Read(mem, target[total..], (long)request.Address + total);
                if (n <= 0) break;
                total += n;
            }
        }
        catch (IOException e) when (e.HResult is Errno.EFAULT or Errno.EIO)
        {
            // A page unmapped between pagemap and this read: report what was read.
        }
        catch (IOException e)
        {
            throw ProcfsFiles.ReadFailure(Pid, "mem", e);
        }
        return total;
    }

    public void Dispose() => mem?.Dispose();
}
