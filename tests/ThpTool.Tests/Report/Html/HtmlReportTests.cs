using System.Xml.Linq;
using ThpTool.Charts;
using ThpTool.Report.Analysis;
using ThpTool.Report.Html;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;
using Xunit;
using ThpTool.Tests.Support;

namespace ThpTool.Tests.Report.Html;

public sealed class HtmlReportTests
{
    internal static string Render(params ScanFile[] scans) =>
        HtmlReport.Render(ReportAnalysis.Of(scans.Select((s, i) => ($"scan{i}.json", s)).ToArray(), ThresholdSet.All, RemapPolicy.Upstream), Renderer);

    internal static readonly ScottPlotRenderer Renderer = new();

    /// <summary>The page is also well-formed XML, so a parser proves every tag is closed and every string escaped.</summary>
    internal static XDocument Parse(string html) => XDocument.Parse(html.Replace("<!DOCTYPE html>", ""));

    [Fact]
    public void PageIsWellFormedWithTablesAndCharts()
    {
        var doc = Parse(Render(SyntheticScans.Host()));
        var names = doc.Descendants().Select(e => e.Name.LocalName).ToList();
        Assert.True(names.Count(n => n == "table") >= 5, "settings, vmstat, options, thresholds, processes, VMAs");
        // Sweep, histogram, cumulative distribution, heatmap by cgroup, net freed by cgroup.
        Assert.Equal(5, names.Count(n => n == "svg"));
        var ids = doc.Descendants().Select(e => e.Attribute("id")?.Value).OfType<string>().ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count()); // every chart's clip paths are its own
        Assert.Contains("style", names);
    }

    [Fact]
    public void PageIsSelfContained()
    {
        string html = Render(SyntheticScans.Host());
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=\"", html);
    }

    [Fact]
    public void StringsFromTheScanAreEscaped()
    {
        var scan = SyntheticScans.Host();
        scan = scan with { Processes = [.. scan.Processes, scan.Processes[0] with { Pid = 7, Comm = "x", Cmdline = "curl https://example.com/" }] };
        string html = Render(scan);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("/tmp/&lt;img src=x onerror=alert(2)&gt;", html);
        Assert.Contains("&lt;svg onload=alert(3)&gt;", html); // a cgroup name, drawn as text in the charts
        Assert.Contains("&quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt; &apos;single&apos;", html);
        Assert.DoesNotContain("<img", html);
        // A URL a process was started with is shown as text, never made a link.
        Assert.Contains("curl https://example.com/", html);
        Assert.DoesNotContain("href=\"http", html);
        Parse(html);
    }

    [Fact]
    public void CallsOutUffdMlockedAndDotnet()
    {
        var doc = Parse(Render(SyntheticScans.Host()));
        string text = doc.Root!.Value;
        Assert.Contains("userfaultfd-armed VMAs", text);
        Assert.Contains("7f1000000000-7f1040000000", text);
        Assert.Contains("must map the shared zero page", text);
        Assert.Contains("mlocked VMAs", text);
        Assert.Contains(doc.Descendants().Where(e => e.Attribute("class")?.Value == "badge dotnet"), e => e.Value == ".NET");
    }

    [Fact]
    public void ShowsRecommendationWithReasonAndCaveat()
    {
        var host = SyntheticScans.Host();
        var analysis = ReportAnalysis.Of([("a.json", host)], ThresholdSet.All, RemapPolicy.Upstream);
        string text = Parse(HtmlReport.Render(analysis, Renderer)).Root!.Value;
        Assert.Contains($"Recommended max_ptes_none: {analysis.Hosts[0].Advice.Recommended}", text);
        Assert.Contains("The shrinker judges each THP once", text);
        Assert.Contains("knee", text);
    }

    [Fact]
    public void ProcessesAreListedLargestSavingsFirst()
    {
        var analysis = ReportAnalysis.Of([("a.json", SyntheticScans.Host())], ThresholdSet.All, RemapPolicy.Upstream);
        var host = analysis.Hosts[0];
        var savings = host.Processes.Select(p => HostAnalysis.Savings(p.AtThreshold, host.Advice.Recommended)).ToList();
        Assert.Equal(savings.OrderDescending(), savings);
        Assert.Equal(host.Sweep.Rows.Single(r => r.MaxPtesNone == host.Advice.Recommended).NetBytesFreed, savings.Sum());
    }

    [Fact]
    public void SeveralScansGetASectionEachAndTotals()
    {
        var doc = Parse(Render(SyntheticScans.Host("web1", 1), SyntheticScans.Host("web2", 2)));
        var ids = doc.Descendants().Where(e => e.Name.LocalName == "section").Select(e => e.Attribute("id")?.Value).ToList();
        Assert.Equal(["totals", "host-0", "host-1"], ids);
        // All hosts: sweep, histogram, heatmap by host; each host: five (see above).
        Assert.Equal(3 + 2 * 5, doc.Descendants().Count(e => e.Name.LocalName == "svg"));
        Assert.Contains("Total", doc.Root!.Value);
    }
}
