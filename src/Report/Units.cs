using System.Globalization;

namespace ThpTool.Report;

/// <summary>Human-readable quantities, always culture-invariant.</summary>
public static class Units
{
    static readonly string[] Binary = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    /// <summary>1536 -> "1.5 KiB"; keeps three significant digits and the sign.</summary>
    public static string Bytes(double bytes)
    {
        double size = Math.Abs(bytes);
        int unit = 0;
        while (size >= 1024 && unit < Binary.Length - 1) { size /= 1024; unit++; }
        string number = unit == 0 || size >= 100 ? size.ToString("0", CultureInfo.InvariantCulture)
                      : size >= 10 ? size.ToString("0.#", CultureInfo.InvariantCulture)
                      : size.ToString("0.##", CultureInfo.InvariantCulture);
        return (bytes < 0 ? "-" : "") + number + " " + Binary[unit];
    }

    public static string Percent(double fraction) =>
        (fraction * 100).ToString(fraction >= 0.1 ? "0" : "0.#", CultureInfo.InvariantCulture) + "%";

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
