using System.Diagnostics;
using ThpTool.Scanner.ZeroDetection;

namespace ThpTool.Scanner.Memory;

/// <summary>
/// One thread's share of a <see cref="ZeroPageProbe"/>: reads its requests a buffer at a time and counts zero pages
/// right after each read, while the bytes are still in cache. A request larger than the buffer is read in parts
/// and its counts summed.
/// </summary>
internal sealed class ProbeWorker(int pid, int bufferBytes, ReadRateLimiter? limiter) : IDisposable
{

    readonly ProcessMemoryReader reader = new(pid);
    readonly byte[] buffer = GC.AllocateUninitializedArray<byte>(bufferBytes, pinned: true);
    readonly ContentRequest[] batch = new ContentRequest[ProcessMemoryReader.MaxIovecs];
    readonly int[] owners = new int[ProcessMemoryReader.MaxIovecs];

    /// <summary>The longest single read call so far: it bounds how long the target's mmap lock is held at a time.</summary>
    public TimeSpan LongestRead { get; private set; }

    /// <summary>Counts requests [from, to) into <paramref name="zeroPages"/>; returns the bytes read.</summary>
    public long Count(IReadOnlyList<ContentRequest> requests, int from, int to, int[] zeroPages, CancellationToken cancel)
    {
        Array.Clear(zeroPages, from, to - from);
        long read = 0;
        int next = from, nextPage = 0;
        while (next < to)
        {
            cancel.ThrowIfCancellationRequested();
            int count = Gather(requests, ref next, ref nextPage, to);
            limiter?.Wait(BatchBytes(count), cancel);
            long started = Stopwatch.GetTimestamp();
            int got = batch[0].Exclusive ? reader.ReadPinned(batch.AsSpan(0, count), buffer) : reader.ReadUnpinned(batch[0], buffer);
            var took = Stopwatch.GetElapsedTime(started);
            if (took > LongestRead) LongestRead = took;
            read += got;
            if (Settle(count, got, zeroPages) is { } vanished)
                (next, nextPage) = (vanished + 1, 0);
        }
        return read;
    }

    /// <summary>
    /// Fills the batch with parts of requests from (next, nextPage) on, up to the buffer's size: runs of exclusive
    /// requests go in one pinning read; a shared request is read alone, unpinned.
    /// </summary>
    int Gather(IReadOnlyList<ContentRequest> requests, ref int next, ref int nextPage, int to)
    {
        bool exclusive = requests[next].Exclusive;
        int count = 0, room = buffer.Length / Geometry.PageSize;
        while (next < to && count < batch.Length && room > 0 && requests[next].Exclusive == exclusive && (exclusive || count == 0))
        {
            var r = requests[next];
            int pages = Math.Min(r.Pages - nextPage, room);
            batch[count] = new ContentRequest(r.Address + ((ulong)nextPage * Geometry.PageSize), pages, exclusive);
            owners[count++] = next;
            room -= pages;
            nextPage += pages;
            if (nextPage == r.Pages) (next, nextPage) = (next + 1, 0);
        }
        return count;
    }

    long BatchBytes(int count)
    {
        long bytes = 0;
        for (int k = 0; k < count; k++) bytes += batch[k].Bytes;
        return bytes;
    }

    /// <summary>Adds each part's zero pages to its request. Returns the request whose page went away mid-read, if any.</summary>
    int? Settle(int count, int got, int[] zeroPages)
    {
        int offset = 0;
        for (int k = 0; k < count; k++)
        {
            int bytes = batch[k].Bytes, owner = owners[k];
            if (offset + bytes > got)
            {
                zeroPages[owner] = ZeroPageProbe.Unreadable;
                return owner;
            }
            zeroPages[owner] += ZeroPageCounter.CountZeroPages(buffer.AsSpan(offset, bytes));
            offset += bytes;
        }
        return null;
    }

    public void Dispose() => reader.Dispose();
}
