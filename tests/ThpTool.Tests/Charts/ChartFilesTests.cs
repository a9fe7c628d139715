using ThpTool.Report.Charts;
using ThpTool.Scanner.Errors;
using ThpTool.Tests.Support;
using Xunit;

namespace ThpTool.Tests.Charts;

public sealed class ChartFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("thptool-charts-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static string RequireRsvgConvert()
    {
        var program = ChartFiles.FindProgram(ChartFiles.PngConverter, Environment.GetEnvironmentVariable("PATH"));
        if (program is null)
            Assert.Skip("rsvg-convert is not on PATH (Debian package librsvg2-bin); run scripts/setup.sh");
        return program;
    }

    [Fact]
    public void Svg_is_written_atomically_and_overwrites()
    {
        string path = Path.Combine(_dir, "chart.svg");
        File.WriteAllText(path, "old");
        ChartFiles.Write(SampleCharts.Thresholds(), path);
        Assert.Equal(new SvgChartRenderer().Render(SampleCharts.Thresholds()), File.ReadAllText(path));
        Assert.Equal(["chart.svg"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Png_has_the_signature_size_and_real_content()
    {
        RequireRsvgConvert();
        string path = Path.Combine(_dir, "chart.PNG");
        ChartFiles.Write(SampleCharts.Thresholds(), path);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(PngImage.HasSignature(bytes));
        Assert.True(bytes.Length > 10_000, $"only {bytes.Length} bytes");
        Assert.Equal(["chart.PNG"], Directory.GetFiles(_dir).Select(Path.GetFileName));

        var png = PngImage.Decode(bytes);
        var svg = System.Xml.Linq.XDocument.Parse(new SvgChartRenderer().Render(SampleCharts.Thresholds())).Root!;
        Assert.Equal(960, png.Width);
        Assert.Equal(double.Parse(svg.Attribute("height")!.Value, System.Globalization.CultureInfo.InvariantCulture), png.Height);
        Assert.Equal(0xFFFFFF, png[0, 0]); // white background, not transparent black
        Assert.True(png.DistinctColours > 20, $"{png.DistinctColours} colours");
        double inked = (double)png.NonWhitePixels / png.Pixels.Length;
        Assert.InRange(inked, 0.02, 0.6);
        // The first series' colour (#0072B2) is really there.
        Assert.Contains(png.Pixels, p => p == 0x0072B2);
    }

    [Fact]
    public void Histogram_png_shows_the_bars()
    {
        RequireRsvgConvert();
        string path = Path.Combine(_dir, "hist.png");
        ChartFiles.Write(SampleCharts.ZeroSubpages(), path);
        var png = PngImage.Load(path);
        Assert.True(png.Pixels.Count(p => p == 0x0072B2) > 2_000, "bars are drawn in #0072B2");
    }

    [Fact]
    public void Missing_rsvg_convert_is_a_clear_unsupported_error()
    {
        string path = Path.Combine(_dir, "chart.png");
        var e = Assert.Throws<UserError>(() => ChartFiles.WriteSvg("<svg xmlns=\"http://www.w3.org/2000/svg\"/>", path, searchPath: _dir));
        Assert.Equal(ExitCode.Unsupported, e.Code);
        Assert.Contains("rsvg-convert", e.Message);
        Assert.Contains("librsvg2-bin", e.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Unknown_extension_is_unsupported()
    {
        var e = Assert.Throws<UserError>(() => ChartFiles.Write(SampleCharts.Thresholds(), Path.Combine(_dir, "chart.jpg")));
        Assert.Equal(ExitCode.Unsupported, e.Code);
        Assert.Contains(".svg or .png", e.Message);
    }

    [Fact]
    public void Unwritable_path_is_an_io_error()
    {
        string path = Path.Combine(_dir, "no-such-folder", "chart.svg");
        var e = Assert.Throws<UserError>(() => ChartFiles.Write(SampleCharts.Thresholds(), path));
        Assert.Equal(ExitCode.IoError, e.Code);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Failed_conversion_is_an_io_error_and_leaves_no_file()
    {
        RequireRsvgConvert();
        string path = Path.Combine(_dir, "broken.png");
        var e = Assert.Throws<UserError>(() => ChartFiles.WriteSvg("this is not svg", path));
        Assert.Equal(ExitCode.IoError, e.Code);
        Assert.Contains("rsvg-convert failed", e.Message);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void FindProgram_needs_an_executable()
    {
        string fake = Path.Combine(_dir, "tool");
        File.WriteAllText(fake, "#!/bin/sh\n");
        Assert.Null(ChartFiles.FindProgram("tool", _dir));
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.Equal(fake, ChartFiles.FindProgram("tool", "/nonexistent" + Path.PathSeparator + _dir));
        Assert.Null(ChartFiles.FindProgram("tool", null));
    }
}
