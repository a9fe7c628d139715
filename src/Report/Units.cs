using System.Globalization;
using ThpTool.Common.Text;

namespace ThpTool.Report;

/// <summary>Human-readable quantities, always culture-invariant.</summary>
public static class Units
{
    /// <summary>1536 -> "1.5 KiB": the same binary units the charts' axes use.</summary>
    public static string Bytes(double bytes) => ByteSize.Format(bytes);

    public static string Percent(double fraction) =>
        (fraction * 100).ToString(fraction >= 0.1 ? "0" : "0.#", CultureInfo.InvariantCulture) + "%";

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>"split / scanned", with the 95% interval in brackets when a sampled scan made it an estimate.</summary>
    public static string Splits(Scanner.KernelModel.SweepRow r) =>
        $"{Count(r.ThpsSplit)} / {Count(r.ThpsScanned)}" +
        (r.ThpsSplitCiLow != r.ThpsSplitCiHigh ? $" ({Count(r.ThpsSplitCiLow)}-{Count(r.ThpsSplitCiHigh)})" : "");

    /// <summary>Bytes freed, with the 95% interval in brackets when a sampled scan made it an estimate.</summary>
    public static string Freed(Scanner.KernelModel.SweepRow r) =>
        Bytes(r.BytesFreed) + (r.BytesFreedCiLow != r.BytesFreedCiHigh ? $" ({Bytes(r.BytesFreedCiLow)}-{Bytes(r.BytesFreedCiHigh)})" : "");
}
