using Xunit;
using System.Buffers.Binary;
using System.IO.Compression;

namespace ThpTool.Tests.Support;

/// <summary>
/// A minimal PNG reader for tests: IHDR, zlib-inflated IDAT, unfiltered rows, 8-bit greyscale/RGB/palette/
/// alpha, not interlaced. Enough to tell a blank picture from one with content.
/// </summary>
public sealed class PngImage
{
    public static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public int Width { get; }
    public int Height { get; }

    /// <summary>Pixels as 0xRRGGBB, row by row, alpha composited over white.</summary>
    public int[] Pixels { get; }

    private PngImage(int width, int height, int[] pixels) => (Width, Height, Pixels) = (width, height, pixels);

    public int this[int x, int y] => Pixels[y * Width + x];

    /// <summary>How many different colours appear.</summary>
    public int DistinctColours => Pixels.Distinct().Count();

    /// <summary>Pixels that are not pure white.</summary>
    public int NonWhitePixels => Pixels.Count(p => p != 0xFFFFFF);

    public static bool HasSignature(ReadOnlySpan<byte> data) => data.Length >= 8 && data[..8].SequenceEqual(Signature);

    public static PngImage Load(string path) => Decode(File.ReadAllBytes(path));

    /// <summary>Width and height from IHDR only, without decoding pixels.</summary>
    public static (int Width, int Height) ReadSize(ReadOnlySpan<byte> data)
    {
        if (!HasSignature(data) || data.Length < 24 || !data.Slice(12, 4).SequenceEqual("IHDR"u8))
            throw new InvalidDataException("not a PNG (no signature or IHDR)");
        return ((int)BinaryPrimitives.ReadUInt32BigEndian(data.Slice(16, 4)), (int)BinaryPrimitives.ReadUInt32BigEndian(data.Slice(20, 4)));
    }

    public static PngImage Decode(byte[] data)
    {
        var (width, height) = ReadSize(data);
        byte bitDepth = data[24], colourType = data[25], interlace = data[28];
        if (bitDepth != 8 || interlace != 0)
            throw new NotSupportedException($"PNG with bit depth {bitDepth}, interlace {interlace} is not supported");
        int channels = colourType switch
        {
            0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4,
            _ => throw new InvalidDataException($"bad PNG colour type {colourType}"),
        };

        byte[]? palette = null;
        var idat = new MemoryStream();
        for (int pos = 8; pos + 12 <= data.Length;)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(pos, 4));
            var type = data.AsSpan(pos + 4, 4);
            var body = data.AsSpan(pos + 8, length);
            if (type.SequenceEqual("PLTE"u8)) palette = body.ToArray();
            else if (type.SequenceEqual("IDAT"u8)) idat.Write(body);
            else if (type.SequenceEqual("IEND"u8)) break;
            pos += 12 + length;
        }

        int stride = width * channels;
        var raw = new byte[(stride + 1) * height];
        idat.Position = 0;
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
            z.ReadExactly(raw);

        var pixels = new int[width * height];
        var previous = new byte[stride];
        var row = new byte[stride];
        for (int y = 0; y < height; y++)
        {
            int filter = raw[y * (stride + 1)];
            Array.Copy(raw, y * (stride + 1) + 1, row, 0, stride);
            Unfilter(filter, row, previous, channels);
            for (int x = 0; x < width; x++)
                pixels[y * width + x] = ToRgb(row.AsSpan(x * channels, channels), colourType, palette);
            (previous, row) = (row, previous);
        }
        return new PngImage(width, height, pixels);
    }

    private static void Unfilter(int filter, byte[] row, byte[] previous, int bpp)
    {
        for (int i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0, b = previous[i], c = i >= bpp ? previous[i - bpp] : 0;
            row[i] = (byte)(row[i] + filter switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                4 => Paeth(a, b, c),
                _ => throw new InvalidDataException($"bad PNG filter type {filter}"),
            });
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static int ToRgb(ReadOnlySpan<byte> px, byte colourType, byte[]? palette)
    {
        int r, g, b, alpha = 255;
        switch (colourType)
        {
            case 0: r = g = b = px[0]; break;
            case 4: r = g = b = px[0]; alpha = px[1]; break;
            case 2: (r, g, b) = (px[0], px[1], px[2]); break;
            case 6: (r, g, b, alpha) = (px[0], px[1], px[2], px[3]); break;
            default:
                if (palette is null || px[0] * 3 + 2 >= palette.Length)
                    throw new InvalidDataException("PNG palette missing or too short");
                (r, g, b) = (palette[px[0] * 3], palette[px[0] * 3 + 1], palette[px[0] * 3 + 2]);
                break;
        }
        static int Over(int v, int alpha) => (v * alpha + 255 * (255 - alpha) + 127) / 255;
        return (Over(r, alpha) << 16) | (Over(g, alpha) << 8) | Over(b, alpha);
    }
}
