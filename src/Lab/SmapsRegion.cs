using System.Globalization;

namespace ThpTool.Lab;

/// <summary>The smaps totals of the VMAs that start inside one address range of one process.</summary>
public sealed record SmapsRegion(long SizeKb, long RssKb, long AnonHugePagesKb, IReadOnlySet<string> VmFlags)
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
        long sizeKb = 0, rssKb = 0, anonHugeKb = 0;
        var flags = new HashSet<string>(StringComparer.Ordinal);
        bool inside = false, found = false;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (VmaStart(line) is { } start)
            {
                inside = start >= address && start < address + size;
                found |= inside;
                continue;
            }
            if (!inside)
                continue;
            if (line.StartsWith("VmFlags:"))
            {
                foreach (var flag in line["VmFlags:".Length..].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    flags.Add(flag);
            }
            else if (line.StartsWith("Size:"))
                sizeKb += Kilobytes(line);
            else if (line.StartsWith("Rss:"))
                rssKb += Kilobytes(line);
            else if (line.StartsWith("AnonHugePages:"))
                anonHugeKb += Kilobytes(line);
        }
        return found ? new SmapsRegion(sizeKb, rssKb, anonHugeKb, flags) : null;
    }

    /// <summary>"7f00a0000000-7f00a0200000 rw-p ..." starts a VMA; field lines start with a name and a colon.</summary>
    static ulong? VmaStart(ReadOnlySpan<char> line)
    {
        int dash = line.IndexOf('-');
        if (dash <= 0 || line[..dash].ContainsAnyExcept("0123456789abcdef"))
            return null;
        return ulong.Parse(line[..dash], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    static long Kilobytes(ReadOnlySpan<char> line)
    {
        var value = line[(line.IndexOf(':') + 1)..].Trim();
        int space = value.IndexOf(' ');
        return long.Parse(space < 0 ? value : value[..space], CultureInfo.InvariantCulture);
    }
}
