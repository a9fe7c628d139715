using ThpTool.Cli.Commands;
using ThpTool.Experiments.Workloads;
using ThpTool.Scanner.Cgroups;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;
using ThpTool.Scanner.Scanning;
using ThpTool.Tests.Support;

namespace ThpTool.Tests.Cli.Commands;

/// <summary>Whole-host and cgroup scans of this machine, with a `thptool workload` holding known THPs; in the LiveKernel collection so
/// a shrinker pass elsewhere cannot split the workload's THPs mid-test.</summary>
[Collection(LiveKernel.Collection)]
[Live]
public sealed class LiveFleetTests
{
    const int Mib = 32;

    /// <summary>THP k holds (k * 37) % 512 + 1 written subpages, so zero counts spread over the range.</summary>
    static readonly WorkloadSpec Target = new() { Size = Mib << 20, Fills = [.. Enumerable.Range(0, Mib / 2).Select(k => k * 37 % 512 + 1)] };

    [Fact]
    public async Task AllScanListsSkipsAndItsSummarySweepsLikeTheRawScan()
    {
        await using var target = await Workloads.StartAsync(Target);
        if (target.AnonHugePagesKb == 0) Assert.Skip("this kernel gave the target no THPs (THP disabled?)");
        int gone = int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max")) + 1;
        var progress = new Reports();
        var pids = ProcessList.All().Append(gone).ToArray();
        var scan = ThpScanner.Scan(new ScanOptions { Pids = pids, Discovered = true, Threads = 2, Progress = progress },
                                   TestContext.Current.CancellationToken);

        var last = progress.Seen[^1];
        Assert.Equal((pids.Length, pids.Length), (last.ProcessesDone, last.ProcessesTotal));
        // Each THP of the target is read whole: at least its 32 MiB went through the probe.
        Assert.True(last.BytesRead >= Mib << 20, $"{last.BytesRead} bytes read");

        var mine = Assert.Single(scan.Processes, p => p.Pid == target.Pid);
        Assert.Equal(Mib / 2, mine.Vmas.Sum(v => v.Thps.Count));
        Assert.NotNull(mine.Cgroup);
        Assert.Contains(scan.Skipped, s => s.Pid == gone);
        Assert.DoesNotContain(scan.Processes, p => p.Pid == Environment.ProcessId);
        Assert.DoesNotContain(scan.Skipped, s => s.Reason.Contains("kernel thread"));
        Assert.Equal(Sweep.Run(scan, ThresholdSet.All, RemapPolicy.V1).Rows,
                     HistogramSweep.Run(HostSummary.From(scan), ThresholdSet.All, RemapPolicy.V1).Rows);
    }

    [Fact]
    public async Task CgroupScanFindsTheProcessesOfARealCgroup()
    {
        if (Environment.UserName != "root") Assert.Skip("creating a cgroup needs root");
        var mount = CgroupMount.OfThisHost() ?? throw SkipNoCgroup();
        var name = $"thptool-test-{Guid.NewGuid():N}";
        var dir = Path.Combine(mount.MountPoint, name);
        Directory.CreateDirectory(dir);
        try
        {
            await using (var target = await Workloads.StartAsync(Target))
            {
                File.WriteAllText(Path.Combine(dir, "cgroup.procs"), target.Pid.ToString());
                var scan = LiveScan.Run(new LiveScanRequest([], false, "/" + name, 1, Quiet: true, DotnetGc: false),
                    new StandardStreams(TextWriter.Null, TextWriter.Null), TestContext.Current.CancellationToken);
                var only = Assert.Single(scan.Processes);
                Assert.Equal(target.Pid, only.Pid);
                Assert.Equal("/" + name, only.Cgroup);
            }
        }
        finally
        {
            RemoveCgroup(dir);
        }
    }

    /// <summary>The target has exited, but the kernel may take a moment to let its cgroup go.</summary>
    static void RemoveCgroup(string dir)
    {
        for (int attempt = 0; ; attempt++)
        {
            try { Directory.Delete(dir); return; }
            catch (IOException) when (attempt < 50) { Thread.Sleep(100); }
        }
    }

    /// <summary>Records reports on the scanner's thread, as the CLI's displays receive them.</summary>
    sealed class Reports : IProgress<ScanProgress>
    {
        public List<ScanProgress> Seen { get; } = [];
        public void Report(ScanProgress value) => Seen.Add(value);
    }

    static Exception SkipNoCgroup()
    {
        Assert.Skip("no cgroup memory controller is mounted");
        return null!;
    }
}
