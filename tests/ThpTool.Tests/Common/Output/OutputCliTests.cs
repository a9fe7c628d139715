using System.Diagnostics;
using ThpTool.Common.Errors;
using ThpTool.Experiments.Interop;
using ThpTool.Scanner.ScanFiles;
using ThpTool.Tests.Support;
using Xunit;

namespace ThpTool.Tests.Common.Output;

/// <summary>
/// Every command's outputs: checked before any scan, one owner of standard output. In this process, or the real
/// executable where a shell, a device, a descriptor or a signal is part of what is tested.
/// </summary>
public sealed class OutputCliTests : IDisposable
{
    readonly OutputDirectory dir = new();
    readonly string scan;

    public OutputCliTests()
    {
        scan = dir["scan.json"];
        ScanFileStore.Save(Support.SyntheticScans.Scan(), scan);
    }

    public void Dispose() => dir.Dispose();

    static void AssertOneLine(Thptool.Result r, ExitCode code, string expected)
    {
        Assert.Equal((int)code, r.ExitCode);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Theory]
    [InlineData("--csv", "-", "--json")]
    [InlineData("--csv", "-", "--prometheus", "-")]
    [InlineData("--prometheus", "/proc/self/fd/1", "--json")]
    public async Task TwoOutputsCannotBothHaveStandardOutput(params string[] options)
    {
        var r = await Thptool.RunInProcess(["sweep", scan, .. options]);
        AssertOneLine(r, ExitCode.Usage, "both write to standard output");
        Assert.Empty(r.Stdout);
    }

    [Fact]
    public async Task AReportOnStandardOutputIsOnlyTheReport()
    {
        var r = await Thptool.RunInProcess("report", scan, "--html", "-");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("<!DOCTYPE html>", r.Stdout, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("</html>", r.Stdout.TrimEnd());
        AssertOneLine(await Thptool.RunInProcess("report", scan, "--html", "-", "--json"), ExitCode.Usage, "both write to standard output");
    }

    [Fact]
    public async Task ADatasetReportOnStandardOutputIsOnlyTheReport()
    {
        var dataset = dir["fleet"];
        ThpTool.Fleet.Dataset.DatasetWriter.Write(dataset, ThpTool.Fleet.Dataset.HostTables.From(ScanFileStore.Load(scan)));
        var r = await Thptool.RunInProcess("report", dataset, "--html", "-");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("<!DOCTYPE html>", r.Stdout, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("</html>", r.Stdout.TrimEnd());
    }

    [Theory]
    [InlineData("scan", "-o", "", ExitCode.Usage, "the file name is empty")]
    [InlineData("sweep", "--csv", "", ExitCode.Usage, "the file name is empty")]
    [InlineData("sweep", "--csv", "/", ExitCode.Usage, "is a directory")]
    [InlineData("sweep", "--prometheus", "missing/thptool.prom", ExitCode.IoError, "no such directory")]
    public async Task ABadOutputPathFailsBeforeTheScan(string command, string option, string path, ExitCode code, string expected)
    {
        // No such pid: had the scan run first, it would have failed with NoSuchProcess.
        var r = await Thptool.RunInProcess(command, "--pid", "3999999", option, path.StartsWith("missing") ? dir[path] : path);
        AssertOneLine(r, code, expected);
        Assert.Equal(["scan.json"], dir.Names());
    }

    [Live]
    [Theory]
    [InlineData("--csv", "-")]
    [InlineData("--json")]
    [InlineData("--thresholds", "0-511")]
    public async Task AFullStandardOutputIsOneLineAndAnIoError(params string[] options)
    {
        string full = dir.CharDevice("full", 1, 7);
        var r = await RunInShell($"exec \"$0\" \"$@\" > '{full}'", ["sweep", scan, .. options]);
        AssertOneLine(r, ExitCode.IoError, "cannot write standard output: No space left on device");
    }

    [Theory]
    [InlineData("000")]
    [InlineData("077")]
    public async Task NewFilesGetTheirModeWhateverTheUmask(string umask)
    {
        string script = $"umask {umask} && exec \"$0\" \"$@\"";
        Assert.Equal(0, (await RunInShell(script, ["merge", scan, "-o", dir["fleet.json"]])).ExitCode);
        Assert.Equal(0, (await RunInShell(script, ["sweep", scan, "--csv", dir["sweep.csv"]])).ExitCode);
        Assert.Equal(0x180u, OutputDirectory.Status(dir["fleet.json"]).Permissions);
        Assert.Equal(0x1A4u, OutputDirectory.Status(dir["sweep.csv"]).Permissions);
    }

    /// <summary>thptool started by a shell <paramref name="script"/> that sets up what a test cannot (umask, redirection).</summary>
    static async Task<Thptool.Result> RunInShell(string script, string[] args)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", script, Thptool.AppHost }.Concat(args))
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        string stderr = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return new Thptool.Result(process.ExitCode, await stdout, stderr, process.Id);
    }

    [Fact]
    public async Task TheProcessOwnStandardOutputByNumberTakesTheCsv()
    {
        var r = await Thptool.RunAsync("sweep", scan, "--csv", "/proc/self/fd/1");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("max_ptes_none,thps_scanned,thps_split,bytes_freed", r.Stdout);
        Assert.DoesNotContain("Recommended", r.Stdout);
    }

    [Fact]
    public async Task SigtermEndsARunBlockedOnAFifoWithinASecond()
    {
        string fifo = dir.Fifo("sweep.csv");
        using var tool = Thptool.Start("sweep", scan, "--csv", fifo);
        var stderr = tool.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        // openat(2) of a FIFO without a reader blocks; /proc/PID/syscall names the call the main thread is in.
        Assert.True(Wait.Until(() => BlockedInOpen(tool.Id), TimeSpan.FromSeconds(30)), "thptool never blocked opening the FIFO");
        var clock = Stopwatch.StartNew();
        Libc.Kill(tool.Id, 15);
        Libc.Kill(tool.Id, 15);  // a second SIGTERM must not turn the exit into a crash
        Assert.True(tool.WaitForExit(TimeSpan.FromSeconds(5)), "thptool ignored SIGTERM");
        clock.Stop();
        Assert.Equal((int)ExitCode.Cancelled, tool.ExitCode);
        // By design half a second and the exit; the margin is for a 2-core test machine under a load of 30 and more.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"ended {clock.Elapsed.TotalMilliseconds:0} ms after SIGTERM");
        Assert.Equal("thptool: cancelled", (await stderr).Trim());
        Assert.True(OutputDirectory.Status(fifo).IsFifo);
        Assert.Equal(["scan.json", "sweep.csv"], dir.Names());
    }

    static bool BlockedInOpen(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/syscall").StartsWith("257 ", StringComparison.Ordinal); }
        catch (IOException) { return false; }
    }
}
