using System.Diagnostics;
using System.Text.Json;
using ThpTool.Common.Errors;
using ThpTool.Scanner.ScanFiles;
using ThpTool.Tests.Support;
using Xunit;

namespace ThpTool.Tests.Cli;

/// <summary>What a user without root gets: a clear refusal for others' processes, PAGEMAP_SCAN mode for their own.</summary>
[Collection(LiveKernel.Collection)]
[Live]
public class UnprivilegedTests
{
    [Fact]
    public async Task AnotherUsersProcessIsRefusedNamingPtrace()
    {
        Nobody.Require();
        using var p = Process.Start(Nobody.Thptool("scan", "--pid", Environment.ProcessId.ToString()))!;
        p.StandardInput.Close();
        string stderr = await p.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await p.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal((int)ExitCode.PermissionDenied, p.ExitCode);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("ptrace", stderr);
    }

    [Fact]
    public async Task OwnProcessIsScannedWithPagemapScanOnly()
    {
        Nobody.Require();
        LiveKernel.RequireThp();
        var dir = Directory.CreateTempSubdirectory();
        File.SetUnixFileMode(dir.FullName, (UnixFileMode)0x1FF);
        using var workload = Process.Start(Nobody.Thptool("workload", "--size", "8M", "--fills", "0,100,300,512"))!;
        try
        {
            var line = await workload.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken);
            using var report = JsonDocument.Parse(line!);
            int pid = report.RootElement.GetProperty("pid").GetInt32();
            var expected = report.RootElement.GetProperty("thps").EnumerateArray()
                .Select(t => (t.GetProperty("address").GetUInt64(), 512 - t.GetProperty("nonZeroSubpages").GetInt32())).ToList();

            var output = Path.Combine(dir.FullName, "scan.json");
            using var scanner = Process.Start(Nobody.Thptool("scan", "--pid", pid.ToString(), "-o", output))!;
            scanner.StandardInput.Close();
            string stdout = await scanner.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            await scanner.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Equal(0, scanner.ExitCode);
            Assert.Contains("no CAP_SYS_ADMIN", stdout);

            var scan = ScanFileStore.Load(output);
            Assert.Equal(DiscoveryMode.PagemapScan, scan.Mode);
            var thps = scan.Processes.Single().Vmas.SelectMany(v => v.Thps).OrderBy(t => t.Address).ToList();
            Assert.Equal(expected, thps.Select(t => (t.Address, t.ZeroSubpages)));
            Assert.All(thps, t => Assert.Equal(0UL, t.Pfn));
        }
        finally
        {
            workload.Kill(entireProcessTree: true);
            await workload.WaitForExitAsync(TestContext.Current.CancellationToken);
            dir.Delete(true);
        }
    }
}
