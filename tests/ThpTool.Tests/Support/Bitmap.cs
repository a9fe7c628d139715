using SkiaSharp;

namespace ThpTool.Tests.Support;

/// <summary>A PNG decoded by SkiaSharp (the library that wrote it is not the judge of it: Chromium's screenshots go through here too).</summary>
internal sealed record Bitmap(int Width, int Height, int[] Pixels)
{
    /// <summary>Decodes <paramref name="png"/>; fails the test when it is not a PNG Skia can read.</summary>
    public static Bitmap Decode(byte[] png)
    {
        Assert.True(png.Length > 8 && png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }), "PNG signature");
        using var codec = SKCodec.Create(new SKMemoryStream(png));
        Assert.NotNull(codec);
        Assert.Equal(SKEncodedImageFormat.Png, codec.EncodedFormat);
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        var pixels = new int[bitmap.Width * bitmap.Height];
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                // Transparent counts as white: a viewer shows these images on white.
                pixels[y * bitmap.Width + x] = c.Alpha == 0 ? 0xFFFFFF : (c.Red << 16) | (c.Green << 8) | c.Blue;
            }
        return new Bitmap(bitmap.Width, bitmap.Height, pixels);
    }

    public static Bitmap Load(string path) => Decode(File.ReadAllBytes(path));

    public int this[int x, int y] => Pixels[y * Width + x];

    public int NonWhitePixels => Pixels.Count(p => p != 0xFFFFFF);

    public int DistinctColours => Pixels.Distinct().Count();

    /// <summary>Pixels within <paramref name="tolerance"/> per channel of <paramref name="rgb"/>: antialiasing blends edges, not the middle of a thick line.</summary>
    public int Near(int rgb, int tolerance = 8) => Pixels.Count(p =>
        Math.Abs(((p >> 16) & 0xFF) - ((rgb >> 16) & 0xFF)) <= tolerance &&
        Math.Abs(((p >> 8) & 0xFF) - ((rgb >> 8) & 0xFF)) <= tolerance &&
        Math.Abs((p & 0xFF) - (rgb & 0xFF)) <= tolerance);
}
