using ThpTool.Common.Interop;
using System.Text.Json;
using ThpTool.Common.Errors;
using ThpTool.Experiments.Interop;
using ThpTool.Scanner.Memory;
using ThpTool.Scanner.Procfs;
using Libc = ThpTool.Experiments.Interop.Libc;

namespace ThpTool.Experiments.Workloads;

/// <summary>Builds a workload inside this process, reports it as one JSON line, and holds it until stdin closes.</summary>
public static class Workload
{
    public static async Task<int> RunAsync(WorkloadSpec spec, TextWriter output, Stream input, CancellationToken ct)
    {
        spec.Validate();
        try
        {
            if (spec.CgroupProcs is { } procs)
                JoinCgroup(procs);
            using var region = AlignedRegion.Map(spec.Size, hugePages: !spec.NoHugepage, shared: spec.Shmem, spec.Spread);
            using var extraVmas = spec.ExtraVmas > 0 ? OnePageVmas.Map(spec.ExtraVmas) : null;
            var contents = Fill(region, spec);
            // Before the layout changes: THPs already faulted stay; khugepaged gets no window to undo the change.
            if (spec.Partial > 0 || spec.Misalign || spec.Drops is not null)
                StopCollapse();
            if (spec.Partial > 0)
                DiscardTailOfFirstThp(region, contents, spec.Partial);
            if (spec.Drops is { } drops)
                Drop(region, contents, drops, spec.LazyFree);
            if (spec.Misalign)
                region.MoveOffAlignment();
            if (spec.Mlock)
                region.Lock();
            using var uffd = spec.Uffd is { } mode ? UffdRegistration.Register(region, mode) : null;
            using var child = spec.Fork || spec.ForkWrite ? SleepingChild.Fork(spec.ForkWrite ? region : null) : null;

            var address = (ulong)region.Address;
            var smaps = SmapsRegion.ReadSelf(address, (ulong)region.Extent);
            var report = new WorkloadReport(Environment.ProcessId, child?.Pid, address, (ulong)region.Extent,
                contents.Thps(address, region.Spacing), smaps?.AnonHugePagesKb ?? 0);
            await output.WriteLineAsync(JsonSerializer.Serialize(report, WorkloadJson.Default.WorkloadReport));
            await output.FlushAsync(ct);
            await WaitForEndOfInput(input, ct);
            return (int)ExitCode.Success;
        }
        catch (ErrnoException e)
        {
            throw new UserError(e.Errno == Errno.EPERM ? ExitCode.PermissionDenied : ExitCode.Unsupported, $"workload: {e.Message}");
        }
    }

    /// <summary>
    /// Faults each THP (a write fault per 2 MiB allocates the whole THP, zeroed) only when the pattern reaches
    /// it, as the series' reproduction does: under a cgroup limit, reclaim then judges every THP already
    /// holding its final contents. THPs the pattern misses are faulted all-zero.
    /// </summary>
    static RegionContents Fill(AlignedRegion region, WorkloadSpec spec)
    {
        long faulted = 0;
        void FaultUpTo(long thp)
        {
            for (; faulted <= thp; faulted++)
                region.Write(faulted * Geometry.ThpSize, 0);
        }
        foreach (var b in FillPlan.Bytes(spec))
        {
            FaultUpTo(b.Offset / Geometry.ThpSize);
            region.Write(b.Offset, 1);
        }
        FaultUpTo(spec.ThpCount - 1);
        return FillPlan.Contents(spec);
    }

    /// <summary>
    /// Keeps khugepaged away: at max_ptes_none 511 it re-collapses a partially unmapped or misaligned range into a
    /// fresh THP within seconds (seen here), undoing the layout. The process-wide switch, not MADV_NOHUGEPAGE, because
    /// a VMA flag change can merge the region with a neighbour. The shrinker judges folios, so it still applies.
    /// </summary>
    static void StopCollapse() => Libc.Prctl(Libc.PR_SET_THP_DISABLE, 1);

    /// <summary>
    /// Existing memory stays charged where it was; only what is mapped from now on counts in the cgroup. The file is
    /// checked once open, where it really is, so no name or link can turn the write to another file.
    /// </summary>
    static void JoinCgroup(string procs)
    {
        string root = Cgroups.CgroupMounts.FindMemoryController().Root.TrimEnd('/');
        var refusal = new UserError(ExitCode.Usage, $"--cgroup-procs {procs} is not the cgroup.procs file of a memory cgroup under {root}");
        if (Path.GetFileName(procs) != "cgroup.procs")
            throw refusal;
        try
        {
            using var handle = File.OpenHandle(procs, FileMode.Open, FileAccess.Write);
            string? opened = new FileInfo($"/proc/self/fd/{handle.DangerousGetHandle()}").LinkTarget;
            if (opened is null || Path.GetFileName(opened) != "cgroup.procs" || !opened.StartsWith(root + "/", StringComparison.Ordinal))
                throw refusal;
            RandomAccess.Write(handle, System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)), 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError(e is UnauthorizedAccessException ? ExitCode.PermissionDenied : ExitCode.IoError, $"cannot join the cgroup of {procs}: {e.Message}");
        }
    }

    static void DiscardTailOfFirstThp(AlignedRegion region, RegionContents contents, int subpages)
    {
        long length = (long)subpages * Geometry.PageSize;
        long offset = Geometry.ThpSize - length;
        region.Discard(offset, length);
        contents.MarkUnmapped(offset, length);
    }

    /// <summary>
    /// Gives the chosen subpages back one madvise call per run of neighbours. MADV_DONTNEED unmaps them at once;
    /// MADV_FREE leaves them mapped (and their contents readable) until reclaim takes them, so they stay in the contents.
    /// </summary>
    static void Drop(AlignedRegion region, RegionContents contents, SubpageDrops drops, bool lazyFree)
    {
        for (int thp = 0; thp < region.Size / Geometry.ThpSize; thp++)
        {
            var subpages = drops.Of(thp);
            for (int i = 0; i < subpages.Count;)
            {
                int end = i + 1;
                while (end < subpages.Count && subpages[end] == subpages[end - 1] + 1) end++;
                long offset = thp * Geometry.ThpSize + (long)subpages[i] * Geometry.PageSize, length = (long)(end - i) * Geometry.PageSize;
                if (lazyFree)
                    region.FreeLazily(offset, length);
                else
                {
                    region.Discard(offset, length);
                    contents.MarkUnmapped(offset, length);
                }
                i = end;
            }
        }
    }

    static async Task WaitForEndOfInput(Stream input, CancellationToken ct)
    {
        // Pipe reads ignore the token once blocked, so race them against it instead.
        var reading = Task.Run(() =>
        {
            var buffer = new byte[256];
            while (input.Read(buffer) > 0) { }
        }, CancellationToken.None);
        var cancelled = Task.Delay(Timeout.Infinite, ct);
        await Task.WhenAny(reading, cancelled);
    }
}
