using System.Text;
using ThpTool.Charts;
using ThpTool.Report.Charts;
using ThpTool.Tests.Support;
using Xunit;

namespace ThpTool.Tests.Charts;

[Live]
public sealed class BrowserRenderTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("thptool-html-").FullName;
    private readonly List<string> shots = [];

    public void Dispose()
    {
        Directory.Delete(dir, recursive: true);
        foreach (var shot in shots)
            Directory.Delete(Path.GetDirectoryName(shot)!, recursive: true);
    }

    [Fact]
    public void InlineSvgChartsRenderInChromium()
    {
        HeadlessBrowser.RequireChromium();
        var renderer = new ScottPlotRenderer();
        string Inline(Chart chart, string id) => ThpTool.Report.Html.Html.InlineSvg(Encoding.UTF8.GetString(renderer.Render(chart, ChartFormat.Svg)), id);
        string html = $"""
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>charts</title></head>
            <body style="margin:0;background:#fff">
            {Inline(SampleCharts.Thresholds(), "a-")}
            {Inline(SampleCharts.ZeroSubpages(), "b-")}
            </body></html>
            """;
        string page = Path.Combine(dir, "report.html");
        File.WriteAllText(page, html);

        string shot = HeadlessBrowser.Screenshot(page, width: 1000, height: 1400);
        shots.Add(shot);

        var png = Bitmap.Load(shot);
        Assert.Equal((1000, 1400), (png.Width, png.Height));
        Assert.True(png.DistinctColours > 20, $"only {png.DistinctColours} colours: blank page?");
        Assert.True(png.NonWhitePixels > 20_000, $"only {png.NonWhitePixels} non-white pixels");
        // Both charts drew their first colour: lines near the top, bars below the line chart (630 px high).
        var blue = Enumerable.Range(0, png.Pixels.Length).Where(i => png.Pixels[i] == 0x0072B2).ToArray();
        Assert.True(blue.Length > 0 && blue[^1] / png.Width > 700, "the histogram below the line chart is drawn");
    }

    [Fact]
    public void BlankPageIsToldApart()
    {
        HeadlessBrowser.RequireChromium();
        string page = Path.Combine(dir, "blank.html");
        File.WriteAllText(page, "<!DOCTYPE html><html><body style=\"background:#fff\"></body></html>");
        string shot = HeadlessBrowser.Screenshot(page, width: 400, height: 300);
        shots.Add(shot);
        var png = Bitmap.Load(shot);
        Assert.Equal(0, png.NonWhitePixels);
        Assert.Equal(1, png.DistinctColours);
    }
}
