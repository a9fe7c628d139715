using System.Diagnostics;
using System.Net.Sockets;
using ThpTool.Common.Output;
using ThpTool.Scanner.Dotnet;
using ThpTool.Scanner.Scanning;
using ThpTool.Tests.Support;
using Xunit;

namespace ThpTool.Tests.Hostile;

/// <summary>.NET diagnostics sockets in the shared temp directory, as another user or a broken endpoint might leave them.</summary>
[Live]
public sealed class DiagnosticsSocketTests : IDisposable
{
    readonly List<Process> started = [];
    readonly List<string> sockets = [];

    Process Start(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        var process = Process.Start(start)!;
        started.Add(process);
        return process;
    }

    string SocketPathFor(int pid, int key)
    {
        var path = Path.Combine(Path.GetTempPath(), $"dotnet-diagnostic-{pid}-{key}-socket");
        sockets.Add(path);
        return path;
    }

    [Fact]
    public void ASocketAnotherUserPlantedForRootsProcessIsNotTrusted()
    {
        LiveKernel.RequireRoot();
        var target = Start(new ProcessStartInfo("sleep", ["300"]));
        var path = SocketPathFor(target.Id, 1);
        // nobody listens on a real socket named for root's process, as anyone may in /tmp.
        var planter = Start(new ProcessStartInfo("runuser", ["-u", "nobody", "--", "/usr/bin/python3", "-c",
            "import socket, sys, time\ns = socket.socket(socket.AF_UNIX)\ns.bind(sys.argv[1])\ns.listen()\nprint('ready', flush=True)\ntime.sleep(300)", path]));
        Assert.Equal("ready", planter.StandardOutput.ReadLine());
        Assert.Equal(65534u, FileStatus.Of(path, followLink: false, out _)?.Uid);
        Assert.True(FileStatus.Of(path, followLink: false, out _)?.IsSocket);

        Assert.DoesNotContain(target.Id, DotnetGc.PublishedProcesses());
        var scan = ThpScanner.Scan(new ScanOptions { Pids = [target.Id], InduceDotnetGc = true }, TestContext.Current.CancellationToken);
        var process = Assert.Single(scan.Processes);
        Assert.False(process.IsDotnet);
        Assert.Null(process.Dotnet);
    }

    [Fact]
    public async Task AnEndpointThatAcceptsAndNeverAnswersCostsOneStepTimeout()
    {
        LiveKernel.RequireRoot();
        var target = Start(new ProcessStartInfo("sleep", ["300"]));
        // Root's own socket for root's process: trusted, but it answers nothing.
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(SocketPathFor(target.Id, 1)));
        listener.Listen();
        var accepted = new List<Socket>();
        var accepting = Task.Run(async () =>
        {
            while (true)
            {
                try { accepted.Add(await listener.AcceptAsync(TestContext.Current.CancellationToken)); }
                catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException) { return; }
            }
        }, TestContext.Current.CancellationToken);
        Assert.Contains(target.Id, DotnetGc.PublishedProcesses());

        var clock = Stopwatch.StartNew();
        var scan = ThpScanner.Scan(new ScanOptions { Pids = [target.Id], InduceDotnetGc = true }, TestContext.Current.CancellationToken);
        clock.Stop();

        var gc = Assert.Single(scan.Processes).Dotnet?.InducedGc;
        Assert.NotNull(gc);
        Assert.False(gc.Completed);
        Assert.Contains($"no answer within {DotnetGc.StepTimeout.TotalSeconds:0} s", gc.Error);
        Assert.True(accepted.Count > 0, "the scan never connected");
        Assert.InRange(clock.Elapsed, DotnetGc.StepTimeout, DotnetGc.StepTimeout * 3);
        listener.Dispose();
        await accepting;
        foreach (var s in accepted) s.Dispose();
    }

    public void Dispose()
    {
        foreach (var p in started)
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            p.WaitForExit();
            p.Dispose();
        }
        foreach (var s in sockets) File.Delete(s);
    }
}
