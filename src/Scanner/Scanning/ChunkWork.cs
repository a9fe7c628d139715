using System.Runtime.InteropServices;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Memory;
using ThpTool.Scanner.ScanFiles;

namespace ThpTool.Scanner.Scanning;

/// <summary>
/// What one chunk of a VMA needs read, and how the zero counts turn back into records. One instance serves every
/// chunk of a scan, so its lists and arrays are allocated once and only grow.
/// </summary>
internal sealed class ChunkWork(ContentSampler.Stratified<DeferredThp>? sampling = null)
{
    /// <summary>A THP found in the chunk, its reads, and the earlier process that already counted it, if any.</summary>
    struct PendingThp(ThpRecord thp, int first, int count)
    {
        public readonly ThpRecord Thp = thp;
        public readonly int First = first, Count = count;
        public int CountedPid, CountedZero;
        public bool Unread;
    }

    readonly List<ContentRequest> requests = [];
    readonly List<PendingThp> thps = [];
    readonly List<(MthpRecord Mthp, int First, int Count)> mthps = [];
    readonly List<(ulong Address, int EmptyOrZero, int Swap, int Shared, int First, int Count)> ranges = [];
    readonly List<ContentRequest> toRead = [];
    int[] readIndex = [];
    int[] zeros = [];
    int itemFirst;

    public void Clear()
    {
        requests.Clear();
        thps.Clear();
        mthps.Clear();
        ranges.Clear();
        itemFirst = 0;
    }

    /// <summary>Adds a page to the reads of the THP or range being built; a page that continues the last read extends it.</summary>
    public void AppendPage(ulong address, bool exclusive)
    {
        if (requests.Count > itemFirst)
        {
            var last = requests[^1];
            if (last.Exclusive == exclusive && last.Address + (ulong)last.Bytes == address)
            {
                requests[^1] = last with { Pages = last.Pages + 1 };
                return;
            }
        }
        requests.Add(new ContentRequest(address, 1, exclusive));
    }

    /// <summary>Ends a THP whose reads were appended since the last item.</summary>
    public void AddThp(ThpRecord thp) => thps.Add(new PendingThp(thp, itemFirst, EndItem()));

    public void AddThp(ThpRecord thp, ContentRequest read)
    {
        requests.Add(read);
        AddThp(thp);
    }

    /// <summary>Ends a partially mapped mTHP whose reads were appended since the last item.</summary>
    public void AddMthp(MthpRecord mthp) => mthps.Add((mthp, itemFirst, EndItem()));

    /// <summary>Ends a collapse range whose reads were appended since the last item.</summary>
    public void AddRange(ulong address, int emptyOrZero, int swap, int shared) =>
        ranges.Add((address, emptyOrZero, swap, shared, itemFirst, EndItem()));

    int EndItem()
    {
        int count = requests.Count - itemFirst;
        itemFirst = requests.Count;
        return count;
    }

    public void Finish(ZeroPageProbe probe, SharedThpRegistry shared, int pid, VmaResult result, CancellationToken cancel)
    {
        if (readIndex.Length < requests.Count) readIndex = new int[requests.Count * 2];
        toRead.Clear();
        var pending = CollectionsMarshal.AsSpan(thps);
        foreach (ref var t in pending)
        {
            // THPs another process of this scan already maps were counted there: reuse, don't read again.
            if (shared.TryCountedElsewhere(t.Thp, out t.CountedPid, out t.CountedZero)) continue;
            // A sampled scan reads the THPs its sample picks as the walk meets them, and keeps the rest for a top-up.
            if (sampling is not null && !sampling.Reads(t.Thp, new DeferredThp(t.Thp.Address, requests.GetRange(t.First, t.Count).ToArray())))
            {
                t.Unread = true;
                continue;
            }
            Queue(t.First, t.Count);
        }
        foreach (var m in mthps) Queue(m.First, m.Count);
        foreach (var r in ranges) Queue(r.First, r.Count);

        if (zeros.Length < toRead.Count) zeros = new int[toRead.Count * 2];
        probe.Count(toRead, zeros, cancel);

        foreach (var t in pending)
        {
            if (t.CountedPid != 0)
            {
                result.Thps.Add(t.CountedZero == SharedThpRegistry.Unread
                    ? t.Thp with { Unread = true, CountedInPid = t.CountedPid }
                    : t.Thp with { ZeroSubpages = t.CountedZero, CountedInPid = t.CountedPid });
                continue;
            }
            if (t.Unread)
            {
                // Registered all the same, so a process that shares it counts it here, where the sample stands for it.
                shared.Counted(t.Thp, pid, SharedThpRegistry.Unread);
                result.Thps.Add(t.Thp with { Unread = true });
                continue;
            }
            if (Sum(t.First, t.Count) is not { } zero) continue;  // vanished mid-scan
            shared.Counted(t.Thp, pid, zero);
            result.Thps.Add(t.Thp with { ZeroSubpages = zero });
        }
        foreach (var m in mthps)
            if (Sum(m.First, m.Count) is { } zero)
                result.PartialMthps.Add(m.Mthp with { ZeroSubpages = zero });
        foreach (var r in ranges)
            if (Sum(r.First, r.Count) is { } zero)
                result.CollapseRanges.Add(new CollapseRange(r.Address, r.EmptyOrZero, r.EmptyOrZero + zero, r.Swap, r.Shared));
    }

    void Queue(int first, int count)
    {
        for (int k = first; k < first + count; k++)
        {
            readIndex[k] = toRead.Count;
            toRead.Add(requests[k]);
        }
    }

    int? Sum(int first, int count)
    {
        int sum = 0;
        for (int k = first; k < first + count; k++)
        {
            int z = zeros[readIndex[k]];
            if (z == ZeroPageProbe.Unreadable) return null;
            sum += z;
        }
        return sum;
    }
}

/// <summary>A THP a sampled scan left unread for now: what reading it later takes.</summary>
internal sealed record DeferredThp(ulong Address, ContentRequest[] Reads);
