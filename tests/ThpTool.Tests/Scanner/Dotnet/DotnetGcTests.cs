using System.Diagnostics;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Scanning;
using ThpTool.Tests.Support;

namespace ThpTool.Tests.Scanner.Dotnet;

/// <summary>samples/DotnetSparseService, built here, scanned with an induced GC.</summary>
[Live]
public sealed class DotnetGcTests
{
    const int Mib = 32;

    [Fact]
    public void InducedGcCompletesAndTheServiceIsMarkedWithItsGcSettings()
    {
        var output = Directory.CreateTempSubdirectory("thptool-tests-DotnetSparseService-");
        try { ScanTheSample(BuildSample(output.FullName)); }
        finally { output.Delete(recursive: true); }
    }

    static void ScanTheSample(string dll)
    {
        var environment = new Dictionary<string, string> { ["DOTNET_GCgen0size"] = "0x4000000", ["COMPlus_gcServer"] = "0", ["DOTNET_Unrelated"] = "1" };
        using var service = LiveProcess.Dotnet(dll, Mib, environment);
        int gen2Before = int.Parse(service.Ask("gc")!);

        var scan = ThpScanner.Scan(new ScanOptions { Pids = [service.Pid], InduceDotnetGc = true }, TestContext.Current.CancellationToken);

        var process = Assert.Single(scan.Processes);
        Assert.True(process.IsDotnet);
        var dotnet = Assert.IsType<ThpTool.Scanner.Dotnet.DotnetRuntime>(process.Dotnet);
        Assert.True(dotnet.DiagnosticsPort);
        Assert.True(dotnet.CoreclrMapped);
        Assert.Equal(new Dictionary<string, string> { ["COMPlus_gcServer"] = "0", ["DOTNET_GCgen0size"] = "0x4000000" }, dotnet.GcSettings);
        Assert.True(dotnet.InducedGc?.Completed, dotnet.InducedGc?.Error);
        Assert.True(int.Parse(service.Ask("gc")!) > gen2Before, "the service saw no new gen-2 GC");

        // Every THP of the sample has 32 written subpages, 480 zero ones.
        var rows = Sweep.Run(scan, [479, 480]).Rows;
        if (rows[0].ThpsScanned == 0) Assert.Skip("this kernel gave the sample no THPs (THP disabled?)");
        Assert.Equal(Mib / 2, rows[0].ThpsSplit);
        Assert.Equal(0, rows[1].ThpsSplit);
    }

    static string BuildSample(string output)
    {
        var build = Process.Start(new ProcessStartInfo("dotnet", ["build", Path.Combine(LiveProcess.RepoRoot, "samples/DotnetSparseService"), "-c", "Release", "-o", output])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var log = build.StandardOutput.ReadToEnd();
        build.WaitForExit();
        Assert.True(build.ExitCode == 0, log);
        return Path.Combine(output, "DotnetSparseService.dll");
    }
}
