using System.Globalization;

namespace ThpTool.Scanner.Procfs;

/// <summary>The smaps totals of the VMAs that start inside one address range of one process.</summary>
public sealed record SmapsRegion(long SizeKb, long RssKb, long AnonHugePagesKb, IReadOnlySet<string> VmFlags, long ShmemPmdMappedKb)
{
    /// <summary>Null when no VMA starts in the range (or the process is gone).</summary>
    public static SmapsRegion? Read(int pid, ulong address, ulong size) =>
        Read(pid.ToString(CultureInfo.InvariantCulture), address, size);

    public static SmapsRegion? ReadSelf(ulong address, ulong size) => Read("self", address, size);

    static SmapsRegion? Read(string pid, ulong address, ulong size)
    {
        string text;
        try { text = File.ReadAllText($"/proc/{pid}/smaps"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        return Parse(text, address, size);
    }

    internal static SmapsRegion? Parse(string text, ulong address, ulong size)
    {
        var inside = SmapsParser.Parse(text).Where(v => v.Start >= address && v.Start < address + size).ToList();
        if (inside.Count == 0)
            return null;
        return new SmapsRegion(
            inside.Sum(v => (long)((v.End - v.Start) / 1024)),
            inside.Sum(v => v.RssKb),
            inside.Sum(v => v.AnonHugePagesKb),
            inside.SelectMany(v => v.Flags).ToHashSet(StringComparer.Ordinal),
            inside.Sum(v => v.ShmemPmdMappedKb));
    }
}
