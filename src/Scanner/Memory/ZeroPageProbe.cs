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
    /// <summary>Large enough to amortise a system call over several THPs.</summary>
    public const int MaxWorkerBufferBytes = 8 * 1024 * 1024;
    /// <summary>A worker must hold one whole THP.</summary>
    public const int MinWorkerBufferBytes = 2 * 1024 * 1024;

    public const int Unreadable = -1;

    readonly int pid;
    readonly Worker?[] workers;
    readonly int bufferBytes;
    long bytesRead;

    public ZeroPageProbe(int pid, int threads = 1)
    {
        this.pid = pid;
        int wanted = Math.Max(1, threads);
        bufferBytes = Math.Clamp(TotalBufferBytes / wanted, MinWorkerBufferBytes, MaxWorkerBufferBytes);
        workers = new Worker?[Math.Min(wanted, TotalBufferBytes / bufferBytes)];
    }

    public int Threads => workers.Length;

    /// <summary>Bytes of target memory read so far (for progress and throughput).</summary>
    public long BytesRead => Interlocked.Read(ref bytesRead);

    /// <summary>Counts the zero pages of each request into <paramref name="zeroPages"/> (<see cref="Unreadable"/> where the page vanished).</summary>
    public void Count(IReadOnlyList<ContentRequest> requests, int[] zeroPages, CancellationToken cancel = default)
    {
        if (requests.Count == 0) return;
        // Fewer workers than requests/4 would spend more on hand-off than they save.
        int used = Math.Min(workers.Length, Math.Max(1, requests.Count / 4));
        if (used == 1)
        {
            WorkerAt(0).Count(requests, 0, requests.Count, zeroPages, cancel);
            return;
        }
        int per = (requests.Count + used - 1) / used;
        Parallel.For(0, used, new ParallelOptions { MaxDegreeOfParallelism = used, CancellationToken = cancel },
            w => WorkerAt(w).Count(requests, w * per, Math.Min(requests.Count, (w + 1) * per), zeroPages, cancel));
    }

    Worker WorkerAt(int index) => workers[index] ??= new Worker(this);

    public void Dispose()
    {
        foreach (var w in workers) w?.Reader.Dispose();
    }

    sealed class Worker(ZeroPageProbe probe)
    {
        public readonly ProcessMemoryReader Reader = new(probe.pid);
        readonly byte[] buffer = GC.AllocateUninitializedArray<byte>(probe.bufferBytes, pinned: true);
        readonly ContentRequest[] batch = new ContentRequest[ProcessMemoryReader.MaxIovecs];

        public void Count(IReadOnlyList<ContentRequest> requests, int from, int to, int[] zeroPages, CancellationToken cancel)
        {
            long read = 0;
            int i = from;
            while (i < to)
            {
                cancel.ThrowIfCancellationRequested();
                if (!requests[i].Exclusive)
                {
                    var r = requests[i];
                    int got = Reader.ReadUnpinned(r, buffer);
                    zeroPages[i] = got == r.Bytes ? ZeroPageCounter.CountZeroPages(buffer.AsSpan(0, got)) : Unreadable;
                    read += got;
                    i++;
                    continue;
                }
                i += CountPinnedBatch(requests, i, to, zeroPages, ref read);
            }
            Interlocked.Add(ref probe.bytesRead, read);
        }

        /// <summary>Gathers consecutive exclusive requests into one process_vm_readv; returns how many it settled.</summary>
        int CountPinnedBatch(IReadOnlyList<ContentRequest> requests, int start, int to, int[] zeroPages, ref long read)
        {
            int count = 0, bytes = 0;
            while (start + count < to && count < batch.Length && requests[start + count].Exclusive &&
                   bytes + requests[start + count].Bytes <= buffer.Length)
            {
                batch[count] = requests[start + count];
                bytes += batch[count].Bytes;
                count++;
            }
            int got = Reader.ReadPinned(batch.AsSpan(0, count), buffer);
            read += got;
            int offset = 0, done = 0;
            for (; done < count && offset + batch[done].Bytes <= got; done++)
            {
                zeroPages[start + done] = ZeroPageCounter.CountZeroPages(buffer.AsSpan(offset, batch[done].Bytes));
                offset += batch[done].Bytes;
            }
            if (done == count) return done;
            // The read stopped inside request `done`: its page went away. Mark it and carry on after it.
            zeroPages[start + done] = Unreadable;
            return done + 1;
        }
    }
}
