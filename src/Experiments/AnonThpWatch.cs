using ThpTool.Common.Errors;
using ThpTool.Experiments.Cgroups;

namespace ThpTool.Experiments;

/// <summary>
/// Samples a cgroup's anonymous THP memory while its workload runs. An OOM kill frees that memory at
/// once, so the last non-zero sample is the only record of what the workload held before it.
/// </summary>
internal sealed class AnonThpWatch : IAsyncDisposable
{
    static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);
    readonly CancellationTokenSource stop = new();
    readonly Task sampling;
    long lastSeen;

    public AnonThpWatch(MemoryCgroup cgroup) => sampling = Task.Run(() => Sample(cgroup));

    public long LastSeenBytes => Volatile.Read(ref lastSeen);

    async Task Sample(MemoryCgroup cgroup)
    {
        try
        {
            while (true)
            {
                if (cgroup.ReadStats().AnonThpBytes is > 0 and var bytes)
                    Volatile.Write(ref lastSeen, bytes);
                await Task.Delay(Interval, stop.Token);
            }
        }
        // Stopped, or the cgroup was removed under it by an interrupt: either way there is nothing more to see.
        catch (Exception e) when (e is OperationCanceledException or UserError) { }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await sampling;
        stop.Dispose();
    }
}
