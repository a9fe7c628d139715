using System.Runtime.ExceptionServices;
using ThpTool.Common.Errors;
using ThpTool.Scanner.Procfs;
using ThpTool.Scanner.ZeroDetection;

namespace ThpTool.Scanner.Memory;

/// <summary>
/// Reads batches of content requests and counts their all-zero pages. Each worker owns one buffer for the probe's
/// life, and all buffers together stay within <see cref="TotalBufferBytes"/>, so the scanner's memory does not grow
/// with the target or the thread count. Work is split by contiguous slices, so results keep their order.
/// </summary>
public sealed class ZeroPageProbe : IDisposable
{
    /// <summary>The budget for read buffers across all workers: well inside the scanner's 64 MiB RSS target.</summary>
    public const int TotalBufferBytes = 32 * 1024 * 1024;
    /// <summary>
    /// A quarter THP per process_vm_readv call, so the zero check reads what the copy just left in L2 (1 MiB per core on
    /// these Zen 5 machines). Measured on a quiet machine (docs/performance.md, "Read size per call"): 512 KiB scanned
    /// all-zero THPs at 14.6 GiB/s single-threaded against 12.8 at 2 MiB, and tied with 1 MiB on sparse ones.
    /// </summary>
    public const int DefaultWorkerBufferBytes = 512 * 1024;
    /// <summary>The largest buffer the knob allows: several THPs per call.</summary>
    public const int MaxWorkerBufferBytes = 8 * 1024 * 1024;
    /// <summary>Requests larger than a buffer are read in parts, so a buffer need not hold a THP; a call still covers many pages.</summary>
    public const int MinWorkerBufferBytes = 256 * 1024;

    public const int Unreadable = -1;

    readonly int pid;
    readonly ProbeWorker?[] workers;
    readonly int bufferBytes;
    readonly ReadRateLimiter? limiter;
    long bytesRead;

    public ZeroPageProbe(int pid, int threads = 1, int? workerBufferBytes = null, ReadRateLimiter? limiter = null)
    {
        this.pid = pid;
        this.limiter = limiter;
        int wanted = Math.Max(1, threads);
        bufferBytes = Math.Clamp(workerBufferBytes ?? DefaultWorkerBufferBytes, MinWorkerBufferBytes, MaxWorkerBufferBytes);
        workers = new ProbeWorker?[Math.Min(wanted, TotalBufferBytes / bufferBytes)];
    }

    public int Threads => workers.Length;

    /// <summary>Each worker's read buffer: the most one process_vm_readv call reads.</summary>
    public int WorkerBufferBytes => bufferBytes;

    /// <summary>Bytes of target memory read so far (for progress and throughput).</summary>
    public long BytesRead => Interlocked.Read(ref bytesRead);

    /// <summary>The longest single read call of any worker (call between counts, not during one).</summary>
    public TimeSpan LongestRead => workers.Max(w => w?.LongestRead ?? TimeSpan.Zero);

    /// <summary>Counts the zero pages of each request into <paramref name="zeroPages"/> (<see cref="Unreadable"/> where the page vanished).</summary>
    public void Count(IReadOnlyList<ContentRequest> requests, int[] zeroPages, CancellationToken cancel = default)
    {
        if (requests.Count == 0) return;
        // Fewer workers than requests/4 would spend more on hand-off than they save.
        int used = Math.Min(workers.Length, Math.Max(1, requests.Count / 4));
        if (used == 1)
        {
            Interlocked.Add(ref bytesRead, WorkerAt(0).Count(requests, 0, requests.Count, zeroPages, cancel));
            return;
        }
        var bounds = SliceBounds(requests, used);
        try
        {
            Parallel.For(0, used, new ParallelOptions { MaxDegreeOfParallelism = used, CancellationToken = cancel },
                w => Interlocked.Add(ref bytesRead, WorkerAt(w).Count(requests, bounds[w], bounds[w + 1], zeroPages, cancel)));
        }
        catch (AggregateException e) when (e.Flatten().InnerExceptions.OfType<UserError>()
                                               .OrderBy(x => x is ProcessGoneError ? 0 : 1).FirstOrDefault() is { } first)
        {
            // A target that exits mid-read fails every worker alike: the caller needs the one error it can act on
            // (the process is gone, which a whole-host scan lists and passes over), as from a single-threaded read.
            ExceptionDispatchInfo.Throw(first);
        }
    }

    /// <summary>
    /// Contiguous slices with about the same number of pages each: a chunk mixes 2 MiB THPs with runs of single pages,
    /// so equal request counts could leave one worker with most of the bytes.
    /// </summary>
    static int[] SliceBounds(IReadOnlyList<ContentRequest> requests, int slices)
    {
        long total = 0;
        for (int i = 0; i < requests.Count; i++) total += requests[i].Pages;
        var bounds = new int[slices + 1];
        long seen = 0;
        for (int i = 0, s = 1; i < requests.Count && s < slices; i++)
        {
            seen += requests[i].Pages;
            while (s < slices && seen * slices >= total * s) bounds[s++] = i + 1;
        }
        bounds[slices] = requests.Count;
        return bounds;
    }

    ProbeWorker WorkerAt(int index) => workers[index] ??= new ProbeWorker(pid, bufferBytes, limiter);

    public void Dispose()
    {
        foreach (var w in workers) w?.Dispose();
    }
}
