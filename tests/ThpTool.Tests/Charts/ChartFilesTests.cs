using ThpTool.Charts;
using ThpTool.Common.Errors;
using ThpTool.Report.Charts;
using ThpTool.Tests.Support;
using Xunit;

namespace ThpTool.Tests.Charts;

public sealed class ChartFilesTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("thptool-charts-").FullName;
    private static readonly ScottPlotRenderer Renderer = new();

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void SvgIsWrittenAtomicallyAndOverwrites()
    {
        string path = Path.Combine(dir, "chart.svg");
        File.WriteAllText(path, "old");
        ChartFiles.Write(SampleCharts.Thresholds(), path, Renderer);
        Assert.Equal(Renderer.Render(SampleCharts.Thresholds(), ChartFormat.Svg), File.ReadAllBytes(path));
        Assert.Equal(["chart.svg"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void PngByItsNameWhateverTheCase()
    {
        string path = Path.Combine(dir, "chart.PNG");
        ChartFiles.Write(SampleCharts.ZeroSubpages(), path, Renderer);
        var png = Bitmap.Load(path);
        Assert.Equal(ScottPlotRenderer.Width, png.Width);
        Assert.True(png.Near(0x0072B2) > 300, "bars are drawn in #0072B2");
        Assert.Equal(["chart.PNG"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void UnknownExtensionIsUnsupportedAndWritesNothing()
    {
        var e = Assert.Throws<UserError>(() => ChartFiles.Write(SampleCharts.Thresholds(), Path.Combine(dir, "chart.jpg"), Renderer));
        Assert.Equal(ExitCode.Unsupported, e.Code);
        Assert.Contains(".svg or .png", e.Message);
        Assert.Empty(Directory.GetFiles(dir));
    }

    [Fact]
    public void UnwritablePathIsAnIoError()
    {
        string path = Path.Combine(dir, "no-such-folder", "chart.svg");
        var e = Assert.Throws<UserError>(() => ChartFiles.Write(SampleCharts.Thresholds(), path, Renderer));
        Assert.Equal(ExitCode.IoError, e.Code);
        Assert.Contains(path, e.Message);
    }
}
