using ThpTool.Scanner.ZeroDetection;

namespace ThpTool.Scanner.Memory;

/// <summary>
/// Reads batches of content requests and counts their all-zero pages, with bounded buffers: memory use does
/// not grow with the target. Work is split across threads by contiguous slices, so results keep their order.
/// </summary>
public sealed class ZeroPageProbe(int pid, int threads = 1)
{
    /// <summary>Per thread: large enough to amortise the system call over many THPs, small enough for a 64 MiB budget.</summary>
    public const int BufferBytes = 8 * 1024 * 1024;

    public const int Unreadable = -1;

    long bytesRead;

    public int Threads { get; } = Math.Max(1, threads);

    /// <summary>Bytes of target memory read so far, for progress displays.</summary>
    public long BytesRead => Interlocked.Read(ref bytesRead);

    /// <summary>Counts the zero pages of each request into <paramref name="zeroPages"/> (<see cref="Unreadable"/> where the page vanished).</summary>
    public void Count(IReadOnlyList<ContentRequest> requests, int[] zeroPages, CancellationToken cancel = default)
    {
        if (requests.Count == 0) return;
        int workers = Math.Min(Threads, Math.Max(1, requests.Count / 4));
        if (workers == 1)
        {
            CountSlice(requests, 0, requests.Count, zeroPages, cancel);
            return;
        }
        int per = (requests.Count + workers - 1) / workers;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancel },
            w => CountSlice(requests, w * per, Math.Min(requests.Count, (w + 1) * per), zeroPages, cancel));
    }

    void CountSlice(IReadOnlyList<ContentRequest> requests, int from, int to, int[] zeroPages, CancellationToken cancel)
    {
        using var reader = new ProcessMemoryReader(pid);
        var buffer = GC.AllocateUninitializedArray<byte>(BufferBytes, pinned: true);
        var batch = new ContentRequest[ProcessMemoryReader.MaxIovecs];
        int i = from;
        while (i < to)
        {
            cancel.ThrowIfCancellationRequested();
            if (!requests[i].Exclusive)
            {
                var r = requests[i];
                int read = reader.ReadUnpinned(r, buffer);
                Interlocked.Add(ref bytesRead, Math.Max(read, 0));
                zeroPages[i] = read == r.Bytes ? ZeroPageCounter.CountZeroPages(buffer.AsSpan(0, read)) : Unreadable;
                i++;
                continue;
            }
            // Gather consecutive exclusive requests into one process_vm_readv.
            int count = 0, bytes = 0;
            while (i + count < to && count < batch.Length && requests[i + count].Exclusive &&
                   bytes + requests[i + count].Bytes <= buffer.Length)
            {
                batch[count] = requests[i + count];
                bytes += batch[count].Bytes;
                count++;
            }
            int got = reader.ReadPinned(batch.AsSpan(0, count), buffer);
            Interlocked.Add(ref bytesRead, got);
            int offset = 0, done = 0;
            for (; done < count && offset + batch[done].Bytes <= got; done++)
            {
                zeroPages[i + done] = ZeroPageCounter.CountZeroPages(buffer.AsSpan(offset, batch[done].Bytes));
                offset += batch[done].Bytes;
            }
            if (done < count)
            {
                // The read stopped inside request `done`: its page went away. Mark it and carry on after it.
                zeroPages[i + done] = Unreadable;
                done++;
            }
            i += done;
        }
    }
}
