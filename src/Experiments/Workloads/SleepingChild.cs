using System.IO.Pipes;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ThpTool.Experiments.Interop;
using ThpTool.Scanner.Memory;

namespace ThpTool.Experiments.Workloads;

/// <summary>
/// A forked copy of this process that shares every THP copy-on-write and does nothing but sleep, so the
/// region's THPs are mapped by two processes. Asked to, it first writes one byte into the first subpage of each
/// THP: the kernel then splits the child's PMD of each shared THP, copies that subpage alone, and the child maps
/// the other 511 subpages of the parent's folio by PTEs, while the parent keeps its PMD.
/// </summary>
/// <remarks>
/// Forking a .NET process is unsafe in general: only the forking thread survives, and locks held by the
/// runtime's other threads (GC, JIT, loader) stay held forever in the child. It is safe here only because
/// the child runs nothing but already-bound libc calls and pause(), never allocates, never JITs new code,
/// and touches the region only with plain stores. If it did block on a dead thread's lock it would merely
/// sleep there; the owner kills it by pid either way.
/// </remarks>
internal sealed class SleepingChild : IDisposable
{
    public int Pid { get; }
    bool killed;

    SleepingChild(int pid) => Pid = pid;

    /// <summary>Returns once the child has armed its death signal and written what it was asked to.</summary>
    public static SleepingChild Fork(AlignedRegion? writeFirstSubpages = null)
    {
        int parent = Environment.ProcessId;
        BindChildCalls();
        // The child closes its copy of the write end when it is ready (or dies): the parent reads end of file then.
        using var ready = new AnonymousPipeServerStream(PipeDirection.In);
        int readyFd = (int)ready.ClientSafePipeHandle.DangerousGetHandle();
        nint writeAt = writeFirstSubpages?.Address ?? 0;
        long writeLength = writeFirstSubpages?.Size ?? 0;
        int pid = Libc.Fork();
        if (pid == 0)
            SleepUntilKilled(parent, writeAt, writeLength, readyFd);
        var child = new SleepingChild(pid);
        try
        {
            ready.DisposeLocalCopyOfClientHandle();
            ready.ReadByte();
        }
        catch
        {
            child.Dispose();
            throw;
        }
        return child;
    }

    static unsafe void BindChildCalls()
    {
        int signal;
        Libc.Prctl(Libc.PR_GET_PDEATHSIG, (nuint)(&signal));
        Libc.Close(-1);
        foreach (var name in new[] { nameof(Libc.Pause), nameof(Libc.Getppid), nameof(Libc.Exit) })
            Marshal.Prelink(typeof(Libc).GetMethod(name, BindingFlags.Static | BindingFlags.NonPublic)!);
        // Compile this path now: the child must not JIT.
        RuntimeHelpers.PrepareMethod(
            typeof(SleepingChild).GetMethod(nameof(SleepUntilKilled), BindingFlags.Static | BindingFlags.NonPublic)!.MethodHandle);
    }

    // Fully optimized up front: no tiering or on-stack replacement may need the JIT in the child.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    static unsafe void SleepUntilKilled(int parent, nint writeAt, long writeLength, int readyFd)
    {
        Libc.TryPrctl(Libc.PR_SET_PDEATHSIG, Libc.SIGKILL);
        // The parent may have died before the death signal was armed.
        if (Libc.Getppid() != parent)
            Libc.Exit(0);
        // Each store is a copy-on-write fault in this process alone; the parent's memory stays as it was.
        for (long offset = 0; offset < writeLength; offset += Geometry.ThpSize)
            ((byte*)writeAt)[offset] = 1;
        Libc.Close(readyFd);
        // Holding the parent's stdio pipes open would keep its reader from ever seeing EOF.
        Libc.Close(0);
        Libc.Close(1);
        Libc.Close(2);
        while (true)
            Libc.Pause();
    }

    public void Dispose()
    {
        if (killed)
            return;
        killed = true;
        Libc.Kill(Pid, Libc.SIGKILL);
        Libc.Reap(Pid);
    }
}
