using System.Globalization;
using ThpTool.Experiments.Cgroups;
using ThpTool.Experiments.Interop;
using ThpTool.Experiments.KernelKnobs;
using ThpTool.Experiments.Workloads;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Memory;
using ThpTool.Scanner.Procfs;
using ThpTool.Scanner.Scanning;

namespace ThpTool.Experiments;

/// <summary>
/// The shrinker series' reproduction: a sparse workload in a memory cgroup too small for it. Only the
/// underused-THP shrinker, run by the cgroup's reclaim, can make room (there is no swap): at a low enough
/// max_ptes_none the workload fits, above it the OOM killer ends it.
/// </summary>
public static class Repro
{
    public static async Task<ReproResult> RunAsync(IMemoryController controller, ReproSettings settings, int maxPtesNone, CancellationToken ct)
    {
        // One look per THP: N must be in force before the first THP is faulted.
        using var knob = KnobOverride.Set(ThpSysfs.MaxPtesNone, maxPtesNone.ToString(CultureInfo.InvariantCulture));
        using var cgroup = MemoryCgroup.Create(controller, settings.LimitBytes);
        var before = Vmstat.Read();

        WorkloadProcess? workload = null;
        WorkloadExited? died = null;
        long lastSeenAnonThp;
        await using (var watch = new AnonThpWatch(cgroup))
        {
            try { workload = await WorkloadProcess.StartAsync(settings.Workload(cgroup.ProcsFile), ct: ct); }
            catch (WorkloadExited e) when (e.Signal is not null && !ct.IsCancellationRequested) { died = e; }
            lastSeenAnonThp = watch.LastSeenBytes;
        }

        int? thpsLeft = null, underusedLeft = null;
        long anonHugePagesKb = lastSeenAnonThp / 1024;
        await using (workload)
        {
            if (workload is not null)
            {
                var left = ScannedRegion.Thps(ThpScanner.Scan(new ScanOptions { Pids = [workload.Pid] }, ct), workload.Pid, workload.Address, workload.Size).ToList();
                thpsLeft = left.Count;
                underusedLeft = left.Count(x => ShrinkerModel.Judge(x.Thp, x.Vma.Mlocked, maxPtesNone) == ThpFate.SplitUnderused);
                anonHugePagesKb = workload.ReadSmaps()?.AnonHugePagesKb ?? 0;
            }
        }

        var after = Vmstat.Read();
        var stats = cgroup.ReadStats();
        var written = settings.Workload(cgroup.ProcsFile).WrittenThps();
        var underused = written.Where(t => ShrinkerModel.IsUnderused(t.ZeroSubpages, maxPtesNone)).ToList();
        return new ReproResult
        {
            MaxPtesNone = maxPtesNone,
            LimitBytes = settings.LimitBytes,
            Bytes = settings.Bytes,
            Stride = settings.Stride,
            CgroupVersion = controller.Version,
            OomKilled = died?.Signal == Libc.SIGKILL && stats.OomKills > 0,
            OomKills = stats.OomKills,
            ExitSignal = died?.Signal,
            PeakBytes = stats.PeakBytes,
            LimitHits = stats.LimitHits,
            UnderusedSplits = Delta(before, after, Vmstat.UnderusedSplits),
            Splits = Delta(before, after, Vmstat.Splits),
            AnonHugePagesKb = anonHugePagesKb,
            Thps = written.Count,
            PredictedSplits = underused.Count,
            PredictedBytesFreed = underused.Sum(t => (long)t.ZeroSubpages * Geometry.PageSize),
            ThpsLeft = thpsLeft,
            UnderusedLeft = underusedLeft,
        };
    }

    static long Delta(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after, string counter) =>
        after.GetValueOrDefault(counter) - before.GetValueOrDefault(counter);
}
