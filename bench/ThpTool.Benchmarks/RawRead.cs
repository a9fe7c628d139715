using ThpTool.Scanner.Memory;
using ThpTool.Scanner.ZeroDetection;

namespace ThpTool.Benchmarks;

/// <summary>
/// The floors a scan is measured against: the same THPs read with process_vm_readv in the same batches and slices,
/// doing nothing with the bytes (raw), or only counting their zero pages right after each read (read + count: what any
/// scanner that copies and then checks must spend, with no discovery at all).
/// </summary>
internal sealed class RawRead : IDisposable
{
    const int ThpBytes = 2 * 1024 * 1024;
    readonly (ProcessMemoryReader Reader, byte[] Buffer)[] workers;
    readonly ContentRequest[] pieces;
    readonly int piecesPerCall;

    public RawRead(int pid, ulong address, long size, int threads, int batchBytes)
    {
        // Batches smaller than a THP read it in parts, as the probe does; larger ones gather whole THPs.
        int piece = Math.Min(batchBytes, ThpBytes);
        pieces = new ContentRequest[size / piece];
        for (int i = 0; i < pieces.Length; i++)
            pieces[i] = new ContentRequest(address + (ulong)i * (ulong)piece, piece / Geometry.PageSize, Exclusive: true);
        piecesPerCall = Math.Min(ProcessMemoryReader.MaxIovecs, batchBytes / piece);
        workers = Enumerable.Range(0, threads)
            .Select(_ => (new ProcessMemoryReader(pid), GC.AllocateUninitializedArray<byte>(batchBytes, pinned: true)))
            .ToArray();
    }

    /// <summary>Reads every THP once, in contiguous slices, one per thread; returns the bytes read.</summary>
    public long Run(bool countZeroPages = false)
    {
        if (workers.Length == 1) return Slice(0, 0, pieces.Length, countZeroPages);
        int per = (pieces.Length + workers.Length - 1) / workers.Length;
        long total = 0;
        Parallel.For(0, workers.Length, new ParallelOptions { MaxDegreeOfParallelism = workers.Length },
            w => Interlocked.Add(ref total, Slice(w, w * per, Math.Min(pieces.Length, (w + 1) * per), countZeroPages)));
        return total;
    }

    long Slice(int worker, int from, int to, bool countZeroPages)
    {
        var (reader, buffer) = workers[worker];
        long read = 0, zero = 0;
        for (int i = from; i < to; i += piecesPerCall)
        {
            int got = reader.ReadPinned(pieces.AsSpan(i, Math.Min(piecesPerCall, to - i)), buffer);
            if (countZeroPages) zero += ZeroPageCounter.CountZeroPages(buffer.AsSpan(0, got - got % Geometry.PageSize));
            read += got;
        }
        Interlocked.Add(ref zeroPages, zero);
        return read;
    }

    long zeroPages;

    /// <summary>Zero pages counted so far: kept, so the count cannot be optimised away.</summary>
    public long ZeroPages => Interlocked.Read(ref zeroPages);

    public void Dispose()
    {
        foreach (var (reader, _) in workers) reader.Dispose();
    }
}
