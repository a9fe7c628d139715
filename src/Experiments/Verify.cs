using System.Globalization;
using ThpTool.Experiments.KernelKnobs;
using ThpTool.Experiments.Workloads;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Memory;
using ThpTool.Scanner.Procfs;
using ThpTool.Scanner.ScanFiles;
using ThpTool.Scanner.Scanning;

namespace ThpTool.Experiments;

/// <summary>
/// The model checked against this kernel: known workloads are scanned, the model predicts what one
/// shrinker pass does to each, and the pass is run. Touches only its own workloads' memory.
/// </summary>
public static class Verify
{
    const long ThpKb = Geometry.ThpSize / 1024;
    const long PageKb = Geometry.PageSize / 1024;

    sealed record Target(string Workload, int Pid, WorkloadProcess Process, Prediction Prediction);

    sealed record Prediction(int Thps, int Splits, int UnderusedSplits, long AnonHugePagesLostKb, long RssFreedKb);

    public static async Task<VerifyResult> RunAsync(int maxPtesNone, CancellationToken ct)
    {
        // One look per THP: N must be in force before the workloads fault their THPs.
        using var knob = KnobOverride.Set(ThpSysfs.MaxPtesNone, maxPtesNone.ToString(CultureInfo.InvariantCulture));
        var workloads = new List<(VerifyCase Case, WorkloadProcess Process)>();
        try
        {
            foreach (var c in VerifyCase.For(maxPtesNone))
                workloads.Add((c, await Start(c, ct)));
            var targets = workloads.SelectMany(w => Targets(w.Case, w.Process, maxPtesNone, ct)).ToList();

            var before = targets.Select(Smaps).ToList();
            var vmstatBefore = Vmstat.Read();
            ShrinkerTrigger.Run();
            var vmstatAfter = Vmstat.Read();
            var after = targets.Select(Smaps).ToList();

            var rows = targets.Select((t, i) => new VerifyRow
            {
                Workload = t.Workload,
                Pid = t.Pid,
                Thps = t.Prediction.Thps,
                PredictedSplits = t.Prediction.Splits,
                PredictedUnderusedSplits = t.Prediction.UnderusedSplits,
                PredictedAnonHugePagesLostKb = t.Prediction.AnonHugePagesLostKb,
                PredictedRssFreedKb = t.Prediction.RssFreedKb,
                ObservedAnonHugePagesLostKb = before[i].AnonHugePagesKb - after[i].AnonHugePagesKb,
                ObservedRssFreedKb = before[i].RssKb - after[i].RssKb,
            }).ToList();
            return new VerifyResult
            {
                MaxPtesNone = maxPtesNone,
                Rows = rows,
                PredictedUnderusedSplits = rows.Sum(r => r.PredictedUnderusedSplits),
                ObservedUnderusedSplits = vmstatAfter.GetValueOrDefault(Vmstat.UnderusedSplits) - vmstatBefore.GetValueOrDefault(Vmstat.UnderusedSplits),
            };
        }
        finally
        {
            foreach (var (_, process) in workloads)
                await process.DisposeAsync();
        }
    }

    /// <summary>
    /// An mTHP case faults its memory with only its size enabled; the knobs come back as soon as it reports. Its holes
    /// made it disable THP for itself (prctl), so khugepaged cannot collapse its folios into PMD THPs afterwards.
    /// </summary>
    static async Task<WorkloadProcess> Start(VerifyCase c, CancellationToken ct)
    {
        if (c.MthpKb is not { } kb)
            return await WorkloadProcess.StartAsync(c.Spec, ct: ct);
        using var pmd = KnobOverride.Set(ThpSysfs.SizeEnabled(ThpSysfs.PmdSizeKb), "never");
        using var mthp = KnobOverride.Set(ThpSysfs.SizeEnabled(kb), "madvise");
        return await WorkloadProcess.StartAsync(c.Spec, ct: ct);
    }

    static SmapsRegion Smaps(Target t) =>
        SmapsRegion.Read(t.Pid, t.Process.Address, t.Process.Size)
        ?? throw new InvalidOperationException($"workload '{t.Workload}' (pid {t.Pid}) lost its region");

    /// <summary>The workload's process and its forked child, if any: scanned together, so a THP they share counts once.</summary>
    static IEnumerable<Target> Targets(VerifyCase c, WorkloadProcess w, int n, CancellationToken ct)
    {
        int[] pids = w.ChildPid is { } child ? [w.Pid, child] : [w.Pid];
        var scan = ThpScanner.Scan(new ScanOptions { Pids = pids }, ct);
        return pids.Select((pid, i) => new Target(i == 0 ? c.Name : $"{c.Name} (child)", pid, w, Predict(scan, pid, w, n)));
    }

    static Prediction Predict(ScanFile scan, int pid, WorkloadProcess w, int n)
    {
        int thps = 0, splits = 0, underused = 0;
        long anonHugeKb = 0, rssKb = 0;
        foreach (var (thp, vma) in ScannedRegion.Thps(scan, pid, w.Address, w.Size))
        {
            thps++;
            var fate = ShrinkerModel.Judge(thp, vma.Mlocked, n);
            if (fate is not (ThpFate.SplitUnderused or ThpFate.SplitPartial))
                continue;
            splits++;
            if (fate == ThpFate.SplitUnderused && thp.CountedInPid is null)
                underused++;
            if (thp.Mapping == ThpMapping.Pmd)
                anonHugeKb += ThpKb;
            // Every zero subpage goes to the shared zero page (or pte_none under the v1 series): Rss drops either way.
            rssKb += thp.ZeroSubpages * PageKb;
        }
        foreach (var (mthp, vma) in ScannedRegion.PartialMthps(scan, pid, w.Address, w.Size))
        {
            if (ShrinkerModel.Judge(mthp, vma.Mlocked) != ThpFate.SplitPartial)
                continue;
            splits++;
            rssKb += mthp.ZeroSubpages * PageKb;
        }
        return new Prediction(thps, splits, underused, anonHugeKb, rssKb);
    }
}
