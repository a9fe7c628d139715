using System.Text.Json;
using ThpTool.Scanner.Scans;
using ThpTool.Tests.Support;
using Xunit;

namespace ThpTool.Tests.Report;

public sealed class ReportCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("thptool-report-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Save(ScanFile scan, string name)
    {
        string path = Path.Combine(_dir, name);
        ScanFileStore.Save(scan, path);
        return path;
    }

    [Fact]
    public async Task Report_writes_html_and_prints_the_recommendation()
    {
        string scan = Save(ReportScans.Host(), "web1.json"), html = Path.Combine(_dir, "report.html");
        var result = await Thptool.RunAsync("report", scan, "--html", html);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Recommended max_ptes_none", result.Stdout);
        Assert.Contains("judges each THP once", result.Stdout);
        Assert.Contains("<svg", File.ReadAllText(html));
        Assert.Equal(["report.html", "web1.json"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Report_json_has_recommendation_and_processes_per_host_and_a_total()
    {
        string a = Save(ReportScans.Host("web1", 1), "a.json"), b = Save(ReportScans.Host("web2", 2), "b.json");
        var result = await Thptool.RunAsync("report", a, b, "--json", "--target-share", "0.9", "--thresholds", "0-511");
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
    public async Task Sweep_plot_writes_the_chart_and_the_histogram_beside_it()
    {
        string scan = Save(ReportScans.Host(), "web1.json"), plot = Path.Combine(_dir, "sweep.svg");
        var result = await Thptool.RunAsync("sweep", scan, "--plot", plot);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("(recommended)", result.Stdout);
        Assert.StartsWith("<svg", File.ReadAllText(plot));
        Assert.StartsWith("<svg", File.ReadAllText(Path.Combine(_dir, "sweep-histogram.svg")));
    }

    [Theory]
    [InlineData("report", "--target-share", "1.5")]
    [InlineData("report", "--target-share", "0")]
    [InlineData("sweep", "--plot", "chart.pdf")]
    public async Task Bad_options_fail_with_one_line(string command, string option, string value)
    {
        string scan = Save(ReportScans.Host(), "web1.json");
        var result = await Thptool.RunAsync(command, scan, option, value);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }
}
