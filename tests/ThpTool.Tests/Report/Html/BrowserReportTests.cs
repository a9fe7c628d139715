using ThpTool.Tests.Support;
using Xunit;

namespace ThpTool.Tests.Report.Html;

[Live]
public sealed class BrowserReportTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("thptool-report-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void ReportRendersInChromiumWithTablesAndCharts()
    {
        HeadlessBrowser.RequireChromium();
        string html = HtmlReportTests.Render(SyntheticScans.Host("web1", 1), SyntheticScans.Host("web2", 2));
        var doc = HtmlReportTests.Parse(html);
        Assert.Contains(doc.Descendants(), e => e.Name.LocalName == "svg");
        Assert.Contains(doc.Descendants(), e => e.Name.LocalName == "table");
        string page = Path.Combine(dir, "report.html");
        File.WriteAllText(page, html);

        string shot = HeadlessBrowser.Screenshot(page, width: 1300, height: 9000);
        try
        {
            var png = Bitmap.Load(shot);
            Assert.True(png.NonWhitePixels > 300_000, $"only {png.NonWhitePixels} non-white pixels: blank page?");
            Assert.True(png.DistinctColours > 100, $"only {png.DistinctColours} colours");
            // The charts' first line colour and the advice box's background are both on the page.
            Assert.True(png.Near(0x0072B2, 0) > 1000, "the charts' first line colour");
            Assert.True(png.Near(0x08306B, 4) > 100, "the heatmap's darkest band");
            Assert.Contains(0xE3F0FA, png.Pixels);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(shot)!, recursive: true);
        }
    }
}
