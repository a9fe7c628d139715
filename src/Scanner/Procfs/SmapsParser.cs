using System.Globalization;

namespace ThpTool.Scanner.Procfs;

/// <summary>Parses /proc/PID/smaps. Unknown keys and VmFlags codes are kept or ignored, never fatal.</summary>
public static class SmapsParser
{
    public static List<SmapsVma> Parse(string text)
    {
        var vmas = new List<SmapsVma>();
        Header? current = null;
        long rss = 0, anonHuge = 0, shmemPmd = 0, anonymous = 0, shared = 0;
        IReadOnlyList<string> flags = [];

        void Flush()
        {
            if (current is { } h)
                vmas.Add(new SmapsVma(h.Start, h.End, h.Perms, h.Offset, h.Path, flags, rss, anonHuge, shmemPmd)
                {
                    AnonymousKb = anonymous,
                    SharedKb = shared,
                });
            rss = anonHuge = shmemPmd = anonymous = shared = 0;
            flags = [];
        }

        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            var line = raw.TrimEnd();
            if (line.IsEmpty) continue;
            if (TryParseHeader(line, out var header))
            {
                Flush();
                current = header;
                continue;
            }
            int colon = line.IndexOf(':');
            if (colon <= 0 || current is null) continue;
            var key = line[..colon];
            var value = line[(colon + 1)..].Trim();
            if (key.SequenceEqual("Rss")) rss = Kilobytes(value);
            else if (key.SequenceEqual("AnonHugePages")) anonHuge = Kilobytes(value);
            else if (key.SequenceEqual("ShmemPmdMapped")) shmemPmd = Kilobytes(value);
            else if (key.SequenceEqual("Anonymous")) anonymous = Kilobytes(value);
            else if (key.SequenceEqual("Shared_Clean") || key.SequenceEqual("Shared_Dirty")) shared += Kilobytes(value);
            else if (key.SequenceEqual("VmFlags"))
                flags = value.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }
        Flush();
        return vmas;
    }

    readonly record struct Header(ulong Start, ulong End, string Perms, ulong Offset, string Path);

    /// <summary>"7f..-7f.. rw-p 00000000 00:00 0   [heap]": a header has a '-' in its first field and no ':' key.</summary>
    static bool TryParseHeader(ReadOnlySpan<char> line, out Header header)
    {
        header = default;
        int space = line.IndexOf(' ');
        if (space <= 0) return false;
        var range = line[..space];
        int dash = range.IndexOf('-');
        if (dash <= 0 ||
            !ulong.TryParse(range[..dash], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var start) ||
            !ulong.TryParse(range[(dash + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var end))
            return false;

        Span<Range> fields = stackalloc Range[6];
        var rest = line[(space + 1)..];
        // perms offset dev inode path; the path may contain spaces, so split at most five ways.
        int count = rest.Split(fields, ' ', StringSplitOptions.RemoveEmptyEntries);
        if (count < 4) return false;
        var perms = rest[fields[0]].ToString();
        ulong.TryParse(rest[fields[1]], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var offset);
        string path = "";
        if (count >= 5)
        {
            int pathStart = fields[4].Start.GetOffset(rest.Length);
            path = rest[pathStart..].Trim().ToString();
        }
        header = new Header(start, end, perms, offset, path);
        return true;
    }

    static long Kilobytes(ReadOnlySpan<char> value)
    {
        int space = value.IndexOf(' ');
        return long.TryParse(space < 0 ? value : value[..space], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb) ? kb : 0;
    }
}
