using ThpTool.Scanner.Memory;
using ThpTool.Scanner.Scans;

namespace ThpTool.Scanner.Scanning;

/// <summary>What one chunk of a VMA needs read, and how the zero counts turn back into records.</summary>
internal sealed class ChunkWork
{
    readonly List<ContentRequest> requests = [];
    readonly List<(ThpRecord Thp, int First, int Count)> thps = [];
    readonly List<(ulong Address, int EmptyOrZero, int Swap, int Shared, int First, int Count)> ranges = [];

    public void AddThp(ThpRecord thp, IReadOnlyList<ContentRequest> reads)
    {
        thps.Add((thp, requests.Count, reads.Count));
        requests.AddRange(reads);
    }

    public void AddRange(ulong address, int emptyOrZero, int swap, int shared, IReadOnlyList<ContentRequest> reads)
    {
        ranges.Add((address, emptyOrZero, swap, shared, requests.Count, reads.Count));
        requests.AddRange(reads);
    }

    public void Finish(ZeroPageProbe probe, SharedThpRegistry shared, int pid, VmaResult result, CancellationToken cancel)
    {
        // THPs another process of this scan already maps were counted there: reuse, don't read again.
        var counted = new Dictionary<int, (int Pid, int Zero)>();
        var toRead = new List<ContentRequest>(requests.Count);
        var readIndex = new int[requests.Count];
        for (int t = 0; t < thps.Count; t++)
        {
            var (thp, first, count) = thps[t];
            if (thp.Mapping != ThpMapping.Partial && shared.TryGet(thp.Pfn, out var owner, out var zero))
            {
                counted[t] = (owner, zero);
                for (int k = first; k < first + count; k++) readIndex[k] = -1;
            }
            else
                for (int k = first; k < first + count; k++) { readIndex[k] = toRead.Count; toRead.Add(requests[k]); }
        }
        foreach (var r in ranges)
            for (int k = r.First; k < r.First + r.Count; k++) { readIndex[k] = toRead.Count; toRead.Add(requests[k]); }

        var zeros = new int[toRead.Count];
        probe.Count(toRead, zeros, cancel);

        for (int t = 0; t < thps.Count; t++)
        {
            var (thp, first, count) = thps[t];
            if (counted.TryGetValue(t, out var c))
            {
                result.Thps.Add(thp with { ZeroSubpages = c.Zero, CountedInPid = c.Pid });
                continue;
            }
            if (Sum(zeros, readIndex, first, count) is not { } zero) continue;  // vanished mid-scan
            if (thp.Mapping != ThpMapping.Partial) shared.Add(thp.Pfn, pid, zero);
            result.Thps.Add(thp with { ZeroSubpages = zero });
        }
        foreach (var r in ranges)
            if (Sum(zeros, readIndex, r.First, r.Count) is { } zero)
                result.CollapseRanges.Add(new CollapseRange(r.Address, r.EmptyOrZero, r.EmptyOrZero + zero, r.Swap, r.Shared));
    }

    static int? Sum(int[] zeros, int[] readIndex, int first, int count)
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
