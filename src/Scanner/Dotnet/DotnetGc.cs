using System.Diagnostics;
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace ThpTool.Scanner.Dotnet;

/// <summary>Finds .NET processes by their diagnostics port and makes them collect garbage before a scan.</summary>
public static class DotnetGc
{
    const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    const long GcKeyword = 0x1;
    /// <summary>Enabling a session with this keyword makes the runtime run a full blocking GC (what dotnet-gcdump relies on).</summary>
    const long GcHeapCollectKeyword = 0x800000;
    const int BufferMb = 16;
    static readonly TimeSpan StopAfter = TimeSpan.FromSeconds(1);
    /// <summary>
    /// Connecting and starting or stopping a session take milliseconds from a live runtime; an endpoint that accepts
    /// and never answers (seen: 190 s with no bound) gets this long for each.
    /// </summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Pids with a diagnostics port this process can see (same mount namespace and TMPDIR) and may trust.</summary>
    public static IReadOnlySet<int> PublishedProcesses() => DiagnosticsPorts.Find().Keys.ToHashSet();

    /// <summary>
    /// Waits for the GCEnd of a gen-2 collection, or gives up after <paramref name="timeout"/>. Every step is bounded,
    /// and the whole is abandoned if the client library blocks past them all, so no endpoint can hang the scan.
    /// </summary>
    public static GcInduction Induce(int pid, TimeSpan timeout, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        if (!DiagnosticsPorts.Find().TryGetValue(pid, out var port))
            return new GcInduction(false, 0, "no diagnostics socket of the process's own user");
        var work = Task.Run(() => InduceAsync(port, timeout, clock, cancel), CancellationToken.None);
        var deadline = timeout + 4 * StepTimeout;
        try
        {
            if (work.Wait(deadline, cancel)) return work.Result;
        }
        catch (AggregateException e) when (e.InnerException is OperationCanceledException) { cancel.ThrowIfCancellationRequested(); }
        return new GcInduction(false, clock.Elapsed.TotalSeconds, $"the diagnostics endpoint {port} did not finish within {deadline.TotalSeconds:0} s");
    }

    static async Task<GcInduction> InduceAsync(string port, TimeSpan timeout, Stopwatch clock, CancellationToken cancel)
    {
        var providers = new[] { new EventPipeProvider(RuntimeProvider, EventLevel.Informational, GcKeyword | GcHeapCollectKeyword) };
        string step = "connecting";
        try
        {
            await using var connector = await Bounded(ct => DiagnosticsClientConnector.FromDiagnosticPort($"{port},connect", ct), cancel);
            step = "starting the session";
            using var session = await Bounded(ct => connector.Instance.StartEventPipeSessionAsync(providers, requestRundown: false, BufferMb, ct), cancel);
            var fullGcEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var reader = Task.Run(() =>
            {
                using var source = new EventPipeEventSource(session.EventStream);
                source.Clr.GCStop += e => { if (e.Depth == 2) fullGcEnded.TrySetResult(); };
                source.Process();
            }, CancellationToken.None);
            // The runtime runs the GC while enabling the session, but the parser holds events until it has a full
            // read's worth or the stream ends (seen here: GCEnd delivered 18-30 s late), so stop soon: that flushes.
            step = "waiting for the GC";
            bool ended = fullGcEnded.Task.Wait(StopAfter, cancel);
            step = "stopping the session";
            try { await Bounded(async ct => { await session.StopAsync(ct); return true; }, cancel); }
            catch (Exception e) when (e is ServerNotAvailableException or IOException or TimeoutException) { }
            step = "waiting for the GC";
            ended = ended || fullGcEnded.Task.Wait(timeout, cancel);
            // Only the GCEnd matters: a stream cut short by Stop may leave the parser complaining.
            try { reader.Wait(StepTimeout, CancellationToken.None); } catch (AggregateException) { }
            return ended
                ? new GcInduction(true, clock.Elapsed.TotalSeconds)
                : new GcInduction(false, clock.Elapsed.TotalSeconds, $"no full GC ended within {timeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is ServerNotAvailableException or UnsupportedCommandException or ServerErrorException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            return new GcInduction(false, clock.Elapsed.TotalSeconds, $"{step}: {e.Message.Split('\n')[0]}");
        }
    }

    /// <summary>One step, cancelled after <see cref="StepTimeout"/>; the timeout is a TimeoutException, the caller's cancel stays a cancel.</summary>
    static async Task<T> Bounded<T>(Func<CancellationToken, Task<T>> step, CancellationToken cancel)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(StepTimeout);
        try { return await step(limit.Token).WaitAsync(limit.Token); }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"no answer within {StepTimeout.TotalSeconds:0} s");
        }
    }
}
