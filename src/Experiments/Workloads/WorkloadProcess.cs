using System.Diagnostics;
using System.Text.Json;
using ThpTool.Common.Errors;
using ThpTool.Experiments.Interop;
using ThpTool.Experiments.Workloads;
using ThpTool.Scanner.Procfs;

namespace ThpTool.Experiments.Workloads;

/// <summary>
/// A `thptool workload` child process with known THP contents. Disposing ends it and its forked child on
/// every path; if this process dies first, the workload sees stdin close and exits by itself.
/// </summary>
public sealed class WorkloadProcess : IDisposable, IAsyncDisposable
{
    public static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(30);
    static readonly TimeSpan GracefulExit = TimeSpan.FromSeconds(5);

    readonly Process process;
    readonly WorkloadReport report;
    readonly long? childStartTime;
    bool disposed;

    WorkloadProcess(WorkloadSpec spec, Process process, WorkloadReport report)
    {
        Spec = spec;
        this.process = process;
        this.report = report;
        childStartTime = report.ChildPid is { } child ? ProcessStat.StartTimeIfAlive(child) : null;
    }

    public WorkloadSpec Spec { get; }
    public int Pid => report.Pid;
    public int? ChildPid => report.ChildPid;
    public ulong Address => report.Address;
    public ulong Size => report.Size;
    public IReadOnlyList<WorkloadThp> Thps => report.Thps;
    /// <summary>AnonHugePages of the region as the workload saw it right after setting up.</summary>
    public long AnonHugePagesKb => report.AnonHugePagesKb;

    public static WorkloadProcess Start(WorkloadSpec spec, TimeSpan? timeout = null) =>
        StartAsync(spec, timeout).GetAwaiter().GetResult();

    public static async Task<WorkloadProcess> StartAsync(WorkloadSpec spec, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        spec.Validate();
        var process = Process.Start(StartInfo(spec)) ?? throw new UserError(ExitCode.IoError, "could not start thptool workload");
        try
        {
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            var line = process.StandardOutput.ReadLineAsync(CancellationToken.None).AsTask();
            // Pipe reads do not honour cancellation once blocked, so race them against the deadline.
            var deadline = Task.Delay(timeout ?? DefaultStartTimeout, ct);
            if (await Task.WhenAny(line, deadline) == deadline)
            {
                ct.ThrowIfCancellationRequested();
                throw new UserError(ExitCode.IoError, $"thptool workload did not report within {(timeout ?? DefaultStartTimeout).TotalSeconds:0} s");
            }
            if (await line is not { } json)
                throw await Failed(process, stderr);
            var report = JsonSerializer.Deserialize(json, WorkloadJson.Default.WorkloadReport)
                ?? throw new UserError(ExitCode.IoError, $"thptool workload printed '{json}'");
            return new WorkloadProcess(spec, process, report);
        }
        catch
        {
            KillAndWait(process);
            process.Dispose();
            throw;
        }
    }

    public SmapsRegion? ReadSmaps() => SmapsRegion.Read(Pid, Address, Size);

    public SmapsRegion? ReadChildSmaps() => ChildPid is { } child ? SmapsRegion.Read(child, Address, Size) : null;

    public void Dispose()
    {
        if (!BeginDispose())
            return;
        process.WaitForExit(GracefulExit);
        EndDispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (!BeginDispose())
            return;
        using var grace = new CancellationTokenSource(GracefulExit);
        try { await process.WaitForExitAsync(grace.Token); }
        catch (OperationCanceledException) { }
        EndDispose();
    }

    /// <summary>Closing stdin asks the workload to kill its child and exit.</summary>
    bool BeginDispose()
    {
        if (disposed)
            return false;
        disposed = true;
        try { process.StandardInput.Close(); }
        catch (IOException) { }
        return true;
    }

    void EndDispose()
    {
        // A pid is only ours while its start time matches: after a clean exit the number may be reused.
        if (ChildPid is { } child && childStartTime is { } started && ProcessStat.StartTimeIfAlive(child) == started)
            Libc.Kill(child, Libc.SIGKILL);
        KillAndWait(process);
        process.Dispose();
    }

    static void KillAndWait(Process process)
    {
        try
        {
            if (!process.HasExited)
                process.Kill();
            process.WaitForExit(GracefulExit);
        }
        catch (InvalidOperationException) { }
    }

    static async Task<WorkloadExited> Failed(Process process, Task<string> stderr)
    {
        await process.WaitForExitAsync().WaitAsync(GracefulExit);
        var message = (await stderr.WaitAsync(GracefulExit)).Trim();
        var code = Enum.IsDefined((ExitCode)process.ExitCode) ? (ExitCode)process.ExitCode : ExitCode.IoError;
        return new WorkloadExited(code, $"thptool workload failed (exit {process.ExitCode}): {message}", process.ExitCode);
    }

    static ProcessStartInfo StartInfo(WorkloadSpec spec)
    {
        var apphost = Path.Combine(AppContext.BaseDirectory, "thptool");
        var info = File.Exists(apphost)
            ? new ProcessStartInfo(apphost)
            : new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                ArgumentList = { Path.Combine(AppContext.BaseDirectory, "thptool.dll") },
            };
        foreach (var argument in spec.ToArguments())
            info.ArgumentList.Add(argument);
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        return info;
    }
}
