using System.Text.Json;
using ThpTool.Scanner.ScanFiles;
using ThpTool.Tests.Support;
using Xunit;

namespace ThpTool.Tests.Report;

public sealed class ReportCliTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("thptool-report-cli-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    string Save(ScanFile scan, string name)
    {
        string path = Path.Combine(dir, name);
        ScanFileStore.Save(scan, path);
        return path;
    }

    [Fact]
    public async Task ReportWritesHtmlAndPrintsTheRecommendation()
    {
        string scan = Save(SyntheticScans.Host(), "web1.json"), html = Path.Combine(dir, "report.html");
        var result = await Thptool.RunInProcess("report", scan, "--html", html);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Recommended max_ptes_none", result.Stdout);
        Assert.Contains("judges each THP once", result.Stdout);
        Assert.Contains("<svg", File.ReadAllText(html));
        Assert.Equal(["report.html", "web1.json"], Directory.GetFiles(dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task ReportJsonHasRecommendationAndProcessesPerHostAndATotal()
    {
        string a = Save(SyntheticScans.Host("web1", 1), "a.json"), b = Save(SyntheticScans.Host("web2", 2), "b.json");
        var result = await Thptool.RunInProcess("report", a, b, "--json", "--target-share", "0.9", "--thresholds", "0-511");
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Stdout);
        var hosts = doc.RootElement.GetProperty("hosts");
        Assert.Equal(2, hosts.GetArrayLength());
        Assert.Equal(3, hosts[0].GetProperty("processes").GetArrayLength());
        Assert.Equal(0.9, hosts[0].GetProperty("recommendation").GetProperty("targetShare").GetDouble());
        Assert.StartsWith("Recommended", hosts[0].GetProperty("recommendation").GetProperty("sentence").GetString());
        Assert.True(doc.RootElement.GetProperty("total").GetProperty("recommendation").GetProperty("recommended").GetInt32() is >= 0 and <= 511);
    }

    [Fact]
    public async Task SweepOfASampledScanPrintsThatItsRecommendationIsAnEstimate()
    {
        var scan = Scanner.KernelModel.SampledSweepTests.Sampled(Scanner.KernelModel.SampledSweepTests.Population(), 2);
        var result = await Thptool.RunInProcess("sweep", Save(scan, "sampled.json"));
        Assert.Equal(0, result.ExitCode);
        var line = result.Stdout.Split('\n').Single(l => l.StartsWith("Recommended max_ptes_none ", StringComparison.Ordinal));
        Assert.Matches(@"^Recommended max_ptes_none \d+\. Chosen from figures estimated from a 5% sample: the underused rule would free .+ at \d+ \(95% interval .+ to .+\)\. The largest", line);
        var full = await Thptool.RunInProcess("sweep", Save(Scanner.KernelModel.SampledSweepTests.Population(), "full.json"));
        Assert.DoesNotContain("Chosen from figures", full.Stdout);
    }

    [Fact]
    public async Task SweepPlotWritesTheChartAndTheHistogramBesideIt()
    {
        string scan = Save(SyntheticScans.Host(), "web1.json"), plot = Path.Combine(dir, "sweep.svg");
        var result = await Thptool.RunInProcess("sweep", scan, "--plot", plot);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("(recommended)", result.Stdout);
        foreach (var name in new[] { "sweep.svg", "sweep-histogram.svg", "sweep-cdf.svg", "sweep-heatmap.svg", "sweep-cgroups.svg" })
            Assert.Equal("svg", System.Xml.Linq.XDocument.Load(Path.Combine(dir, name)).Root!.Name.LocalName);
        Assert.Equal(5, Directory.GetFiles(dir, "sweep*").Length);
    }

    [Fact]
    public async Task SweepPlotPngNeedsNothingButTheTool()
    {
        string scan = Save(SyntheticScans.Host(), "web1.json"), plot = Path.Combine(dir, "sweep.png");
        string emptyPath = Directory.CreateDirectory(Path.Combine(dir, "empty-path")).FullName;
        var result = await Thptool.RunAsync(new Dictionary<string, string?> { ["PATH"] = emptyPath, ["DOTNET_ROOT"] = DotnetRoot() }, "sweep", scan, "--plot", plot);
        Assert.True(result.ExitCode == 0, result.Stderr);
        foreach (var name in new[] { "sweep.png", "sweep-histogram.png", "sweep-cdf.png", "sweep-heatmap.png", "sweep-cgroups.png" })
        {
            var png = Bitmap.Load(Path.Combine(dir, name));
            Assert.True(png.DistinctColours > 20, $"{name}: {png.DistinctColours} colours");
        }
    }

    /// <summary>Where the runtime the tests run on lives: the apphost finds it there without PATH.</summary>
    static string DotnetRoot() => Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    /// <summary>
    /// The dynamic loader's own log (LD_DEBUG=libs, on stderr) tells which shared libraries a run opened: a sweep
    /// without charts must not pay for Skia; one with --plot must use it (or the test proves nothing).
    /// </summary>
    [Fact]
    public async Task OnlyASweepThatPlotsLoadsSkia()
    {
        string scan = Save(SyntheticScans.Host(), "web1.json");
        var trace = new Dictionary<string, string?> { ["LD_DEBUG"] = "libs" };
        var plain = await Thptool.RunAsync(trace, "sweep", scan);
        Assert.Equal(0, plain.ExitCode);
        Assert.Contains("libSystem.Native.so", plain.Stderr); // the log is there
        Assert.DoesNotContain("libSkiaSharp", plain.Stderr);
        var plotted = await Thptool.RunAsync(trace, "sweep", scan, "--plot", Path.Combine(dir, "s.svg"));
        Assert.Equal(0, plotted.ExitCode);
        Assert.Contains("libSkiaSharp", plotted.Stderr);
    }

    [Theory]
    [InlineData("report", "--target-share", "1.5")]
    [InlineData("report", "--target-share", "0")]
    [InlineData("sweep", "--plot", "chart.pdf")]
    public async Task BadOptionsFailWithOneLine(string command, string option, string value)
    {
        string scan = Save(SyntheticScans.Host(), "web1.json");
        var result = await Thptool.RunInProcess(command, scan, option, value);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }
}
