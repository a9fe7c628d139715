using System.Text.RegularExpressions;
using ScottPlot;
using SkiaSharp;
using ThpTool.Report.Charts;

namespace ThpTool.Charts;

/// <summary>
/// ScottPlot plots stacked top to bottom on one canvas of <see cref="Width"/> pixels, encoded as PNG or SVG by Skia
/// itself: no converter program, no fonts beyond the DejaVu the machine ships.
/// </summary>
internal sealed class Figure(int width) : IDisposable
{
    private readonly List<(Plot Plot, int Height)> panels = [];

    public int Width { get; } = width;

    public int Height => panels.Sum(p => p.Height);

    public IReadOnlyList<Plot> Plots => panels.Select(p => p.Plot).ToArray();

    /// <summary>A figure of one plot, <paramref name="height"/> pixels high, under <paramref name="title"/>.</summary>
    public static (Figure Figure, Plot Plot) Single(int width, int height, string title)
    {
        var figure = new Figure(width);
        var plot = figure.Add(height);
        plot.Title(title);
        return (figure, plot);
    }

    public Plot Add(int height)
    {
        var plot = new Plot();
        ChartStyle.Apply(plot);
        panels.Add((plot, height));
        return plot;
    }

    public byte[] Encode(ChartFormat format) => format switch
    {
        ChartFormat.Png => Png(),
        ChartFormat.Svg => Svg(),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    private byte[] Png()
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"Skia cannot allocate a {Width}x{Height} image");
        Draw(surface.Canvas);
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private byte[] Svg()
    {
        using var stream = new SKDynamicMemoryWStream();
        using (var canvas = SKSvgCanvas.Create(SKRect.Create(Width, Height), stream))
            Draw(canvas);
        using var data = stream.DetachAsData();
        // A viewBox lets the chart scale with its container (the HTML report sets its width); Skia writes none.
        string svg = System.Text.Encoding.UTF8.GetString(data.AsSpan());
        // Skia numbers clip paths from a process-wide counter: number them per document, so a chart is the same bytes every time.
        var ids = new Dictionary<string, int>();
        svg = Regex.Replace(svg, @"\bcl_[0-9a-f]+\b", m => $"cl_{(ids.TryGetValue(m.Value, out int n) ? n : ids[m.Value] = ids.Count + 1)}");
        int root = svg.IndexOf("<svg ", StringComparison.Ordinal);
        if (root >= 0)
            svg = svg.Insert(root + 5, $"viewBox=\"0 0 {Width} {Height}\" ");
        return System.Text.Encoding.UTF8.GetBytes(svg);
    }

    private void Draw(SKCanvas canvas)
    {
        canvas.Clear(SKColors.White);
        float top = 0;
        foreach (var (plot, height) in panels)
        {
            // A plot paints its background over the whole canvas: clip it to its own strip.
            canvas.Save();
            canvas.ClipRect(SKRect.Create(0, top, Width, height));
            plot.Render(canvas, new PixelRect(0, Width, top + height, top));
            canvas.Restore();
            top += height;
        }
    }

    public void Dispose()
    {
        foreach (var (plot, _) in panels)
            plot.Dispose();
    }
}
