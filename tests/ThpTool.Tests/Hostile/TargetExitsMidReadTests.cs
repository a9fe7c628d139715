using System.Collections;
using System.Diagnostics;
using ThpTool.Experiments.Workloads;
using ThpTool.Scanner.Memory;
using ThpTool.Scanner.Procfs;
using ThpTool.Tests.Support;
using Xunit;

namespace ThpTool.Tests.Hostile;

/// <summary>A target killed while several threads read it: the scan lists it as skipped and finishes the rest.</summary>
[Collection(LiveKernel.Collection)]
[Live]
public class TargetExitsMidReadTests(ITestOutputHelper output)
{
    /// <summary>
    /// Every THP of the workload as one read; the target is killed (and reaped) when a worker asks for the last one,
    /// so the other workers' reads and that worker's earlier ones have already run.
    /// </summary>
    sealed class KillingRequests(IReadOnlyList<ContentRequest> inner, WorkloadProcess target) : IReadOnlyList<ContentRequest>
    {
        int lastAsked;
        public bool Killed { get; private set; }

        public ContentRequest this[int index]
        {
            get
            {
                // The probe's slicing looks at each request once before the workers start; the second look at the last
                // one is its worker reaching it.
                if (index == inner.Count - 1 && Interlocked.Increment(ref lastAsked) == 2) Kill();
                return inner[index];
            }
        }

        void Kill()
        {
            using (var process = Process.GetProcessById(target.Pid)) process.Kill();
            // A process gives up its memory before it turns zombie.
            while (ProcessStat.IsAlive(target.Pid)) Thread.Sleep(1);
            Killed = true;
        }

        public int Count => inner.Count;
        public IEnumerator<ContentRequest> GetEnumerator() => inner.GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Fact]
    public async Task AProbeWithSeveralWorkersReportsTheProcessGoneNotABundle()
    {
        LiveKernel.RequireRoot();
        LiveKernel.RequireThp();
        await using var w = await Workloads.StartAsync(new WorkloadSpec { Size = 64 * Geometry.ThpSize, Fills = [100] });
        var requests = new KillingRequests(w.Thps.Select(t => new ContentRequest(t.Address, 512, Exclusive: true)).ToList(), w);
        using var probe = new ZeroPageProbe(w.Pid, threads: 4);
        var zeros = new int[requests.Count];
        var error = Assert.Throws<ProcessGoneError>(() => probe.Count(requests, zeros, TestContext.Current.CancellationToken));
        Assert.True(requests.Killed);
        Assert.Contains(w.Pid.ToString(), error.Message);
    }

    [Fact]
    public async Task SweepOfTwoPidsListsTheOneKilledDuringItsReadAsSkipped()
    {
        LiveKernel.RequireRoot();
        LiveKernel.RequireThp();
        await using var small = await Workloads.StartAsync(new WorkloadSpec { Size = 4 * Geometry.ThpSize, Fills = [100] });
        int skipped = 0;
        for (int attempt = 0; attempt < 6; attempt++)
        {
            await using var big = await Workloads.StartAsync(new WorkloadSpec { Size = 150 * Geometry.ThpSize, Fills = [100] });
            using var sweep = Thptool.Start("sweep", "--pid", small.Pid.ToString(), "--pid", big.Pid.ToString(), "--threads", "4", "--quiet");
            var stdout = sweep.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stderr = sweep.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            // The scan has the big target's pagemap open once it is past its smaps: most of what follows is the read.
            bool killed = await KillWhenOpened(sweep, big.Pid, $"/proc/{big.Pid}/pagemap");
            await sweep.WaitForExitAsync(TestContext.Current.CancellationToken);
            output.WriteLine($"attempt {attempt}: killed={killed} exit {sweep.ExitCode}\n{await stderr}");
            Assert.Equal(0, sweep.ExitCode);
            var text = await stdout;
            bool lost = text.Contains($"skipped pid {big.Pid}: ", StringComparison.Ordinal);
            Assert.Contains(lost ? ": 1 process(es)" : ": 2 process(es)", text, StringComparison.Ordinal);
            if (lost) skipped++;
            Assert.DoesNotContain("Exception", await stderr, StringComparison.Ordinal);
        }
        output.WriteLine($"{skipped} of 6 runs lost the big target");
        Assert.True(skipped > 0, "no kill landed before the big target's scan ended");
    }

    static async Task<bool> KillWhenOpened(Process scanner, int victim, string path)
    {
        var clock = Stopwatch.StartNew();
        while (!scanner.HasExited && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (HasOpen(scanner.Id, path))
            {
                using var process = Process.GetProcessById(victim);
                process.Kill();
                return true;
            }
            await Task.Delay(1);
        }
        return false;
    }

    static bool HasOpen(int pid, string path)
    {
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
                if (new FileInfo(fd).LinkTarget == path) return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return false;
    }
}
