using System.Globalization;

namespace ThpTool.Scanner.Procfs;

/// <summary>Parses /proc/PID/smaps. Unknown keys and VmFlags codes are kept or ignored, never fatal.</summary>
public static class SmapsParser
{
    public static List<SmapsVma> Parse(string text) => Parse(new StringReader(text)).ToList();

    /// <summary>
    /// One VMA at a time, as the reader yields them: a process with hundreds of thousands of mappings is scanned without
    /// holding its smaps text or a list of its VMAs.
    /// </summary>
    public static IEnumerable<SmapsVma> Parse(TextReader reader)
    {
        var fields = new Fields();
        while (reader.ReadLine() is { } line)
            if (fields.Add(line) is { } done)
                yield return done;
        if (fields.Flush() is { } last) yield return last;
    }

    /// <summary>The VMA being read: its header, and the keys seen so far.</summary>
    sealed class Fields
    {
        Header? current;
        long rss, anonHuge, shmemPmd, anonymous, shared;
        IReadOnlyList<string> flags = [];

        /// <summary>Takes one line; returns the previous VMA when the line starts the next one.</summary>
        public SmapsVma? Add(string text)
        {
            var line = text.AsSpan().TrimEnd();
            if (line.IsEmpty) return null;
            if (TryParseHeader(line, out var header))
            {
                var done = Flush();
                current = header;
                return done;
            }
            int colon = line.IndexOf(':');
            if (colon <= 0 || current is null) return null;
            var key = line[..colon];
            var value = line[(colon + 1)..].Trim();
            if (key.SequenceEqual("Rss")) rss = Kilobytes(value);
            else if (key.SequenceEqual("AnonHugePages")) anonHuge = Kilobytes(value);
            else if (key.SequenceEqual("ShmemPmdMapped")) shmemPmd = Kilobytes(value);
            else if (key.SequenceEqual("Anonymous")) anonymous = Kilobytes(value);
            else if (key.SequenceEqual("Shared_Clean") || key.SequenceEqual("Shared_Dirty")) shared += Kilobytes(value);
            else if (key.SequenceEqual("VmFlags"))
                flags = value.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return null;
        }

        public SmapsVma? Flush()
        {
            var vma = current is { } h
                ? new SmapsVma(h.Start, h.End, h.Perms, h.Offset, h.Path, flags, rss, anonHuge, shmemPmd)
                {
                    AnonymousKb = anonymous,
                    SharedKb = shared,
                }
                : null;
            current = null;
            rss = anonHuge = shmemPmd = anonymous = shared = 0;
            flags = [];
            return vma;
        }
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
