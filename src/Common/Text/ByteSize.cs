using System.Globalization;
using ThpTool.Common.Errors;

namespace ThpTool.Common.Text;

/// <summary>Byte counts as people type them (4096, 50K, 200M, 1G) and as they read them (binary units, culture-invariant).</summary>
public static class ByteSize
{
    public static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

    public static long Parse(string text, string what)
    {
        var trimmed = text.Trim();
        long multiplier = 1;
        if (trimmed.Length > 0 && char.IsLetter(trimmed[^1]))
        {
            multiplier = char.ToUpperInvariant(trimmed[^1]) switch
            {
                'K' => 1L << 10,
                'M' => 1L << 20,
                'G' => 1L << 30,
                _ => 0,
            };
            trimmed = trimmed[..^1];
        }
        if (multiplier == 0 || !long.TryParse(trimmed, out var count) || count <= 0 || count > long.MaxValue / multiplier)
            throw new UserError(ExitCode.Usage, $"{what} '{text}' is not a positive byte count (suffixes K, M, G)");
        return count * multiplier;
    }

    /// <summary>The exponent k of the largest unit 1024^k not above |bytes| (0 for less than 1 KiB).</summary>
    public static int UnitIndex(double bytes)
    {
        double abs = Math.Abs(bytes);
        int k = 0;
        while (k < Units.Length - 1 && abs >= Math.Pow(1024, k + 1))
            k++;
        return k;
    }

    /// <summary>
    /// "0 B", "512 B", "1.5 GiB", "12.3 MiB", "100 KiB": the largest unit that keeps the number at least 1,
    /// with three significant digits at most and trailing zeros dropped.
    /// </summary>
    public static string Format(double bytes)
    {
        if (!double.IsFinite(bytes))
            return bytes.ToString(CultureInfo.InvariantCulture);
        int k = UnitIndex(bytes);
        double scaled = bytes / Math.Pow(1024, k);
        int decimals = k == 0 ? 0 : Math.Abs(scaled) >= 100 ? 0 : Math.Abs(scaled) >= 10 ? 1 : 2;
        double rounded = Math.Round(scaled, decimals, MidpointRounding.AwayFromZero);
        if (Math.Abs(rounded) >= 1024 && k < Units.Length - 1)
        {
            // 1023.9 MiB rounds up to 1024 MiB; say 1 GiB instead.
            k++;
            rounded = Math.Round(bytes / Math.Pow(1024, k), 2, MidpointRounding.AwayFromZero);
        }
        return rounded.ToString("0.##", CultureInfo.InvariantCulture) + " " + Units[k];
    }
}
