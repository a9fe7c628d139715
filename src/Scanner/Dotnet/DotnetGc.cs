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
    static readonly TimeSpan StopAfter = TimeSpan.FromSeconds(1);

    /// <summary>Pids with a diagnostics port this process can see (same mount namespace and TMPDIR).</summary>
    public static IReadOnlySet<int> PublishedProcesses()
    {
        try { return DiagnosticsClient.GetPublishedProcesses().ToHashSet(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return new HashSet<int>(); }
    }

    /// <summary>Waits for the GCEnd of a gen-2 collection, or gives up after <paramref name="timeout"/>.</summary>
    public static GcInduction Induce(int pid, TimeSpan timeout, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var providers = new[] { new EventPipeProvider(RuntimeProvider, EventLevel.Informational, GcKeyword | GcHeapCollectKeyword) };
        try
        {
            using var session = new DiagnosticsClient(pid).StartEventPipeSession(providers, requestRundown: false);
            var fullGcEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var reader = Task.Run(() =>
            {
                using var source = new EventPipeEventSource(session.EventStream);
                source.Clr.GCStop += e => { if (e.Depth == 2) fullGcEnded.TrySetResult(); };
                source.Process();
            }, CancellationToken.None);
            // The runtime runs the GC while enabling the session, but the parser holds events until it has a full
            // read's worth or the stream ends (seen here: GCEnd delivered 18-30 s late), so stop soon: that flushes.
            bool ended = fullGcEnded.Task.Wait(StopAfter, cancel);
            try { session.Stop(); } catch (Exception e) when (e is ServerNotAvailableException or IOException or TimeoutException) { }
            ended = ended || fullGcEnded.Task.Wait(timeout, cancel);
            // Only the GCEnd matters: a stream cut short by Stop may leave the parser complaining.
            try { reader.Wait(TimeSpan.FromSeconds(5), CancellationToken.None); } catch (AggregateException) { }
            return ended
                ? new GcInduction(true, clock.Elapsed.TotalSeconds)
                : new GcInduction(false, clock.Elapsed.TotalSeconds, $"no full GC ended within {timeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is ServerNotAvailableException or UnsupportedCommandException or ServerErrorException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            return new GcInduction(false, clock.Elapsed.TotalSeconds, e.Message.Split('\n')[0]);
        }
    }
}
