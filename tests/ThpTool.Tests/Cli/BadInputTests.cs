using ThpTool.Common.Errors;
using ThpTool.Tests.Support;
using Xunit;

namespace ThpTool.Tests.Cli;

/// <summary>Every user mistake: one line on stderr, a distinct exit code, never a stack trace.</summary>
public class BadInputTests
{
    static void AssertOneLine(Thptool.Result r, ExitCode code, string expected)
    {
        Assert.Equal((int)code, r.ExitCode);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("thptool: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact]
    public async Task PidThatDoesNotExist()
    {
        int pid = 4_000_000 - 1;  // above pid_max's usual ceiling, so never a live process
        AssertOneLine(await Thptool.RunInProcess("scan", "--pid", pid.ToString()), ExitCode.NoSuchProcess, $"no process with pid {pid}");
    }

    [Fact]
    public async Task KernelThread()
    {
        // pid 2 is kthreadd on every Linux system.
        AssertOneLine(await Thptool.RunInProcess("scan", "--pid", "2"), ExitCode.KernelThread, "kernel thread");
    }

    [Theory]
    [InlineData("512", "outside 0..511")]
    [InlineData("x", "is not a number")]
    public async Task ThresholdOutOfRange(string thresholds, string expected) =>
        AssertOneLine(await Thptool.RunInProcess("sweep", "--pid", Environment.ProcessId.ToString(), "--thresholds", thresholds), ExitCode.Usage, expected);

    [Fact]
    public async Task FileThatIsNotAScan()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "{\"some\": \"json\"}");
            AssertOneLine(await Thptool.RunInProcess("sweep", path), ExitCode.BadScanFile, "is not a thptool scan");
            File.WriteAllText(path, "{\"format\":\"thptool-scan\",\"version\":1,\"host\":\"h\",\"ker");
            AssertOneLine(await Thptool.RunInProcess("sweep", path), ExitCode.BadScanFile, "truncated");
            AssertOneLine(await Thptool.RunInProcess("sweep", path + ".missing"), ExitCode.BadScanFile, "no scan file");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task UnknownOptionIsAUsageError() =>
        AssertOneLine(await Thptool.RunInProcess("sweep", "--no-such-option"), ExitCode.Usage, "--no-such-option");

    [Fact]
    public async Task OutputThatCannotBeWrittenLeavesNothingBehind()
    {
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            var scanFile = Path.Combine(dir.FullName, "scan.json");
            ThpTool.Scanner.ScanFiles.ScanFileStore.Save(Support.SyntheticScans.Scan(), scanFile);
            var r = await Thptool.RunInProcess("sweep", scanFile, "--csv", Path.Combine(dir.FullName, "no-such-dir", "out.csv"));
            AssertOneLine(r, ExitCode.IoError, "cannot write");
            Assert.Equal(["scan.json"], Directory.GetFiles(dir.FullName).Select(Path.GetFileName));
        }
        finally { dir.Delete(true); }
    }

    [Theory]
    [InlineData("--sample", "0", "--sample must be above 0 and at most 1")]
    [InlineData("--sample", "1.5", "--sample must be above 0 and at most 1")]
    [InlineData("--max-rate", "fast", "--max-rate 'fast' is not a positive byte count")]
    [InlineData("--max-rate", "0", "--max-rate '0' is not a positive byte count")]
    public async Task SampleAndRateOutOfRange(string option, string value, string expected) =>
        AssertOneLine(await Thptool.RunInProcess("scan", "--pid", Environment.ProcessId.ToString(), option, value), ExitCode.Usage, expected);

    [Fact]
    public async Task SeedWithoutSample() =>
        AssertOneLine(await Thptool.RunInProcess("scan", "--pid", Environment.ProcessId.ToString(), "--seed", "3"), ExitCode.Usage, "--seed needs --sample");
}

/// <summary>With several pids, one that cannot be scanned is listed, not fatal; with none left it is an error.</summary>
public class SeveralPidsTests
{
    [Fact]
    public async Task AVanishedPidIsListedAndTheRestScanned()
    {
        int gone = 4_000_000 - 2;
        var r = await Thptool.RunInProcess("scan", "--pid", Environment.ProcessId.ToString(), "--pid", gone.ToString());
        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"skipped pid {gone}: no process with pid {gone}", r.Stdout);
        Assert.Contains("1 process(es)", r.Stdout);
    }

    [Fact]
    public async Task NoScannablePidIsAnError()
    {
        var r = await Thptool.RunInProcess("scan", "--pid", "3999997", "--pid", "3999996");
        Assert.Equal((int)ExitCode.NoSuchProcess, r.ExitCode);
        Assert.Contains("no process could be scanned", r.Stderr);
    }
}
